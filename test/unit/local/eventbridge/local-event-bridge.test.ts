import type { PutEventsRequestEntry } from '../../../../local/eventbridge/event-envelope';
import { EventBridgeApiError, InvalidPutEventsFaultError, TargetDeliveryError } from '../../../../local/eventbridge/eventbridge-errors';
import { LocalEventBridge } from '../../../../local/eventbridge/local-event-bridge';
import { ARN, bridgeOnTemplate } from './bus-template';
import { FakeTargetPorts } from './fake-target-ports';

const bridges: LocalEventBridge[] = [];
afterEach(() => {
  for (const bridge of bridges.splice(0)) bridge.stop();
});

function bridgeWith(ports = new FakeTargetPorts(), log: string[] = []): LocalEventBridge {
  const bridge = bridgeOnTemplate({ ports, timing: { baseDelayMs: 2, maxDelayMs: 4, random: () => 1 }, log: (line) => log.push(line) });
  bridges.push(bridge);
  return bridge;
}

/** A PutEvents entry of the shop on its bus. */
function entry(detailType: string, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: 'shop.orders',
    DetailType: detailType,
    Detail: JSON.stringify({ schemaVersion: 1, eventId: `e-${detailType}`, orderId: 'o-42', version: 1, data: { totalCents: 1200 } }),
    EventBusName: 'HybridShop-bus',
    ...overrides,
  };
}

describe('LocalEventBridge', () => {
  describe('PutEvents', () => {
    it('answers an event id per entry and FailedEntryCount 0', () => {
      // Act
      const response = bridgeWith().putEvents({ Entries: [entry('OrderPlaced'), entry('OrderCancelled')] });

      // Assess
      expect(response.FailedEntryCount).toBe(0);
      expect(response.Entries).toHaveLength(2);
      for (const result of response.Entries) expect(result.EventId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('rejects a request with more than 10 entries, or none', () => {
      const bridge = bridgeWith();
      const eleven = Array.from({ length: 11 }, () => entry('OrderPlaced'));
      expect(() => bridge.putEvents({ Entries: eleven })).toThrow(EventBridgeApiError);
      expect(() => bridge.putEvents({ Entries: eleven })).toThrow(/Member must have length less than or equal to 10/);
      expect(() => bridge.putEvents({ Entries: [] })).toThrow(/Member must have length greater than or equal to 1/);
      expect(() => bridge.putEvents({})).toThrow(/Member must not be null/);
    });

    it('rejects a request over 256 KB, counting Source, DetailType, Detail, Resources and 14 bytes of Time', () => {
      // Prepare
      const big = (bytes: number) => entry('OrderPlaced', { Detail: JSON.stringify({ pad: 'x'.repeat(bytes) }) });

      // Act / Assess
      expect(() => bridgeWith().putEvents({ Entries: [big(140_000), big(140_000)] })).toThrow('Total size of the entries in the request is over the limit.');
      expect(bridgeWith().putEvents({ Entries: [big(100_000), big(100_000)] }).FailedEntryCount).toBe(0);
    });

    it.each<[string, Partial<PutEventsRequestEntry>, string, string]>([
      ['without Source', { Source: undefined }, 'InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
      ['without DetailType', { DetailType: '' }, 'InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
      ['without Detail', { Detail: undefined }, 'InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
      ['whose Detail is not JSON', { Detail: '{oops' }, 'MalformedDetail', 'Detail is malformed.'],
      ['whose Detail is not an object', { Detail: '[1,2]' }, 'MalformedDetail', 'Detail is malformed.'],
      ['on a bus that does not exist', { EventBusName: 'nope' }, 'ResourceNotFoundException', 'Event bus nope does not exist.'],
    ])('fails an entry %s, and only that entry', (_what, overrides, errorCode, errorMessage) => {
      // Act
      const response = bridgeWith().putEvents({ Entries: [entry('OrderPlaced'), entry('OrderPlaced', overrides)] });

      // Assess
      expect(response.FailedEntryCount).toBe(1);
      expect(response.Entries[0].EventId).toBeDefined();
      expect(response.Entries[1]).toEqual({ ErrorCode: errorCode, ErrorMessage: errorMessage });
    });

    it('fails an entry that is not an object without failing the request', () => {
      // Act
      const response = bridgeWith().putEvents({ Entries: [null, entry('OrderPlaced')] });

      // Assess
      expect(response.FailedEntryCount).toBe(1);
      expect(response.Entries[0].ErrorCode).toBe('InvalidArgument');
    });

    it('puts on the default bus when the entry names none, or by the bus ARN', () => {
      const bridge = bridgeWith();
      expect(bridge.putEvents({ Entries: [entry('OrderPlaced', { EventBusName: undefined })] }).FailedEntryCount).toBe(0);
      expect(bridge.putEvents({ Entries: [entry('OrderPlaced', { EventBusName: ARN.bus })] }).FailedEntryCount).toBe(0);
    });

    it('prints one trace line per call', () => {
      // Prepare
      const log: string[] = [];

      // Act
      bridgeWith(new FakeTargetPorts(), log).putEvents({ Entries: [entry('OrderPlaced'), entry('OrderPlaced')] });

      // Assess
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(/^⇄ events {2}PutEvents shop\.orders OrderPlaced ×2 on HybridShop-bus → 6 rules {2}\d+ ms$/);
    });
  });

  describe('the PutEvents fault', () => {
    it('fails the chosen number of entries while the others succeed', () => {
      // Prepare
      const bridge = bridgeWith();
      bridge.setPutEventsFault({ failEntries: 1 });

      // Act
      const response = bridge.putEvents({ Entries: [entry('OrderPlaced'), entry('OrderCancelled')] });

      // Assess
      expect(response.FailedEntryCount).toBe(1);
      expect(response.Entries[0]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: expect.stringContaining('Injected fault') });
      expect(response.Entries[1].EventId).toBeDefined();
    });

    it('fails only entries of the chosen detail-type, for the chosen number of requests', () => {
      // Prepare
      const bridge = bridgeWith();
      bridge.setPutEventsFault({ failEntries: 1, detailType: 'OrderCancelled', requests: 1, errorCode: 'ThrottlingException' });

      // Act
      const first = bridge.putEvents({ Entries: [entry('OrderPlaced'), entry('OrderCancelled')] });
      const second = bridge.putEvents({ Entries: [entry('OrderCancelled')] });

      // Assess
      expect(first.Entries.map((e) => e.ErrorCode)).toEqual([undefined, 'ThrottlingException']);
      expect(second.FailedEntryCount).toBe(0);
      expect(bridge.putEventsFault).toBeUndefined();
    });

    it('does not deliver a failed entry', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);
      bridge.setPutEventsFault({ failEntries: 1 });

      // Act
      bridge.putEvents({ Entries: [entry('OrderPlaced')] });
      await bridge.settled();

      // Assess
      expect(ports.messages).toEqual([]);
      expect(ports.records).toEqual([]);
    });

    it('rejects a fault that makes no sense', () => {
      expect(() => bridgeWith().setPutEventsFault({ failEntries: 0 })).toThrow(InvalidPutEventsFaultError);
    });
  });

  describe('delivery', () => {
    it('answers before delivering', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      bridge.putEvents({ Entries: [entry('OrderPlaced')] });
      const beforeSettling = ports.messages.length;
      await bridge.settled();

      // Assess
      expect(beforeSettling).toBe(0);
      expect(ports.messages.length).toBeGreaterThan(0);
    });

    it('sends the whole event, in AWS\'s envelope, to an SQS target', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      const [{ EventId }] = bridge.putEvents({ Entries: [entry('OrderPlaced', { Resources: ['arn:aws:x'] })] }).Entries;
      await bridge.settled();

      // Assess
      const [message] = ports.messagesTo(ARN.notificationsQueue);
      expect(JSON.parse(message.body)).toEqual({
        version: '0',
        id: EventId,
        'detail-type': 'OrderPlaced',
        source: 'shop.orders',
        account: '000000000000',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        region: 'us-east-1',
        resources: ['arn:aws:x'],
        detail: { schemaVersion: 1, eventId: 'e-OrderPlaced', orderId: 'o-42', version: 1, data: { totalCents: 1200 } },
      });
      expect(message.options).toEqual({});
    });

    it('uses the entry\'s Time for the event time', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      bridge.putEvents({ Entries: [entry('OrderPlaced', { Time: Date.parse('2026-03-01T10:00:00.500Z') / 1000 })] });
      await bridge.settled();

      // Assess
      expect(JSON.parse(ports.messagesTo(ARN.notificationsQueue)[0].body).time).toBe('2026-03-01T10:00:00Z');
    });

    it('gives a FIFO queue target the fixed MessageGroupId and the event id as deduplication id', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      const [{ EventId }] = bridge.putEvents({ Entries: [entry('OrderPlaced')] }).Entries;
      await bridge.settled();

      // Assess
      expect(ports.messagesTo(ARN.paymentsQueue)[0].options).toEqual({ messageGroupId: 'payments', deduplicationId: EventId });
    });

    it('puts a record on a Kinesis target with the partition key its PartitionKeyPath selects', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      bridge.putEvents({ Entries: [entry('OrderCancelled')] });
      await bridge.settled();

      // Assess
      expect(ports.records).toHaveLength(1);
      expect(ports.records[0]).toMatchObject({ streamArn: ARN.stream, partitionKey: 'o-42' });
      expect(JSON.parse(ports.records[0].data)['detail-type']).toBe('OrderCancelled');
    });

    it('invokes a Lambda target asynchronously with the transformed input', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      bridge.putEvents({ Entries: [entry('OrderCancelled')] });
      await bridge.settled();

      // Assess
      expect(ports.invocations).toHaveLength(1);
      expect(JSON.parse(ports.invocations[0].payload)).toEqual({
        orderId: 'o-42',
        what: 'OrderCancelled for o-42',
        rule: 'HybridShop-ShippingRule',
      });
    });

    it('delivers only to enabled rules whose pattern matches', async () => {
      // Prepare
      const ports = new FakeTargetPorts();
      const bridge = bridgeWith(ports);

      // Act
      bridge.putEvents({ Entries: [entry('StockReserved', { Source: 'shop.inventory' })] });
      await bridge.settled();

      // Assess: the log rule only (the disabled rule would send to the notifications queue).
      expect(ports.records).toHaveLength(1);
      expect(ports.messages).toEqual([]);
      expect(ports.invocations).toEqual([]);
    });

    it('prints a trace line per delivery, with its latency', async () => {
      // Prepare
      const log: string[] = [];
      const bridge = bridgeWith(new FakeTargetPorts(), log);

      // Act
      bridge.putEvents({ Entries: [entry('PaymentCaptured', { Source: 'shop.payments' })] });
      await bridge.settled();

      // Assess
      expect(log).toContainEqual(expect.stringMatching(/^⇢ events {2}PaymentCaptured → HybridShop-ShipmentHandlerFunction \(lambda\) {2}\d+ ms after put$/));
      expect(log).toContainEqual(expect.stringMatching(/^⇢ events {2}PaymentCaptured → HybridShop-NotificationsQueue \(sqs\)/));
      expect(log).toContainEqual(expect.stringMatching(/^⇢ events {2}PaymentCaptured → HybridShop-OrderEventLog \(kinesis\)/));
    });
  });

  describe('retry policy and dead-letter queue', () => {
    it('retries a failed delivery and succeeds when the target recovers', async () => {
      // Prepare
      const ports = new FakeTargetPorts().failing(ARN.notificationsQueue, new Error('connection reset'), 2);
      const log: string[] = [];
      const bridge = bridgeWith(ports, log);

      // Act
      bridge.putEvents({ Entries: [entry('OrderPlaced')] });
      await bridge.settled();

      // Assess
      expect(ports.attempts.get(ARN.notificationsQueue)).toBe(3);
      expect(ports.messagesTo(ARN.notificationsDlq)).toEqual([]);
      expect(log.filter((l) => l.startsWith('↻ events  OrderPlaced → HybridShop-NotificationsQueue'))).toHaveLength(2);
      expect(log).toContainEqual(expect.stringMatching(/→ HybridShop-NotificationsQueue \(sqs\) {2}\d+ ms after put \(attempt 3\)$/));
    });

    it('sends the event to the DLQ with AWS\'s attributes once MaximumRetryAttempts are used up', async () => {
      // Prepare
      const ports = new FakeTargetPorts().failing(ARN.notificationsQueue, new Error('connection reset'));
      const log: string[] = [];
      const bridge = bridgeWith(ports, log);

      // Act
      const [{ EventId }] = bridge.putEvents({ Entries: [entry('OrderPlaced')] }).Entries;
      await bridge.settled();

      // Assess: the first try and 2 retries.
      expect(ports.attempts.get(ARN.notificationsQueue)).toBe(3);
      const [dead] = ports.messagesTo(ARN.notificationsDlq);
      expect(JSON.parse(dead.body).id).toBe(EventId);
      expect(dead.options?.attributes).toEqual({
        ERROR_CODE: 'SDK_CLIENT_ERROR',
        ERROR_MESSAGE: 'connection reset',
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: '2',
        RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/HybridShop-bus/HybridShop-NotificationsRule',
        TARGET_ARN: ARN.notificationsQueue,
      });
      expect(log).toContainEqual(expect.stringMatching(/^✗ events {2}OrderPlaced → HybridShop-NotificationsQueue \(sqs\) {2}failed after 3 attempts \(MaximumRetryAttempts\).*sent to DLQ HybridShop-NotificationsDlq$/));
    });

    it('does not retry a target that does not exist', async () => {
      // Prepare
      const ports = new FakeTargetPorts().failing(
        ARN.notificationsQueue,
        new TargetDeliveryError('RESOURCE_NOT_FOUND', 'QueueDoesNotExist: The specified queue does not exist.', false),
      );
      const bridge = bridgeWith(ports);

      // Act
      bridge.putEvents({ Entries: [entry('OrderPlaced')] });
      await bridge.settled();

      // Assess
      expect(ports.attempts.get(ARN.notificationsQueue)).toBe(1);
      const [dead] = ports.messagesTo(ARN.notificationsDlq);
      expect(dead.options?.attributes).toMatchObject({ ERROR_CODE: 'RESOURCE_NOT_FOUND', RETRY_ATTEMPTS: '0' });
      expect(dead.options?.attributes?.EXHAUSTED_RETRY_CONDITION).toBeUndefined();
    });

    it('drops the event when the target has no DLQ, saying so', async () => {
      // Prepare
      const ports = new FakeTargetPorts().failing(ARN.shippingFunction);
      const log: string[] = [];
      const bridge = bridgeWith(ports, log);

      // Act
      bridge.putEvents({ Entries: [entry('OrderCancelled')] });
      await bridge.settled();

      // Assess: MaximumRetryAttempts 0.
      expect(ports.attempts.get(ARN.shippingFunction)).toBe(1);
      expect(log).toContainEqual(expect.stringMatching(/^✗ events {2}OrderCancelled → HybridShop-ShipmentHandlerFunction \(lambda\) {2}failed after 1 attempt \(MaximumRetryAttempts\).*dropped \(no dead-letter queue\)$/));
    });

    it('stops retrying once MaximumEventAgeInSeconds has passed', async () => {
      // Prepare
      let now = Date.parse('2026-03-01T10:00:00Z');
      const ports = new FakeTargetPorts().failing(ARN.notificationsQueue);
      const bridge = bridgeOnTemplate({ ports, timing: { baseDelayMs: 1, maxDelayMs: 1, random: () => 1 }, now: () => now });
      bridges.push(bridge);

      // Act
      bridge.putEvents({ Entries: [entry('OrderPlaced')] });
      now += 3_601_000; // past the rule's 3600 s
      await bridge.settled();

      // Assess
      expect(ports.attempts.get(ARN.notificationsQueue)).toBe(1);
      expect(ports.messagesTo(ARN.notificationsDlq)[0].options?.attributes?.EXHAUSTED_RETRY_CONDITION).toBe('MaximumEventAgeInSeconds');
    });
  });

  describe('the read API', () => {
    it('describes buses and lists rules and targets', () => {
      // Prepare
      const bridge = bridgeWith();

      // Act
      const bus = bridge.describeEventBus({ Name: 'HybridShop-bus' });
      const rules = bridge.listRules({ EventBusName: 'HybridShop-bus', NamePrefix: 'HybridShop-Notif' });
      const targets = bridge.listTargetsByRule({ Rule: 'HybridShop-LogRule', EventBusName: ARN.bus });

      // Assess
      expect(bus).toMatchObject({ Name: 'HybridShop-bus', Arn: ARN.bus });
      expect(rules.Rules).toEqual([
        expect.objectContaining({ Name: 'HybridShop-NotificationsRule', State: 'ENABLED', EventBusName: 'HybridShop-bus' }),
      ]);
      expect(JSON.parse(rules.Rules[0].EventPattern ?? '')).toEqual({ source: [{ prefix: 'shop.' }], 'detail-type': ['OrderPlaced', 'PaymentCaptured'] });
      expect(targets.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: ARN.stream,
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          KinesisParameters: { PartitionKeyPath: '$.detail.orderId' },
        },
      ]);
    });

    it('answers ResourceNotFoundException for an unknown bus or rule', () => {
      const bridge = bridgeWith();
      expect(() => bridge.describeEventBus({ Name: 'nope' })).toThrow('Event bus nope does not exist.');
      expect(() => bridge.describeRule({ Name: 'nope', EventBusName: 'HybridShop-bus' })).toThrow('Rule nope does not exist on EventBus HybridShop-bus.');
    });
  });
});
