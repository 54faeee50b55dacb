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
try {
  const { buildApp } = await import('fauxqs');
  app = buildApp({ logger: false, host: workerData.queueHost, defaultRegion: workerData.region });
  const address = await app.listen({ port: workerData.port, host: '127.0.0.1' });
  parentPort.postMessage({ type: 'ready', port: Number(new URL(address).port) });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: String(error?.message ?? error) });
}

parentPort.on('message', (message) => {
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
