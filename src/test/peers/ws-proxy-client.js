// A Node "ws" client that reaches a wss:// server through an HTTP proxy with https-proxy-agent (a
// CONNECT tunnel), as applications behind a corporate proxy do. It sends one text message, waits
// for it to come back, closes, and prints one JSON line: {"echo": "..."} or {"error": "..."}.
// Usage: node ws-proxy-client.js PROXY_URL WSS_URL CA_FILE [MESSAGE]
//   CA_FILE: the only CA the client trusts (wstap's, when wstap intercepts the tunnel).
const fs = require('fs');
const WebSocket = require('ws');
const { HttpsProxyAgent } = require('https-proxy-agent');
const [proxy, url, caFile, message = 'hello through the proxy'] = process.argv.slice(2);
const ws = new WebSocket(url, { agent: new HttpsProxyAgent(proxy, { ca: fs.readFileSync(caFile) }), ca: fs.readFileSync(caFile) });
const done = (result) => { console.log(JSON.stringify(result)); process.exit(0); };
ws.on('open', () => ws.send(message));
ws.on('message', (data) => { ws.close(1000); done({ echo: data.toString() }); });
ws.on('error', (e) => done({ error: e.message }));
setTimeout(() => done({ error: 'no echo within 20 s' }), 20000);
