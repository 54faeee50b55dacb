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
  const { SqsStore, SqsQueue } = await import(new URL('./sqs/sqsStore.js', import.meta.resolve('fauxqs')).href);
  wakeLongPollsWhenDue(SqsQueue);
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

/**
 * fauxqs checks a queue every 20 ms for as long as a long poll (ReceiveMessage with WaitTimeSeconds) waits on it, for
 * delayed messages that are due and in-flight ones whose visibility timeout ran out. The event source mappings keep a
 * long poll waiting on each of their queues at all times, so an idle runtime woke this thread 50 times a second per
 * queue. Here a queue with waiting long polls is checked once, when its next delayed message or visibility timeout is
 * due (and again after each change of those deadlines); a message sent or made visible at once wakes the long polls as
 * it always did (fauxqs's `notifyWaiters`). What a long poll returns, and when, is unchanged.
 */
function wakeLongPollsWhenDue(SqsQueue) {
  const queue = SqsQueue.prototype;
  /** The earliest time (ms) a message of the queue becomes receivable without anyone acting: Infinity when none. */
  const nextDue = (q) => {
    let next = Infinity;
    for (const entry of q.inflightMessages.values()) if (entry.visibilityDeadline < next) next = entry.visibilityDeadline;
    for (const msg of q.delayedMessages) if (msg.delayUntil && msg.delayUntil < next) next = msg.delayUntil;
    for (const group of q.fifoDelayed.values()) for (const msg of group) if (msg.delayUntil && msg.delayUntil < next) next = msg.delayUntil;
    return next;
  };
  // Replaces the 20 ms interval: one timer, at the next due time, while long polls wait (stopPollTimerIfEmpty and
  // cancelWaiters still clear it: clearInterval clears a timeout too).
  queue.startPollTimerIfNeeded = function armAtNextDue() {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.pollWaiters.length === 0) return;
    const due = nextDue(this);
    if (due === Infinity) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.processTimers();
      this.startPollTimerIfNeeded();
    }, Math.max(0, due - Date.now()));
  };
  // What moves the deadlines while long polls wait: a receive (messages in flight), a visibility change, a delayed send.
  for (const name of ['dequeue', 'changeVisibility', 'enqueue']) {
    const original = queue[name];
    queue[name] = function rearmingAfter(...args) {
      const result = original.apply(this, args);
      if (this.pollWaiters.length > 0) this.startPollTimerIfNeeded();
      return result;
    };
  }
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
