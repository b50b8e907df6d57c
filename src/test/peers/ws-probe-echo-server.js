// An echo server built on Node's "ws" library, as the Autobahn|Testsuite's echo servers are: every
// message goes back as it came; protocol errors are the library's to answer (an 'error' handler
// keeps the process alive). For wstap probe's tests.
// Usage: node ws-probe-echo-server.js PORT [wrong-pong|accept-invalid-utf8]   (prints "listening PORT" when ready)
//   wrong-pong: a deliberately broken server that answers every ping with a pong of another payload;
//   accept-invalid-utf8: one that does not check text for UTF-8 (ws's skipUTF8Validation).
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const isWrongPong = process.argv[3] === 'wrong-pong';
const wss = new WebSocketServer({ port, host: '127.0.0.1', maxPayload: 64 * 1024 * 1024, autoPong: !isWrongPong,
  skipUTF8Validation: process.argv[3] === 'accept-invalid-utf8' });
wss.on('listening', () => console.log('listening ' + port));
wss.on('connection', (ws) => {
  ws.on('error', () => { });
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  // A pong of the same length (a control frame's payload stays within 125 bytes), each byte flipped; an empty ping gets "x".
  if (isWrongPong) ws.on('ping', (data) => ws.pong(data.length === 0 ? Buffer.from('x') : Buffer.from(data.map((b) => b ^ 0x20))));
});
