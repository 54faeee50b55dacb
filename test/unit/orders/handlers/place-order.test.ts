import '../../support/quiet-env';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyRecordKey } from '../../../../lambdas/orders/domain/idempotency';
import { requestHash } from '../../../../lambdas/orders/domain/request-hash';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { bodyOf, fieldsOf, jsonRequestEvent, lambdaContext, problemOf, withClaims } from '../../factories/api-gateway-event';
import { customerClaims, OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { aPublicOrder } from '../../factories/order-record';
import { fakeDateOnly } from '../../support/fake-date';
import { conditionalCheckFailed, FakeDynamoDb, transactionCanceled } from '../../support/fake-dynamodb';
import { handlerUnderTest } from '../../support/handler-under-test';
import { PLACE_ORDER_ENV } from '../support/place-order-env';

/**
 * What this file proves: POST /orders as HTTP. The handler wires the domain (domain/place-order.test.ts: claiming,
 * replaying, reclaiming, pricing, publishing) to its adapters (dynamodb-*.test.ts, inventory-client.test.ts,
 * order-event-bus.test.ts), reads the request (Idempotency-Key, Prefer, the body, the token's customer, the time left)
 * and answers with status, headers and body. Problems are answered as shared/problem-response.test.ts says.
 */

/** The handler's time: only Date is faked (fakeDateOnly), so the time is known; timers and I/O stay real. */
const T0 = Date.parse('2024-05-01T12:00:00.000Z');

const KEY = '6c5a3e52-7f0b-4a8e-9d7c-0a1b2c3d4e5f';
/** The idempotency record of the signed-in test customer's KEY: keys are per customer. */
const RECORD_KEY = idempotencyRecordKey(TEST_CUSTOMER_ID, KEY);
/** API Gateway's request id in the event factory: the correlation id when the client sends none. */
const REQUEST_ID = 'c0ffee00-0000-4000-8000-000000000001';

/** A body of POST /orders: it names no customer, the token does. */
const anOrder = (overrides: Record<string, unknown> = {}) => ({
  lines: [
    { sku: 'SKU-0001', quantity: 2 },
    { sku: 'SKU-0004', quantity: 1 },
  ],
  ...overrides,
});

/** The hash a key's record holds: of the body, for the customer placing it. */
const hashOf = (body: Record<string, unknown>, customerId = TEST_CUSTOMER_ID) => requestHash({ ...body, customerId });

const postOrder = (body: unknown, headers: Record<string, string> = { 'Idempotency-Key': KEY }) =>
  jsonRequestEvent('POST', '/orders', body, headers);

const catalog = [
  { sku: 'SKU-0001', priceCents: 1490, currency: 'EUR' },
  { sku: 'SKU-0004', priceCents: 2250, currency: 'EUR' },
];

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let bus: FakeEventBus;
let fetchSpy: jest.SpyInstance<Promise<Response>, Parameters<typeof fetch>>;

/** The tables of a shop where the key is new and every write succeeds. */
function freshShop(): FakeDynamoDb {
  return dynamo
    .on('GetCommand', () => ({}))
    .on('PutCommand', () => ({}))
    .on('UpdateCommand', () => ({}))
    .on('BatchGetCommand', () => ({ Responses: { 'products-table': catalog } }))
    .on('TransactWriteCommand', () => ({}));
}

/**
 * The key is taken: the claim (a conditional Put, tried first) fails its condition, and the read that follows finds
 * `item`.
 */
function keyTaken(item: Record<string, unknown>): FakeDynamoDb {
  return dynamo
    .on('PutCommand', () => {
      throw conditionalCheckFailed();
    })
    .on('GetCommand', () => ({ Item: item }));
}

/**
 * The key is taken, as an asynchronous placement learns it: the transaction that writes the order with a new completed
 * key is cancelled by the key's condition, and the read that follows finds `item`.
 */
function keyTakenAsync(item: Record<string, unknown>): FakeDynamoDb {
  return keyTaken(item).on('TransactWriteCommand', () => {
    throw transactionCanceled('None', 'ConditionalCheckFailed');
  });
}

beforeAll(() => {
  // Before the import: the handler reads the time through the Date it finds.
  fakeDateOnly(T0);
});
const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/place-order'),
  // This file is about the handler; the breaker has its own tests and must not open between them.
  { ...PLACE_ORDER_ENV, INVENTORY_BREAKER_FAILURE_THRESHOLD: '1000', ORDER_MAX_QUANTITY: '10' },
  { plainClient: true },
);

beforeEach(() => {
  bus = new FakeEventBus();
  fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
    const { orderId, lines } = JSON.parse(String(init?.body));
    return json(201, { orderId, lines, status: 'RESERVED', createdAt: '2024-05-01T12:00:00.000Z' });
  });
});
afterAll(() => jest.useRealTimers());

describe('POST /orders', () => {
  it('answers 201 with the order at its Location, placed through the tables, inventory API and bus it is configured with', async () => {
    // Prepare
    freshShop();

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext(4_000));

    // Assess: the answer
    expect(response.statusCode).toBe(201);
    const order = bodyOf(response);
    expect(order).toEqual(
      aPublicOrder({ orderId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), createdAt: '2024-05-01T12:00:00.000Z' }),
    );
    // Relative to /prod/orders: the order under the same stage, not /orders/{id} (which drops it).
    expect(response.headers?.location).toBe(`orders/${order.orderId}`);
    expect(new URL(String(response.headers?.location), 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders').pathname).toBe(`/prod/orders/${order.orderId}`);
    expect(response.headers?.['idempotent-replayed']).toBeUndefined();
    expect(response.headers?.['preference-applied']).toBeUndefined();

    // Assess: the customer's key claimed in the idempotency table, held for the 4 s the invocation has left
    expect(dynamo.inputsOf('PutCommand')).toEqual([
      expect.objectContaining({
        TableName: 'idempotency-table',
        Item: expect.objectContaining({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), lockExpiresAt: T0 + 4_000, expiresAt: T0 / 1000 + IDEMPOTENCY_TTL_SECONDS }),
      }),
    ]);
    // Assess: prices from the products table, stock reserved through the inventory API (signed), order written to the orders table
    expect(dynamo.inputsOf('BatchGetCommand').map((input) => Object.keys(input.RequestItems as object))).toEqual([['products-table']]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(String(url)).toBe('https://internal.execute-api.us-east-1.amazonaws.com/prod/reservations');
    expect(JSON.parse(String(init?.body))).toEqual({ orderId: order.orderId, lines: anOrder().lines });
    expect((init?.headers as Record<string, string>).authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    const [transaction] = dynamo.inputsOf('TransactWriteCommand') as { TransactItems: { Put?: { TableName: string }; Update?: { TableName: string } }[] }[];
    expect(transaction?.TransactItems.map((item) => (item.Put ?? item.Update)?.TableName)).toEqual(['orders-table', 'idempotency-table']);

    // Assess: OrderPlaced on the shop's bus, correlated by API Gateway's request id when the client sends none
    expect(bus.published.map(({ bus: name, detailType, detail }) => [name, detailType, detail.eventId, detail.correlationId])).toEqual([
      ['shop-bus', 'OrderPlaced', eventIdFor('shop.orders', 'OrderPlaced', String(order.orderId), 1), REQUEST_ID],
    ]);
  });

  it('carries the client X-Correlation-Id in its event', async () => {
    freshShop();

    await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, 'X-Correlation-Id': 'checkout-42' }), lambdaContext());

    expect(bus.published.map((event) => event.detail.correlationId)).toEqual(['checkout-42']);
  });

  it('answers 503 event-publish-failed with Retry-After when EventBridge refuses the event', async () => {
    // Prepare: the write succeeds, the PutEvents is a partial failure (FailedEntryCount 1)
    freshShop();
    bus.refuseNextPut();

    // Act
    const failed = await handler(postOrder(anOrder()), lambdaContext());

    // Assess
    expect(failed.statusCode).toBe(503);
    expect(problemOf(failed).type).toMatch(/event-publish-failed$/);
    expect(failed.headers?.['retry-after']).toBe('1');
  });

  it('replays a completed order with 201, Idempotent-Replayed: true and its Location', async () => {
    // Prepare
    const stored = aPublicOrder();
    keyTaken({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), orderId: stored.orderId, status: 'COMPLETED', lockExpiresAt: 0, expiresAt: T0 / 1000 + 3600, response: stored });

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toEqual(stored);
    expect(response.headers?.['idempotent-replayed']).toBe('true');
    expect(response.headers?.location).toBe(`orders/${stored.orderId}`);
  });

  describe('with Prefer: respond-async', () => {
    it('answers 202 with the PENDING order, its Location and Preference-Applied, without calling inventory', async () => {
      // Prepare
      freshShop();

      // Act
      const response = await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, Prefer: 'respond-async' }), lambdaContext());

      // Assess
      expect(response.statusCode).toBe(202);
      const order = bodyOf(response);
      expect(order).toMatchObject({ status: 'PENDING', version: 1, totalCents: 5230, currency: 'EUR' });
      expect(response.headers).toMatchObject({ location: `orders/${order.orderId}`, 'preference-applied': 'respond-async' });
      expect(response.headers?.['idempotent-replayed']).toBeUndefined();
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(bus.summary()).toEqual(['OrderRequested v1']);
    });

    it('replays an accepted order with 202, Preference-Applied and Idempotent-Replayed', async () => {
      const stored = aPublicOrder({ status: 'PENDING' });
      freshShop();
      keyTakenAsync({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), orderId: stored.orderId, status: 'COMPLETED', lockExpiresAt: 0, expiresAt: T0 / 1000 + 3600, response: stored });

      const response = await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, Prefer: 'respond-async' }), lambdaContext());

      expect(response.statusCode).toBe(202);
      expect(response.headers).toMatchObject({ 'preference-applied': 'respond-async', 'idempotent-replayed': 'true' });
      expect(bodyOf(response)).toEqual(stored);
    });
  });

  it.each([
    ['missing', {}],
    ['empty', { 'Idempotency-Key': '' }],
    ['over 255 characters', { 'Idempotency-Key': 'k'.repeat(256) }],
    ['with a space', { 'Idempotency-Key': 'two words' }],
    ['not ASCII', { 'Idempotency-Key': 'clé' }],
  ])('answers 400 naming Idempotency-Key when it is %s', async (_case, headers) => {
    const response = await handler(postOrder(anOrder(), headers), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['Idempotency-Key']);
    expect(dynamo.sent).toEqual([]);
  });

  it('reads the Idempotency-Key header whatever its case', async () => {
    freshShop();

    const response = await handler(postOrder(anOrder(), { 'idempotency-key': KEY }), lambdaContext());

    expect(response.statusCode).toBe(201);
  });

  it.each([
    ["a customerId, even the token's own", 'customerId', anOrder({ customerId: TEST_CUSTOMER_ID })],
    ['a customerId naming another customer', 'customerId', anOrder({ customerId: OTHER_CUSTOMER_ID })],
    ['an unknown field', 'coupon', anOrder({ coupon: 'FREE' })],
    ['an unknown line field', 'lines[0].gift', anOrder({ lines: [{ sku: 'SKU-0001', quantity: 1, gift: true }] })],
    ['no lines', 'lines', anOrder({ lines: [] })],
    ['more than 20 lines', 'lines', anOrder({ lines: Array.from({ length: 21 }, (_, i) => ({ sku: `SKU-${String(i + 1).padStart(4, '0')}`, quantity: 1 })) })],
    ['a quantity of zero', 'lines[0].quantity', anOrder({ lines: [{ sku: 'SKU-0001', quantity: 0 }] })],
    ['a negative quantity', 'lines[0].quantity', anOrder({ lines: [{ sku: 'SKU-0001', quantity: -3 }] })],
    ['a quantity above ORDER_MAX_QUANTITY', 'lines[0].quantity', anOrder({ lines: [{ sku: 'SKU-0001', quantity: 11 }] })],
    ['a fractional quantity', 'lines[0].quantity', anOrder({ lines: [{ sku: 'SKU-0001', quantity: 1.5 }] })],
    ['a quantity as a string', 'lines[0].quantity', anOrder({ lines: [{ sku: 'SKU-0001', quantity: '2' }] })],
    ['a malformed sku', 'lines[0].sku', anOrder({ lines: [{ sku: 'sku 1', quantity: 1 }] })],
    ['a repeated sku', 'lines[1].sku', anOrder({ lines: [{ sku: 'SKU-0001', quantity: 1 }, { sku: 'SKU-0001', quantity: 1 }] })],
    ['an array body', 'body', [anOrder()]],
  ])('answers 400 for %s, naming %s, placing nothing: no table touched, no inventory call, no event', async (_case, field, body) => {
    const response = await handler(postOrder(body), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
    expect(dynamo.sent).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(bus.published).toEqual([]);
  });

  it('answers 413 naming body for a body over the limit', async () => {
    const response = await handler(postOrder(anOrder({ note: 'x'.repeat(20_000) })), lambdaContext());

    expect(response.statusCode).toBe(413);
    expect(fieldsOf(response)).toEqual(['body']);
  });

  describe('for the signed-in customer', () => {
    it("places the order of the customer the token names (its sub), under that customer's own key", async () => {
      // Prepare
      freshShop();
      const event = withClaims(postOrder(anOrder()), customerClaims(OTHER_CUSTOMER_ID));

      // Act
      const response = await handler(event, lambdaContext());

      // Assess: the order, its stored item, its event and its key are all the token's customer's
      expect(response.statusCode).toBe(201);
      const order = bodyOf(response);
      expect(order.customerId).toBe(OTHER_CUSTOMER_ID);
      const [transaction] = dynamo.inputsOf('TransactWriteCommand') as { TransactItems: [{ Put: { Item: Record<string, unknown> } }] }[];
      expect(transaction?.TransactItems[0].Put.Item.customerId).toBe(OTHER_CUSTOMER_ID);
      expect(bus.published.map((event) => event.detail.data)).toEqual([expect.objectContaining({ customerId: OTHER_CUSTOMER_ID })]);
      expect(dynamo.inputsOf('PutCommand')).toEqual([
        expect.objectContaining({ Item: expect.objectContaining({ idempotencyKey: idempotencyRecordKey(OTHER_CUSTOMER_ID, KEY), bodyHash: hashOf(anOrder(), OTHER_CUSTOMER_ID) }) }),
      ]);
    });

    it('answers 401 application/problem+json without a signed-in customer, touching no table, calling no inventory', async () => {
      // Prepare
      freshShop();

      // Act
      const response = await handler(withClaims(postOrder(anOrder()), null), lambdaContext());

      // Assess
      expect(response.statusCode).toBe(401);
      expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/unauthorized$/), status: 401 });
      expect(dynamo.sent).toEqual([]);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(bus.published).toEqual([]);
    });
  });
});
