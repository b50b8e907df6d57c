// The benchmark's echo server: Node's ws, no compression. Every message goes back as it came.
// Usage: node echo-server.js PORT   (prints "listening PORT" when ready)
//
// The echoes of one read leave in one write: the socket is corked at the first message of a read
// and uncorked once ws has handed on every message of that read (ws emits them synchronously, and
// process.nextTick runs after the read's handler returns). Without this ws writes every echo on its
// own, a syscall each, and the server caps near 80,000 echoes/s on two cores, below what the
// pipelined generator (frames.js) and a proxy can carry. The frames are still ws's: it parses and
// encodes every one; only the syscalls are fewer. One message at a time (load.js latency) is
// written as soon as it is handled, as before.
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('listening', () => console.log('listening ' + port));
wss.on('connection', (ws, request) => {
  const socket = request.socket; // the upgraded socket ws writes to
  let corked = false;
  const flush = () => { corked = false; socket.uncork(); };
  ws.on('message', (data, isBinary) => {
    if (!corked) { corked = true; socket.cork(); process.nextTick(flush); }
    ws.send(data, { binary: isBinary });
  });
});
