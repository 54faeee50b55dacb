import '../../support/quiet-env';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, FIXTURE_ORDER_ID } from '../../factories/events';
import { aReservation } from '../../factories/reservation';
import { sqsEvent, sqsRecordOf } from '../../factories/sqs-event';
import { InMemoryInventory } from '../support/in-memory-inventory';
import { handlerUnderTest } from '../../support/handler-under-test';

let inventory: InMemoryInventory;


const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/inventory/handlers/release-worker'),
  { STOCK_TABLE_NAME: 'stock-table', RESERVATIONS_TABLE_NAME: 'reservations-table' },
);

beforeEach(() => {
  inventory = new InMemoryInventory(dynamo).withStock({ 'SKU-0001': 3, 'SKU-0004': 0 });
});

describe('release worker', () => {
  it.each(['OrderCancelled', 'PaymentFailed'] as const)('gives the stock of the order back on %s', async (detailType) => {
    inventory.reservations.set(FIXTURE_ORDER_ID, aReservation());

    const response = await handler(sqsEvent(sqsRecordOf(anEvent(detailType))), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(Object.fromEntries(inventory.stock)).toEqual({ 'SKU-0001': 5, 'SKU-0004': 1 });
    expect(inventory.reservations.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'RELEASED' });
  });

  it('releases once for the same event delivered twice, and for OrderCancelled after PaymentFailed', async () => {
    inventory.reservations.set(FIXTURE_ORDER_ID, aReservation());
    const cancelled = anEvent('OrderCancelled');

    const response = await handler(
      sqsEvent(sqsRecordOf(anEvent('PaymentFailed')), sqsRecordOf(cancelled), sqsRecordOf(cancelled)),
      lambdaContext(),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(inventory.transactions).toBe(1);
    expect(Object.fromEntries(inventory.stock)).toEqual({ 'SKU-0001': 5, 'SKU-0004': 1 });
  });

  it('does nothing, successfully, for an order without a reservation', async () => {
    const response = await handler(sqsEvent(sqsRecordOf(anEvent('OrderCancelled'))), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(inventory.transactions).toBe(0);
  });

  it('reports an event it does not handle as a failed record', async () => {
    const wrong = sqsRecordOf(anEvent('OrderPlaced'));

    const response = await handler(sqsEvent(wrong), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: wrong.messageId }]);
  });

  it('reports a table failure as a failed record, so the message is retried', async () => {
    inventory.reservations.set(FIXTURE_ORDER_ID, aReservation());
    dynamo.once('TransactWriteCommand', () => {
      throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
    });
    const record = sqsRecordOf(anEvent('OrderCancelled'));

    const response = await handler(sqsEvent(record), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(inventory.reservations.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'RESERVED' });
  });
});
