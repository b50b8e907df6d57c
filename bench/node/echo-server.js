// The benchmark's echo server: Node's ws, no compression. Every message goes back as it came.
// Usage: node echo-server.js PORT   (prints "listening PORT" when ready)
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('listening', () => console.log('listening ' + port));
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
