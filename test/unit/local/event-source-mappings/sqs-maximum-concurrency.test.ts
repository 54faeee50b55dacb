import { SQSClient } from '@aws-sdk/client-sqs';
import { startEventSourceMappings, type RunningEventSourceMappings } from '../../../../local/event-source-mappings/event-source-mappings';
import { SqsEventSource } from '../../../../local/event-source-mappings/sqs-event-source';
import { FakeFunctions } from './fake-functions';
import { drain, HeldHandlers } from './held-handlers';
import { InMemoryQueue, nextTurn } from './in-memory-queue';
import { sqsMapping } from './mapping-factory';

const BODIES = Array.from({ length: 20 }, (_, i) => `m${String(i).padStart(2, '0')}`);

describe('SqsEventSource under ScalingConfig.MaximumConcurrency', () => {
  it.each([
    { maximumConcurrency: 2, functionLimit: 10, expected: 2 },
    { maximumConcurrency: 5, functionLimit: 3, expected: 3 },
  ])(
    'runs at most min(MaximumConcurrency $maximumConcurrency, the function limit $functionLimit) = $expected invocations at once, and reaches it',
    async ({ maximumConcurrency, functionLimit, expected }) => {
      // Prepare: 20 one-message batches whose handlers hold until released
      const queue = new InMemoryQueue();
      const held = new HeldHandlers();
      const functions = new FakeFunctions({ Worker: held.handle }, functionLimit);
      const source = new SqsEventSource({ config: sqsMapping('work', { batchSize: 1, maximumConcurrency }), queueUrl: 'memory://work', sqs: queue, invoker: functions });
      queue.send(...BODIES);

      // Act
      await source.start();
      await drain(held, () => queue.deleted.length === BODIES.length);
      await source.stop();

      // Assess: never more than the cap, and the cap reached, so a source that ignored it could not pass
      expect(functions.maxInFlight).toBe(expected);
      expect([...queue.deleted].sort()).toEqual(BODIES);
    },
  );
});

describe('startEventSourceMappings, a mapping disabled and enabled again', () => {
  let running: RunningEventSourceMappings | undefined;

  afterEach(async () => {
    await running?.stop();
  });

  it('starts polling again only once the disabled pollers have finished, so the mapping never exceeds its MaximumConcurrency', async () => {
    // Prepare: the mapping runs its 2 invocations, held
    const queue = new InMemoryQueue();
    const held = new HeldHandlers();
    const functions = new FakeFunctions({ Worker: held.handle });
    running = await startEventSourceMappings({
      mappings: [sqsMapping('work', { batchSize: 1, maximumConcurrency: 2 })],
      invoker: functions,
      sqs: new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      fauxqsEndpoint: 'memory://',
      sqsPolling: queue,
      // Not the machine's cores: this is about the mapping's own cap.
      backgroundConcurrency: 10,
    });
    queue.send(...BODIES);
    await nextTurn();
    expect(held.count).toBe(2);

    // Act: disable and, before that has taken effect, enable again
    const disabled = running.setEnabled('work', false);
    const enabled = running.setEnabled('work', true);
    await nextTurn();
    const heldWhileDisabling = held.count;
    await drain(held, () => queue.deleted.length === BODIES.length);
    await Promise.all([disabled, enabled]);

    // Assess: no new poller joined the two still delivering; afterwards the mapping polls again and drained the queue
    expect(heldWhileDisabling).toBe(2);
    expect(functions.maxInFlight).toBe(2);
    expect(running.isEnabled('work')).toBe(true);
    expect([...queue.deleted].sort()).toEqual(BODIES);
  });

  it('stays disabled when the last call disabled it, even while an earlier enable waited for the pollers to finish', async () => {
    // Prepare
    const queue = new InMemoryQueue();
    const held = new HeldHandlers();
    running = await startEventSourceMappings({
      mappings: [sqsMapping('work', { batchSize: 1, maximumConcurrency: 2 })],
      invoker: new FakeFunctions({ Worker: held.handle }),
      sqs: new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      fauxqsEndpoint: 'memory://',
      sqsPolling: queue,
      // Not the machine's cores: this is about the mapping's own cap.
      backgroundConcurrency: 10,
    });
    queue.send(...BODIES.slice(0, 4));
    await nextTurn();

    // Act
    const calls = [running.setEnabled('work', false), running.setEnabled('work', true), running.setEnabled('work', false)];
    await drain(held, () => queue.deleted.length === 2);
    await Promise.all(calls);
    await nextTurn();

    // Assess: the two held deliveries finished, and nothing polled the other two messages
    expect(running.isEnabled('work')).toBe(false);
    expect(queue.visible).toBe(2);
  });
});
