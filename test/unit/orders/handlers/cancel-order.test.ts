import '../../support/quiet-env';
import { orderItem } from '../../../../lambdas/orders/adapters/order-item';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { apiGatewayEvent, bodyOf, fieldsOf, lambdaContext, problemOf, withClaims } from '../../factories/api-gateway-event';
import { customerClaims, OTHER_CUSTOMER_ID } from '../../factories/caller-claims';
import { FIXTURE_ORDER_ID } from '../../factories/events';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { aConfirmedOrderRecord, anOrderRecord } from '../../factories/order-record';
import { InMemoryOrdersTable } from '../support/orders-table';
import { handlerUnderTest } from '../../support/handler-under-test';

/** POST /orders/{id}/cancel with `body` (a string as is, anything else as JSON; none when undefined). */
function cancelEvent(id: string, body?: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return apiGatewayEvent({
    httpMethod: 'POST',
    resource: '/orders/{id}/cancel',
    path: `/orders/${id}/cancel`,
    pathParameters: { id },
    headers: body === undefined ? {} : headers,
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

let table: InMemoryOrdersTable;
let bus: FakeEventBus;

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/cancel-order'),
  { ORDERS_TABLE_NAME: 'orders-table', EVENT_BUS_NAME: 'shop-bus', HTTP_MAX_BODY_BYTES: '1024' },
  { plainClient: true },
);

beforeEach(() => {
  table = new InMemoryOrdersTable(dynamo);
  bus = new FakeEventBus();
});

describe('POST /orders/{id}/cancel', () => {
  it('answers 202 with the CANCELLED order and publishes OrderCancelled, with no body at all', async () => {
    // Prepare
    table.seed(orderItem(aConfirmedOrderRecord()));

    // Act
    const response = await handler(cancelEvent(FIXTURE_ORDER_ID), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(202);
    // Relative to /prod/orders/{id}/cancel: the order under the same stage, not /orders/{id} (which drops it).
    expect(response.headers?.location).toBe(`../${FIXTURE_ORDER_ID}`);
    expect(new URL(String(response.headers?.location), `https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders/${FIXTURE_ORDER_ID}/cancel`).pathname).toBe(
      `/prod/orders/${FIXTURE_ORDER_ID}`,
    );
    expect(bodyOf(response)).toMatchObject({ orderId: FIXTURE_ORDER_ID, status: 'CANCELLED', version: 2, cancellation: { reason: 'cancelled by the customer' } });
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(bus.summary()).toEqual(['OrderCancelled v2']);
    expect(bus.published[0]?.detail).toMatchObject({
      eventId: eventIdFor('shop.orders', 'OrderCancelled', FIXTURE_ORDER_ID, 2),
      data: { customerId: 'customer-1', reason: 'cancelled by the customer', totalCents: 5230, currency: 'EUR' },
    });
  });

  it('records the reason given in the body', async () => {
    table.seed(orderItem(aConfirmedOrderRecord()));

    const response = await handler(cancelEvent(FIXTURE_ORDER_ID, { reason: 'found it cheaper' }), lambdaContext());

    expect(bodyOf(response)).toMatchObject({ cancellation: { reason: 'found it cheaper' } });
    expect(bus.published[0]?.detail.data).toMatchObject({ reason: 'found it cheaper' });
  });

  it('accepts an empty body', async () => {
    table.seed(orderItem(anOrderRecord()));

    const response = await handler(cancelEvent(FIXTURE_ORDER_ID, ''), lambdaContext());

    expect(response.statusCode).toBe(202);
  });

  it('answers 503 event-publish-failed with Retry-After when EventBridge refuses the event', async () => {
    table.seed(orderItem(aConfirmedOrderRecord()));
    bus.refuseNextPut();

    const failed = await handler(cancelEvent(FIXTURE_ORDER_ID), lambdaContext());

    expect(failed.statusCode).toBe(503);
    expect(problemOf(failed).type).toMatch(/event-publish-failed$/);
    expect(failed.headers?.['retry-after']).toBe('1');
  });

  it.each([
    ['an unknown field', { why: 'x' }, 'why'],
    ['an empty reason', { reason: '' }, 'reason'],
    ['a reason over 500 characters', { reason: 'r'.repeat(501) }, 'reason'],
  ])('answers 400 for %s, naming %s', async (_case, body, field) => {
    table.seed(orderItem(aConfirmedOrderRecord()));

    const response = await handler(cancelEvent(FIXTURE_ORDER_ID, body), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual([field]);
    expect(table.puts).toEqual([]);
  });

  it('answers 413 for a body over its limit', async () => {
    const tooLarge = await handler(cancelEvent(FIXTURE_ORDER_ID, { reason: 'r'.repeat(2000) }), lambdaContext());

    expect(tooLarge.statusCode).toBe(413);
  });

  it("answers another customer's order exactly as an order that does not exist, cancelling nothing and publishing nothing", async () => {
    // Prepare: the order is the test customer's; the caller is another customer
    const item = orderItem(aConfirmedOrderRecord());
    table.seed(item);
    const asOther = withClaims(cancelEvent(FIXTURE_ORDER_ID, { reason: 'not mine' }), customerClaims(OTHER_CUSTOMER_ID));

    // Act
    const theirs = await handler(asOther, lambdaContext());
    table.items.clear();
    const missing = await handler(asOther, lambdaContext());

    // Assess: the same status, headers and body; the order as it was
    expect(theirs.statusCode).toBe(404);
    expect(fieldsOf(theirs)).toEqual(['id']);
    expect(theirs).toEqual(missing);
    expect(table.puts).toEqual([]);
    expect(bus.published).toEqual([]);
  });

  it('answers 401 application/problem+json without a signed-in customer, reading and writing nothing', async () => {
    // Prepare
    table.seed(orderItem(aConfirmedOrderRecord()));

    // Act
    const response = await handler(withClaims(cancelEvent(FIXTURE_ORDER_ID), null), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/unauthorized$/), status: 401 });
    expect(dynamo.sent).toEqual([]);
    expect(table.get(FIXTURE_ORDER_ID)).toMatchObject({ status: 'CONFIRMED' });
    expect(bus.published).toEqual([]);
  });
});
