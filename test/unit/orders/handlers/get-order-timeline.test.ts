import '../../support/quiet-env';
import { orderItem } from '../../../../lambdas/orders/adapters/order-item';
import { apiGatewayEvent, bodyOf, fieldsOf, lambdaContext, problemOf, withClaims } from '../../factories/api-gateway-event';
import { customerClaims, OTHER_CUSTOMER_ID } from '../../factories/caller-claims';
import { FIXTURE_ORDER_ID } from '../../factories/events';
import { anOrderRecord } from '../../factories/order-record';
import { handlerUnderTest } from '../../support/handler-under-test';

const timelineEvent = (id: string) => apiGatewayEvent({ resource: '/orders/{id}/timeline', path: `/orders/${id}/timeline`, pathParameters: { id } });

const entry = (source: string, version: number, detailType: string, occurredAt: string) => ({
  orderId: FIXTURE_ORDER_ID,
  entryKey: `${source}#${String(version).padStart(6, '0')}#${detailType}`,
  detailType,
  source,
  version,
  occurredAt,
  eventId: `event-${detailType}`,
  correlationId: 'corr-1',
});

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/get-order-timeline'),
  { TIMELINE_TABLE_NAME: 'timeline-table', ORDERS_TABLE_NAME: 'orders-table' },
  { plainClient: true },
);

describe('GET /orders/{id}/timeline', () => {
  it('answers every page of entries, sorted by occurredAt then version', async () => {
    // Prepare: the test customer's order, and two pages of its entries, in key order (not time order)
    dynamo.on('GetCommand', () => ({ Item: orderItem(anOrderRecord()) }));
    dynamo
      .once('QueryCommand', () => ({
        Items: [entry('shop.orders', 1, 'OrderRequested', '2024-05-01T12:00:00.000Z'), entry('shop.orders', 2, 'OrderPlaced', '2024-05-01T12:00:02.000Z')],
        LastEvaluatedKey: { orderId: FIXTURE_ORDER_ID, entryKey: 'shop.orders#000002#OrderPlaced' },
      }))
      .once('QueryCommand', () => ({ Items: [entry('shop.inventory', 1, 'StockReserved', '2024-05-01T12:00:01.000Z')] }));

    // Act
    const response = await handler(timelineEvent(FIXTURE_ORDER_ID), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({
      orderId: FIXTURE_ORDER_ID,
      entries: [
        { detailType: 'OrderRequested', source: 'shop.orders', version: 1, occurredAt: '2024-05-01T12:00:00.000Z', eventId: 'event-OrderRequested' },
        { detailType: 'StockReserved', source: 'shop.inventory', version: 1, occurredAt: '2024-05-01T12:00:01.000Z', eventId: 'event-StockReserved' },
        { detailType: 'OrderPlaced', source: 'shop.orders', version: 2, occurredAt: '2024-05-01T12:00:02.000Z', eventId: 'event-OrderPlaced' },
      ],
    });
    expect(dynamo.inputsOf('QueryCommand')).toEqual([
      { TableName: 'timeline-table', KeyConditionExpression: 'orderId = :orderId', ExpressionAttributeValues: { ':orderId': FIXTURE_ORDER_ID }, ConsistentRead: true },
      expect.objectContaining({ ExclusiveStartKey: { orderId: FIXTURE_ORDER_ID, entryKey: 'shop.orders#000002#OrderPlaced' } }),
    ]);
    // The order is read too: the entries do not say whose order they are.
    expect(dynamo.inputsOf('GetCommand')).toEqual([{ TableName: 'orders-table', Key: { orderId: FIXTURE_ORDER_ID }, ConsistentRead: true }]);
  });

  it('answers 404 naming id when the order does not exist', async () => {
    dynamo.on('QueryCommand', () => ({ Items: [] })).on('GetCommand', () => ({}));

    const response = await handler(timelineEvent(FIXTURE_ORDER_ID), lambdaContext());

    expect(response.statusCode).toBe(404);
    expect(fieldsOf(response)).toEqual(['id']);
  });

  it('answers 400 naming id for a malformed id, reading no table', async () => {
    const response = await handler(timelineEvent('nope'), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['id']);
  });

  it("answers another customer's order exactly as an order that does not exist: 404 naming id, though its entries exist", async () => {
    // Prepare: the order and its entries are the test customer's; the caller is another customer
    const asOther = withClaims(timelineEvent(FIXTURE_ORDER_ID), customerClaims(OTHER_CUSTOMER_ID));
    dynamo
      .on('QueryCommand', () => ({ Items: [entry('shop.orders', 1, 'OrderRequested', '2024-05-01T12:00:00.000Z')] }))
      .on('GetCommand', () => ({ Item: orderItem(anOrderRecord()) }));

    // Act
    const theirs = await handler(asOther, lambdaContext());
    dynamo.on('QueryCommand', () => ({ Items: [] })).on('GetCommand', () => ({}));
    const missing = await handler(asOther, lambdaContext());

    // Assess: the same status, headers and body
    expect(theirs.statusCode).toBe(404);
    expect(fieldsOf(theirs)).toEqual(['id']);
    expect(theirs).toEqual(missing);
  });

  it('answers 401 application/problem+json without a signed-in customer, reading no table', async () => {
    const response = await handler(withClaims(timelineEvent(FIXTURE_ORDER_ID), null), lambdaContext());

    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/unauthorized$/), status: 401 });
    expect(dynamo.sent).toEqual([]);
  });

});
