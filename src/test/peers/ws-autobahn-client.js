// An Autobahn|Testsuite client driver built on Node's "ws" library, as projects write them for the
// fuzzingserver: ask /getCaseCount, run every case on /runCase?case=N&agent=AGENT echoing each
// message, then ask /updateReports?agent=AGENT. Prints {"count": N} at the end.
// Usage: node ws-autobahn-client.js ws://127.0.0.1:PORT AGENT
const WebSocket = require('ws');
const base = process.argv[2];
const agent = process.argv[3] || 'ws';
const ask = (path) => new Promise((resolve, reject) => {
  const ws = new WebSocket(base + path);
  let message = null;
  ws.on('message', (data) => { message = data.toString(); });
  ws.on('close', () => resolve(message));
  ws.on('error', reject);
});
const runCase = (n) => new Promise((resolve) => {
  // ws's defaults, permessage-deflate offered among them, as ws's own Autobahn client test runs.
  const ws = new WebSocket(`${base}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`, { maxPayload: 64 * 1024 * 1024 });
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('close', resolve);
  ws.on('error', () => { });
});
(async () => {
  const count = Number(await ask('/getCaseCount'));
  for (let i = 1; i <= count; i++) await runCase(i);
  await ask(`/updateReports?agent=${encodeURIComponent(agent)}`);
  console.log(JSON.stringify({ count }));
  process.exit(0);
})().catch((e) => { console.log(JSON.stringify({ error: String(e.message) })); process.exit(1); });
