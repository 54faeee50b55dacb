import type { AlarmStatus } from '../../../../local/cloudwatch/alarm-evaluator';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import { AlarmTransitions, ConsoleSnapshots, labelOf, type ConsoleMappingSource, type SnapshotSources } from '../../../../local/console/console-snapshot';
import type { FunctionSummary } from '../../../../local/lambda/lambda-service';

const NOW = 1_800_000_000_000;
const ACCOUNT = 'arn:aws:sqs:us-east-1:000000000000';

function fn(overrides: Partial<FunctionSummary> = {}): FunctionSummary {
  return {
    logicalId: 'OrdersPlaceOrderFunction1A2B3C4D',
    functionName: 'HybridShop-OrdersPlaceOrder',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-OrdersPlaceOrder',
    timeoutSeconds: 10,
    concurrencyLimit: 10,
    throttleLimit: 100,
    environments: 1,
    busy: 0,
    waiting: 0,
    invocations: 0,
    ...overrides,
  };
}

function sources(store: MetricStore, overrides: Partial<SnapshotSources> = {}): SnapshotSources {
  return {
    metrics: store,
    alarms: () => [],
    functions: () => [],
    mappings: () => [],
    queues: [],
    streams: [],
    timeScale: 1,
    queueSampleIntervalMs: 1_000,
    ...overrides,
  };
}

describe('labelOf', () => {
  it('drops the hash CDK appends to a logical id', () => {
    expect(labelOf('OrdersPlaceOrderFunction1A2B3C4D')).toBe('OrdersPlaceOrderFunction');
    expect(labelOf('Plain')).toBe('Plain');
  });
});

describe('ConsoleSnapshots', () => {
  let store: MetricStore;

  beforeEach(() => {
    store = new MetricStore({ clock: () => NOW, onWarning: () => undefined });
  });

  it('gives a queue the last sampled gauges, its oldest message in real seconds, and its consumer', () => {
    // Prepare
    const dims = { QueueName: 'work' };
    store.put({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: dims, value: 9, timestamp: NOW - 1_500 });
    store.put({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: dims, value: 4, timestamp: NOW - 500 });
    store.put({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesNotVisible', dimensions: dims, value: 2, timestamp: NOW - 500 });
    // At a time scale of 0.01, 300 s as the alarms see it is 3 real seconds.
    store.put({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: dims, value: 300, unit: 'Seconds', timestamp: NOW - 500 });
    const consumer: ConsoleMappingSource = { logicalId: 'WorkMapping', source: 'work', enabled: false };
    const snapshots = new ConsoleSnapshots(sources(store, { queues: [{ name: 'work', arn: `${ACCOUNT}:work` }], mappings: () => [consumer], timeScale: 0.01 }), new AlarmTransitions());

    // Act
    const [queue] = snapshots.take(NOW).queues;

    // Assess
    expect(queue).toEqual({ name: 'work', visible: 4, inFlight: 2, delayed: 0, oldestAgeSeconds: 3, dlq: false, redrivesTo: [], consumer });
  });

  it('ignores gauges older than two sampling intervals: a queue no longer sampled shows nothing stale', () => {
    // Prepare
    store.put({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'work' }, value: 9, timestamp: NOW - 5_000 });
    const snapshots = new ConsoleSnapshots(sources(store, { queues: [{ name: 'work', arn: `${ACCOUNT}:work` }] }), new AlarmTransitions());

    // Act
    const [queue] = snapshots.take(NOW).queues;

    // Assess
    expect(queue.visible).toBe(0);
  });

  it('marks a queue a RedrivePolicy names as a DLQ that redrives to its sources, and one named so as a DLQ without', () => {
    // Prepare
    const queues = [
      { name: 'work', arn: `${ACCOUNT}:work`, deadLetterTargetArn: `${ACCOUNT}:parking` },
      { name: 'parking', arn: `${ACCOUNT}:parking` },
      { name: 'RuleDeadLetterQueue', arn: `${ACCOUNT}:RuleDeadLetterQueue` },
    ];
    const snapshots = new ConsoleSnapshots(sources(store, { queues }), new AlarmTransitions());

    // Act
    const rows = snapshots.take(NOW).queues;

    // Assess
    expect(rows.map(({ name, dlq, redrivesTo }) => ({ name, dlq, redrivesTo }))).toEqual([
      { name: 'work', dlq: false, redrivesTo: [] },
      { name: 'parking', dlq: true, redrivesTo: ['work'] },
      { name: 'RuleDeadLetterQueue', dlq: true, redrivesTo: [] },
    ]);
  });

  it("gives a function its errors and p50/p99 duration of the last minute only, and counts the environments it saw start as cold starts", () => {
    // Prepare
    const dims = { FunctionName: 'HybridShop-OrdersPlaceOrder' };
    store.put({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: dims, value: 5, timestamp: NOW - 90_000 });
    store.put({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: dims, value: 1, timestamp: NOW - 30_000 });
    for (let i = 1; i <= 100; i++) store.put({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: dims, value: i, unit: 'Milliseconds', timestamp: NOW - 1_000 });
    let summary = fn({ environments: 1, invocations: 3 });
    const snapshots = new ConsoleSnapshots(sources(store, { functions: () => [summary] }), new AlarmTransitions());

    // Act
    snapshots.take(NOW);
    summary = fn({ environments: 3, busy: 2, invocations: 7, fault: { delayMs: 2_500 } });
    const [row] = snapshots.take(NOW).functions;

    // Assess
    expect(row).toEqual({
      logicalId: 'OrdersPlaceOrderFunction1A2B3C4D',
      label: 'OrdersPlaceOrderFunction',
      invocations: 7,
      errors: 1,
      coldStarts: 2,
      p50Ms: 50,
      p99Ms: 99,
      environments: 3,
      busy: 2,
      fault: { delayMs: 2_500 },
    });
  });

  it('gives a stream the largest iterator age of the last minute in real ms, and its consumers', () => {
    // Prepare
    const dims = { StreamName: 'log' };
    store.put({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds', dimensions: dims, value: 40_000, timestamp: NOW - 20_000 });
    store.put({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds', dimensions: dims, value: 10_000, timestamp: NOW - 1_000 });
    const consumer = { logicalId: 'Projector', source: 'log', enabled: true };
    const snapshots = new ConsoleSnapshots(sources(store, { streams: [{ name: 'log' }], mappings: () => [consumer], timeScale: 0.1 }), new AlarmTransitions());

    // Act
    const [stream] = snapshots.take(NOW).streams;

    // Assess
    expect(stream).toEqual({ name: 'log', iteratorAgeMs: 4_000, consumers: [consumer] });
  });

  it('lists every alarm with its state and, unless OK, why; and the recent transitions newest first, at most as many as kept', () => {
    // Prepare
    const status = {
      alarm: { kind: 'composite', name: 'shop-health' },
      state: 'ALARM',
      reason: 'a child is in ALARM',
      updatedTimestamp: NOW - 2_000,
    } as unknown as AlarmStatus;
    const quiet = { alarm: { kind: 'metric', name: 'errors' }, state: 'OK', reason: 'Threshold Crossed: no datapoint was greater', updatedTimestamp: NOW - 9_000 } as unknown as AlarmStatus;
    const transitions = new AlarmTransitions(2);
    transitions.record({ name: 'a', from: 'INSUFFICIENT_DATA', to: 'OK', timestamp: NOW - 3_000 });
    transitions.record({ name: 'b', from: 'OK', to: 'ALARM', timestamp: NOW - 2_000 });
    transitions.record({ name: 'shop-health', from: 'OK', to: 'ALARM', timestamp: NOW - 1_000 });
    const snapshots = new ConsoleSnapshots(sources(store, { alarms: () => [status, quiet] }), transitions);

    // Act
    const snapshot = snapshots.take(NOW);

    // Assess
    expect(snapshot.alarms).toEqual([
      { name: 'shop-health', kind: 'composite', state: 'ALARM', reason: 'a child is in ALARM', updatedAt: NOW - 2_000 },
      { name: 'errors', kind: 'metric', state: 'OK', updatedAt: NOW - 9_000 },
    ]);
    expect(snapshot.transitions).toEqual([
      { name: 'shop-health', from: 'OK', to: 'ALARM', at: NOW - 1_000 },
      { name: 'b', from: 'OK', to: 'ALARM', at: NOW - 2_000 },
    ]);
  });
});
