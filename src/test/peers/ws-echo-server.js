// An echo server built on Node's "ws" library, with permessage-deflate on for every message.
// Usage: node ws-echo-server.js PORT   (prints "listening PORT" when ready)
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
wss.on('listening', () => console.log('listening ' + port));
wss.on('connection', (ws, req) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.send(JSON.stringify({ hello: 'from node ws', path: req.url, protocol: ws.protocol }));
});
