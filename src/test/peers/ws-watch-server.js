// A server built on Node's "ws" library that reports what it gets and keeps the other direction busy,
// for the intercept tests. Every 100 ms it sends "tick N"; every 200 ms it pings. It prints one JSON
// line per event on stdout, with its time in epoch ms: {"event":"message","data":...,"t":...}, {"event":"pong","rtt_ms":...}.
// A message "say:TEXT" makes it send TEXT, "echo:TEXT" comes back as it is; "done" makes it answer "bye".
// With "quiet" after the port's mode, it neither ticks nor pings.
// Usage: node ws-watch-server.js PORT [deflate|plain] [quiet]   (prints "listening PORT" when ready)
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const deflate = process.argv[3] === 'deflate' ? { threshold: 0 } : false;
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: deflate });
const report = (o) => console.log(JSON.stringify({ ...o, t: Date.now() }));
wss.on('listening', () => console.log('listening ' + port));
wss.on('connection', (ws, req) => {
  report({ event: 'open', extensions: req.headers['sec-websocket-extensions'] || null, agreed: ws.extensions });
  let tick = 0;
  const quiet = process.argv[4] === 'quiet';
  const ticks = quiet ? null : setInterval(() => ws.send('tick ' + (++tick)), 100);
  const pings = quiet ? null : setInterval(() => ws.ping(String(Date.now())), 200);
  ws.on('pong', (data) => report({ event: 'pong', rtt_ms: Date.now() - Number(data.toString()) }));
  ws.on('message', (data, isBinary) => {
    const text = data.toString();
    report({ event: 'message', data: isBinary ? data.toString('hex') : text, binary: isBinary });
    if (text.startsWith('say:')) ws.send(text.slice(4));
    if (text.startsWith('echo:')) ws.send(text);
    if (text === 'done') ws.send('bye');
  });
  ws.on('error', (e) => report({ event: 'error', message: String(e.message) }));
  ws.on('close', (code, reason) => {
    clearInterval(ticks);
    clearInterval(pings);
    report({ event: 'close', code, reason: reason.toString() });
  });
});
