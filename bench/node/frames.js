// The benchmark's pipelined load generator: WebSocket frames written straight onto Node's `net`
// sockets, so that the proxy, not the generator, is what limits the figure.
//
//   node frames.js rate URL CONNECTIONS IN_FLIGHT BYTES SECONDS   messages/s echoed (text), after a warm-up
//   node frames.js bulk URL CONNECTIONS BYTES SECONDS             MB/s echoed (binary, one message in flight each)
//   options, after the others:  --warm-up SECONDS (default 1)  --cpu-of PID (the relay's CPU seconds while counting)
//
// Prints one JSON object on stdout, as load.js does: messages, seconds, perSecond, mbPerSecond,
// generatorCpuSeconds (this process's) and, with --cpu-of, cpuSeconds, both over the counted seconds.
//
// Why not ws (load.js): ws encodes, masks and writes every message on its own (a syscall each) and
// decodes and hands on every echo; on two cores it tops out near 100,000 echoes/s and hides most of
// what a proxy costs. Here each connection's frame is encoded once; every write sends as many
// copies of it as there were echoes in one read, and the echoes are only counted: the headers are
// parsed, the payloads skipped.
//
// A benchmark shortcut, not a client to copy: every frame of a connection carries the same mask key.
// RFC 6455 §5.3 wants a fresh, unpredictable key for each frame, so that a script running in a
// client cannot choose the bytes an intermediary sees (§10.3). Here the client is the benchmark,
// which chooses every byte anyway, and a proxy forwards and unmasks the same work whatever the key.
const net = require('net');
const crypto = require('crypto');
const { countingWindow, echoSummary } = require('./counting-window');

const argv = process.argv.slice(2);
const echoWindow = countingWindow(argv);
const [mode, url, ...args] = argv;
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // RFC 6455 §1.3
const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
// Copies of the frame kept ready in one buffer: a write of up to this many frames is a slice of it.
const MAX_FRAMES_PER_BUFFER = 4096;
const MAX_BUFFER_BYTES = 4 * 1024 * 1024;

// One client frame, FIN set, masked with maskKey (RFC 6455 §5.2).
function encodeFrame(opcode, payload, maskKey) {
  const n = payload.length;
  const lengthBytes = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const head = 2 + lengthBytes + 4;
  const frame = Buffer.alloc(head + n);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | n;
  else if (lengthBytes === 2) { frame[1] = 0x80 | 126; frame.writeUInt16BE(n, 2); }
  else { frame[1] = 0x80 | 127; frame.writeBigUInt64BE(BigInt(n), 2); }
  maskKey.copy(frame, head - 4);
  for (let i = 0; i < n; i++) frame[head + i] = payload[i] ^ maskKey[i & 3];
  return frame;
}

// Counts the messages in a stream of server frames (unmasked, RFC 6455 §5.1) without looking at
// their payloads. Feed it the socket's reads in any chunks; it returns how many messages ended in
// each. Headers split across reads are collected byte by byte in a small buffer.
class EchoCounter {
  constructor(expectedLength) {
    this.expectedLength = expectedLength;
    this.payloadLeft = 0;   // bytes of the current frame's payload still to skip
    this.inFrame = false;
    this.endsMessage = false;
    this.head = Buffer.alloc(14);
    this.headBytes = 0;
  }

  feed(chunk) {
    let ended = 0;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.inFrame) {
        const skip = Math.min(this.payloadLeft, n - i);
        this.payloadLeft -= skip;
        i += skip;
        if (this.payloadLeft === 0) { this.inFrame = false; if (this.endsMessage) ended++; }
        continue;
      }
      if (this.headBytes === 0 && n - i >= 2) { // the usual case: a whole header inside this read
        const size = headerSize(chunk[i + 1]);
        if (n - i >= size) {
          this.startFrame(chunk, i);
          i += size;
          if (!this.inFrame && this.endsMessage) ended++;
          continue;
        }
      }
      this.head[this.headBytes++] = chunk[i++];
      if (this.headBytes >= 2 && this.headBytes === headerSize(this.head[1])) {
        this.startFrame(this.head, 0);
        this.headBytes = 0;
        if (!this.inFrame && this.endsMessage) ended++;
      }
    }
    return ended;
  }

  startFrame(b, at) {
    const fin = (b[at] & 0x80) !== 0;
    const opcode = b[at] & 0x0f;
    if ((b[at + 1] & 0x80) !== 0) throw new Error('the server sent a masked frame (RFC 6455 §5.1 forbids it)');
    if (opcode === OPCODE_CLOSE) throw new Error('the server closed the connection (close frame, ' + (b[at + 1] & 0x7f) + ' bytes)');
    const len7 = b[at + 1] & 0x7f;
    const length = len7 < 126 ? len7 : len7 === 126 ? b.readUInt16BE(at + 2) : b.readUInt32BE(at + 2) * 2 ** 32 + b.readUInt32BE(at + 6);
    const isData = opcode === OPCODE_TEXT || opcode === OPCODE_BINARY || opcode === 0;
    if (isData && fin && opcode !== 0 && length !== this.expectedLength) {
      throw new Error('echo of ' + length + ' bytes, expected ' + this.expectedLength);
    }
    this.endsMessage = isData && fin;
    this.payloadLeft = length;
    this.inFrame = length > 0;
  }
}

function headerSize(secondByte) { // RFC 6455 §5.2: 7-bit length, or 126 + 16 bits, or 127 + 64 bits; + 4 when masked
  const len7 = secondByte & 0x7f;
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + ((secondByte & 0x80) ? 4 : 0);
}

// Opens a TCP connection and performs the upgrade (RFC 6455 §4.1): resolves with the socket and any
// bytes that came after the 101's head.
function connect(target) {
  return new Promise((resolve, reject) => {
    const key = crypto.randomBytes(16).toString('base64');
    const expectedAccept = crypto.createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
    const socket = net.connect(target.port, target.hostname);
    socket.setNoDelay(true);
    let received = Buffer.alloc(0);
    const fail = (message) => { socket.destroy(); reject(new Error(message)); };
    socket.on('error', (e) => reject(e));
    socket.on('connect', () => socket.write(
      `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    const onData = (chunk) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_RESPONSE_HEAD_BYTES) fail('the upgrade response head exceeds ' + MAX_RESPONSE_HEAD_BYTES + ' bytes');
        return;
      }
      socket.removeListener('data', onData);
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      if (!/^HTTP\/1\.1 101( |$)/.test(lines[0])) return fail(`${target.host} answered the upgrade with "${lines[0]}", not 101`);
      const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l));
      const got = accept ? accept.slice(accept.indexOf(':') + 1).trim() : '(none)';
      if (got !== expectedAccept) return fail(`Sec-WebSocket-Accept is ${got}, expected ${expectedAccept} (RFC 6455 §4.2.2)`);
      resolve({ socket, rest: received.subarray(end + 4) });
    };
    socket.on('data', onData);
  });
}

// One connection's load: keeps inFlight messages on the way, sending one more for every echo.
async function startConnection(target, opcode, payload, inFlight, stats) {
  const { socket, rest } = await connect(target);
  const frame = encodeFrame(opcode, payload, crypto.randomBytes(4)); // this connection's one mask key
  const copies = Math.max(1, Math.min(inFlight, MAX_FRAMES_PER_BUFFER, Math.floor(MAX_BUFFER_BYTES / frame.length)));
  const ready = copies === 1 ? frame : Buffer.concat(Array(copies).fill(frame));
  const send = (count) => { // count frames in as few writes as the prepared buffer allows
    while (count > 0) {
      const now = Math.min(count, copies);
      socket.write(now === copies ? ready : ready.subarray(0, now * frame.length));
      count -= now;
    }
  };
  const counter = new EchoCounter(payload.length);
  const onChunk = (chunk) => {
    let ended;
    try { ended = counter.feed(chunk); } catch (e) { stats.fail(e); return; }
    if (ended === 0) return;
    if (stats.counting) stats.echoed += ended;
    if (!stats.stopped) send(ended);
  };
  socket.on('data', onChunk);
  socket.on('error', (e) => { if (!stats.stopped) stats.fail(e); });
  socket.on('close', () => { if (!stats.stopped) stats.fail(new Error('the connection closed during the run')); });
  if (rest.length > 0) onChunk(rest);
  send(inFlight);
  return socket;
}

async function run(connections, inFlight, bytes, seconds, binary) {
  const target = new URL(url);
  if (target.protocol !== 'ws:') throw new Error('only ws:// URLs are supported, not ' + url);
  const payload = binary ? Buffer.alloc(bytes, 7) : Buffer.alloc(bytes, 'x');
  let failure = null;
  const stats = { counting: false, stopped: false, echoed: 0, fail: (e) => { failure = failure || e; } };
  const sockets = await Promise.all(Array.from({ length: connections },
    () => startConnection(target, binary ? OPCODE_BINARY : OPCODE_TEXT, payload, inFlight, stats)));
  const counted = await echoWindow.count(seconds, (on) => { stats.counting = on; });
  stats.stopped = true;
  sockets.forEach((s) => s.destroy());
  if (failure) throw failure;
  return echoSummary(stats.echoed, bytes, counted);
}

async function main() {
  if (mode === 'rate') return run(+args[0], +args[1], +args[2], +args[3], false);
  if (mode === 'bulk') return run(+args[0], 1, +args[1], +args[2], true);
  throw new Error('unknown mode ' + mode + ' (rate or bulk)');
}

module.exports = { EchoCounter, encodeFrame }; // for a quick check of the counter by hand
if (require.main === module) {
  main().then((result) => { console.log(JSON.stringify(result)); process.exit(0); })
    .catch((e) => { console.error('frames.js: ' + ((e && e.message) || e)); process.exit(1); });
}
