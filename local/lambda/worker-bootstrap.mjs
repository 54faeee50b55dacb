// One Lambda execution environment. Runs in its own worker thread (see execution-environment.ts), with the
// function's environment as its process.env: loads the handler once (the init phase), then runs one invocation
// at a time as the Node.js Lambda runtime does. Plain JavaScript so it runs the same under tsx, jest and node.
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import * as path from 'node:path';
import { subscribe } from 'node:diagnostics_channel';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const spec = workerData;
if (spec.enableSourceMaps) process.setSourceMapsEnabled(true);

// Functions yield the CPU to the runtime's main thread, which plays the managed services (API Gateway, the edge,
// DynamoDB, EventBridge): in AWS a busy function cannot slow them down, and here every request crosses the main
// thread, often several times. On Linux a thread has its own nice value, so this lowers this worker only; elsewhere
// it would lower the whole process, so it is left alone.
if (spec.niceness > 0 && process.platform === 'linux') {
  try {
    setPriority(0, spec.niceness);
  } catch {
    // not allowed here: run at the same priority
  }
}

/** Lambda's error shape for anything thrown: `{ errorType, errorMessage, trace }`. */
function toLambdaError(thrown, errorType) {
  if (thrown instanceof Error) {
    return {
      errorType: errorType ?? thrown.name ?? 'Error',
      errorMessage: thrown.message,
      trace: typeof thrown.stack === 'string' ? thrown.stack.split('\n') : [],
    };
  }
  return { errorType: errorType ?? typeof thrown, errorMessage: String(thrown), trace: [] };
}

// A crash outside an invocation's promise ends the environment, as in Lambda: report it, then exit.
process.on('uncaughtException', (error) => {
  parentPort.postMessage({ type: 'crash', error: toLambdaError(error) });
  process.exit(129);
});
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  parentPort.postMessage({
    type: 'crash',
    error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: message, trace: reason instanceof Error && reason.stack ? reason.stack.split('\n') : [] },
  });
  process.exit(128);
});

async function loadHandler() {
  const dot = spec.handler.lastIndexOf('.');
  if (dot <= 0) {
    throw Object.assign(new Error(`Bad handler ${spec.handler}: use module.export, e.g. index.handler`), { lambdaType: 'Runtime.MalformedHandlerName' });
  }
  const moduleName = spec.handler.slice(0, dot);
  const exportName = spec.handler.slice(dot + 1);
  const file = ['.mjs', '.js', '.cjs'].map((ext) => path.resolve(spec.codeDir, moduleName + ext)).find((candidate) => existsSync(candidate));
  if (!file) {
    throw Object.assign(new Error(`Error: Cannot find module '${moduleName}' in ${spec.codeDir}`), { lambdaType: 'Runtime.ImportModuleError' });
  }
  let loaded;
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw Object.assign(error, { lambdaType: 'Runtime.UserCodeSyntaxError' });
    throw error;
  }
  const handler = loaded[exportName] ?? loaded.default?.[exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${moduleName}.${exportName} is undefined or not exported`), { lambdaType: 'Runtime.HandlerNotFound' });
  }
  return handler;
}

function contextFor(message) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.functionName,
    functionVersion: spec.functionVersion,
    invokedFunctionArn: spec.invokedFunctionArn,
    memoryLimitInMB: String(spec.memorySizeMb),
    awsRequestId: message.id,
    logGroupName: spec.logGroupName,
    logStreamName: spec.logStreamName,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
}

/** Async handlers return a promise; callback handlers (three parameters) call back. Both are supported. */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') {
      returned.then((result) => callback(null, result), (error) => callback(error ?? new Error('handler rejected')));
    } else if (handler.length < 3) {
      callback(null, returned);
    }
  });
}

/** Epoch milliseconds, sub-millisecond: comparable across threads. */
const epochNow = () => performance.timeOrigin + performance.now();

// What an invocation's timing (`message.timing`) reports of this thread, observed only once one asks for it: its GC
// pauses (ms, summed), and the HTTP requests its code sends (the SDK's calls), each from its creation to the response's
// headers, in epoch ms.
let gcPausedMs = 0;
let httpCalls = [];
let observing = false;
// Whether the invocation running now asked for its timing: only then are its HTTP calls kept.
let recording = false;
function observe() {
  if (observing) return;
  observing = true;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPausedMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  const open = new WeakMap();
  subscribe('http.client.request.created', ({ request }) => {
    if (!recording) return;
    const call = [epochNow(), 0];
    open.set(request, call);
    httpCalls.push(call);
  });
  subscribe('http.client.response.finish', ({ request }) => {
    const call = open.get(request);
    if (call) call[1] = epochNow();
    open.delete(request);
  });
}

/** Where an invocation's time went in this thread, for the runtime's diagnostics: sent with its result. */
function timingOf(message, receivedAt, handlerStartedAt, gcBefore) {
  if (!message.timing) return undefined;
  const calls = httpCalls.map(([startedAt, answeredAt]) => ({ startedAt, answeredAt }));
  return { receivedAt, handlerStartedAt, handlerEndedAt: epochNow(), gcMs: gcPausedMs - gcBefore, calls };
}

async function invoke(handler, message) {
  process.env._X_AMZN_TRACE_ID = message.traceId;
  const receivedAt = epochNow();
  recording = message.timing === true;
  httpCalls = [];
  if (recording) observe();
  const gcBefore = gcPausedMs;
  let handlerStartedAt = receivedAt;
  try {
    if (message.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, message.delayMs));
    if (message.injectError) {
      parentPort.postMessage({ type: 'result', id: message.id, ok: false, error: message.injectError });
      return;
    }
    handlerStartedAt = epochNow();
    const result = await callHandler(handler, JSON.parse(message.event), contextFor(message));
    const timing = timingOf(message, receivedAt, handlerStartedAt, gcBefore);
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      parentPort.postMessage({ type: 'result', id: message.id, ok: false, error: toLambdaError(error, 'Runtime.MarshalError') });
      return;
    }
    parentPort.postMessage({ type: 'result', id: message.id, ok: true, payload, timing });
  } catch (error) {
    parentPort.postMessage({ type: 'result', id: message.id, ok: false, error: toLambdaError(error), timing: timingOf(message, receivedAt, handlerStartedAt, gcBefore) });
  }
}

try {
  const handler = await loadHandler();
  parentPort.on('message', (message) => {
    if (message.type === 'invoke') void invoke(handler, message);
  });
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: toLambdaError(error, error?.lambdaType) });
}
