// A client built on Node's "ws" library (permessage-deflate offered, as ws does by default) for the
// intercept tests: sends each argument as a text message at once, then reads until the server says
// "bye", printing one JSON line per message received ({"recv": TEXT, "t": epoch ms}).
// Usage: node ws-sender.js URL MESSAGE...   (exits 1 on an error or when no "bye" comes in 60 s)
const WebSocket = require('ws');
const [url, ...messages] = process.argv.slice(2);
const ws = new WebSocket(url);
const timer = setTimeout(() => { console.log(JSON.stringify({ error: 'no bye within 60 s' })); process.exit(1); }, 60000);
ws.on('open', () => {
  console.log(JSON.stringify({ open: true, extensions: ws.extensions }));
  for (const m of messages) ws.send(m);
});
ws.on('message', (data) => {
  const text = data.toString();
  console.log(JSON.stringify({ recv: text, t: Date.now() }));
  if (text === 'bye') { clearTimeout(timer); ws.close(1000); }
});
ws.on('close', (code) => { console.log(JSON.stringify({ close: code })); process.exit(code === 1000 ? 0 : 1); });
ws.on('error', (e) => { console.log(JSON.stringify({ error: String(e.message) })); process.exit(1); });
