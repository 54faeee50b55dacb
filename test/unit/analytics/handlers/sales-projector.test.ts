import '../../support/quiet-env';
import type { KinesisStreamEvent } from 'aws-lambda';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, eventBridgeDelivery } from '../../factories/events';
import { InMemoryTables } from '../../factories/fulfilment-tables';
import { kinesisEvent, kinesisRecord, kinesisRecordOf } from '../../factories/kinesis-event';
import { handlerUnderTest } from '../../support/handler-under-test';

const ORDER_A = '0e9e1a57-1111-4222-8333-44445555aaaa';
const ORDER_B = '0e9e1a57-1111-4222-8333-44445555bbbb';
const ORDER_C = '0e9e1a57-1111-4222-8333-44445555cccc';

let tables: InMemoryTables;

const invoke = (event: KinesisStreamEvent) => handler(event, lambdaContext());
const bucket = (minute: string) => tables.get('analytics-table', { pk: 'SALES', sk: minute });
const placedAt = (orderId: string, occurredAt: string, totalCents: number) =>
  anEvent('OrderPlaced', { orderId, occurredAt: new Date(occurredAt), data: { totalCents } });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/analytics/handlers/sales-projector'),
  { ANALYTICS_TABLE_NAME: 'analytics-table', SALES_SHARD_COUNT: '1' },
);

beforeEach(() => {
  tables = new InMemoryTables(dynamo, { 'analytics-table': ['pk', 'sk'] });
});

describe('sales-projector', () => {
  it('counts an OrderPlaced and its total in the minute of its occurredAt, with a marker, in one transaction', async () => {
    // Prepare
    const placed = placedAt(ORDER_A, '2024-05-01T12:34:56.789Z', 5230);

    // Act
    const response = await invoke(kinesisEvent(kinesisRecordOf(placed)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(bucket('2024-05-01T12:34')).toEqual({ pk: 'SALES', sk: '2024-05-01T12:34', orders: 1, revenueCents: 5230, cancelled: 0 });
    expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: 'analytics-table',
              Item: { pk: `EVENT#${placed.detail.eventId}`, sk: '-', minute: '2024-05-01T12:34' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: 'analytics-table',
              Key: { pk: 'SALES', sk: '2024-05-01T12:34' },
              UpdateExpression: 'ADD orders :orders, revenueCents :revenueCents, cancelled :cancelled',
              ExpressionAttributeValues: { ':orders': 1, ':revenueCents': 5230, ':cancelled': 0 },
            },
          },
        ],
      },
    ]);
  });

  it('adds up the orders of a minute and keeps each minute apart, in UTC', async () => {
    await invoke(
      kinesisEvent(
        kinesisRecordOf(placedAt(ORDER_A, '2024-05-01T12:34:00.000Z', 1000)),
        kinesisRecordOf(placedAt(ORDER_B, '2024-05-01T14:34:59.999+02:00', 250)),
        kinesisRecordOf(placedAt(ORDER_C, '2024-05-01T12:35:00.000Z', 99)),
      ),
    );

    expect(bucket('2024-05-01T12:34')).toMatchObject({ orders: 2, revenueCents: 1250, cancelled: 0 });
    expect(bucket('2024-05-01T12:35')).toMatchObject({ orders: 1, revenueCents: 99, cancelled: 0 });
  });

  it('counts an OrderCancelled as a cancellation in its own minute', async () => {
    const cancelled = anEvent('OrderCancelled', { orderId: ORDER_A, occurredAt: new Date('2024-05-01T12:40:10.000Z') });

    await invoke(kinesisEvent(kinesisRecordOf(cancelled)));

    expect(bucket('2024-05-01T12:40')).toMatchObject({ orders: 0, revenueCents: 0, cancelled: 1 });
  });

  it('counts an event once when its record is read again (a retried batch or a replay)', async () => {
    const placed = placedAt(ORDER_A, '2024-05-01T12:34:00.000Z', 5230);

    await invoke(kinesisEvent(kinesisRecordOf(placed)));
    const again = await invoke(kinesisEvent(kinesisRecordOf(placed)));

    expect(again.batchItemFailures).toEqual([]);
    expect(bucket('2024-05-01T12:34')).toMatchObject({ orders: 1, revenueCents: 5230 });
  });

  it('ignores events that count nothing', async () => {
    await invoke(kinesisEvent(kinesisRecordOf(anEvent('PaymentCaptured')), kinesisRecordOf(anEvent('OrderRequested'))));

    expect(dynamo.sent).toEqual([]);
  });

  it('stops at the first failed record and reports it, so nothing behind it is counted out of order', async () => {
    // Prepare: the second record breaks its contract
    const first = kinesisRecordOf(placedAt(ORDER_A, '2024-05-01T12:34:00.000Z', 100));
    const failing = kinesisRecord(eventBridgeDelivery(placedAt(ORDER_B, '2024-05-01T12:34:10.000Z', 200), { detail: {} }));
    const behind = kinesisRecordOf(placedAt(ORDER_C, '2024-05-01T12:34:20.000Z', 400));

    // Act
    const response = await invoke(kinesisEvent(first, failing, behind));

    // Assess: the first counted, the third not attempted
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.kinesis.sequenceNumber }]);
    expect(bucket('2024-05-01T12:34')).toMatchObject({ orders: 1, revenueCents: 100 });
    expect(dynamo.inputsOf('TransactWriteCommand')).toHaveLength(1);
  });

  it('reports the record whose write fails, so Lambda retries from it', async () => {
    dynamo.once('TransactWriteCommand', () => {
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
    });
    const record = kinesisRecordOf(placedAt(ORDER_A, '2024-05-01T12:34:00.000Z', 100));

    const response = await invoke(kinesisEvent(record));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    expect(bucket('2024-05-01T12:34')).toBeUndefined();
  });

  it('reports a record that is not an event', async () => {
    const broken = kinesisRecord('not json');

    const response = await invoke(kinesisEvent(broken));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: broken.kinesis.sequenceNumber }]);
  });
});
