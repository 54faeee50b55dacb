// The program of the worker thread that runs fauxqs, the SQS emulator. fauxqs is an ES module that needs Node.js
// 22.5 or later, which the CommonJS test sandbox cannot load in-process: a worker thread loads it natively, keeps its
// event loop apart from the runtime's, and dies with the process. It listens on 127.0.0.1 only.
import { parentPort, workerData } from 'node:worker_threads';

// fauxqs imports node:sqlite (for its optional persistence, unused here), which warns that it is experimental.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : String(warning?.message ?? '');
  if (text.includes('SQLite')) return;
  emitWarning(warning, ...rest);
};

let app;
let store;
/** Messages put into each queue since the last `stats` request (SendMessage, batches, redrives to a DLQ). */
let sent = new Map();
try {
  const { buildApp } = await import('fauxqs');
  // The package exports only `buildApp`; its queue store is a sibling module. Building the store here (buildApp takes
  // `stores`) lets `stats` read ages and counts without copying every message over HTTP.
  const { SqsStore } = await import(new URL('./sqs/sqsStore.js', import.meta.resolve('fauxqs')).href);
  store = new SqsStore();
  // fauxqs reports each enqueue to a "spy" when one is set; this one only counts.
  store.spy = {
    addMessage(event) {
      if (event?.status === 'published') sent.set(event.queueName, (sent.get(event.queueName) ?? 0) + 1);
    },
  };
  app = buildApp({ logger: false, host: workerData.queueHost, defaultRegion: workerData.region, stores: { sqsStore: store } });
  const address = await app.listen({ port: workerData.port, host: '127.0.0.1' });
  parentPort.postMessage({ type: 'ready', port: Number(new URL(address).port) });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: String(error?.message ?? error) });
}

/** What CloudWatch's AWS/SQS metrics need, per queue: counts, and the oldest non-deleted message's SentTimestamp. */
function queueStats() {
  const queues = [];
  for (const queue of store?.allQueues() ?? []) {
    const { ready, delayed, inflight } = queue.inspectMessages();
    let oldest;
    for (const msg of ready) if (oldest === undefined || msg.sentTimestamp < oldest) oldest = msg.sentTimestamp;
    for (const msg of delayed) if (oldest === undefined || msg.sentTimestamp < oldest) oldest = msg.sentTimestamp;
    for (const entry of inflight) if (oldest === undefined || entry.message.sentTimestamp < oldest) oldest = entry.message.sentTimestamp;
    queues.push({
      name: queue.name,
      visible: ready.length,
      notVisible: inflight.length,
      delayed: delayed.length,
      oldestSentTimestamp: oldest,
      sent: sent.get(queue.name) ?? 0,
    });
  }
  sent = new Map();
  return queues;
}

parentPort.on('message', (message) => {
  if (message?.type === 'stats') {
    parentPort.postMessage({ type: 'stats', id: message.id, queues: queueStats() });
    return;
  }
  if (message?.type !== 'stop') return;
  const closed = app ? app.close() : Promise.resolve();
  closed
    .catch(() => undefined)
    .finally(() => {
      parentPort.postMessage({ type: 'stopped' });
      // Pending long polls keep timers alive for up to 20 s: leave without waiting for them.
      process.exit(0);
    });
});
