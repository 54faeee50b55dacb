import '../../support/quiet-env';
import { BREAKER_STATE_CHANGE_METRIC } from '../../../../lambdas/orders/adapters/circuit-breaker-telemetry';
import { logger } from '../../../../lambdas/shared/logger';
import { metrics } from '../../../../lambdas/shared/metrics';
import { jsonRequestEvent, lambdaContext, problemOf } from '../../factories/api-gateway-event';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { advanceDate, fakeDateOnly } from '../../support/fake-date';
import { handlerUnderTest } from '../../support/handler-under-test';
import { PLACE_ORDER_ENV } from '../support/place-order-env';

const anOrder = { lines: [{ sku: 'SKU-0001', quantity: 1 }] };
let keys = 0;
const placeOrder = (headers: Record<string, string> = {}) =>
  handler(jsonRequestEvent('POST', '/orders', anOrder, { 'Idempotency-Key': `key-${++keys}`, ...headers }), lambdaContext());

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

/** The breaker's open period (INVENTORY_BREAKER_OPEN_MS). */
const OPEN_MS = 300;

let bus: FakeEventBus;

beforeAll(() => {
  // Before the import: the handler's breaker keeps the Date it finds, and reads the time from it on every call.
  fakeDateOnly(Date.parse('2024-05-01T12:00:00.000Z'));
});
const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/orders/handlers/place-order'),
  {
    ...PLACE_ORDER_ENV,
    INVENTORY_TIMEOUT_MS: '50',
    INVENTORY_BREAKER_FAILURE_THRESHOLD: '2',
    INVENTORY_BREAKER_WINDOW_MS: '10000',
    INVENTORY_BREAKER_OPEN_MS: String(OPEN_MS),
  },
  { plainClient: true },
);

beforeEach(() => {
  dynamo
    .on('GetCommand', () => ({}))
    .on('PutCommand', () => ({}))
    .on('UpdateCommand', () => ({}))
    .on('BatchGetCommand', () => ({ Responses: { 'products-table': [{ sku: 'SKU-0001', priceCents: 1490, currency: 'EUR' }] } }))
    .on('TransactWriteCommand', () => ({}));
  bus = new FakeEventBus();
});
afterAll(() => jest.useRealTimers());

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

    // Act 2: while open, an order fails fast without calling inventory, touching a table or waiting on a timer
    const sentBefore = dynamo.sent.length;
    const timers = jest.spyOn(globalThis, 'setTimeout');
    const refused = await placeOrder();
    timers.mockRestore();

    // Assess 2
    expect(refused.statusCode).toBe(503);
    expect(problemOf(refused).type).toMatch(/circuit-open$/);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
    expect(dynamo.sent.length).toBe(sentBefore);
    expect(timers).not.toHaveBeenCalled();

    // Act 2b: while open, an asynchronous order is still accepted — it does not call inventory
    const accepted = await placeOrder({ Prefer: 'respond-async' });

    // Assess 2b
    expect(accepted.statusCode).toBe(202);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
    expect(bus.summary()).toEqual(['OrderRequested v1']);

    // Act 3: inventory recovers; until the open period is over orders are still refused, then a probe closes the breaker
    fetchSpy.mockImplementation(async (_url, init) => json(201, { ...JSON.parse(String(init?.body)), status: 'RESERVED' }));
    advanceDate(OPEN_MS - 1);
    const stillOpen = await placeOrder();
    advanceDate(1);
    const recovered = await placeOrder();

    // Assess 3
    expect(problemOf(stillOpen).type).toMatch(/circuit-open$/);
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
