import '../../support/quiet-env';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, FIXTURE_ORDER_ID } from '../../factories/events';
import { kinesisEvent, kinesisRecord, kinesisRecordOf } from '../../factories/kinesis-event';
import { conditionalCheckFailed } from '../../support/fake-dynamodb';
import { handlerUnderTest } from '../../support/handler-under-test';

/** The timeline table: entries by `orderId|entryKey`, written under attribute_not_exists(entryKey). */
let entries: Map<string, Record<string, unknown>>;

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/timeline-projector'),
  { TIMELINE_TABLE_NAME: 'timeline-table' },
  { plainClient: true },
);

beforeEach(() => {
  entries = new Map();
  dynamo.on('PutCommand', (input) => {
    const item = input.Item as Record<string, unknown>;
    const key = `${String(item.orderId)}|${String(item.entryKey)}`;
    if (input.ConditionExpression === 'attribute_not_exists(entryKey)' && entries.has(key)) throw conditionalCheckFailed();
    entries.set(key, item);
    return {};
  });
});

describe('timeline projector', () => {
  it('writes one timeline entry per event of the log', async () => {
    // Prepare
    const placed = anEvent('OrderPlaced');

    // Act
    const response = await handler(kinesisEvent(kinesisRecordOf(placed), kinesisRecordOf(anEvent('PaymentCaptured'))), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.inputsOf('PutCommand')[0]).toEqual({
      TableName: 'timeline-table',
      Item: {
        orderId: FIXTURE_ORDER_ID,
        entryKey: 'shop.orders#000002#OrderPlaced',
        detailType: 'OrderPlaced',
        source: 'shop.orders',
        version: 2,
        occurredAt: placed.detail.occurredAt,
        eventId: placed.detail.eventId,
        correlationId: placed.detail.correlationId,
      },
      ConditionExpression: 'attribute_not_exists(entryKey)',
    });
    expect([...entries.keys()]).toEqual([`${FIXTURE_ORDER_ID}|shop.orders#000002#OrderPlaced`, `${FIXTURE_ORDER_ID}|shop.payments#000001#PaymentCaptured`]);
  });

  it('skips a duplicate without failing', async () => {
    const event = anEvent('ShipmentCreated');

    const response = await handler(kinesisEvent(kinesisRecordOf(event), kinesisRecordOf(event)), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(entries.size).toBe(1);
  });

  it('stops at a record that is not an event and reports its sequence number; the records after it wait', async () => {
    const poison = kinesisRecord('not json');

    const response = await handler(
      kinesisEvent(kinesisRecordOf(anEvent('OrderPlaced')), poison, kinesisRecordOf(anEvent('PaymentCaptured'))),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.kinesis.sequenceNumber }] });
    expect(entries.size).toBe(1);
  });

  it('stops at a table failure and reports that record', async () => {
    dynamo.once('PutCommand', () => {
      throw Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' });
    });
    const first = kinesisRecordOf(anEvent('OrderPlaced'));

    const response = await handler(kinesisEvent(first, kinesisRecordOf(anEvent('PaymentCaptured'))), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: first.kinesis.sequenceNumber }] });
    expect(entries.size).toBe(0);
  });
});
