// A client built on Node's "ws" library for the replay tests, talking to websockets_chat_server.py
// (or to wstap replay --as server): hello, then two orders carrying the session id it was given
// (the second a 4 KiB message in two fragments, which ws compresses), a ping with a payload, a
// binary message, and bye; the server closes. GAP_MS between steps (default 0).
// Prints one JSON line: {"received": [the server's messages, binary ones as hex], "pong": payload,
//                        "close": [code, reason]}.
// Usage: node ws-chat-client.js URL [GAP_MS]
const WebSocket = require('ws');
const ws = new WebSocket(process.argv[2]);
const gap = Number(process.argv[3] || 0);
const timer = setTimeout(() => { console.log(JSON.stringify({ error: 'did not finish within 60 s' })); process.exit(1); }, 60000);
const received = [];
let pong = null;
ws.on('error', (e) => { console.log(JSON.stringify({ error: String(e.message) })); process.exit(1); });
const next = () => new Promise((resolve) => ws.once('message', (data, isBinary) => {
  const shown = isBinary ? Buffer.from(data).toString('hex') : data.toString();
  received.push(shown);
  resolve(shown);
}));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
ws.on('close', (code, reason) => {
  clearTimeout(timer);
  console.log(JSON.stringify({ received, pong, close: [code, reason.toString()] }));
  process.exit(0);
});
ws.on('open', async () => {
  ws.send(JSON.stringify({ type: 'hello', user: 'ada' }));
  const welcome = JSON.parse(await next());
  await sleep(gap);
  ws.send(JSON.stringify({ type: 'order', n: 1, session: welcome.session }));
  await next();
  await sleep(gap);
  const big = JSON.stringify({ type: 'order', n: 2, session: welcome.session, note: 'x'.repeat(4096) });
  const cut = 1500;
  ws.send(big.slice(0, cut), { fin: false });
  ws.send(big.slice(cut), { fin: true });
  await next();
  await sleep(gap);
  const ponged = new Promise((resolve) => ws.once('pong', (data) => { pong = data.toString(); resolve(); }));
  ws.ping('are you there');
  await ponged;
  ws.send(Buffer.from([0, 1, 2, 254, 255]));
  await next();
  await sleep(gap);
  ws.send(JSON.stringify({ type: 'bye' }));
});
