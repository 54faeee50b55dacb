import { findOrder, getOrder } from '../../../../lambdas/orders/domain/get-order';
import { publicOrder } from '../../../../lambdas/orders/domain/order';
import { NotFoundError, ValidationError } from '../../../../lambdas/shared/errors';
import { fieldsOf } from '../../factories/api-gateway-event';
import { OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { FIXTURE_ORDER_ID } from '../../factories/events';
import { aConfirmedOrderRecord } from '../../factories/order-record';
import { InMemoryOrderRepository } from '../../support/in-memory-orders';
import { problemAnswerTo } from '../../support/problem-answer';

describe('findOrder', () => {
  it("finds a customer's own order", async () => {
    const record = aConfirmedOrderRecord({ customerId: TEST_CUSTOMER_ID });

    const found = await findOrder(new InMemoryOrderRepository(record), FIXTURE_ORDER_ID, TEST_CUSTOMER_ID);

    expect(found).toEqual(record);
  });

  it("answers another customer's order with the 404 naming id of an unknown one", async () => {
    // Prepare
    const orders = new InMemoryOrderRepository(aConfirmedOrderRecord({ customerId: TEST_CUSTOMER_ID }));

    // Act
    const theirs = await problemAnswerTo(findOrder(orders, FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID));

    // Assess: the very answer an unknown id gets, so an order id tells nobody else that the order exists
    const missing = await problemAnswerTo(findOrder(new InMemoryOrderRepository(), FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID));
    expect(theirs.statusCode).toBe(404);
    expect(theirs).toEqual(missing);
    expect(fieldsOf(theirs)).toEqual(['id']);
  });

  it('rejects a malformed id with 400 naming id, whoever asks', async () => {
    await expect(findOrder(new InMemoryOrderRepository(), 'nope', TEST_CUSTOMER_ID)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('getOrder', () => {
  it("answers a customer's own order as clients see it", async () => {
    const record = aConfirmedOrderRecord();

    const order = await getOrder(new InMemoryOrderRepository(record), FIXTURE_ORDER_ID, TEST_CUSTOMER_ID);

    expect(order).toEqual(publicOrder(record));
  });

  it("rejects another customer's order as not found", async () => {
    const orders = new InMemoryOrderRepository(aConfirmedOrderRecord());

    await expect(getOrder(orders, FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID)).rejects.toBeInstanceOf(NotFoundError);
  });
});
