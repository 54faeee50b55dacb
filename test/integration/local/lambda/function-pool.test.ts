import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WORKER_NICENESS } from '../../../../local/lambda/execution-environment';
import {
  type EnvironmentChoice,
  FunctionPool,
  INVOCATION_CHANNEL,
  InvocationReport,
  InvocationResult,
  NEW_ENVIRONMENT_AFTER_MS,
  SHED_AFTER_MS,
} from '../../../../local/lambda/function-pool';
import { TooManyRequestsError } from '../../../../local/lambda/lambda-errors';
import { functionConfig } from '../../../unit/local/lambda/function-config-factory';
import { untilReal, useFakeClock } from '../fake-clock';

const pools: FunctionPool[] = [];
function poolFor(handler: string, options: ConstructorParameters<typeof FunctionPool>[1] = {}, overrides = {}): FunctionPool {
  const pool = new FunctionPool(functionConfig({ handler, ...overrides }), options);
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  jest.useRealTimers();
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
});

function payloadOf(result: InvocationResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return JSON.parse(result.payload) as Record<string, unknown>;
}

function errorOf(result: InvocationResult) {
  if (result.ok) throw new Error(`expected an error, got ${result.payload}`);
  return result.error;
}

describe('FunctionPool', () => {
  it('sends back where the time went in the environment while someone listens: the handler, its HTTP calls', async () => {
    // Prepare
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const choices: EnvironmentChoice[] = [];
    const listener = (message: unknown) => choices.push(message as EnvironmentChoice);
    subscribe(INVOCATION_CHANNEL, listener);

    // Act
    let result: InvocationResult;
    try {
      result = await poolFor('index.fetchUrl').invoke({ url });
    } finally {
      unsubscribe(INVOCATION_CHANNEL, listener);
      server.close();
    }

    // Assess
    expect(payloadOf(result)).toEqual({ status: 200 });
    expect(choices).toHaveLength(1);
    const timing = choices[0].timing;
    expect(timing?.calls).toHaveLength(1);
    const [call] = timing?.calls ?? [];
    expect(timing?.receivedAt).toBeLessThanOrEqual(timing?.handlerStartedAt ?? 0);
    expect(timing?.handlerStartedAt).toBeLessThanOrEqual(call.startedAt);
    expect(call.startedAt).toBeLessThanOrEqual(call.answeredAt);
    expect(call.answeredAt).toBeLessThanOrEqual(timing?.handlerEndedAt ?? 0);
    expect(timing?.gcMs).toBeGreaterThanOrEqual(0);
  });

  it('returns the handler result as JSON, with the event the caller sent', async () => {
    // Act
    const result = await poolFor('index.handler').invoke({ sku: 'SKU-1' });

    // Assess
    expect(payloadOf(result).event).toEqual({ sku: 'SKU-1' });
  });

  it('runs the handler with the template environment plus what Lambda sets', async () => {
    // Act
    const { env } = payloadOf(await poolFor('index.handler').invoke({})) as { env: Record<string, string> };

    // Assess
    expect(env).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'HybridShop-CatalogEchoFunction1A2B3C4D',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_ACCESS_KEY_ID: 'LOCALABCDEF0123456',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      TABLE_NAME: 'HybridShop-ProductsTable',
      TZ: ':UTC',
      _X_AMZN_TRACE_ID: expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/),
    });
  });

  it('gives the handler a context with its request id, memory, ARN and remaining time', async () => {
    // Act
    const result = await poolFor('index.handler').invoke({}, { requestId: 'req-1' });

    // Assess
    expect(payloadOf(result).context).toEqual({
      awsRequestId: 'req-1',
      functionName: 'HybridShop-CatalogEchoFunction1A2B3C4D',
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-CatalogEchoFunction1A2B3C4D',
      remainingMs: expect.any(Number),
    });
    // Counting down from the function's 3 s timeout.
    const remaining = (payloadOf(result).context as { remainingMs: number }).remainingMs;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(3000);
  });

  it('answers an error the handler throws in Lambda shape', async () => {
    // Act
    const error = errorOf(await poolFor('index.fail').invoke({}));

    // Assess
    expect(error).toEqual({ errorType: 'OutOfStockError', errorMessage: 'SKU-1 is out of stock', trace: expect.any(Array) });
    expect(error.trace?.[0]).toBe('OutOfStockError: SKU-1 is out of stock');
  });

  it('supports callback-style handlers', async () => {
    expect(payloadOf(await poolFor('index.callback').invoke({ value: 7 }))).toEqual({ called: 'back', value: 7 });
  });

  it('reuses the idle environment on the next invocation (a warm start)', async () => {
    // Prepare
    const pool = poolFor('index.counter');

    // Act
    const first = await pool.invoke({});
    const second = await pool.invoke({});

    // Assess
    expect(payloadOf(first).invocations).toBe(1);
    expect(payloadOf(second).invocations).toBe(2);
    expect(first.initDurationMs).toEqual(expect.any(Number));
    expect(second.initDurationMs).toBeUndefined();
    expect(pool.environmentCount).toBe(1);
  });

  it('starts a second environment only while the first is busy', async () => {
    // Prepare
    const pool = poolFor('index.slow');

    // Act
    const both = await Promise.all([pool.invoke({ sleepMs: 200 }), pool.invoke({ sleepMs: 200 })]);
    await pool.invoke({ sleepMs: 0 });

    // Assess
    expect(both.every((r) => r.ok)).toBe(true);
    expect(pool.environmentCount).toBe(2);
  });

  it('times out at the function timeout, terminates the environment and starts a fresh one next', async () => {
    // Prepare: a handler that would sleep a minute, against a 1 s timeout on the fake clock
    const pool = poolFor('index.slow', {}, { timeoutSeconds: 1 });
    const warm = await pool.invoke({ sleepMs: 0 });
    useFakeClock();
    let settled = false;
    const timingOut = pool.invoke({ sleepMs: 60_000 }).finally(() => {
      settled = true;
    });
    await untilReal(() => pool.busyCount === 1, 'the invocation running');

    // Act
    await jest.advanceTimersByTimeAsync(999);
    const settledBeforeTimeout = settled;
    await jest.advanceTimersByTimeAsync(1);
    const timedOut = await timingOut;
    const after = await pool.invoke({ sleepMs: 0 });

    // Assess
    expect(settledBeforeTimeout).toBe(false);
    expect(errorOf(timedOut)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
    expect(timedOut.durationMs).toBe(1000);
    expect(after.initDurationMs).toEqual(expect.any(Number));
    expect(payloadOf(after).loadedAt).not.toBe(payloadOf(warm).loadedAt);
    expect(pool.environmentCount).toBe(1);
  });

  it('throttles an invocation beyond the reserved concurrency with TooManyRequestsException', async () => {
    // Prepare
    const reports: InvocationReport[] = [];
    const pool = poolFor('index.slow', { onInvocation: (r) => reports.push(r) }, { reservedConcurrency: 1 });
    const running = pool.invoke({ sleepMs: 300 });

    // Act
    const throttled = pool.invoke({ sleepMs: 0 });

    // Assess
    await expect(throttled).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(throttled).rejects.toMatchObject({
      errorType: 'TooManyRequestsException',
      concurrencyLimit: 1,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect((await running).ok).toBe(true);
    expect(pool.invocationCount).toBe(1);
    expect(reports.map((r) => r.outcome).sort()).toEqual(['success', 'throttled']);
  });

  it('throttles every invocation of a function that reserves zero concurrency', async () => {
    // Prepare
    const pool = poolFor('index.handler', {}, { reservedConcurrency: 0 });

    // Act / Assess
    await expect(pool.invoke({})).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(pool.environmentCount).toBe(0);
  });

  it('queues invocations beyond the environment cap for up to shedAfterMs, and runs them as environments free up', async () => {
    // Prepare
    const reports: InvocationReport[] = [];
    const pool = poolFor('index.slow', { maxEnvironments: 2, shedAfterMs: 60_000, onInvocation: (r) => reports.push(r) });

    // Act
    const results = await Promise.all([pool.invoke({ sleepMs: 300 }), pool.invoke({ sleepMs: 300 }), pool.invoke({ sleepMs: 0 }, { requestId: 'third' })]);

    // Assess
    expect(results.every((r) => r.ok)).toBe(true);
    expect(pool.environmentCount).toBe(2);
    expect(pool.invocationCount).toBe(3);
    const third = results[2];
    expect(third.queuedMs).toEqual(expect.any(Number));
    // The third sleeps not at all, yet ends after one of the first two: it waited for it.
    expect(reports.findIndex((r) => r.requestId === 'third')).toBeGreaterThan(0);
    expect(third.initDurationMs).toBeUndefined(); // it ran warm, in an environment the first two left idle
    expect(reports.find((r) => r.requestId === 'third')).toMatchObject({ outcome: 'success', queuedMs: third.queuedMs, concurrentExecutions: 3 });
    expect(results[0].queuedMs).toBeUndefined();
  });

  it('serves waiting invocations first come, first served', async () => {
    // Prepare
    const order: string[] = [];
    const pool = poolFor('index.slow', { maxEnvironments: 1, shedAfterMs: 60_000, onInvocation: (r) => order.push(r.requestId) });

    // Act
    await Promise.all(['a', 'b', 'c', 'd'].map((requestId) => pool.invoke({ sleepMs: 20 }, { requestId })));

    // Assess
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('throttles a function that reserves none only past the account concurrency, waiting invocations included', async () => {
    // Prepare
    const reports: InvocationReport[] = [];
    const pool = poolFor('index.slow', { maxEnvironments: 1, shedAfterMs: 60_000, accountConcurrency: 3, onInvocation: (r) => reports.push(r) });
    const accepted = [pool.invoke({ sleepMs: 200 }), pool.invoke({ sleepMs: 0 }), pool.invoke({ sleepMs: 0 })];

    // Act
    const fourth = pool.invoke({ sleepMs: 0 });

    // Assess
    await expect(fourth).rejects.toMatchObject({ errorType: 'TooManyRequestsException', concurrencyLimit: 3, reason: 'ConcurrentInvocationLimitExceeded' });
    expect((await Promise.all(accepted)).every((r) => r.ok)).toBe(true);
    expect(reports.filter((r) => r.outcome === 'throttled')).toEqual([expect.objectContaining({ concurrentExecutions: 3, durationMs: 0 })]);
  });

  it('queues between the environment cap and a larger reserved concurrency, and throttles past the reservation', async () => {
    // Prepare
    const pool = poolFor('index.slow', { maxEnvironments: 1, shedAfterMs: 60_000 }, { reservedConcurrency: 2 });
    const accepted = [pool.invoke({ sleepMs: 200 }), pool.invoke({ sleepMs: 0 })];

    // Act / Assess
    await expect(pool.invoke({ sleepMs: 0 })).rejects.toBeInstanceOf(TooManyRequestsError);
    expect((await Promise.all(accepted)).every((r) => r.ok)).toBe(true);
    expect([pool.concurrencyLimit, pool.throttleLimit, pool.environmentCount]).toEqual([1, 2, 1]);
  });

  it('throttles an invocation that waited SHED_AFTER_MS with its one environment busy, long before the function timeout', async () => {
    // Prepare: one environment, busy for longer than the 1 s timeout (on the fake clock)
    const reports: InvocationReport[] = [];
    const pool = poolFor('index.slow', { maxEnvironments: 1, onInvocation: (r) => reports.push(r) }, { timeoutSeconds: 1 });
    useFakeClock();
    const running = pool.invoke({ sleepMs: 60_000 });

    // Act: the second starts waiting before the first runs (its environment starts cold), so its wait ends first
    const waiting = pool.invoke({ sleepMs: 0 }, { requestId: 'waited' });
    const refused = expect(waiting).rejects.toThrow(/runs 1 invocations at once locally .*all busy for 50 ms/);
    await untilReal(() => pool.busyCount === 1, 'the first invocation running');
    await jest.advanceTimersByTimeAsync(SHED_AFTER_MS);

    // Assess
    await refused;
    expect(reports.find((r) => r.requestId === 'waited')).toMatchObject({ outcome: 'throttled', queuedMs: SHED_AFTER_MS, concurrentExecutions: 2 });
    // The first, once it runs, times out in its turn: move the fake clock on until it has.
    let timedOut = false;
    const first = running.finally(() => {
      timedOut = true;
    });
    while (!timedOut) await jest.advanceTimersByTimeAsync(100);
    expect(errorOf(await first).errorType).toBe('Sandbox.Timedout');
    expect(pool.invocationCount).toBe(1);
  });

  it('refuses waiting invocations when stopped', async () => {
    // Prepare
    const pool = poolFor('index.slow', { maxEnvironments: 1, shedAfterMs: 60_000 });
    const running = pool.invoke({ sleepMs: 300 });
    running.catch(() => undefined);
    const waiting = pool.invoke({ sleepMs: 0 });
    const refused = expect(waiting).rejects.toThrow(/is stopping with the local runtime/);
    await waitUntil(() => pool.waitingCount === 1);

    // Act
    await pool.stop();

    // Assess
    await refused;
    expect(pool.invocationCount).toBe(1);
  });

  it('reports when each invocation was accepted and how many were in flight then, itself included', async () => {
    // Prepare
    const reports: InvocationReport[] = [];
    const pool = poolFor('index.slow', { onInvocation: (r) => reports.push(r) });
    const beforeA = Date.now();

    // Act: each stamp is taken as the invocation is accepted, before it has run
    const both = [pool.invoke({ sleepMs: 100 }, { requestId: 'a' }), pool.invoke({ sleepMs: 100 }, { requestId: 'b' })];
    const afterAccepting = Date.now();
    await Promise.all(both);
    const beforeC = Date.now();
    await pool.invoke({ sleepMs: 0 }, { requestId: 'c' });

    // Assess: when each was accepted, not when it ran or ended
    const byId = Object.fromEntries(reports.map((r) => [r.requestId, r]));
    expect([byId.a.concurrentExecutions, byId.b.concurrentExecutions, byId.c.concurrentExecutions]).toEqual([1, 2, 1]);
    for (const id of ['a', 'b']) {
      expect(byId[id].startedAt).toBeGreaterThanOrEqual(beforeA);
      expect(byId[id].startedAt).toBeLessThanOrEqual(afterAccepting);
    }
    expect(byId.c.startedAt).toBeGreaterThanOrEqual(beforeC);
    expect([byId.a.queuedMs, byId.c.queuedMs]).toEqual([0, 0]);
  });

  it('lets an invocation that finds every environment busy wait briefly, then starts a new environment for it', async () => {
    // Prepare
    const reports: InvocationReport[] = [];
    const pool = poolFor('index.slow', { onInvocation: (r) => reports.push(r) });
    await pool.invoke({ sleepMs: 0 });
    useFakeClock();
    const busy = pool.invoke({ sleepMs: 300 });
    await untilReal(() => pool.busyCount === 1, 'the first invocation running');

    // Act: on the fake clock, the second waits until just before the wait is up, then to the end of it
    const waiting = pool.invoke({ sleepMs: 0 }, { requestId: 'second' });
    await jest.advanceTimersByTimeAsync(NEW_ENVIRONMENT_AFTER_MS - 1);
    const environmentsWhileWaiting = pool.environmentCount;
    await jest.advanceTimersByTimeAsync(1);
    const second = await waiting;

    // Assess
    expect(environmentsWhileWaiting).toBe(1);
    expect(second.initDurationMs).toEqual(expect.any(Number));
    expect(second.queuedMs).toBe(NEW_ENVIRONMENT_AFTER_MS);
    expect(pool.environmentCount).toBe(2);
    jest.useRealTimers();
    await busy;
  });

  it('serves a burst of short invocations with the environments there are, instead of a cold start each', async () => {
    // Prepare
    const pool = poolFor('index.counter');
    await pool.invoke({});

    // Act
    const burst = await Promise.all(Array.from({ length: 10 }, () => pool.invoke({})));

    // Assess: each one runs in about a millisecond, well within the wait before a new environment starts
    expect(burst.every((r) => r.ok)).toBe(true);
    expect(pool.environmentCount).toBeLessThanOrEqual(3);
  });

  it('drops an environment that crashes after answering, and the next invocation starts a fresh one', async () => {
    // Prepare
    const pool = poolFor('index.crashLater');

    // Act
    const first = await pool.invoke({});
    await waitUntil(() => pool.environmentCount === 0);
    const second = await pool.invoke({});

    // Assess
    expect(payloadOf(first)).toEqual({ ok: true });
    expect(second.initDurationMs).toEqual(expect.any(Number));
  });

  it('reports a runtime that exits mid-invocation as Runtime.ExitError', async () => {
    expect(errorOf(await poolFor('index.exit').invoke({}))).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringContaining('exit status 3') });
  });

  it('reports a bundle that fails to load as the invocation error', async () => {
    expect(errorOf(await poolFor('broken.handler').invoke({}))).toMatchObject({ errorType: 'Error', errorMessage: 'cannot load configuration' });
  });

  it('reports a handler the module does not export as Runtime.HandlerNotFound', async () => {
    expect(errorOf(await poolFor('index.missing').invoke({}))).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
  });

  it('passes every line the function prints to onOutput, stream by stream', async () => {
    // Prepare
    const lines: string[] = [];
    const pool = poolFor('index.chatty', { onOutput: (config, stream, line) => lines.push(`${config.shortName} ${stream} ${line}`) });

    // Act
    await pool.invoke({});

    // Assess
    await waitUntil(() => lines.length >= 2);
    expect(lines.sort()).toEqual(['CatalogEchoFunction stderr an error line', 'CatalogEchoFunction stdout first line']);
  });
});

describe('FunctionPool scheduling', () => {
  /** The nice value of each thread of this process (Linux: /proc/self/task/TID/stat, field 19). */
  function niceValues(): Map<string, number> {
    return new Map(
      readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
      }),
    );
  }

  it('runs a function below the main thread on Linux, so that the services on the main thread are served first', async () => {
    if (process.platform !== 'linux') return; // a thread has no nice value of its own elsewhere
    // Prepare
    const before = niceValues();

    // Act
    await poolFor('index.handler').invoke({});

    // Assess: a new thread (the worker) at the workers' nice value; the main thread as it was
    const after = niceValues();
    const added = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
    expect(added).toContain(WORKER_NICENESS);
    expect(after.get(String(process.pid))).toBe(before.get(String(process.pid)));
  });
});

describe('FunctionPool fault injection', () => {
  it('adds the fault delay before the handler runs', async () => {
    // Prepare
    const pool = poolFor('index.handler');
    await pool.invoke({});
    pool.setFault({ delayMs: 300 });

    // Act
    const result = await pool.invoke({});

    // Assess
    expect(result.ok).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('times the invocation out when the delay outlasts the function timeout', async () => {
    // Prepare
    const pool = poolFor('index.handler', {}, { timeoutSeconds: 1 });
    pool.setFault({ delayMs: 1500 });

    // Act / Assess
    expect(errorOf(await pool.invoke({})).errorType).toBe('Sandbox.Timedout');
  });

  it('fails the invocation without running the handler when the fault is an error', async () => {
    // Prepare
    const pool = poolFor('index.counter');
    pool.setFault({ error: true });

    // Act
    const failed = await pool.invoke({});
    pool.setFault(undefined);
    const next = await pool.invoke({});

    // Assess
    expect(errorOf(failed).errorType).toBe('FaultInjection.InvocationError');
    expect(payloadOf(next).invocations).toBe(1);
    expect(pool.invocationCount).toBe(2);
  });

  it('spares the invocations outside the fault percentage', async () => {
    // Prepare
    const pool = poolFor('index.handler', { random: () => 0.5 });
    pool.setFault({ error: true, percentage: 40 });

    // Act / Assess
    expect((await pool.invoke({})).ok).toBe(true);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
