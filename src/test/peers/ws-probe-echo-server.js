// An echo server built on Node's "ws" library, as the Autobahn|Testsuite's echo servers are: every
// message goes back as it came; protocol errors are the library's to answer (an 'error' handler
// keeps the process alive). For wstap probe's tests.
// Usage: node ws-probe-echo-server.js PORT [MODE[,MODE...]]   (prints "listening PORT" when ready)
//   deflate: agree to permessage-deflate (ws's defaults otherwise: messages under 1 KiB go uncompressed);
//   wrong-pong: a deliberately broken server that answers every ping with a pong of another payload;
//   accept-invalid-utf8: one that does not check text for UTF-8 (ws's skipUTF8Validation);
//   never-close: one that never sends a close frame nor ends the connection, whatever it is sent.
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const modes = (process.argv[3] || '').split(',');
const isWrongPong = modes.includes('wrong-pong');
const wss = new WebSocketServer({ port, host: '127.0.0.1', maxPayload: 64 * 1024 * 1024, autoPong: !isWrongPong,
  skipUTF8Validation: modes.includes('accept-invalid-utf8'), perMessageDeflate: modes.includes('deflate') });
wss.on('listening', () => console.log('listening ' + port));
wss.on('connection', (ws) => {
  ws.on('error', () => { });
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  // A pong of the same length (a control frame's payload stays within 125 bytes), each byte flipped; an empty ping gets "x".
  if (isWrongPong) ws.on('ping', (data) => ws.pong(data.length === 0 ? Buffer.from('x') : Buffer.from(data.map((b) => b ^ 0x20))));
  // ws answers a close, and a protocol error, through the socket's close(): without it, nothing is sent and nothing ends.
  if (modes.includes('never-close')) ws.close = () => { };
});
