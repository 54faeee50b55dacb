import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { InvocationTiming } from '../../../../local/lambda/execution-environment';
import { type EnvironmentChoice, FunctionPool, INVOCATION_CHANNEL, NEW_ENVIRONMENT_AFTER_MS } from '../../../../local/lambda/function-pool';
import { FakeEnvironments } from './fake-environments';
import { functionConfig } from './function-config-factory';

const TIMING: InvocationTiming = { receivedAt: 1, handlerStartedAt: 2, handlerEndedAt: 9, gcMs: 0.5, calls: [{ startedAt: 3, answeredAt: 5 }] };

describe('FunctionPool, on its diagnostics channel', () => {
  let environments: FakeEnvironments;
  let choices: EnvironmentChoice[];
  const listener = (message: unknown) => choices.push(message as EnvironmentChoice);
  const poolOf = () => new FunctionPool(functionConfig(), { maxEnvironments: 3, startEnvironment: environments.start });

  beforeEach(() => {
    jest.useFakeTimers();
    environments = new FakeEnvironments();
    choices = [];
  });
  afterEach(() => {
    unsubscribe(INVOCATION_CHANNEL, listener);
    jest.useRealTimers();
  });

  /** Starts an invocation and lets the pool hand it to an environment; `result` settles when it ends. */
  async function started(pool: FunctionPool, requestId: string): Promise<{ readonly result: Promise<unknown> }> {
    const result = pool.invoke({}, { requestId, traceId: `Root=${requestId}` });
    await jest.advanceTimersByTimeAsync(0);
    return { result };
  }

  /** Starts an invocation that starts a new environment, and lets that environment's init end. */
  async function startedCold(pool: FunctionPool, requestId: string): Promise<{ readonly result: Promise<unknown> }> {
    const invocation = await started(pool, requestId);
    environments.started[environments.started.length - 1].ready();
    await jest.advanceTimersByTimeAsync(0);
    return invocation;
  }

  it('publishes nothing and asks no environment for its timing while no one subscribes', async () => {
    // Prepare
    const pool = poolOf();

    // Act
    const result = await startedCold(pool, 'unheard');
    const handed = environments.running[0].invocation;
    subscribe(INVOCATION_CHANNEL, listener);
    environments.finish({ kind: 'success', payload: 'null' });
    await result.result;

    // Assess
    expect(handed.timing).toBeUndefined();
    expect(choices).toEqual([]);
  });

  it('tells which environment ran each invocation, how many it had run and how long it had been idle', async () => {
    // Prepare
    subscribe(INVOCATION_CHANNEL, listener);
    const pool = poolOf();
    const cold = await startedCold(pool, 'cold');
    environments.finish({ kind: 'success', payload: 'null', timing: TIMING });
    await cold.result;

    // Act: the same environment, 300 ms later
    await jest.advanceTimersByTimeAsync(300);
    const warm = await started(pool, 'warm');
    const handed = environments.running[0].invocation;
    environments.finish({ kind: 'error', error: { errorType: 'Error', errorMessage: 'boom' }, timing: TIMING });
    await warm.result;

    // Assess
    expect(handed.timing).toBe(true);
    expect(choices).toHaveLength(2);
    expect(choices[0]).toMatchObject({ requestId: 'cold', traceId: 'Root=cold', environment: 1, environmentInvocations: 0, initDurationMs: 1, timing: TIMING });
    expect(choices[0].idleMs).toBeUndefined();
    expect(choices[1]).toMatchObject({
      requestId: 'warm',
      environment: 1,
      environmentInvocations: 1,
      idleMs: 300,
      idleEnvironments: 1,
      busyEnvironments: 1,
      environments: 1,
      queuedMs: 0,
      timing: TIMING,
    });
    expect(choices[1].initDurationMs).toBeUndefined();
  });

  it('reports the idle environment it reuses: the one that finished last', async () => {
    // Prepare: two environments busy at once; the second finishes first
    subscribe(INVOCATION_CHANNEL, listener);
    const pool = poolOf();
    const first = await startedCold(pool, 'first');
    const second = await started(pool, 'second');
    await jest.advanceTimersByTimeAsync(NEW_ENVIRONMENT_AFTER_MS);
    environments.started[1].ready();
    await jest.advanceTimersByTimeAsync(0);
    environments.finish(undefined, 2);
    await second.result;
    await jest.advanceTimersByTimeAsync(10);
    environments.finish(undefined, 1);
    await first.result;

    // Act
    await jest.advanceTimersByTimeAsync(50);
    const third = await started(pool, 'third');
    environments.finish();
    await third.result;

    // Assess
    expect(choices.find((c) => c.requestId === 'third')).toMatchObject({ environment: 1, environmentInvocations: 1, idleMs: 50, idleEnvironments: 2, environments: 2 });
  });
});
