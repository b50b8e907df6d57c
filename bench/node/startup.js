// Time from launching a command to its port accepting TCP connections, in ms.
// Usage: node startup.js PORT COMMAND [ARGS...]   (kills the command afterwards)
const net = require('net');
const { spawn } = require('child_process');
const [port, command, ...args] = process.argv.slice(2);
const start = process.hrtime.bigint();
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
function attempt() {
  const socket = net.connect(+port, '127.0.0.1');
  socket.on('connect', () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    socket.destroy();
    child.kill('SIGKILL');
    console.log(JSON.stringify({ ms }));
    process.exit(0);
  });
  socket.on('error', () => setTimeout(attempt, 2));
}
attempt();
setTimeout(() => { child.kill('SIGKILL'); console.error('did not accept within 30 s'); process.exit(1); }, 30000);
