import { cancelOrder } from '../../../../lambdas/orders/domain/cancel-order';
import { DEFAULT_CANCEL_REASON } from '../../../../lambdas/orders/domain/cancel-order-request';
import type { OrderRecord } from '../../../../lambdas/orders/domain/order';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../../../lambdas/shared/errors';
import { fieldsOf } from '../../factories/api-gateway-event';
import { OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { FIXTURE_ORDER_ID } from '../../factories/events';
import { aConfirmedOrderRecord, anOrderRecord } from '../../factories/order-record';
import { InMemoryOrderRepository, RecordingOrderEvents } from '../../support/in-memory-orders';
import { problemAnswerTo } from '../../support/problem-answer';

const NOW = new Date('2024-05-01T12:30:00.000Z');

function shop(...orders: OrderRecord[]) {
  const repository = new InMemoryOrderRepository(...orders);
  const events = new RecordingOrderEvents();
  const deps = { orders: repository, events, now: () => NOW };
  return {
    repository,
    events,
    /** Cancel as the signed-in test customer, whose orders the factories' are. */
    cancel: (reason?: string, id = FIXTURE_ORDER_ID, customerId = TEST_CUSTOMER_ID) => cancelOrder(deps, id, customerId, reason),
  };
}

describe('cancelOrder', () => {
  it('cancels a CONFIRMED order at version 2 and publishes OrderCancelled v2', async () => {
    // Prepare
    const { cancel, repository, events } = shop(aConfirmedOrderRecord());

    // Act
    const order = await cancel('changed my mind');

    // Assess
    expect(order).toMatchObject({ status: 'CANCELLED', version: 2, cancellation: { reason: 'changed my mind', cancelledAt: NOW.toISOString() }, updatedAt: NOW.toISOString() });
    expect(order).not.toHaveProperty('correlationId');
    expect(repository.orders.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(events.published).toEqual([
      {
        source: 'shop.orders',
        detailType: 'OrderCancelled',
        detail: expect.objectContaining({
          eventId: eventIdFor('shop.orders', 'OrderCancelled', FIXTURE_ORDER_ID, 2),
          version: 2,
          occurredAt: NOW.toISOString(),
          data: { customerId: 'customer-1', reason: 'changed my mind', totalCents: 5230, currency: 'EUR' },
        }),
      },
    ]);
  });

  it('records the default reason when none is given', async () => {
    const { cancel } = shop(aConfirmedOrderRecord());

    const order = await cancel();

    expect(order.cancellation?.reason).toBe(DEFAULT_CANCEL_REASON);
  });

  it.each([
    ['PENDING', anOrderRecord()],
    ['PAID', aConfirmedOrderRecord({ payment: { status: 'CAPTURED', paymentId: 'p' } })],
    ['SHIPPED', aConfirmedOrderRecord({ shipment: { status: 'CREATED', shipmentId: 's' } })],
    ['PAYMENT_FAILED', aConfirmedOrderRecord({ payment: { status: 'FAILED', reason: 'declined' } })],
  ])('cancels a %s order', async (_status, record) => {
    const { cancel } = shop(record);

    const order = await cancel();

    expect(order.status).toBe('CANCELLED');
  });

  it('answers a cancelled order again and publishes the same OrderCancelled again, writing nothing', async () => {
    // Prepare
    const { cancel, repository, events } = shop(aConfirmedOrderRecord());
    const first = await cancel('changed my mind');

    // Act
    const again = await cancel('another reason');

    // Assess
    expect(again).toEqual(first);
    expect(repository.writes).toHaveLength(1);
    expect(events.summary()).toEqual(['OrderCancelled v2', 'OrderCancelled v2']);
    expect(events.published[1]).toEqual(events.published[0]);
  });

  it('completes a cancellation whose publish failed when the client retries', async () => {
    const { cancel, events, repository } = shop(aConfirmedOrderRecord());
    events.failNext(new ServiceUnavailableError('bus down', { type: 'event-publish-failed', retryAfterSeconds: 1 }));
    await expect(cancel()).rejects.toMatchObject({ type: 'event-publish-failed' });
    expect(repository.orders.get(FIXTURE_ORDER_ID)?.status).toBe('CANCELLED');

    await cancel();

    expect(events.summary()).toEqual(['OrderCancelled v2']);
  });

  it('treats a REFUNDED order as cancelled', async () => {
    const refunded = aConfirmedOrderRecord({ version: 2, cancellation: { reason: 'r', cancelledAt: '2024-05-01T12:10:00.000Z' }, payment: { status: 'REFUNDED', paymentId: 'p' } });
    const { cancel, events } = shop(refunded);

    const order = await cancel();

    expect(order.status).toBe('REFUNDED');
    expect(events.summary()).toEqual(['OrderCancelled v2']);
  });

  it('rejects cancelling a REJECTED order with 409 naming id', async () => {
    const { cancel, events } = shop(anOrderRecord({ version: 2, rejection: { reason: 'OUT_OF_STOCK', errors: [], rejectedAt: 't' } }));

    const outcome = cancel();

    await expect(outcome).rejects.toBeInstanceOf(ConflictError);
    await expect(outcome).rejects.toMatchObject({ type: 'order-rejected', errors: [{ field: 'id' }] });
    expect(events.published).toEqual([]);
  });

  it('cancels at the version after a concurrent confirmation', async () => {
    // Prepare: inventory confirms the PENDING order between the read and the write
    const { cancel, repository, events } = shop(anOrderRecord());
    repository.changeBeforeNextReplace(() => anOrderRecord({ version: 2, confirmedAt: 't', appliedVersions: { 'shop.inventory': 1 } }));

    // Act
    const order = await cancel();

    // Assess
    expect(order).toMatchObject({ status: 'CANCELLED', version: 3 });
    expect(events.summary()).toEqual(['OrderCancelled v3']);
  });

  it('answers 503 contention when the order changes under every attempt', async () => {
    const { cancel, repository } = shop(aConfirmedOrderRecord());
    jest.spyOn(repository, 'replace').mockResolvedValue('changed');

    await expect(cancel()).rejects.toMatchObject({ type: 'contention' });
  });

  it('rejects a malformed id with 400 and an unknown one with 404, both naming id', async () => {
    const { cancel } = shop();

    const malformed = cancel(undefined, 'nope');
    const unknown = cancel(undefined, '0e9e1a57-0000-4000-8000-000000000000');

    await expect(malformed).rejects.toBeInstanceOf(ValidationError);
    await expect(malformed).rejects.toMatchObject({ errors: [{ field: 'id' }] });
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
    await expect(unknown).rejects.toMatchObject({ errors: [{ field: 'id' }] });
  });

  it("answers another customer's order with the 404 naming id of an unknown one, publishing nothing and writing nothing", async () => {
    // Prepare
    const record = aConfirmedOrderRecord({ customerId: TEST_CUSTOMER_ID });
    const { cancel, repository, events } = shop(record);

    // Act
    const outcome = cancel('not mine', FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID);

    // Assess: the very error an unknown id gets
    await expect(outcome).rejects.toBeInstanceOf(NotFoundError);
    const theirs = await problemAnswerTo(outcome);
    const missing = await problemAnswerTo(shop().cancel('not mine', FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID));
    expect(theirs).toEqual(missing);
    expect(fieldsOf(theirs)).toEqual(['id']);
    expect(events.published).toEqual([]);
    expect(repository.writes).toEqual([]);
    expect(repository.orders.get(FIXTURE_ORDER_ID)).toEqual(record);
  });

  it("does not publish another customer's cancellation again either", async () => {
    // Prepare: the order is cancelled already, which a retry of its own customer would publish again
    const { cancel, events } = shop(aConfirmedOrderRecord());
    await cancel('changed my mind');

    // Act
    const outcome = cancel(undefined, FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(NotFoundError);
    expect(events.summary()).toEqual(['OrderCancelled v2']);
  });
});
