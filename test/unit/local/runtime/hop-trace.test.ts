import type { ApiRequestReport } from '../../../../local/apigateway/rest-api-gateway';
import type { DeliveryReport as MappingDeliveryReport } from '../../../../local/event-source-mappings/delivery-report';
import type { EventBridgeEvent } from '../../../../local/eventbridge/event-envelope';
import type { RuleModel, RuleTargetModel } from '../../../../local/eventbridge/event-bus-model';
import type { PublishedEvent } from '../../../../local/eventbridge/local-event-bridge';
import type { DeliveryReport as EventDeliveryReport } from '../../../../local/eventbridge/target-delivery';
import { eventBridgeEventOf, HopTrace, type Hop } from '../../../../local/runtime/hop-trace';
import type { AsyncReport } from '../../../../local/lambda/async-invoker';
import { shopEvent } from '../eventbridge/event-factories';

const BUS = 'HybridShop-bus';

function published(event: { id: string; source: string; 'detail-type': string }, putAt: number): PublishedEvent {
  return { busName: BUS, eventId: event.id, source: event.source, detailType: event['detail-type'], putAt, durationMs: 1 };
}

function mappingReport(overrides: Partial<MappingDeliveryReport> = {}): MappingDeliveryReport {
  return { source: 'sqs', sourceName: 'orders-lifecycle', functionName: 'LifecycleWorker', count: 1, outcome: 'ok', latencyMs: 3, handlerMs: 8, ...overrides };
}

function eventDelivery(event: EventBridgeEvent, targetArn: string, putAt: number): EventDeliveryReport {
  const target: RuleTargetModel = { id: 'Target0', arn: targetArn, retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 } };
  const rule: RuleModel = { name: 'LogRule', arn: 'arn:aws:events:us-east-1:000000000000:rule/HybridShop-bus/LogRule', busName: BUS, state: 'ENABLED', targets: [target] };
  return { kind: 'delivered', job: { event, rule, target, putAt, receivedAt: Date.now() }, attempt: 1, sincePutMs: Math.round(performance.now() - putAt) };
}

describe('HopTrace', () => {
  let lines: string[];
  let hops: Hop[];
  let trace: HopTrace;

  beforeEach(() => {
    lines = [];
    hops = [];
    trace = new HopTrace({ log: (line) => lines.push(line) });
    trace.onHop((hop) => hops.push(hop));
  });

  it('turns an API request into a sync hop from the API to its function, and prints its line', () => {
    // Prepare
    const report: ApiRequestReport = {
      apiLogicalId: 'PublicApi',
      apiName: 'HybridShop-public',
      method: 'POST',
      path: '/prod/orders',
      status: 201,
      durationMs: 42,
      requestId: 'r-1',
      functionRef: 'OrdersPlaceOrderFunctionABC',
    };

    // Act
    trace.apiRequest(report, () => 'OrdersPlaceOrderFunction');

    // Assess
    expect(lines).toEqual(['⇄ HybridShop-public  POST /prod/orders → 201  42 ms  OrdersPlaceOrderFunction']);
    expect(hops).toEqual([{ kind: 'sync', from: 'HybridShop-public', to: 'OrdersPlaceOrderFunction', via: 'api', latencyMs: 42, at: expect.any(Number) }]);
  });

  it('turns a published event into a publish hop and an EventBridge delivery into a delivery hop', () => {
    // Prepare
    const event = shopEvent('OrderPlaced') as EventBridgeEvent;
    const putAt = performance.now();

    // Act
    trace.eventPublished(published(event, putAt));
    trace.eventDelivery(eventDelivery(event, 'arn:aws:kinesis:us-east-1:000000000000:stream/log', putAt), 'log');

    // Assess
    expect(hops).toEqual([
      { kind: 'publish', from: 'shop.orders', to: BUS, via: 'events', eventId: event.id, detailType: 'OrderPlaced', latencyMs: 1, at: expect.any(Number) },
      { kind: 'delivery', from: BUS, to: 'log', via: 'kinesis', eventId: event.id, detailType: 'OrderPlaced', latencyMs: expect.any(Number), at: expect.any(Number) },
    ]);
    expect(lines).toEqual([]);
  });

  it('gives each consumed message its own hop, with the time since the PutEvents call of the event it carries', () => {
    // Prepare
    const first = shopEvent('PaymentCaptured', {}, { id: 'event-1' });
    const second = shopEvent('ShipmentCreated', {}, { id: 'event-2', source: 'shop.shipping' });
    trace.eventPublished(published(first, 1_000));
    trace.eventPublished(published(second, 1_010));
    const sentAt = Date.now();

    // Act
    trace.mappingDelivery(
      mappingReport({
        count: 3,
        handlerStartedAt: sentAt + 5,
        handlerStartedMonotonic: 1_025.4,
        items: [
          { data: JSON.stringify(first), sentAt },
          { data: JSON.stringify(second), sentAt: sentAt + 2 },
          { data: 'not an event', sentAt: sentAt + 3 },
        ],
      }),
    );

    // Assess: the line counts from the oldest event's PutEvents.
    expect(lines).toEqual(['⇢ sqs  orders-lifecycle → LifecycleWorker  3 msgs  3 ms after send, 25 ms after PutEvents, handler 8 ms']);
    const consumes = hops.filter((hop) => hop.kind === 'consume');
    expect(consumes).toEqual([
      expect.objectContaining({ kind: 'consume', from: 'orders-lifecycle', to: 'LifecycleWorker', via: 'sqs', eventId: 'event-1', detailType: 'PaymentCaptured', latencyMs: 5 }),
      expect.objectContaining({ eventId: 'event-2', detailType: 'ShipmentCreated', latencyMs: 3 }),
      expect.not.objectContaining({ eventId: expect.anything() }),
    ]);
    expect(consumes[0].sincePutEventsMs).toBeCloseTo(25.4);
    expect(consumes[1].sincePutEventsMs).toBeCloseTo(15.4);
    expect(consumes[2]).not.toHaveProperty('sincePutEventsMs');
    expect(consumes[0].at).toBeCloseTo(performance.timeOrigin + 1_025.4);
  });

  it('prints a delivery that never reached the handler without hops', () => {
    // Act
    trace.mappingDelivery(mappingReport({ outcome: 'throttled', latencyMs: undefined, handlerMs: undefined, note: '3 throttles' }));

    // Assess
    expect(lines).toEqual(['↻ sqs  orders-lifecycle → LifecycleWorker  1 msg  THROTTLED: 3 throttles']);
    expect(hops).toEqual([]);
  });

  it('turns an asynchronous invocation of an EventBridge event into a consume hop from the async queue', () => {
    // Prepare
    const event = shopEvent('PaymentCaptured', {}, { id: 'event-3' });
    trace.eventPublished(published(event, 2_000));
    const report: AsyncReport = {
      kind: 'invoked',
      shortName: 'ShipmentHandler',
      requestId: 'r-3',
      attempts: 1,
      latencyMs: 1.2,
      handlerMs: 44,
      handlerStartedMonotonic: 2_006,
      payload: event,
    };

    // Act
    trace.asyncReport(report);
    trace.asyncReport({ kind: 'retry', shortName: 'ShipmentHandler', requestId: 'r-3', attempts: 1, errorType: 'Error', delayMs: 100, maxRetries: 2 });

    // Assess
    expect(lines).toEqual([
      '⇢ lambda  async → ShipmentHandler  1 event  1 ms after invoke, 6 ms after PutEvents, handler 44 ms',
      '↻ lambda  ShipmentHandler  async attempt 1 failed (Error); retry 1 of 2 in 100 ms',
    ]);
    expect(hops.filter((hop) => hop.kind === 'consume')).toEqual([
      { kind: 'consume', from: 'async', to: 'ShipmentHandler', via: 'lambda', eventId: 'event-3', detailType: 'PaymentCaptured', latencyMs: 1.2, sincePutEventsMs: 6, at: expect.any(Number) },
    ]);
  });

  it('forgets the oldest published events beyond maxTrackedEvents', () => {
    // Prepare
    const small = new HopTrace({ log: () => undefined, maxTrackedEvents: 2 });

    // Act
    for (const id of ['a', 'b', 'c']) small.eventPublished({ busName: BUS, eventId: id, source: 's', detailType: 'd', putAt: 100, durationMs: 0 });

    // Assess
    expect(small.sincePutEvents('a', 150)).toBeUndefined();
    expect(small.sincePutEvents('b', 150)).toBe(50);
    expect(small.sincePutEvents('c', 150)).toBe(50);
  });

  it('stops calling a listener that unsubscribed, and reports a listener that throws without losing the others', () => {
    // Prepare
    const late: Hop[] = [];
    const unsubscribe = trace.onHop((hop) => late.push(hop));
    trace.onHop(() => {
      throw new Error('listener bug');
    });

    // Act
    unsubscribe();
    trace.eventPublished({ busName: BUS, eventId: 'x', source: 's', detailType: 'd', putAt: performance.now(), durationMs: 0 });

    // Assess
    expect(late).toEqual([]);
    expect(hops).toHaveLength(1);
    expect(lines).toEqual(['  ! a hop listener failed: listener bug']);
  });
});

describe('eventBridgeEventOf', () => {
  it('finds the id and detail-type of an EventBridge event, as JSON text or as an object', () => {
    const event = shopEvent('OrderPlaced');
    expect(eventBridgeEventOf(JSON.stringify(event))).toEqual({ id: event.id, detailType: 'OrderPlaced' });
    expect(eventBridgeEventOf(event)).toEqual({ id: event.id, detailType: 'OrderPlaced' });
  });

  it('finds nothing in anything else', () => {
    for (const payload of ['hello', '{"detail-type":', '{"id":1,"detail-type":"x"}', null, 42, { id: 'x' }]) expect(eventBridgeEventOf(payload)).toBeUndefined();
  });
});

describe('HopTrace publish hops', () => {
  it("carry the event's detail as put on the bus, the same object, so a listener can follow an order", () => {
    // Prepare
    const hops: Hop[] = [];
    const trace = new HopTrace({ log: () => undefined });
    trace.onHop((hop) => hops.push(hop));
    const detail = { orderId: 'o-1', version: 1 };

    // Act
    trace.eventPublished({ ...published({ id: 'e-1', source: 'shop.orders', 'detail-type': 'OrderPlaced' }, 0), detail });

    // Assess
    expect(hops[0].detail).toBe(detail);
  });
});
