import { formatMappingDelivery } from '../../../../local/event-source-mappings/delivery-report';

describe('formatMappingDelivery', () => {
  it('prints a successful SQS delivery with its latency from the send and the handler time', () => {
    expect(
      formatMappingDelivery({ source: 'sqs', sourceName: 'orders-lifecycle', functionName: 'OrderLifecycleWorker', count: 3, latencyMs: 12, handlerMs: 8, outcome: 'ok' }),
    ).toBe('⇢ sqs  orders-lifecycle → OrderLifecycleWorker  3 msgs  12 ms after send, handler 8 ms');
  });

  it('prints a Kinesis delivery with its latency from the put', () => {
    expect(
      formatMappingDelivery({ source: 'kinesis', sourceName: 'order-event-log/shard-0', functionName: 'SalesProjector', count: 1, latencyMs: 9, handlerMs: 4, outcome: 'ok' }),
    ).toBe('⇢ kinesis  order-event-log/shard-0 → SalesProjector  1 rec  9 ms after put, handler 4 ms');
  });

  it('prints the time since the PutEvents call that published the delivered event, when it is known', () => {
    expect(
      formatMappingDelivery({ source: 'kinesis', sourceName: 'order-event-log/shard-0', functionName: 'SalesProjector', count: 1, latencyMs: 9, handlerMs: 4, outcome: 'ok' }, 13.6),
    ).toBe('⇢ kinesis  order-event-log/shard-0 → SalesProjector  1 rec  9 ms after put, 14 ms after PutEvents, handler 4 ms');
  });

  it('names the failed items of a partial batch response and what happens to them', () => {
    expect(
      formatMappingDelivery({
        source: 'sqs',
        sourceName: 'q',
        functionName: 'Fn',
        count: 3,
        latencyMs: 2,
        handlerMs: 1,
        outcome: 'partial',
        failed: 1,
        note: 'failed messages redelivered after the visibility timeout',
      }),
    ).toBe('⇢ sqs  q → Fn  3 msgs  2 ms after send, handler 1 ms  [1 failed: failed messages redelivered after the visibility timeout]');
  });

  it('names the error of a failed delivery', () => {
    expect(
      formatMappingDelivery({ source: 'kinesis', sourceName: 's/shard-0', functionName: 'Fn', count: 4, latencyMs: 5, handlerMs: 1, outcome: 'error', errorType: 'TypeError', note: 'bisecting 4 into 2 + 2' }),
    ).toBe('⇢ kinesis  s/shard-0 → Fn  4 recs  5 ms after put, handler 1 ms  [error TypeError: bisecting 4 into 2 + 2]');
  });

  it('marks throttled and discarded deliveries apart', () => {
    expect(formatMappingDelivery({ source: 'sqs', sourceName: 'q', functionName: 'Fn', count: 2, outcome: 'throttled', note: '7 throttles' })).toBe(
      '↻ sqs  q → Fn  2 msgs  THROTTLED: 7 throttles',
    );
    expect(
      formatMappingDelivery({ source: 'kinesis', sourceName: 's/shard-0', functionName: 'Fn', count: 1, outcome: 'discarded', note: 'RetryAttemptsExhausted, sent to dlq' }),
    ).toBe('✗ kinesis  s/shard-0 → Fn  1 rec  discarded: RetryAttemptsExhausted, sent to dlq');
  });
});
