import '../../support/quiet-env';
import { apiGatewayEvent, bodyOf, fieldsOf, lambdaContext, problemOf, withClaims } from '../../factories/api-gateway-event';
import { customerClaims, OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { aPublicOrder } from '../../factories/order-record';
import { handlerUnderTest } from '../../support/handler-under-test';

const order = aPublicOrder();
const ORDER_ID = order.orderId;

const getOrderEvent = (id: string) => apiGatewayEvent({ resource: '/orders/{id}', path: `/orders/${id}`, pathParameters: { id } });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/get-order'),
  { ORDERS_TABLE_NAME: 'orders-table' },
  { plainClient: true },
);

describe('GET /orders/{id}', () => {
  it('answers 200 with the order, read consistently so a just-placed order is found', async () => {
    dynamo.on('GetCommand', () => ({ Item: order }));

    const response = await handler(getOrderEvent(ORDER_ID), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual(order);
    expect(dynamo.inputsOf('GetCommand')).toEqual([{ TableName: 'orders-table', Key: { orderId: ORDER_ID }, ConsistentRead: true }]);
  });

  it('answers the current status and its facts, without the bookkeeping kept on the item', async () => {
    // Prepare: an asynchronous order, confirmed, paid and shipped
    dynamo.on('GetCommand', () => ({
      Item: {
        ...order,
        status: 'SHIPPED',
        version: 2,
        updatedAt: '2024-05-01T12:00:05.000Z',
        correlationId: 'corr-1',
        confirmedAt: '2024-05-01T12:00:01.000Z',
        payment: { status: 'CAPTURED', paymentId: 'pay-1' },
        shipment: { status: 'CREATED', shipmentId: 'ship-1' },
        inventoryVersion: 1,
        paymentsVersion: 1,
        shippingVersion: 1,
      },
    }));

    // Act
    const response = await handler(getOrderEvent(ORDER_ID), lambdaContext());

    // Assess
    expect(bodyOf(response)).toEqual({
      ...order,
      status: 'SHIPPED',
      version: 2,
      updatedAt: '2024-05-01T12:00:05.000Z',
      payment: { status: 'CAPTURED', paymentId: 'pay-1' },
      shipment: { status: 'CREATED', shipmentId: 'ship-1' },
    });
  });

  it('answers 404 naming id when there is no such order', async () => {
    dynamo.on('GetCommand', () => ({}));

    const response = await handler(getOrderEvent(ORDER_ID), lambdaContext());

    expect(response.statusCode).toBe(404);
    expect(fieldsOf(response)).toEqual(['id']);
  });

  it.each(['42', 'not-a-uuid', `${ORDER_ID}x`, ' '])('answers 400 naming id for %p without reading the table', async (id) => {
    const response = await handler(getOrderEvent(id), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['id']);
    expect(dynamo.sent).toEqual([]);
  });

  it("answers another customer's order exactly as an order that does not exist: 404 naming id", async () => {
    // Prepare: the order is the test customer's; the caller is another customer
    const asOther = withClaims(getOrderEvent(ORDER_ID), customerClaims(OTHER_CUSTOMER_ID));
    dynamo.on('GetCommand', () => ({ Item: order }));

    // Act
    const theirs = await handler(asOther, lambdaContext());
    dynamo.on('GetCommand', () => ({}));
    const missing = await handler(asOther, lambdaContext());

    // Assess: the same status, headers and body, so an order id tells nobody else that the order exists
    expect(theirs.statusCode).toBe(404);
    expect(fieldsOf(theirs)).toEqual(['id']);
    expect(theirs).toEqual(missing);
    expect(theirs.body).not.toContain(TEST_CUSTOMER_ID);
  });

  it('answers 401 application/problem+json without a signed-in customer, reading no table', async () => {
    dynamo.on('GetCommand', () => ({ Item: order }));

    const response = await handler(withClaims(getOrderEvent(ORDER_ID), null), lambdaContext());

    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/unauthorized$/), status: 401 });
    expect(dynamo.sent).toEqual([]);
  });

});
