import '../../support/quiet-env';
import { requestHash } from '../../../../lambdas/orders/domain/request-hash';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import type { ApiHandler } from '../../../../lambdas/shared/http/api-handler';
import { bodyOf, fieldsOf, jsonRequestEvent, lambdaContext, problemOf, withClaims } from '../../factories/api-gateway-event';
import { customerClaims, OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { conditionalCheckFailed, FakeDynamoDb, transactionCanceled } from '../../support/fake-dynamodb';
import { routePlainDynamoDbToFake } from '../../support/raw-dynamodb-bridge';

const KEY = '6c5a3e52-7f0b-4a8e-9d7c-0a1b2c3d4e5f';
/** The idempotency record of the signed-in test customer's KEY: keys are per customer. */
const RECORD_KEY = `customer-1/${KEY}`;
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

let handler: ApiHandler;
let dynamo: FakeDynamoDb;
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

/** An order as a completed key stores it. */
const storedOrder = (status: string) => ({
  orderId: '0e9e1a57-1111-4222-8333-444455556666',
  customerId: 'customer-1',
  lines: [{ sku: 'SKU-0001', quantity: 2, unitPriceCents: 1490 }],
  totalCents: 2980,
  currency: 'EUR',
  status,
  createdAt: '2024-05-01T12:00:00.000Z',
  version: 1,
});

beforeAll(async () => {
  Object.assign(process.env, {
    ORDERS_TABLE_NAME: 'orders-table',
    IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
    PRODUCTS_TABLE_NAME: 'products-table',
    INVENTORY_API_URL: 'https://internal.execute-api.us-east-1.amazonaws.com/prod/',
    INVENTORY_TIMEOUT_MS: '30',
    // This file is about the handler; the breaker has its own tests and must not open between them.
    INVENTORY_BREAKER_FAILURE_THRESHOLD: '1000',
    ORDER_MAX_QUANTITY: '10',
    HTTP_MAX_BODY_BYTES: '16384',
    EVENT_BUS_NAME: 'shop-bus',
  });
  ({ handler } = await import('../../../../lambdas/orders/handlers/place-order'));
});
beforeEach(() => {
  dynamo = new FakeDynamoDb();
  routePlainDynamoDbToFake();
  bus = new FakeEventBus();
  fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
    const { orderId, lines } = JSON.parse(String(init?.body));
    return json(201, { orderId, lines, status: 'RESERVED', createdAt: '2024-05-01T12:00:00.000Z' });
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('POST /orders', () => {
  it('places the order: claims the key, prices the lines, reserves the stock, writes order and key together', async () => {
    // Prepare
    freshShop();

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext(4_000));

    // Assess: the answer
    expect(response.statusCode).toBe(201);
    const order = bodyOf(response);
    expect(order).toEqual({
      orderId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      customerId: 'customer-1',
      lines: [
        { sku: 'SKU-0001', quantity: 2, unitPriceCents: 1490 },
        { sku: 'SKU-0004', quantity: 1, unitPriceCents: 2250 },
      ],
      totalCents: 5230,
      currency: 'EUR',
      status: 'CONFIRMED',
      createdAt: expect.any(String),
      version: 1,
    });
    // Relative to /prod/orders: the order under the same stage, not /orders/{id} (which drops it).
    expect(response.headers?.location).toBe(`orders/${order.orderId}`);
    expect(new URL(String(response.headers?.location), 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders').pathname).toBe(`/prod/orders/${order.orderId}`);
    expect(response.headers?.['idempotent-replayed']).toBeUndefined();

    // Assess: the key was claimed for this body, with a lock as long as the invocation may run
    const [claim] = dynamo.inputsOf('PutCommand');
    expect(claim).toEqual({
      TableName: 'idempotency-table',
      Item: {
        idempotencyKey: RECORD_KEY,
        bodyHash: hashOf(anOrder()),
        orderId: order.orderId,
        status: 'IN_PROGRESS',
        lockExpiresAt: expect.any(Number),
        expiresAt: expect.any(Number),
      },
      ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
      ExpressionAttributeValues: { ':nowSeconds': expect.any(Number) },
    });
    const item = (claim?.Item ?? {}) as { lockExpiresAt: number; expiresAt: number };
    expect(item.lockExpiresAt - Date.now()).toBeGreaterThan(3_000);
    expect(item.lockExpiresAt - Date.now()).toBeLessThanOrEqual(4_000);
    expect(item.expiresAt - Date.now() / 1000).toBeCloseTo(24 * 3600, -1);

    // Assess: prices read from the catalog, stock reserved for this orderId
    expect(dynamo.inputsOf('BatchGetCommand')).toEqual([
      { RequestItems: { 'products-table': { Keys: [{ sku: 'SKU-0001' }, { sku: 'SKU-0004' }], ProjectionExpression: 'sku, priceCents, currency' } } },
    ]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(String(url)).toBe('https://internal.execute-api.us-east-1.amazonaws.com/prod/reservations');
    expect(JSON.parse(String(init?.body))).toEqual({ orderId: order.orderId, lines: anOrder().lines });
    expect((init?.headers as Record<string, string>).authorization).toMatch(/^AWS4-HMAC-SHA256 /);

    // Assess: the order and the completed key in one transaction
    expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: 'orders-table',
              Item: { ...order, correlationId: REQUEST_ID, confirmedAt: order.createdAt },
              ConditionExpression: 'attribute_not_exists(orderId)',
            },
          },
          {
            Update: {
              TableName: 'idempotency-table',
              Key: { idempotencyKey: RECORD_KEY },
              UpdateExpression: 'SET #status = :completed, #response = :response, correlationId = :correlationId',
              ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
              ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
              ExpressionAttributeValues: {
                ':completed': 'COMPLETED',
                ':response': order,
                ':correlationId': REQUEST_ID,
                ':inProgress': 'IN_PROGRESS',
                ':lock': item.lockExpiresAt,
              },
            },
          },
        ],
      },
    ]);

    // Assess: OrderPlaced v1 published after the write
    expect(bus.published).toEqual([
      {
        source: 'shop.orders',
        detailType: 'OrderPlaced',
        bus: 'shop-bus',
        detail: {
          schemaVersion: 1,
          eventId: eventIdFor('shop.orders', 'OrderPlaced', String(order.orderId), 1),
          orderId: order.orderId,
          version: 1,
          occurredAt: order.createdAt,
          correlationId: REQUEST_ID,
          data: { customerId: 'customer-1', lines: order.lines, totalCents: 5230, currency: 'EUR' },
        },
      },
    ]);
    // The catalog read goes out alongside the claim, not after it; a new key is claimed without being read first.
    // Nothing is written after the publish: a replay publishes again rather than trusting a flag.
    expect(dynamo.sent.map((command) => command.name)).toEqual(['BatchGetCommand', 'PutCommand', 'TransactWriteCommand']);
  });

  it('carries the client X-Correlation-Id in its event', async () => {
    freshShop();

    await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, 'X-Correlation-Id': 'checkout-42' }), lambdaContext());

    expect(bus.published.map((event) => event.detail.correlationId)).toEqual(['checkout-42']);
  });

  it('answers 503 event-publish-failed with Retry-After when EventBridge refuses the event, and the retry publishes it', async () => {
    // Prepare: the write succeeds, the first PutEvents is a partial failure (FailedEntryCount 1)
    freshShop();
    bus.refuseNextPut();

    // Act 1
    const failed = await handler(postOrder(anOrder()), lambdaContext());

    // Assess 1: the request fails, the order and the COMPLETED key are written
    expect(failed.statusCode).toBe(503);
    expect(problemOf(failed).type).toMatch(/event-publish-failed$/);
    expect(Number(failed.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(bus.published).toEqual([]);
    const [transaction] = dynamo.inputsOf('TransactWriteCommand') as { TransactItems: { Update?: { ExpressionAttributeValues: Record<string, unknown> } }[] }[];
    const completion = transaction?.TransactItems[1]?.Update?.ExpressionAttributeValues ?? {};
    expect(dynamo.inputsOf('UpdateCommand')).toEqual([]);

    // Act 2: the client retries with the same key; the record reads COMPLETED
    keyTaken({
        idempotencyKey: RECORD_KEY,
        bodyHash: hashOf(anOrder()),
        orderId: (completion[':response'] as { orderId: string }).orderId,
        status: 'COMPLETED',
        lockExpiresAt: 0,
        expiresAt: Date.now() / 1000 + 3600,
        response: completion[':response'],
        correlationId: completion[':correlationId'],
      });
    const retried = await handler(postOrder(anOrder()), lambdaContext());

    // Assess 2: the same order, the same event (same eventId) published, nothing written, no second reservation
    expect(retried.statusCode).toBe(201);
    expect(retried.headers?.['idempotent-replayed']).toBe('true');
    expect(bodyOf(retried)).toEqual(completion[':response']);
    expect(bus.summary()).toEqual(['OrderPlaced v1']);
    expect(bus.published[0]?.detail.eventId).toBe(eventIdFor('shop.orders', 'OrderPlaced', bodyOf(retried).orderId as string, 1));
    expect(bus.published[0]?.detail.correlationId).toBe(REQUEST_ID);
    expect(dynamo.inputsOf('UpdateCommand')).toEqual([]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('replays a completed order with Idempotent-Replayed: true, publishing its event again, reserving and writing nothing', async () => {
    // Prepare
    const stored = storedOrder('CONFIRMED');
    keyTaken({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), orderId: stored.orderId, status: 'COMPLETED', lockExpiresAt: 0, expiresAt: Date.now() / 1000 + 3600, response: stored });

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toEqual(stored);
    expect(response.headers?.['idempotent-replayed']).toBe('true');
    expect(response.headers?.location).toBe(`orders/${stored.orderId}`);
    expect(fetchSpy).not.toHaveBeenCalled();
    // Only reads, and the claim its condition refused: no order, no key written; the event again, with its eventId.
    expect(dynamo.sent.map((command) => command.name)).toEqual(['BatchGetCommand', 'PutCommand', 'GetCommand']);
    expect(dynamo.inputsOf('GetCommand')).toEqual([expect.objectContaining({ TableName: 'idempotency-table', Key: { idempotencyKey: RECORD_KEY } })]);
    expect(bus.published.map((event) => event.detail.eventId)).toEqual([eventIdFor('shop.orders', 'OrderPlaced', stored.orderId, 1)]);
  });

  it('answers 422 naming Idempotency-Key when the key was used with another body', async () => {
    keyTaken({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder({ lines: [{ sku: 'SKU-0001', quantity: 5 }] })), orderId: 'o', status: 'COMPLETED', lockExpiresAt: 0, expiresAt: Date.now() / 1000 + 3600, response: {} });

    const response = await handler(postOrder(anOrder()), lambdaContext());

    expect(response.statusCode).toBe(422);
    expect(fieldsOf(response)).toEqual(['Idempotency-Key']);
  });

  it('answers 409 naming Idempotency-Key while a request with the key is in progress', async () => {
    keyTaken({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), orderId: 'o', status: 'IN_PROGRESS', lockExpiresAt: Date.now() + 3_000, expiresAt: Date.now() / 1000 + 3600 });

    const response = await handler(postOrder(anOrder()), lambdaContext());

    expect(response.statusCode).toBe(409);
    expect(fieldsOf(response)).toEqual(['Idempotency-Key']);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('retries a failed attempt with its orderId, reclaiming the key under a condition', async () => {
    // Prepare
    const orderId = '0e9e1a57-1111-4222-8333-444455556666';
    freshShop();
    keyTaken({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), orderId, status: 'FAILED', lockExpiresAt: 1_000, expiresAt: Date.now() / 1000 + 3600 });

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response).orderId).toBe(orderId);
    expect(JSON.parse(String(fetchSpy.mock.calls[0]?.[1]?.body)).orderId).toBe(orderId);
    expect(dynamo.inputsOf('UpdateCommand')[0]).toMatchObject({
      ConditionExpression: '#status = :seenStatus AND lockExpiresAt = :seenLock AND bodyHash = :bodyHash',
      ExpressionAttributeValues: { ':seenStatus': 'FAILED', ':seenLock': 1_000 },
    });
  });

  it('answers 422 naming the line of an unknown sku, and marks the key FAILED', async () => {
    // Prepare
    freshShop().on('BatchGetCommand', () => ({ Responses: { 'products-table': [catalog[0]] } }));

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(422);
    expect(fieldsOf(response)).toEqual(['lines[1].sku']);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(dynamo.inputsOf('UpdateCommand')).toEqual([
      expect.objectContaining({
        UpdateExpression: 'SET #status = :failed',
        ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
      }),
    ]);
  });

  it('answers 409 naming the line inventory cannot fill', async () => {
    freshShop();
    fetchSpy.mockResolvedValue(json(409, { status: 409, errors: [{ field: 'lines[1].sku', message: 'only 0 available', available: 0 }] }));

    const response = await handler(postOrder(anOrder()), lambdaContext());

    expect(response.statusCode).toBe(409);
    expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/out-of-stock$/), errors: [{ field: 'lines[1].sku', available: 0 }] });
  });

  it('answers 503 with Retry-After when inventory times out twice', async () => {
    // Prepare: inventory never answers; each attempt is aborted by its timeout
    freshShop();
    fetchSpy.mockImplementation(
      (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    );

    // Act
    const response = await handler(postOrder(anOrder()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([]);
  });

  describe('with Prefer: respond-async', () => {
    it('answers 202 with the PENDING order, Location and Preference-Applied, without calling inventory, and publishes OrderRequested v1', async () => {
      // Prepare
      freshShop();

      // Act
      const response = await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, Prefer: 'respond-async' }), lambdaContext());

      // Assess
      expect(response.statusCode).toBe(202);
      const order = bodyOf(response);
      expect(order).toMatchObject({ status: 'PENDING', version: 1, totalCents: 5230, currency: 'EUR' });
      expect(response.headers).toMatchObject({ location: `orders/${order.orderId}`, 'preference-applied': 'respond-async' });
      expect(fetchSpy).not.toHaveBeenCalled();
      // The order and a new completed key in one transaction, under the condition of a claim; no claim before it.
      expect(dynamo.sent.map((command) => command.name)).toEqual(['BatchGetCommand', 'TransactWriteCommand']);
      expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([
        {
          TransactItems: [
            { Put: { TableName: 'orders-table', Item: { ...order, correlationId: REQUEST_ID }, ConditionExpression: 'attribute_not_exists(orderId)' } },
            {
              Put: {
                TableName: 'idempotency-table',
                Item: {
                  idempotencyKey: RECORD_KEY,
                  bodyHash: hashOf(anOrder()),
                  orderId: order.orderId,
                  status: 'COMPLETED',
                  lockExpiresAt: expect.any(Number),
                  expiresAt: expect.any(Number),
                  response: order,
                  correlationId: REQUEST_ID,
                },
                ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
                ExpressionAttributeValues: { ':nowSeconds': expect.any(Number) },
              },
            },
          ],
        },
      ]);
      expect(bus.summary()).toEqual(['OrderRequested v1']);
      expect(bus.published[0]?.detail).toMatchObject({
        eventId: eventIdFor('shop.orders', 'OrderRequested', String(order.orderId), 1),
        data: { customerId: 'customer-1', lines: order.lines, totalCents: 5230, currency: 'EUR' },
      });
    });

    it.each([
      ['among several preferences', { Prefer: 'return=minimal, respond-async, wait=10' }],
      ['with parameters and odd case', { prefer: 'Respond-Async; foo="a,b"' }],
      ['after a quoted value holding a comma', { Prefer: 'handling="lenient, please", respond-async' }],
    ])('reads respond-async %s', async (_case, prefer) => {
      freshShop();

      const response = await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, ...prefer }), lambdaContext());

      expect(response.statusCode).toBe(202);
    });

    it('reads respond-async from a second Prefer header', async () => {
      freshShop();
      const event = postOrder(anOrder(), { 'Idempotency-Key': KEY, Prefer: 'wait=5' });
      event.multiValueHeaders = { Prefer: ['wait=5', 'respond-async'] };

      const response = await handler(event, lambdaContext());

      expect(response.statusCode).toBe(202);
    });

    it.each([
      ['another preference only', 'return=minimal'],
      ['a token that only contains it', 'respond-asynchronously'],
      ['it inside a quoted value', 'handling="respond-async"'],
    ])('answers synchronously (201, no Preference-Applied) for %s', async (_case, prefer) => {
      freshShop();

      const response = await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, Prefer: prefer }), lambdaContext());

      expect(response.statusCode).toBe(201);
      expect(response.headers?.['preference-applied']).toBeUndefined();
    });

    it('replays an accepted order with 202 and Preference-Applied', async () => {
      const stored = storedOrder('PENDING');
      freshShop();
      keyTakenAsync({ idempotencyKey: RECORD_KEY, bodyHash: hashOf(anOrder()), orderId: stored.orderId, status: 'COMPLETED', lockExpiresAt: 0, expiresAt: Date.now() / 1000 + 3600, response: stored });

      const response = await handler(postOrder(anOrder(), { 'Idempotency-Key': KEY, Prefer: 'respond-async' }), lambdaContext());

      expect(response.statusCode).toBe(202);
      expect(response.headers).toMatchObject({ 'preference-applied': 'respond-async', 'idempotent-replayed': 'true' });
      expect(bodyOf(response)).toEqual(stored);
      // The transaction its key's condition cancelled, then the read that found the completed key; no claim.
      expect(dynamo.sent.map((command) => command.name)).toEqual(['BatchGetCommand', 'TransactWriteCommand', 'GetCommand']);
      expect(bus.summary()).toEqual(['OrderRequested v1']);
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
  ])('answers 400 for %s, naming %s, and touches no table', async (_case, field, body) => {
    const response = await handler(postOrder(body), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
    expect(dynamo.sent).toEqual([]);
  });

  it('answers 400 naming body for malformed JSON', async () => {
    const response = await handler(postOrder('{"lines": '), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['body']);
  });

  it('answers 413 naming body for a body over the limit', async () => {
    const response = await handler(postOrder(anOrder({ note: 'x'.repeat(20_000) })), lambdaContext());

    expect(response.statusCode).toBe(413);
    expect(fieldsOf(response)).toEqual(['body']);
  });

  it('answers 415 naming Content-Type for a body that is not JSON', async () => {
    const response = await handler(postOrder('sku=SKU-0001', { 'Idempotency-Key': KEY, 'content-type': 'application/x-www-form-urlencoded' }), lambdaContext());

    expect(response.statusCode).toBe(415);
    expect(fieldsOf(response)).toEqual(['Content-Type']);
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
        expect.objectContaining({ Item: expect.objectContaining({ idempotencyKey: `customer-2/${KEY}`, bodyHash: hashOf(anOrder(), OTHER_CUSTOMER_ID) }) }),
      ]);
    });

    it('answers 400 naming customerId for a customerId in the body, placing nothing', async () => {
      // Prepare: a client that still names a customer in the body
      freshShop();

      // Act
      const response = await handler(postOrder(anOrder({ customerId: OTHER_CUSTOMER_ID })), lambdaContext());

      // Assess
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).errors).toEqual([{ field: 'customerId', message: expect.any(String) }]);
      expect(dynamo.sent).toEqual([]);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(bus.published).toEqual([]);
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
