import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitStateChange,
} from '../../../../lambdas/orders/domain/circuit-breaker';

/** A clock that moves only when the test says so. */
class FakeClock {
  constructor(public ms = 1_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const succeed = () => Promise.resolve('ok');
const fail = () => Promise.reject(new Error('dependency down'));

function breakerWith(options: Partial<CircuitBreakerOptions> = {}) {
  const clock = new FakeClock();
  const changes: CircuitStateChange[] = [];
  const breaker = new CircuitBreaker({ failureThreshold: 3, windowMs: 10_000, openMs: 5_000, clock, ...options });
  breaker.onStateChange((change) => changes.push(change));
  return { breaker, clock, changes };
}

async function failTimes(breaker: CircuitBreaker, times: number, clock?: FakeClock, stepMs = 0): Promise<void> {
  for (let i = 0; i < times; i++) {
    await expect(breaker.execute(fail)).rejects.toThrow('dependency down');
    clock?.advance(stepMs);
  }
}

/** A call the test finishes by hand, to hold a probe in flight. */
function deferred() {
  let resolve!: (value: string) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CircuitBreaker', () => {
  describe('when closed', () => {
    it('runs calls and passes their results and errors through', async () => {
      const { breaker } = breakerWith();

      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      await expect(breaker.execute(fail)).rejects.toThrow('dependency down');
      expect(breaker.state).toBe('CLOSED');
    });

    it('opens after failureThreshold failures within the window', async () => {
      // Prepare
      const { breaker, clock, changes } = breakerWith();

      // Act: three failures, 4 s apart, all inside the 10 s window
      await failTimes(breaker, 3, clock, 4_000);

      // Assess
      expect(breaker.state).toBe('OPEN');
      expect(changes).toEqual([{ from: 'CLOSED', to: 'OPEN', at: 1_008_000 }]);
    });

    it('stays closed when the failures are spread wider than the window (the window slides)', async () => {
      const { breaker, clock, changes } = breakerWith();

      // 6 s apart: when the third comes, the first is 12 s old and out of the window
      await failTimes(breaker, 5, clock, 6_000);

      expect(breaker.state).toBe('CLOSED');
      expect(changes).toEqual([]);
    });

    it('does not let successes erase failures still inside the window', async () => {
      const { breaker } = breakerWith();

      await failTimes(breaker, 2);
      await breaker.execute(succeed);
      await failTimes(breaker, 1);

      expect(breaker.state).toBe('OPEN');
    });
  });

  describe('when open', () => {
    it('refuses calls without running them, with the time left until a probe is allowed', async () => {
      // Prepare
      const { breaker, clock } = breakerWith();
      await failTimes(breaker, 3);
      clock.advance(1_500);
      const operation = jest.fn(succeed);

      // Act
      const refusal = breaker.execute(operation);

      // Assess
      await expect(refusal).rejects.toBeInstanceOf(CircuitOpenError);
      await expect(refusal).rejects.toMatchObject({ retryAfterMs: 3_500 });
      expect(operation).not.toHaveBeenCalled();
    });

    it('fails fast: a refusal settles before any timer or I/O callback could run, waiting for nothing', async () => {
      // Prepare
      const { breaker } = breakerWith();
      await failTimes(breaker, 3);
      const macrotask = new Promise((resolve) => setImmediate(() => resolve('a macrotask ran first')));

      // Act
      const first = await Promise.race([breaker.execute(succeed).catch((error: unknown) => error), macrotask]);

      // Assess
      expect(first).toBeInstanceOf(CircuitOpenError);
    });

    it('lets a caller check before doing its own work, without changing state', async () => {
      // Prepare
      const { breaker, clock, changes } = breakerWith();
      await failTimes(breaker, 3);
      const changesWhenOpened = changes.length;

      // Act & Assess: refused within the open period, with the time left
      clock.advance(1_000);
      expect(() => breaker.rejectIfOpen()).toThrow(CircuitOpenError);
      expect(breaker.state).toBe('OPEN');

      // Act & Assess: after it, the check passes but leaves the probe to the call itself
      clock.advance(5_000);
      expect(() => breaker.rejectIfOpen()).not.toThrow();
      expect(breaker.state).toBe('OPEN');
      expect(changes).toHaveLength(changesWhenOpened);
      await breaker.execute(succeed);
      expect(breaker.state).toBe('CLOSED');
    });

    it('ignores failures of calls admitted before it opened', async () => {
      // Prepare: a slow call starts while closed
      const { breaker, changes } = breakerWith();
      const slow = deferred();
      const slowCall = breaker.execute(() => slow.promise);
      await failTimes(breaker, 3);

      // Act: it fails after the breaker opened
      slow.reject(new Error('late failure'));
      await expect(slowCall).rejects.toThrow('late failure');

      // Assess
      expect(changes.map((change) => change.to)).toEqual(['OPEN']);
    });
  });

  describe('after openMs', () => {
    it('lets exactly one probe through and refuses concurrent callers while it runs', async () => {
      // Prepare
      const { breaker, clock, changes } = breakerWith();
      await failTimes(breaker, 3);
      clock.advance(5_000);
      const probe = deferred();
      const others = jest.fn(succeed);

      // Act
      const probeCall = breaker.execute(() => probe.promise);
      const concurrent = [breaker.execute(others), breaker.execute(others)];

      // Assess
      expect(breaker.state).toBe('HALF_OPEN');
      for (const call of concurrent) await expect(call).rejects.toBeInstanceOf(CircuitOpenError);
      expect(others).not.toHaveBeenCalled();
      probe.resolve('ok');
      await expect(probeCall).resolves.toBe('ok');
      expect(changes.map((change) => change.to)).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
    });

    it('closes when the probe succeeds, with a fresh failure count', async () => {
      const { breaker, clock } = breakerWith();
      await failTimes(breaker, 3);
      clock.advance(5_000);

      await breaker.execute(succeed);
      await failTimes(breaker, 2);

      expect(breaker.state).toBe('CLOSED');
    });

    it('opens again for another openMs when the probe fails', async () => {
      // Prepare
      const { breaker, clock, changes } = breakerWith();
      await failTimes(breaker, 3);
      clock.advance(5_000);

      // Act
      await failTimes(breaker, 1);

      // Assess
      expect(breaker.state).toBe('OPEN');
      expect(changes.map((change) => `${change.from}->${change.to}`)).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->OPEN']);
      clock.advance(4_999);
      await expect(breaker.execute(succeed)).rejects.toMatchObject({ retryAfterMs: 1 });
      clock.advance(1);
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
    });
  });

  describe('onStateChange', () => {
    it('calls every listener with from, to and the clock time, until it is removed', async () => {
      // Prepare
      const { breaker, clock } = breakerWith({ failureThreshold: 1 });
      const listener = jest.fn();
      const remove = breaker.onStateChange(listener);

      // Act
      await failTimes(breaker, 1);
      remove();
      clock.advance(5_000);
      await breaker.execute(succeed);

      // Assess
      expect(listener.mock.calls).toEqual([[{ from: 'CLOSED', to: 'OPEN', at: 1_000_000 }]]);
    });
  });

  it('rejects options that cannot work, naming each', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, windowMs: 0, openMs: -1 })).toThrow(
      /failureThreshold 0.*windowMs 0.*openMs -1/,
    );
  });
});
