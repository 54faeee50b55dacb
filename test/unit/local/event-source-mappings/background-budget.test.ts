import { BackgroundBudget, BudgetClosedError, backgroundConcurrencyFromEnv, type FrontDoorSignal } from '../../../../local/event-source-mappings/background-budget';
import { FakeFunctions } from './fake-functions';
import { nextTurn } from './in-memory-queue';

/** A front door whose lag the test sets. */
class FakeFrontDoor implements FrontDoorSignal {
  private readonly listeners = new Set<() => void>();
  busy = false;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(busy: boolean): void {
    this.busy = busy;
    for (const listener of [...this.listeners]) listener();
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

/** Whether `promise` has settled after one turn of the event loop. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await nextTurn();
  return done;
}

describe('BackgroundBudget', () => {
  it('hands out slots up to its limit; the next waits until one is given back', async () => {
    // Prepare
    const budget = new BackgroundBudget({ limit: 2 });
    const first = await budget.acquire();
    await budget.acquire();

    // Act
    const third = budget.acquire();
    const waitedWhileFull = !(await settled(third));
    first();

    // Assess
    expect(waitedWhileFull).toBe(true);
    expect(await settled(third)).toBe(true);
    expect(budget.inFlight).toBe(2);
  });

  it('grants waiters in the order they asked', async () => {
    // Prepare
    const budget = new BackgroundBudget({ limit: 1 });
    const release = await budget.acquire();
    const granted: string[] = [];
    const waits = ['a', 'b', 'c'].map((name) => budget.acquire().then((next) => (granted.push(name), next)));

    // Act: each grantee gives its slot back in turn
    release();
    for (const wait of waits) (await wait)();

    // Assess
    expect(granted).toEqual(['a', 'b', 'c']);
    expect(budget.inFlight).toBe(0);
  });

  it('gives a slot back once, however often its release is called', async () => {
    // Prepare
    const budget = new BackgroundBudget({ limit: 2 });
    const release = await budget.acquire();
    await budget.acquire();

    // Act
    release();
    release();

    // Assess
    expect(budget.inFlight).toBe(1);
  });

  it('lets whenRoom through while a slot is free without taking it; take() then counts even over the limit', async () => {
    // Prepare
    const budget = new BackgroundBudget({ limit: 1 });

    // Act
    await budget.whenRoom();
    const roomTookNothing = budget.inFlight === 0;
    budget.take();
    const second = budget.take();

    // Assess
    expect(roomTookNothing).toBe(true);
    expect(budget.inFlight).toBe(2);
    expect(await settled(budget.whenRoom())).toBe(false);
    second();
    expect(budget.inFlight).toBe(1);
  });

  it('holds whenRoom while the budget is full, and lets it through when a slot comes free', async () => {
    // Prepare
    const budget = new BackgroundBudget({ limit: 1 });
    const release = await budget.acquire();
    const room = budget.whenRoom();
    const heldWhileFull = !(await settled(room));

    // Act
    release();

    // Assess
    expect(heldWhileFull).toBe(true);
    expect(await settled(room)).toBe(true);
    expect(budget.inFlight).toBe(0);
  });

  it('runs one batch at a time while the front door lags, and the rest of its limit once it no longer does', async () => {
    // Prepare
    const frontDoor = new FakeFrontDoor();
    const budget = new BackgroundBudget({ limit: 3, frontDoor });
    frontDoor.set(true);
    await budget.acquire();

    // Act
    const second = budget.acquire();
    const third = budget.acquire();
    const waitedWhileBusy = !(await settled(second)) && !(await settled(third));
    frontDoor.set(false);

    // Assess
    expect(waitedWhileBusy).toBe(true);
    expect(budget.currentLimit).toBe(3);
    expect(await settled(Promise.all([second, third]))).toBe(true);
    expect(budget.inFlight).toBe(3);
  });

  it('lets batches already in flight finish when the front door starts lagging, and starts no new one until one ends', async () => {
    // Prepare
    const frontDoor = new FakeFrontDoor();
    const budget = new BackgroundBudget({ limit: 2, frontDoor });
    const first = await budget.acquire();
    const second = await budget.acquire();

    // Act
    frontDoor.set(true);
    const third = budget.acquire();
    first();
    const heldWithOneStillInFlight = !(await settled(third));
    second();

    // Assess
    expect(heldWithOneStillInFlight).toBe(true);
    expect(await settled(third)).toBe(true);
    expect(budget.inFlight).toBe(1);
  });

  it('drops a waiter whose signal aborts, so that it never takes a slot', async () => {
    // Prepare
    const budget = new BackgroundBudget({ limit: 1 });
    const release = await budget.acquire();
    const abort = new AbortController();
    const aborted = budget.acquire(abort.signal);
    const next = budget.acquire();

    // Act
    abort.abort(new Error('paused'));
    release();

    // Assess
    await expect(aborted).rejects.toThrow('paused');
    expect(await settled(next)).toBe(true);
    expect(budget.inFlight).toBe(1);
    expect(budget.waiting).toBe(0);
  });

  it('rejects the waiters and every later wait once closed, and stops listening to the front door', async () => {
    // Prepare
    const frontDoor = new FakeFrontDoor();
    const budget = new BackgroundBudget({ limit: 1, frontDoor });
    await budget.acquire();
    const waiting = budget.acquire();

    // Act
    budget.close();

    // Assess
    await expect(waiting).rejects.toBeInstanceOf(BudgetClosedError);
    await expect(budget.whenRoom()).rejects.toBeInstanceOf(BudgetClosedError);
    expect(frontDoor.subscribers).toBe(0);
  });

  it('refuses a limit below 1', () => {
    expect(() => new BackgroundBudget({ limit: 0 })).toThrow(RangeError);
  });

  describe('gate', () => {
    it('runs at most the limit of invocations at once, and every one of them', async () => {
      // Prepare: handlers that hold until released
      const held: (() => void)[] = [];
      const functions = new FakeFunctions({ Worker: () => new Promise<void>((resolve) => held.push(resolve)) });
      const gated = new BackgroundBudget({ limit: 2 }).gate(functions);

      // Act
      const invocations = Array.from({ length: 5 }, (_, i) => gated.invoke('Worker', { i }));
      while (functions.invocations.length < 5) {
        await nextTurn();
        held.shift()?.();
      }
      held.splice(0).forEach((release) => release());
      const results = await Promise.all(invocations);

      // Assess
      expect(functions.maxInFlight).toBe(2);
      expect(results.every((result) => result.ok)).toBe(true);
      expect(gated.describe('Worker').shortName).toBe('Worker');
    });
  });
});

describe('backgroundConcurrencyFromEnv', () => {
  it('reads LOCAL_BACKGROUND_CONCURRENCY', () => {
    expect(backgroundConcurrencyFromEnv({ LOCAL_BACKGROUND_CONCURRENCY: '4' })).toBe(4);
  });

  it('gives nothing when the variable is unset or empty', () => {
    expect(backgroundConcurrencyFromEnv({})).toBeUndefined();
    expect(backgroundConcurrencyFromEnv({ LOCAL_BACKGROUND_CONCURRENCY: ' ' })).toBeUndefined();
  });

  it.each(['0', '1.5', 'two'])('rejects %s, naming the variable', (value) => {
    expect(() => backgroundConcurrencyFromEnv({ LOCAL_BACKGROUND_CONCURRENCY: value })).toThrow(/LOCAL_BACKGROUND_CONCURRENCY is/);
  });
});
