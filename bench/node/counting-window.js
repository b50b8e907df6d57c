// The seconds in which the load generators count echoes: after a warm-up, for SECONDS, with CPU
// time read at both edges, so that a CPU per echo covers the same seconds as the echoes (not the
// connection set-up and warm-up around them). CPU of another process is read from /proc (Linux).
//
//   const window = countingWindow(argv);   // takes "--warm-up S" (default 1) and "--cpu-of PID" out of argv
//   const facts = await window.count(seconds, (on) => { counting = on; });
//   // facts: { seconds, generatorCpuSeconds, cpuSeconds (PID's, with --cpu-of) }
//   console.log(JSON.stringify(echoSummary(echoed, bytes, facts)));   // what rate and bulk print
const fs = require('fs');
const { execFileSync } = require('child_process');

const DEFAULT_WARM_UP_SECONDS = 1;

function takeOption(argv, name) {
  const at = argv.indexOf(name);
  if (at < 0) return null;
  const value = argv[at + 1];
  argv.splice(at, 2);
  return value;
}

function sleep(seconds) { return new Promise((resolve) => setTimeout(resolve, seconds * 1000)); }

// user + system CPU seconds of a process; proc(5): fields 14 and 15 of /proc/PID/stat, counted after
// the name in parentheses (field 2), which may hold spaces.
function processCpuSeconds(pid, ticksPerSecond) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function countingWindow(argv) {
  const warmUp = takeOption(argv, '--warm-up');
  const warmUpSeconds = warmUp === null ? DEFAULT_WARM_UP_SECONDS : Number(warmUp);
  if (!(warmUpSeconds >= 0)) throw new Error('--warm-up needs seconds, not ' + warmUp);
  const cpuOf = takeOption(argv, '--cpu-of');
  const pid = cpuOf === null ? null : Number(cpuOf);
  if (pid !== null && !(Number.isInteger(pid) && pid > 0)) throw new Error('--cpu-of needs a process id, not ' + cpuOf);
  const ticksPerSecond = pid === null ? 0 : Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  const watchedCpu = () => (pid === null ? 0 : processCpuSeconds(pid, ticksPerSecond));
  return {
    async count(seconds, setCounting) {
      await sleep(warmUpSeconds);
      setCounting(true);
      const cpuBefore = watchedCpu();
      const ownBefore = ownCpuSeconds();
      const start = process.hrtime.bigint();
      await sleep(seconds);
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      setCounting(false);
      const facts = { seconds: elapsed, generatorCpuSeconds: ownCpuSeconds() - ownBefore };
      if (pid !== null) facts.cpuSeconds = watchedCpu() - cpuBefore;
      return facts;
    },
  };
}

// The one JSON object rate and bulk print: the echoes, their rates and the window's facts.
function echoSummary(echoed, bytes, facts) {
  return { messages: echoed, perSecond: echoed / facts.seconds, mbPerSecond: echoed * bytes / facts.seconds / 1e6, ...facts };
}

module.exports = { countingWindow, echoSummary };
