import type { MetricDatum } from '../../../../local/cloudwatch/metric-types';
import { QueueSampler, RuntimeMetrics } from '../../../../local/metrics/runtime-metrics';
import { TimeScale } from '../../../../local/shared/time-scale';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function metrics(factor = 1): { metrics: RuntimeMetrics; data: MetricDatum[]; byName: (ns: string, name: string) => MetricDatum[] } {
  const data: MetricDatum[] = [];
  const m = new RuntimeMetrics({ put: (d) => data.push(d) }, new TimeScale(factor), () => NOW);
  return { metrics: m, data, byName: (ns, name) => data.filter((d) => d.namespace === ns && d.metricName === name) };
}

describe('RuntimeMetrics', () => {
  it('publishes an API request as AWS/ApiGateway Count, Latency, IntegrationLatency, 4XXError and 5XXError by ApiName and Stage', () => {
    const { metrics: m, data } = metrics();
    m.apiRequest({ apiName: 'HybridShop-public', path: '/prod/orders', status: 503, durationMs: 42, integrationLatencyMs: 40 });
    const dims = { ApiName: 'HybridShop-public', Stage: 'prod' };
    expect(data).toEqual([
      { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: dims, value: 1, unit: 'Count', timestamp: NOW },
      { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: dims, value: 42, unit: 'Milliseconds', timestamp: NOW },
      { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: dims, value: 40, unit: 'Milliseconds', timestamp: NOW },
      { namespace: 'AWS/ApiGateway', metricName: '4XXError', dimensions: dims, value: 0, unit: 'Count', timestamp: NOW },
      { namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: dims, value: 1, unit: 'Count', timestamp: NOW },
    ]);
  });

  it('leaves IntegrationLatency out when the gateway answered by itself, and counts a 404 as a 4XXError', () => {
    const { metrics: m, byName } = metrics();
    m.apiRequest({ apiName: 'a', path: '/prod/nowhere', status: 404, durationMs: 1 });
    expect(byName('AWS/ApiGateway', 'IntegrationLatency')).toEqual([]);
    expect(byName('AWS/ApiGateway', '4XXError').map((d) => d.value)).toEqual([1]);
  });

  it('counts a function error, timeout or crash in Errors, and a throttle in Throttles only', () => {
    const { metrics: m, byName } = metrics();
    for (const outcome of ['success', 'error', 'timeout', 'crash', 'throttled'] as const) m.invocation('fn', { outcome, durationMs: 5, concurrentExecutions: 2 });
    expect(byName('AWS/Lambda', 'Invocations')).toHaveLength(4);
    expect(byName('AWS/Lambda', 'Errors').map((d) => d.value)).toEqual([0, 1, 1, 1]);
    expect(byName('AWS/Lambda', 'Throttles').map((d) => d.value)).toEqual([0, 0, 0, 0, 1]);
    expect(byName('AWS/Lambda', 'Duration')).toHaveLength(4);
    expect(byName('AWS/Lambda', 'ConcurrentExecutions').map((d) => d.dimensions)).toEqual(Array(4).fill({ FunctionName: 'fn' }));
  });

  it('publishes a Kinesis batch age as IteratorAge and GetRecords.IteratorAgeMilliseconds, scaled like the alarm periods', () => {
    const { metrics: m, data } = metrics(0.01);
    m.mappingDelivery('projector', { source: 'kinesis', sourceName: 'order-log/shardId-000000000000', latencyMs: 600, handlerStartedAt: NOW });
    m.mappingDelivery('worker', { source: 'sqs', sourceName: 'q', latencyMs: 600, handlerStartedAt: NOW });
    expect(data.map((d) => [d.namespace, d.metricName, d.dimensions, d.value])).toEqual([
      ['AWS/Lambda', 'IteratorAge', { FunctionName: 'projector' }, 60_000],
      ['AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', { StreamName: 'order-log' }, 60_000],
    ]);
  });

  it('publishes stream puts as IncomingRecords and WriteProvisionedThroughputExceeded', () => {
    const { metrics: m, data } = metrics();
    m.streamPut({ stream: 's', records: 3, throttled: 0 });
    m.streamPut({ stream: 's', records: 0, throttled: 2 });
    expect(data.map((d) => [d.metricName, d.value])).toEqual([
      ['IncomingRecords', 3],
      ['WriteProvisionedThroughputExceeded', 0],
      ['WriteProvisionedThroughputExceeded', 2],
    ]);
  });

  it('publishes a target delivery outcome by RuleName and by EventBusName + RuleName, and nothing for a retry', () => {
    const { metrics: m, data } = metrics();
    const job = { rule: { name: 'r', busName: 'b' } };
    m.eventDelivery({ kind: 'retrying', job });
    expect(data).toEqual([]);
    m.eventDelivery({ kind: 'dead-lettered', job });
    const values = (dims: Record<string, string>) =>
      Object.fromEntries(data.filter((d) => JSON.stringify(d.dimensions) === JSON.stringify(dims)).map((d) => [d.metricName, d.value]));
    const expected = { Invocations: 1, FailedInvocations: 1, InvocationsSentToDlq: 1, InvocationsFailedToBeSentToDlq: 0 };
    expect(values({ RuleName: 'r' })).toEqual(expected);
    expect(values({ EventBusName: 'b', RuleName: 'r' })).toEqual(expected);
  });

  it('samples a queue as AWS/SQS metrics, with the oldest message age in scaled seconds (0 when empty)', () => {
    const { metrics: m, data } = metrics(0.1);
    m.queues([
      { name: 'q', visible: 4, notVisible: 1, delayed: 2, oldestSentTimestamp: NOW - 3_000, sent: 7 },
      { name: 'empty', visible: 0, notVisible: 0, delayed: 0, sent: 0 },
    ]);
    const of = (queue: string) => Object.fromEntries(data.filter((d) => d.dimensions.QueueName === queue).map((d) => [d.metricName, d.value]));
    expect(of('q')).toEqual({
      ApproximateNumberOfMessagesVisible: 4,
      ApproximateNumberOfMessagesNotVisible: 1,
      ApproximateNumberOfMessagesDelayed: 2,
      ApproximateAgeOfOldestMessage: 30,
      NumberOfMessagesSent: 7,
    });
    expect(of('empty').ApproximateAgeOfOldestMessage).toBe(0);
  });
});

describe('QueueSampler', () => {
  it('samples once a scaled minute, within 250 ms and 10 s', () => {
    expect(QueueSampler.intervalFor(new TimeScale(1))).toBe(10_000);
    expect(QueueSampler.intervalFor(new TimeScale(0.05))).toBe(3_000);
    expect(QueueSampler.intervalFor(new TimeScale(0.001))).toBe(250);
  });

  it('reports a failing sample once per streak and goes on sampling', async () => {
    const errors: string[] = [];
    const { metrics: m, data } = metrics();
    let fail = true;
    const sampler = new QueueSampler({
      stats: async () => {
        if (fail) throw new Error('worker gone');
        return [{ name: 'q', visible: 1, notVisible: 0, delayed: 0, sent: 0 }];
      },
      metrics: m,
      intervalMs: 60_000,
      onError: (message) => errors.push(message),
    });
    await sampler.sampleNow();
    await sampler.sampleNow();
    fail = false;
    await sampler.sampleNow();
    await sampler.stop();
    expect(errors).toEqual(['sampling the queues for CloudWatch failed: worker gone']);
    expect(data.filter((d) => d.metricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
  });
});
