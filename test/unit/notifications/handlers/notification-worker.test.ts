import '../../support/quiet-env';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CUSTOMER_FACING_EVENTS } from '../../../../lambdas/shared/events/contracts';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, FIXTURE_CORRELATION_ID, FIXTURE_ORDER_ID } from '../../factories/events';
import { InMemoryTables } from '../../factories/fulfilment-tables';
import { sqsEvent, sqsRecord, sqsRecordOf } from '../../factories/sqs-event';
import { handlerUnderTest } from '../../support/handler-under-test';

let tables: InMemoryTables;

const invoke = (event: SQSEvent) => handler(event, lambdaContext());
const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((failure) => failure.itemIdentifier);
const sent = () => tables.all('notifications-table');

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/notifications/handlers/notification-worker'),
  { NOTIFICATIONS_TABLE_NAME: 'notifications-table' },
);

beforeEach(() => {
  tables = new InMemoryTables(dynamo, { 'notifications-table': ['eventId'] });
});

describe('notification-worker', () => {
  it('records one e-mail for OrderPlaced, keyed by its eventId, with template, subject and sentAt', async () => {
    // Prepare
    const placed = anEvent('OrderPlaced');

    // Act
    const response = await invoke(sqsEvent(sqsRecordOf(placed)));

    // Assess
    expect(failedIds(response)).toEqual([]);
    expect(sent()).toEqual([
      {
        eventId: placed.detail.eventId,
        orderId: FIXTURE_ORDER_ID,
        customerId: 'customer-1',
        template: 'OrderPlaced',
        subject: `We received your order ${FIXTURE_ORDER_ID} (52.30 EUR)`,
        correlationId: FIXTURE_CORRELATION_ID,
        sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      },
    ]);
    expect(dynamo.inputsOf('PutCommand')[0]).toMatchObject({ ConditionExpression: 'attribute_not_exists(eventId)' });
  });

  it.each(CUSTOMER_FACING_EVENTS)('records one e-mail with template %s', async (detailType) => {
    const event = anEvent(detailType);

    await invoke(sqsEvent(sqsRecordOf(event)));

    expect(sent()).toEqual([expect.objectContaining({ eventId: event.detail.eventId, template: detailType, customerId: 'customer-1' })]);
    expect(sent()[0].subject).toContain(FIXTURE_ORDER_ID);
  });

  it('sends one e-mail when the same event is delivered twice', async () => {
    const captured = anEvent('PaymentCaptured');

    const first = await invoke(sqsEvent(sqsRecordOf(captured)));
    const second = await invoke(sqsEvent(sqsRecordOf(captured)));

    expect(failedIds(first)).toEqual([]);
    expect(failedIds(second)).toEqual([]);
    expect(sent()).toHaveLength(1);
  });

  it('sends nothing for an event that is not customer-facing', async () => {
    const response = await invoke(sqsEvent(sqsRecordOf(anEvent('StockReserved'))));

    expect(failedIds(response)).toEqual([]);
    expect(dynamo.sent).toEqual([]);
  });

  it('fails only the record that is not an event, and sends the others', async () => {
    const broken = sqsRecord('{"detail-type": "OrderPlaced"');
    const good = sqsRecordOf(anEvent('ShipmentCreated'));

    const response = await invoke(sqsEvent(broken, good));

    expect(failedIds(response)).toEqual([broken.messageId]);
    expect(sent().map((notification) => notification.template)).toEqual(['ShipmentCreated']);
  });

  it('fails the record when the table write fails, so the message is retried', async () => {
    dynamo.once('PutCommand', () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
    });
    const record = sqsRecordOf(anEvent('OrderCancelled'));

    const response = await invoke(sqsEvent(record));

    expect(failedIds(response)).toEqual([record.messageId]);
    expect(sent()).toEqual([]);
  });
});
