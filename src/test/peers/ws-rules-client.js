// A client built on Node's "ws" library for the rules tests: times round trips of "echo:N" messages
// one at a time, sends "please drop-me" three times, pings every 300 ms for 1.5 s and counts the
// pongs, then says "done" and waits for "bye". Prints one JSON line: {"rtts": [ms...], "pongs": N}.
// Usage: node ws-rules-client.js URL   (against ws-watch-server.js ... quiet)
const WebSocket = require('ws');
const ws = new WebSocket(process.argv[2]);
const timer = setTimeout(() => { console.log(JSON.stringify({ error: 'did not finish within 60 s' })); process.exit(1); }, 60000);
let pongs = 0;
ws.on('pong', () => pongs++);
ws.on('error', (e) => { console.log(JSON.stringify({ error: String(e.message) })); process.exit(1); });
const next = () => new Promise((resolve) => ws.once('message', (data) => resolve(data.toString())));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
ws.on('open', async () => {
  const rtts = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    ws.send('echo:' + i);
    const got = await next();
    if (got !== 'echo:' + i) { console.log(JSON.stringify({ error: 'got ' + got })); process.exit(1); }
    rtts.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  for (let i = 0; i < 3; i++) ws.send('please drop-me');
  for (let i = 0; i < 5; i++) { ws.ping('keepalive ' + i); await sleep(300); }
  ws.send('done');
  while ((await next()) !== 'bye') { /* wait */ }
  clearTimeout(timer);
  console.log(JSON.stringify({ rtts, pongs }));
  ws.close(1000);
  ws.on('close', () => process.exit(0));
});
