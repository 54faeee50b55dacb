import '../../support/quiet-env';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, FIXTURE_CORRELATION_ID, FIXTURE_ORDER_ID } from '../../factories/events';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { sqsEvent, sqsRecordOf } from '../../factories/sqs-event';
import { InMemoryInventory } from '../support/in-memory-inventory';
import { handlerUnderTest } from '../../support/handler-under-test';

let inventory: InMemoryInventory;
let bus: FakeEventBus;

/** OrderRequested for 2 × SKU-0001 and 1 × SKU-0004 (the fixture). */
const requested = () => anEvent('OrderRequested');

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/inventory/handlers/reservation-worker'),
  { STOCK_TABLE_NAME: 'stock-table', RESERVATIONS_TABLE_NAME: 'reservations-table', EVENT_BUS_NAME: 'shop-bus' },
);

beforeEach(() => {
  inventory = new InMemoryInventory(dynamo).withStock({ 'SKU-0001': 5, 'SKU-0004': 1 });
  bus = new FakeEventBus();
});

describe('reservation worker', () => {
  it('reserves the stock of an OrderRequested and publishes StockReserved v1', async () => {
    // Act
    const response = await handler(sqsEvent(sqsRecordOf(requested())), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(Object.fromEntries(inventory.stock)).toEqual({ 'SKU-0001': 3, 'SKU-0004': 0 });
    expect(inventory.reservations.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'RESERVED' });
    expect(bus.published).toEqual([
      {
        source: 'shop.inventory',
        detailType: 'StockReserved',
        bus: 'shop-bus',
        detail: {
          schemaVersion: 1,
          eventId: eventIdFor('shop.inventory', 'StockReserved', FIXTURE_ORDER_ID, 1),
          orderId: FIXTURE_ORDER_ID,
          version: 1,
          occurredAt: inventory.reservations.get(FIXTURE_ORDER_ID)?.createdAt,
          correlationId: FIXTURE_CORRELATION_ID,
          data: { lines: [{ sku: 'SKU-0001', quantity: 2 }, { sku: 'SKU-0004', quantity: 1 }] },
        },
      },
    ]);
  });

  it('reserves once for the same OrderRequested delivered twice, and publishes the same StockReserved for both', async () => {
    const event = requested();

    const response = await handler(sqsEvent(sqsRecordOf(event), sqsRecordOf(event)), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(inventory.transactions).toBe(1);
    expect(Object.fromEntries(inventory.stock)).toEqual({ 'SKU-0001': 3, 'SKU-0004': 0 });
    expect(bus.summary()).toEqual(['StockReserved v1', 'StockReserved v1']);
    expect(bus.published[1]).toEqual(bus.published[0]);
  });

  it('publishes StockRejected OUT_OF_STOCK naming the short line — an outcome, not a failure', async () => {
    inventory.withStock({ 'SKU-0004': 0 });

    const response = await handler(sqsEvent(sqsRecordOf(requested())), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(inventory.transactions).toBe(0);
    expect(bus.published).toEqual([
      expect.objectContaining({
        detailType: 'StockRejected',
        detail: expect.objectContaining({
          eventId: eventIdFor('shop.inventory', 'StockRejected', FIXTURE_ORDER_ID, 1),
          version: 1,
          data: { reason: 'OUT_OF_STOCK', errors: [{ field: 'lines[1].sku', message: 'only 0 available' }] },
        }),
      }),
    ]);
  });

  it('publishes StockRejected UNKNOWN_SKU for a sku without stock', async () => {
    inventory.stock.delete('SKU-0001');

    await handler(sqsEvent(sqsRecordOf(requested())), lambdaContext());

    expect(bus.published[0]?.detail.data).toEqual({ reason: 'UNKNOWN_SKU', errors: [{ field: 'lines[0].sku', message: 'is not stocked' }] });
  });

  it('publishes StockReserved for a reservation released meanwhile (the order was cancelled), reserving nothing again', async () => {
    // Prepare: reserved, then released by a cancellation, before this delivery
    await handler(sqsEvent(sqsRecordOf(requested())), lambdaContext());
    const reservation = inventory.reservations.get(FIXTURE_ORDER_ID) ?? {};
    inventory.reservations.set(FIXTURE_ORDER_ID, { ...reservation, status: 'RELEASED' });
    inventory.withStock({ 'SKU-0001': 5, 'SKU-0004': 1 });

    // Act
    const response = await handler(sqsEvent(sqsRecordOf(requested())), lambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(Object.fromEntries(inventory.stock)).toEqual({ 'SKU-0001': 5, 'SKU-0004': 1 });
    expect(bus.summary()).toEqual(['StockReserved v1', 'StockReserved v1']);
  });

  it('fails the record when the publish is refused; the redelivery publishes without reserving twice', async () => {
    bus.refuseNextPut();
    const record = sqsRecordOf(requested());

    const first = await handler(sqsEvent(record), lambdaContext());
    const second = await handler(sqsEvent(sqsRecordOf(requested(), { receiveCount: 2 })), lambdaContext());

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(second.batchItemFailures).toEqual([]);
    expect(inventory.transactions).toBe(1);
    expect(bus.summary()).toEqual(['StockReserved v1']);
  });

  it('reports an event it does not handle as a failed record, and handles the rest', async () => {
    const wrong = sqsRecordOf(anEvent('OrderPlaced'));

    const response = await handler(sqsEvent(wrong, sqsRecordOf(requested())), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: wrong.messageId }]);
    expect(bus.summary()).toEqual(['StockReserved v1']);
  });
});
