import { FunctionPool, type InvocationReport, NEW_ENVIRONMENT_AFTER_MS, SHED_AFTER_MS } from '../../../../local/lambda/function-pool';
import { TooManyRequestsError } from '../../../../local/lambda/lambda-errors';
import { FakeEnvironments } from './fake-environments';
import { functionConfig } from './function-config-factory';

describe('FunctionPool, at the concurrency it may run', () => {
  let environments: FakeEnvironments;
  let reports: InvocationReport[];
  const poolOf = (options: { maxEnvironments: number; shedAfterMs?: number }, timeoutSeconds = 5) =>
    new FunctionPool(functionConfig({ timeoutSeconds }), { ...options, startEnvironment: environments.start, onInvocation: (r) => reports.push(r) });

  beforeEach(() => {
    jest.useFakeTimers();
    environments = new FakeEnvironments();
    reports = [];
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('throttles an invocation that waits SHED_AFTER_MS with every environment busy, instead of waiting the function timeout', async () => {
    // Prepare: the only environment is busy
    const pool = poolOf({ maxEnvironments: 1 });
    const busy = pool.invoke({}, { requestId: 'busy' });
    environments.started[0].ready();
    await jest.advanceTimersByTimeAsync(0);

    // Act
    const waiting = pool.invoke({}, { requestId: 'shed' });
    const refused = expect(waiting).rejects.toThrow(/runs 1 invocations at once locally .*all busy for 50 ms/);
    await jest.advanceTimersByTimeAsync(SHED_AFTER_MS - 1);
    const waitingJustBefore = pool.waitingCount;
    await jest.advanceTimersByTimeAsync(1);

    // Assess
    await refused;
    await expect(waiting).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(waitingJustBefore).toBe(1);
    expect(pool.waitingCount).toBe(0);
    expect(reports).toEqual([expect.objectContaining({ requestId: 'shed', outcome: 'throttled', errorType: 'TooManyRequestsException', queuedMs: SHED_AFTER_MS })]);
    expect(pool.invocationCount).toBe(1);
    environments.finish();
    expect((await busy).ok).toBe(true);
  });

  it('runs a waiting invocation in the environment that comes free within the bound', async () => {
    // Prepare
    const pool = poolOf({ maxEnvironments: 1 });
    const busy = pool.invoke({});
    environments.started[0].ready();
    await jest.advanceTimersByTimeAsync(0);
    const waiting = pool.invoke({}, { requestId: 'waited' });

    // Act: the busy one ends 30 ms later
    await jest.advanceTimersByTimeAsync(30);
    environments.finish();
    await busy;
    await jest.advanceTimersByTimeAsync(0);
    environments.finish();

    // Assess
    const result = await waiting;
    expect(result).toMatchObject({ ok: true, queuedMs: 30 });
    expect(environments.started).toHaveLength(1);
  });

  it('takes the bound it is given', async () => {
    // Prepare
    const pool = poolOf({ maxEnvironments: 1, shedAfterMs: 200 });
    void pool.invoke({});
    environments.started[0].ready();
    await jest.advanceTimersByTimeAsync(0);

    // Act
    const waiting = pool.invoke({});
    const refused = expect(waiting).rejects.toBeInstanceOf(TooManyRequestsError);
    await jest.advanceTimersByTimeAsync(199);
    const waitingAt199 = pool.waitingCount;
    await jest.advanceTimersByTimeAsync(1);

    // Assess
    await refused;
    expect(waitingAt199).toBe(1);
  });

  it('does not shed below the cap: an invocation waiting for an environment to start keeps waiting and runs in it', async () => {
    // Prepare: the first environment takes 400 ms to start, and none other starts meanwhile
    const pool = poolOf({ maxEnvironments: 3 });
    const first = pool.invoke({});
    const second = pool.invoke({}, { requestId: 'second' });

    // Act
    await jest.advanceTimersByTimeAsync(400);
    const waitingWhileStarting = pool.waitingCount;
    environments.started[0].ready();
    // Once it is ready, the second, which has waited more than NEW_ENVIRONMENT_AFTER_MS, gets a second one.
    await jest.advanceTimersByTimeAsync(1);
    environments.started[1].ready();
    await jest.advanceTimersByTimeAsync(0);
    environments.finish();
    environments.finish();

    // Assess
    expect(waitingWhileStarting).toBe(1);
    expect((await first).ok).toBe(true);
    expect(await second).toMatchObject({ ok: true, queuedMs: 401 });
    expect(reports.filter((r) => r.outcome === 'throttled')).toEqual([]);
  });

  it('sheds, while an environment starts, the waiters the environments it may still start cannot serve', async () => {
    // Prepare: a cap of 3; the first environment is busy and the second takes 500 ms to start, for the first waiter
    const pool = poolOf({ maxEnvironments: 3 });
    const busy = pool.invoke({});
    environments.started[0].ready();
    await jest.advanceTimersByTimeAsync(0);
    const second = pool.invoke({}, { requestId: 'gets the second' });
    await jest.advanceTimersByTimeAsync(NEW_ENVIRONMENT_AFTER_MS);

    // Act: three more arrive while it starts; one slot is left (the third environment), so the last two are beyond
    const third = pool.invoke({}, { requestId: 'gets the third' });
    const fourth = pool.invoke({}, { requestId: 'beyond 1' });
    const fifth = pool.invoke({}, { requestId: 'beyond 2' });
    const refused = Promise.all([expect(fourth).rejects.toThrow(/runs 3 invocations at once locally .*all busy or taken by invocations waiting ahead of this one for 50 ms/), expect(fifth).rejects.toBeInstanceOf(TooManyRequestsError)]);
    await jest.advanceTimersByTimeAsync(SHED_AFTER_MS);

    // Assess: shed after SHED_AFTER_MS, not after the start; the two the pool can serve still wait
    await refused;
    expect(pool.waitingCount).toBe(1);
    expect(reports.filter((r) => r.outcome === 'throttled').map((r) => [r.requestId, r.queuedMs])).toEqual([
      ['beyond 1', SHED_AFTER_MS],
      ['beyond 2', SHED_AFTER_MS],
    ]);
    environments.started[1].ready();
    await jest.advanceTimersByTimeAsync(1);
    environments.started[2].ready();
    await jest.advanceTimersByTimeAsync(0);
    environments.finish();
    environments.finish();
    environments.finish();
    expect((await busy).ok).toBe(true);
    expect(await second).toMatchObject({ ok: true });
    expect(await third).toMatchObject({ ok: true });
  });

  it('throttles a waiter below the cap at the function timeout at the latest', async () => {
    // Prepare: the first environment never finishes starting
    const pool = poolOf({ maxEnvironments: 3 }, 1);
    void pool.invoke({});
    const waiting = pool.invoke({});
    const refused = expect(waiting).rejects.toThrow(/waited 1 s \(its timeout\) for one of its 3 local execution environments to start/);

    // Act
    await jest.advanceTimersByTimeAsync(999);
    const waitingAt999 = pool.waitingCount;
    await jest.advanceTimersByTimeAsync(1);

    // Assess
    await refused;
    expect(waitingAt999).toBe(1);
  });
});
