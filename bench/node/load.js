// The benchmark's load generator: Node's ws clients against an echo server, directly or through wstap.
//
//   node load.js rate URL CONNECTIONS IN_FLIGHT BYTES SECONDS   messages/s echoed (text), after a warm-up
//   node load.js bulk URL CONNECTIONS BYTES SECONDS               MB/s echoed (binary, one message in flight each)
//   node load.js latency URL BYTES COUNT                          round trips one at a time: p50/p99/max in µs
//   node load.js idle URL COUNT                                   opens COUNT connections, prints "open", waits for stdin to end
//   rate and bulk options, after the others:  --warm-up SECONDS (default 1)  --cpu-of PID (the relay's CPU seconds while counting)
//
// Prints one JSON object on stdout. rate and bulk: messages, seconds, perSecond, mbPerSecond,
// generatorCpuSeconds (this process's) and, with --cpu-of, cpuSeconds, both over the counted seconds.
const WebSocket = require('ws');
const { countingWindow, echoSummary } = require('./counting-window');
const argv = process.argv.slice(2);
const echoWindow = countingWindow(argv);
const [mode, url, ...args] = argv;

function open(n) {
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  })));
}

async function rate(connections, inFlight, bytes, seconds, binary) {
  const sockets = await open(connections);
  const payload = binary ? Buffer.alloc(bytes, 7) : 'x'.repeat(bytes);
  let counting = false;
  let echoed = 0;
  let stop = false;
  for (const ws of sockets) {
    ws.on('message', () => {
      if (counting) echoed++;
      if (!stop) ws.send(payload, { binary });
    });
    for (let i = 0; i < inFlight; i++) ws.send(payload, { binary });
  }
  const counted = await echoWindow.count(seconds, (on) => { counting = on; });
  stop = true;
  sockets.forEach((ws) => ws.terminate());
  return echoSummary(echoed, bytes, counted);
}

async function latency(bytes, count) {
  const [ws] = await open(1);
  const payload = 'x'.repeat(bytes);
  const times = [];
  for (let i = 0; i < count + 200; i++) {
    const start = process.hrtime.bigint();
    await new Promise((resolve) => { ws.once('message', resolve); ws.send(payload); });
    if (i >= 200) times.push(Number(process.hrtime.bigint() - start) / 1000); // first 200: warm-up
  }
  ws.terminate();
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1] };
}

async function idle(count) {
  // In batches, so that neither listen backlog overflows; a failed connection is tried again.
  const sockets = [];
  let failures = 0;
  while (sockets.length < count && failures < 100) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(100, count - sockets.length) }, () => open(1)));
    for (const r of batch) {
      if (r.status === 'fulfilled') sockets.push(r.value[0]);
      else failures++;
    }
  }
  console.log(JSON.stringify({ open: sockets.length, failures }));
  process.stdin.resume();
  await new Promise((r) => process.stdin.on('end', r));
  sockets.forEach((ws) => ws.terminate());
  return null;
}

(async () => {
  let result;
  if (mode === 'rate') result = await rate(+args[0], +args[1], +args[2], +args[3], false);
  else if (mode === 'bulk') result = await rate(+args[0], 1, +args[1], +args[2], true);
  else if (mode === 'latency') result = await latency(+args[0], +args[1]);
  else if (mode === 'idle') result = await idle(+args[0]);
  else throw new Error('unknown mode ' + mode);
  if (result) console.log(JSON.stringify(result));
  process.exit(0);
})().catch((e) => { console.error(String(e)); process.exit(1); });
