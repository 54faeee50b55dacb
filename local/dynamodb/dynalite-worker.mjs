// The program of the worker thread that runs dynalite, the DynamoDB emulator (see dynamodb-local.ts): dynalite
// listens on 127.0.0.1 (SDK clients and tests call it there), and answers the runtime's own requests on the
// MessagePort it was handed (`workerData.requests`, see dynalite-channel.ts) by calling its request handler directly
// (handler-exchange.mjs). Its work runs on this thread, off the runtime's main thread. Plain JavaScript, so it runs
// the same under tsx, jest and node.
import dynalite from 'dynalite';
import { parentPort, workerData } from 'node:worker_threads';
import { handlerExchange } from './handler-exchange.mjs';

const { port, requests } = workerData;
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const exchange = handlerExchange(server);

/**
 * The body's bytes in an ArrayBuffer of their own, to transfer rather than copy: the Buffer itself when it spans its
 * whole ArrayBuffer (nothing else can hold it: dynalite is done with a body it ended with), else a copy of its bytes
 * (a small Buffer is a slice of Node's shared pool, which must not move).
 */
function ownBytes(body) {
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
}

requests.on('message', ({ id, method, path, headers, body }) => {
  exchange({ method, path, headers, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) }).then(
    (response) => {
      const bytes = ownBytes(response.body);
      requests.postMessage({ id, status: response.status, headers: response.headers, body: bytes }, [bytes.buffer]);
    },
    (error) => requests.postMessage({ id, error: String(error?.message ?? error) }),
  );
});

server.once('error', (error) => parentPort.postMessage({ type: 'failed', message: String(error?.message ?? error) }));
server.listen(port, '127.0.0.1', () => parentPort.postMessage({ type: 'ready', port: server.address().port }));

parentPort.on('message', (message) => {
  if (message?.type !== 'stop') return;
  requests.close();
  server.close(() => {
    parentPort.postMessage({ type: 'stopped' });
    process.exit(0);
  });
  server.closeAllConnections();
});
