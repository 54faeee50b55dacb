/**
 * The load client: a worker thread that sends the bench's requests and times them, started by `load-client.ts`.
 *
 * It runs apart from the main thread because the local runtime's gateway, edge and pollers share the main thread's
 * event loop: a client there would wait for the runtime's work before sending, and time that as the system's
 * latency. Here it has its own event loop, like a separate client process, and talks to the runtime over loopback
 * only. The overhead plan also calls a function's handler in this thread, with the function's environment (the
 * thread's `process.env`), so the in-process call and the HTTP call start from the same place.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { HttpClient, type HttpOutcome } from './http-client';
import { runClosedLoop, runOpenLoop } from './load-generation';
import {
  answerFields,
  type ClosedLoopPlan,
  type ClosedLoopResult,
  type FromClient,
  type OpenLoopPlan,
  type OverheadPlan,
  type OverheadResult,
  type RequestRecord,
  type RequestSpec,
  type ToClient,
} from './load-client-protocol';

const port = parentPort;
if (!port) throw new Error('load-client-thread.ts runs as a worker thread: start it with LoadClient.start()');
const post = (message: FromClient) => port.postMessage(message);

const callOf = (spec: RequestSpec) => ({
  method: spec.method,
  url: spec.url,
  headers: spec.idempotencyKey ? { ...(spec.headers ?? {}), 'idempotency-key': randomUUID() } : spec.headers,
  body: spec.body,
});

async function openLoop(id: number, plan: OpenLoopPlan): Promise<RequestRecord[]> {
  const http = new HttpClient();
  const progress = { sent: 0, done: 0, ok: 0 };
  const report = () => post({ type: 'progress', id, progress: { ...progress, inFlight: progress.sent - progress.done } });
  const ticker = setInterval(report, plan.progressEveryMs);
  try {
    const sent = await runOpenLoop<{ spec: RequestSpec; answer: HttpOutcome }>({
      ratePerSecond: plan.ratePerSecond,
      durationMs: plan.durationMs,
      send: async (index) => {
        const spec = plan.requests[index % plan.requests.length];
        return { spec, answer: await http.send(callOf(spec)) };
      },
      onSent: () => progress.sent++,
      onDone: (request) => {
        progress.done++;
        if (request.outcome.answer.status >= 200 && request.outcome.answer.status < 300) progress.ok++;
      },
    });
    report();
    return sent.map(({ dueAt, sentAt, doneAt, outcome: { spec, answer } }) => {
      const ok = answer.status >= 200 && answer.status < 300;
      const error = answer.error ?? (ok ? undefined : answer.body.slice(0, 300));
      const retryAfter = answer.retryAfter !== undefined ? { retryAfter: answer.retryAfter } : {};
      return { label: spec.label, dueAt, sentAt, doneAt, status: answer.status, ...answerFields(answer.body), ...retryAfter, ...(error ? { error } : {}) };
    });
  } finally {
    clearInterval(ticker);
    http.close();
  }
}

async function closedLoop(plan: ClosedLoopPlan): Promise<ClosedLoopResult> {
  const http = new HttpClient({ maxSockets: plan.connections });
  try {
    const { requests, elapsedMs } = await runClosedLoop({ connections: plan.connections, durationMs: plan.durationMs, send: () => http.send(callOf(plan.request)) });
    const statuses: Record<string, number> = {};
    for (const r of requests) statuses[r.outcome.status] = (statuses[r.outcome.status] ?? 0) + 1;
    return {
      connections: plan.connections,
      elapsedMs,
      count: requests.length,
      errors: requests.filter((r) => !(r.outcome.status >= 200 && r.outcome.status < 300)).length,
      statuses,
      latenciesMs: requests.map((r) => r.doneAt - r.sentAt),
    };
  } finally {
    http.close();
  }
}

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode?: number } | undefined>;

async function overhead(plan: OverheadPlan): Promise<OverheadResult> {
  const loaded = (await import(pathToFileURL(plan.bundleFile).href)) as Record<string, unknown>;
  const handler = loaded[plan.exportName] as Handler | undefined;
  if (typeof handler !== 'function') throw new Error(`${plan.bundleFile} exports no function ${plan.exportName}`);
  const http = new HttpClient({ maxSockets: 1 });
  const floorHttp = new HttpClient({ maxSockets: 1 });
  const result: { directMs: number[]; apiMs: number[]; floorMs: number[]; errors: number } = { directMs: [], apiMs: [], floorMs: [], errors: 0 };
  const direct = async (): Promise<number> => {
    const started = performance.now();
    const deadline = Date.now() + plan.timeoutMs;
    const context = {
      functionName: plan.functionName,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const response = await handler(JSON.parse(plan.eventJson), context);
    const elapsed = performance.now() - started;
    if (response?.statusCode !== 200) result.errors++;
    return elapsed;
  };
  const viaHttp = async (client: HttpClient, spec: RequestSpec): Promise<number> => {
    const started = performance.now();
    const answer = await client.send(callOf(spec));
    const elapsed = performance.now() - started;
    if (answer.status !== 200) result.errors++;
    return elapsed;
  };
  try {
    for (let i = 0; i < plan.warmUp; i++) {
      await direct();
      await viaHttp(http, plan.api);
      await viaHttp(floorHttp, plan.floor);
    }
    result.errors = 0;
    // Rotate which goes first, so whatever a call leaves behind (a GC, a warm cache) falls on each alike.
    const steps: (() => Promise<void>)[] = [
      async () => void result.directMs.push(await direct()),
      async () => void result.apiMs.push(await viaHttp(http, plan.api)),
      async () => void result.floorMs.push(await viaHttp(floorHttp, plan.floor)),
    ];
    for (let i = 0; i < plan.iterations; i++) {
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
    }
    return result;
  } finally {
    http.close();
    floorHttp.close();
  }
}

port.on('message', (message: ToClient) => {
  const run = async (): Promise<unknown> => {
    switch (message.type) {
      case 'openLoop':
        return openLoop(message.id, message.plan);
      case 'closedLoop':
        return closedLoop(message.plan);
      case 'overhead':
        return overhead(message.plan);
    }
  };
  run().then(
    (result) => post({ type: 'result', id: message.id, result }),
    (error: unknown) => post({ type: 'failed', id: message.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
