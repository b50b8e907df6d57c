// The clients whose sessions make corpus.jsonl, the log the filter tests read (see make-corpus).
// Usage: node corpus-clients.js PROXY_PORT   (run from src/test/peers, whose node_modules has ws)
const WebSocket = require('ws');
const net = require('net');
const port = Number(process.argv[2]);
const base = 'ws://127.0.0.1:' + port;

function opened(ws) {
  return new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
}
function closed(ws) {
  return new Promise((resolve) => ws.once('close', resolve));
}
function nextMessage(ws) {
  return new Promise((resolve) => ws.once('message', resolve));
}
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Session 1: compressed (permessage-deflate), subprotocol chat.v2, JSON, a fragmented message, binary, a ping.
async function compressed() {
  const ws = new WebSocket(base + '/feed?room=prices', ['chat.v2'], { perMessageDeflate: { threshold: 0 } });
  const greeting = nextMessage(ws);
  await opened(ws);
  await greeting;
  for (const m of [{ type: 'subscribe', channel: 'prices' }, { type: 'trade', price: 101.5, user: { id: 7 } },
    { type: 'trade', price: 99, user: { id: 8 } }]) {
    ws.send(JSON.stringify(m));
    await nextMessage(ws);
  }
  ws.send('token-', { fin: false });
  ws.send('12345', { fin: false });
  ws.send(' end', { fin: true });
  await nextMessage(ws);
  ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]), { binary: true });
  await nextMessage(ws);
  ws.ping('are you there');
  await new Promise((resolve) => ws.once('pong', resolve));
  await pause(300); // the proxy's script injects its frames into this session meanwhile
  ws.close(1000, 'bye');
  await closed(ws);
}

// Session 2: no compression, a large text and an error, closed with 1001.
async function plain() {
  const ws = new WebSocket(base + '/plain', { perMessageDeflate: false });
  const greeting = nextMessage(ws);
  await opened(ws);
  await greeting;
  ws.send('error: disk full');
  await nextMessage(ws);
  ws.send('x'.repeat(5000));
  await nextMessage(ws);
  ws.send(JSON.stringify({ type: 'unsubscribe', channel: 'prices' }));
  await nextMessage(ws);
  ws.close(1001, 'going away');
  await closed(ws);
}

// Session 3: a client that breaks rules: an unmasked frame, invalid UTF-8, a reserved opcode, RSV2
// without an extension, then it drops the connection without a close frame.
function breaking() {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write('GET /raw HTTP/1.1\r\nHost: 127.0.0.1:' + port + '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
        + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    });
    let head = '';
    s.on('data', (d) => {
      if (head.includes('\r\n\r\n')) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const masked = (first, payload) => {
        const key = Buffer.from([1, 2, 3, 4]);
        const body = Buffer.from(payload).map((b, i) => b ^ key[i % 4]);
        return Buffer.concat([Buffer.from([first, 0x80 | body.length]), key, body]);
      };
      s.write(Buffer.concat([Buffer.from([0x81, 8]), Buffer.from('unmasked')]));
      s.write(masked(0x81, [0x68, 0x69, 0xc3, 0x28]));
      s.write(masked(0x83, [0x01, 0x02]));
      s.write(masked(0xa1, Buffer.from('rsv2 set')));
      setTimeout(() => { s.destroy(); resolve(); }, 300);
    });
    s.on('error', reject);
  });
}

// An HTTP request that is no upgrade.
function plainHttp() {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    s.on('data', () => {});
    s.on('close', resolve);
    s.on('error', resolve);
  });
}

(async () => {
  await compressed();
  await plain();
  await breaking();
  await plainHttp();
})().catch((e) => { console.error(e); process.exit(1); });
