import '../../support/quiet-env';
import type { SQSBatchResponse } from 'aws-lambda';
import { orderItem } from '../../../../lambdas/orders/adapters/order-item';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, eventBridgeDelivery, FIXTURE_ORDER_ID } from '../../factories/events';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { aConfirmedOrderRecord, anOrderRecord } from '../../factories/order-record';
import { sqsEvent, sqsRecord, sqsRecordOf } from '../../factories/sqs-event';
import { handlerUnderTest } from '../../support/handler-under-test';
import { InMemoryOrdersTable } from '../support/orders-table';

let table: InMemoryOrdersTable;
let bus: FakeEventBus;

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/order-lifecycle-worker'),
  { ORDERS_TABLE_NAME: 'orders-table', EVENT_BUS_NAME: 'shop-bus' },
  { plainClient: true },
);

beforeEach(() => {
  table = new InMemoryOrdersTable(dynamo);
  bus = new FakeEventBus();
});

const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((failure) => failure.itemIdentifier);

describe('order lifecycle worker', () => {
  it('confirms a PENDING order on StockReserved and publishes OrderPlaced v2 to the bus', async () => {
    // Prepare
    table.seed(orderItem(anOrderRecord()));

    // Act
    const response = await handler(sqsEvent(sqsRecordOf(anEvent('StockReserved'))), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'CONFIRMED', version: 2, inventoryVersion: 1 });
    expect(bus.summary()).toEqual(['OrderPlaced v2']);
    expect(bus.published[0]).toMatchObject({ bus: 'shop-bus', detail: { eventId: eventIdFor('shop.orders', 'OrderPlaced', FIXTURE_ORDER_ID, 2) } });
  });

  it('reports only the bad records of a batch: an invalid event, an unknown order, an event it does not follow', async () => {
    // Prepare
    table.seed(orderItem(aConfirmedOrderRecord()));
    const good = sqsRecordOf(anEvent('PaymentCaptured'));
    const invalid = sqsRecord(eventBridgeDelivery(anEvent('PaymentCaptured'), { detail: { orderId: FIXTURE_ORDER_ID } }));
    const unknownOrder = sqsRecordOf(anEvent('ShipmentCreated', { orderId: '11111111-2222-4333-8444-555555555555' }));
    const notFollowed = sqsRecordOf(anEvent('OrderPlaced'));
    const alsoGood = sqsRecordOf(anEvent('ShipmentCreated'));

    // Act
    const response = await handler(sqsEvent(good, invalid, unknownOrder, notFollowed, alsoGood), lambdaContext());

    // Assess
    expect(failedIds(response)).toEqual([invalid.messageId, unknownOrder.messageId, notFollowed.messageId]);
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'SHIPPED', paymentsVersion: 1, shippingVersion: 1 });
  });

  it('applies the same event delivered twice once', async () => {
    table.seed(orderItem(aConfirmedOrderRecord()));
    const event = anEvent('PaymentCaptured');

    const response = await handler(sqsEvent(sqsRecordOf(event), sqsRecordOf(event)), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(table.puts).toHaveLength(1);
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'PAID', payment: { status: 'CAPTURED', paymentId: 'pay-1' } });
  });

  it('ignores an older event arriving after a newer one from the same source', async () => {
    table.seed(orderItem(aConfirmedOrderRecord({ version: 2, cancellation: { reason: 'r', cancelledAt: '2024-05-01T12:00:05.000Z' } })));

    await handler(sqsEvent(sqsRecordOf(anEvent('PaymentRefunded')), sqsRecordOf(anEvent('PaymentCaptured'))), lambdaContext());

    expect(table.puts).toHaveLength(1);
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'REFUNDED', paymentsVersion: 2 });
  });

  it('fails the record when EventBridge refuses OrderPlaced, and the redelivery publishes it', async () => {
    // Prepare
    table.seed(orderItem(anOrderRecord()));
    bus.refuseNextPut();
    const record = sqsRecordOf(anEvent('StockReserved'));

    // Act 1
    const first = await handler(sqsEvent(record), lambdaContext());

    // Assess 1: the order is confirmed, the event not published, the record reported failed
    expect(failedIds(first)).toEqual([record.messageId]);
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(bus.published).toEqual([]);

    // Act 2: SQS delivers it again
    const second = await handler(sqsEvent(sqsRecordOf(anEvent('StockReserved'), { receiveCount: 2 })), lambdaContext());

    // Assess 2
    expect(second.batchItemFailures).toEqual([]);
    expect(table.puts).toHaveLength(1);
    expect(bus.summary()).toEqual(['OrderPlaced v2']);
  });
});
