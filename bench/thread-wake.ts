/**
 * `npm run bench:thread-wake`: what handing a message to another thread costs the thread that sends it, on this
 * machine. The local runtime's main thread hands every invocation to a function's worker and every DynamoDB request to
 * dynalite's thread this way, so this is the floor under its cost per hand-off.
 *
 * A worker echoes each message back. Sent back to back, the worker is still awake when the next one arrives; sent
 * `--gap-ms` apart, it has gone to sleep and each message must wake it. For each, the sender's own CPU
 * (`process.threadCpuUsage`) inside `postMessage` and over the whole round trip, and the round trip's wall time.
 *
 *   npm run bench:thread-wake -- [--messages 2000] [--gap-ms 2]
 */
import { Worker } from 'node:worker_threads';
import { loadavg } from 'node:os';
import { runScript, scriptFlags, ScriptUsageError } from './support/script-flags';

const USAGE =
  'usage: npm run bench:thread-wake -- [--messages 2000] [--gap-ms 2]\n' +
  '  --messages  round trips measured each way (back to back, and spaced)\n' +
  '  --gap-ms    the pause before each spaced message, long enough for the worker to sleep';
const WARM_UP = 200;
/** About what one invocation's event is: a few records of a kilobyte. */
const PAYLOAD = { Records: Array.from({ length: 5 }, (_, i) => ({ messageId: `id-${i}`, body: 'x'.repeat(800), attributes: { ApproximateReceiveCount: '1' } })) };

interface Figures {
  readonly postMessageUs: number;
  readonly roundTripCpuUs: number;
  readonly roundTripWallMs: number;
}

async function measure(worker: Worker, messages: number, gapMs: number): Promise<Figures> {
  let answered: (() => void) | undefined;
  worker.on('message', () => answered?.());
  const roundTrip = (id: number) =>
    new Promise<number>((resolve) => {
      // The answer cannot come before this synchronous code ends: `answered` is set in time.
      const before = process.threadCpuUsage();
      worker.postMessage({ id, payload: PAYLOAD });
      const spent = process.threadCpuUsage(before);
      answered = () => resolve(spent.user + spent.system);
    });
  for (let i = 0; i < WARM_UP; i++) await roundTrip(i);
  let inPostMessage = 0;
  let cpu = 0;
  let wall = 0;
  for (let i = 0; i < messages; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    const cpuBefore = process.threadCpuUsage();
    const started = performance.now();
    inPostMessage += await roundTrip(i);
    wall += performance.now() - started;
    const spent = process.threadCpuUsage(cpuBefore);
    cpu += spent.user + spent.system;
  }
  worker.removeAllListeners('message');
  return { postMessageUs: inPostMessage / messages, roundTripCpuUs: cpu / messages, roundTripWallMs: wall / messages };
}

async function main(argv: readonly string[]): Promise<void> {
  const { value } = scriptFlags(argv, ['--messages', '--gap-ms']);
  const messages = Number(value('--messages', '2000'));
  const gapMs = Number(value('--gap-ms', '2'));
  if (!Number.isInteger(messages) || messages < 1) throw new ScriptUsageError(`--messages is '${value('--messages', '')}': give a whole number, 1 or more`);
  if (!Number.isFinite(gapMs) || gapMs <= 0) throw new ScriptUsageError(`--gap-ms is '${value('--gap-ms', '')}': give milliseconds above 0`);
  console.log(`bench:thread-wake: ${messages} round trips each way, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}`);
  const worker = new Worker(`require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m.id));`, { eval: true });
  try {
    const rows: [string, Figures][] = [
      ['back to back (the worker awake)', await measure(worker, messages, 0)],
      [`${gapMs} ms apart (the worker asleep)`, await measure(worker, messages, gapMs)],
    ];
    console.log('\n| messages sent | sender CPU in postMessage (µs) | sender CPU per round trip (µs) | round trip (ms) |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [label, f] of rows) console.log(`| ${label} | ${f.postMessageUs.toFixed(1)} | ${f.roundTripCpuUs.toFixed(1)} | ${f.roundTripWallMs.toFixed(3)} |`);
    console.log(`\nload average ${loadavg()[0].toFixed(2)} at the end`);
  } finally {
    await worker.terminate();
  }
}

void runScript('bench:thread-wake', USAGE, main);
