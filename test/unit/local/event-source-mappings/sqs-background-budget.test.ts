import { BackgroundBudget } from '../../../../local/event-source-mappings/background-budget';
import { SqsEventSource } from '../../../../local/event-source-mappings/sqs-event-source';
import { FakeFunctions } from './fake-functions';
import { drain, HeldHandlers } from './held-handlers';
import { InMemoryQueue, nextTurn } from './in-memory-queue';
import { sqsMapping } from './mapping-factory';

const bodies = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('SqsEventSource under the machine’s BackgroundBudget', () => {
  const running: SqsEventSource[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((source) => source.stop()));
  });

  function source(queue: InMemoryQueue, name: string, functionRef: string, budget: BackgroundBudget, maximumConcurrency: number, waitTimeSeconds = 1): SqsEventSource {
    return new SqsEventSource({
      config: sqsMapping(name, { functionRef, logicalId: `${functionRef}SqsEventSource`, batchSize: 1, maximumConcurrency }),
      queueUrl: `memory://${name}`,
      sqs: queue,
      invoker: functions,
      budget,
      waitTimeSeconds,
    });
  }
  let held: HeldHandlers;
  let functions: FakeFunctions;

  beforeEach(() => {
    held = new HeldHandlers();
    functions = new FakeFunctions({ A: held.handle, B: held.handle });
  });

  it('runs at most the budget’s batches for a mapping whose MaximumConcurrency is 5, leaving the rest visible in the queue', async () => {
    // Prepare: 20 messages on a budget of 2
    const budget = new BackgroundBudget({ limit: 2 });
    const queue = new InMemoryQueue();
    running.push(source(queue, 'a', 'A', budget, 5));
    await running[0].start();
    queue.send(...bodies('a', 20));

    // Act
    await nextTurn();
    const visibleWhileFull = queue.visible;
    await drain(held, () => queue.deleted.length === 20);

    // Assess: two at a time (not 5), nothing else taken from the queue meanwhile, and every message delivered
    expect(visibleWhileFull).toBe(18);
    expect(functions.maxInFlight).toBe(2);
    expect([...queue.deleted].sort()).toEqual(bodies('a', 20));
    await running[0].stop();
    expect(budget.inFlight).toBe(0);
  });

  it('shares the budget across mappings: an idle mapping’s first batch may go over it, its next ones wait their turn', async () => {
    // Prepare: mapping A fills the budget of 2; then mapping B, idle until now, gets messages
    const budget = new BackgroundBudget({ limit: 2 });
    const [queueA, queueB] = [new InMemoryQueue(), new InMemoryQueue()];
    running.push(source(queueA, 'a', 'A', budget, 5), source(queueB, 'b', 'B', budget, 5));
    await Promise.all(running.map((s) => s.start()));
    queueA.send(...bodies('a', 20));
    await nextTurn();

    // Act
    queueB.send(...bodies('b', 20));
    await nextTurn();
    const inFlightAfterB = budget.inFlight;
    const visibleAfterB = queueA.visible + queueB.visible;
    await drain(held, () => queueA.deleted.length + queueB.deleted.length === 40);

    // Assess: B's long poll, begun while there was room, delivers its batch (3 in flight); nothing more is taken until
    // the budget has room again, and every message of both queues is delivered
    expect(inFlightAfterB).toBe(3);
    expect(visibleAfterB).toBe(37);
    expect(functions.maxInFlight).toBe(3);
    expect([...queueA.deleted].sort()).toEqual(bodies('a', 20));
    expect([...queueB.deleted].sort()).toEqual(bodies('b', 20));
  });

  it('keeps no slot through the long poll of an idle queue: another mapping’s batch runs meanwhile', async () => {
    // Prepare: a budget of 1; mapping A long-polls its empty queue (20 s), mapping B's queue gets messages
    const budget = new BackgroundBudget({ limit: 1 });
    const [queueA, queueB] = [new InMemoryQueue(), new InMemoryQueue()];
    running.push(source(queueA, 'a', 'A', budget, 5, 20), source(queueB, 'b', 'B', budget, 5, 20));
    await Promise.all(running.map((s) => s.start()));

    // Act
    queueB.send(...bodies('b', 3));
    await drain(held, () => queueB.deleted.length === 3);

    // Assess
    expect([...queueB.deleted].sort()).toEqual(bodies('b', 3));
    expect(functions.maxInFlight).toBe(1);
  });

  it('pauses at once while its pollers wait for a slot, without taking anything from the queue', async () => {
    // Prepare: the budget's one slot is taken elsewhere
    const budget = new BackgroundBudget({ limit: 1 });
    const release = await budget.acquire();
    const queue = new InMemoryQueue();
    const paused = source(queue, 'a', 'A', budget, 5);
    running.push(paused);
    await paused.start();
    queue.send(...bodies('a', 3));

    // Act
    let done = false;
    void paused.pause().then(() => (done = true));
    await nextTurn();
    release();
    await nextTurn();

    // Assess
    expect(done).toBe(true);
    expect(queue.visible).toBe(3);
    expect(functions.invocations).toHaveLength(0);
  });
});
