// A plain TCP byte pipe, no decoding: the floor for any relay on this machine.
//   node pipe.js LISTEN_PORT TARGET_PORT
const net = require('net');
const [listenPort, targetPort] = process.argv.slice(2).map(Number);
net.createServer((client) => {
  client.setNoDelay(true);
  const upstream = net.connect(targetPort, '127.0.0.1');
  upstream.setNoDelay(true);
  client.pipe(upstream);
  upstream.pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
}).listen(listenPort, '127.0.0.1');
