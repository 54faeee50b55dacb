import '../../support/quiet-env';
import { BREAKER_STATE_CHANGE_METRIC } from '../../../../lambdas/orders/adapters/circuit-breaker-telemetry';
import type { ApiHandler } from '../../../../lambdas/shared/http/api-handler';
import { logger } from '../../../../lambdas/shared/logger';
import { metrics } from '../../../../lambdas/shared/metrics';
import { jsonRequestEvent, lambdaContext, problemOf } from '../../factories/api-gateway-event';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { FakeDynamoDb } from '../../support/fake-dynamodb';
import { routePlainDynamoDbToFake } from '../../support/raw-dynamodb-bridge';

const anOrder = { lines: [{ sku: 'SKU-0001', quantity: 1 }] };
let keys = 0;
const placeOrder = (headers: Record<string, string> = {}) =>
  handler(jsonRequestEvent('POST', '/orders', anOrder, { 'Idempotency-Key': `key-${++keys}`, ...headers }), lambdaContext());

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

let handler: ApiHandler;
let dynamo: FakeDynamoDb;
let bus: FakeEventBus;

beforeAll(async () => {
  Object.assign(process.env, {
    ORDERS_TABLE_NAME: 'orders-table',
    IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
    PRODUCTS_TABLE_NAME: 'products-table',
    INVENTORY_API_URL: 'https://internal.execute-api.us-east-1.amazonaws.com/prod/',
    INVENTORY_TIMEOUT_MS: '50',
    INVENTORY_BREAKER_FAILURE_THRESHOLD: '2',
    INVENTORY_BREAKER_WINDOW_MS: '10000',
    INVENTORY_BREAKER_OPEN_MS: '300',
    HTTP_MAX_BODY_BYTES: '16384',
    EVENT_BUS_NAME: 'shop-bus',
  });
  ({ handler } = await import('../../../../lambdas/orders/handlers/place-order'));
});
beforeEach(() => {
  dynamo = new FakeDynamoDb()
    .on('GetCommand', () => ({}))
    .on('PutCommand', () => ({}))
    .on('UpdateCommand', () => ({}))
    .on('BatchGetCommand', () => ({ Responses: { 'products-table': [{ sku: 'SKU-0001', priceCents: 1490, currency: 'EUR' }] } }))
    .on('TransactWriteCommand', () => ({}));
  routePlainDynamoDbToFake();
  bus = new FakeEventBus();
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('POST /orders when inventory fails', () => {
  it('opens the breaker after the threshold, fails fast while open, and closes after a successful probe', async () => {
    // Prepare: inventory answers every attempt with a 502
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async () => json(502, { message: 'Internal server error' }));
    const warn = jest.spyOn(logger, 'warn');
    const publish = jest.spyOn(metrics, 'publish');

    // Act 1: two failed calls (each an attempt and a retry) open the breaker
    const failures = [await placeOrder(), await placeOrder()];

    // Assess 1
    expect(failures.map((r) => r.statusCode)).toEqual([503, 503]);
    expect(failures.map((r) => problemOf(r).type)).toEqual([expect.stringMatching(/inventory-unavailable$/), expect.stringMatching(/inventory-unavailable$/)]);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
    expect(warn).toHaveBeenCalledWith('circuit breaker state changed', expect.objectContaining({ from: 'CLOSED', to: 'OPEN' }));
    expect(publish).toHaveBeenCalledWith(BREAKER_STATE_CHANGE_METRIC, 'Count', 1, { State: 'OPEN' });

    // Act 2: while open, an order fails fast without calling inventory or touching a table
    const sentBefore = dynamo.sent.length;
    const started = performance.now();
    const refused = await placeOrder();
    const elapsedMs = performance.now() - started;

    // Assess 2
    expect(refused.statusCode).toBe(503);
    expect(problemOf(refused).type).toMatch(/circuit-open$/);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
    expect(dynamo.sent.length).toBe(sentBefore);
    expect(elapsedMs).toBeLessThan(5);

    // Act 2b: while open, an asynchronous order is still accepted — it does not call inventory
    const accepted = await placeOrder({ Prefer: 'respond-async' });

    // Assess 2b
    expect(accepted.statusCode).toBe(202);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
    expect(bus.summary()).toEqual(['OrderRequested v1']);

    // Act 3: inventory recovers; once the open period is over, a probe goes through and closes the breaker
    fetchSpy.mockImplementation(async (_url, init) => json(201, { ...JSON.parse(String(init?.body)), status: 'RESERVED' }));
    const deadline = Date.now() + 3_000;
    let recovered = await placeOrder();
    while (recovered.statusCode !== 201 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      recovered = await placeOrder();
    }

    // Assess 3
    expect(recovered.statusCode).toBe(201);
    expect(warn.mock.calls.filter(([message]) => message === 'circuit breaker state changed').map(([, attrs]) => attrs)).toEqual([
      expect.objectContaining({ from: 'CLOSED', to: 'OPEN' }),
      expect.objectContaining({ from: 'OPEN', to: 'HALF_OPEN' }),
      expect.objectContaining({ from: 'HALF_OPEN', to: 'CLOSED' }),
    ]);
    expect(publish.mock.calls.map(([, , , dimensions]) => dimensions)).toEqual([{ State: 'OPEN' }, { State: 'HALF_OPEN' }, { State: 'CLOSED' }]);
    expect((await placeOrder()).statusCode).toBe(201);
  });
});
