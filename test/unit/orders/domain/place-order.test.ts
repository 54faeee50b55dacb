import { IDEMPOTENCY_TTL_SECONDS } from '../../../../lambdas/orders/domain/idempotency';
import { placeOrder, type PlaceOrderDeps } from '../../../../lambdas/orders/domain/place-order';
import type { PlaceOrderRequest } from '../../../../lambdas/orders/domain/place-order-request';
import { requestHash } from '../../../../lambdas/orders/domain/request-hash';
import { ConflictError, ServiceUnavailableError, UnprocessableError } from '../../../../lambdas/shared/errors';
import { FakeInventory, FixedPriceList, InMemoryIdempotencyStore, InMemoryOrderStore } from '../../support/in-memory-orders';

const T0 = 1_714_564_800_000; // 2024-05-01T12:00:00Z
const LOCK_TTL_MS = 5_000;

const anOrderRequest = (overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({
  customerId: 'customer-1',
  lines: [
    { sku: 'SKU-0001', quantity: 2 },
    { sku: 'SKU-0002', quantity: 1 },
  ],
  ...overrides,
});

function shop() {
  const idempotency = new InMemoryIdempotencyStore();
  const orders = new InMemoryOrderStore(idempotency);
  const inventory = new FakeInventory();
  let now = T0;
  let nextId = 0;
  const deps: PlaceOrderDeps = {
    idempotency,
    orders,
    inventory,
    prices: new FixedPriceList({
      'SKU-0001': { priceCents: 1490, currency: 'EUR' },
      'SKU-0002': { priceCents: 250, currency: 'EUR' },
      'SKU-0777': { priceCents: 999, currency: 'USD' },
    }),
    now: () => now,
    newOrderId: () => `order-${++nextId}`,
  };
  const place = (idempotencyKey: string, request = anOrderRequest()) =>
    placeOrder(deps, { idempotencyKey, request, lockTtlMs: LOCK_TTL_MS });
  return { deps, idempotency, orders, inventory, place, advance: (ms: number) => (now += ms) };
}

afterEach(() => jest.restoreAllMocks());

describe('placeOrder', () => {
  it('sheds all its work while inventory is known to be down: no key claimed, no reservation, no order', async () => {
    // Prepare
    const { place, inventory, orders, idempotency } = shop();
    inventory.unavailable = new ServiceUnavailableError('Inventory is unavailable: the circuit breaker is open.', { type: 'circuit-open', retryAfterSeconds: 5 });

    // Act
    const attempt = place('key-down');

    // Assess
    await expect(attempt).rejects.toBe(inventory.unavailable);
    expect(inventory.reservations).toEqual([]);
    expect(await idempotency.get('key-down')).toBeUndefined();
    expect(orders.orders.size).toBe(0);
  });

  it('prices, reserves and writes a CONFIRMED order, completing the key with it', async () => {
    // Prepare
    const { place, inventory, orders, idempotency } = shop();

    // Act
    const { order, replayed } = await place('key-1');

    // Assess
    expect(replayed).toBe(false);
    expect(order).toEqual({
      orderId: 'order-1',
      customerId: 'customer-1',
      lines: [
        { sku: 'SKU-0001', quantity: 2, unitPriceCents: 1490 },
        { sku: 'SKU-0002', quantity: 1, unitPriceCents: 250 },
      ],
      totalCents: 3230,
      currency: 'EUR',
      status: 'CONFIRMED',
      createdAt: '2024-05-01T12:00:00.000Z',
      version: 1,
    });
    expect(inventory.reservations).toEqual([{ orderId: 'order-1', lines: anOrderRequest().lines }]);
    expect(orders.orders.get('order-1')).toEqual(order);
    expect(idempotency.records.get('key-1')).toMatchObject({
      status: 'COMPLETED',
      orderId: 'order-1',
      response: order,
      lockExpiresAt: T0 + LOCK_TTL_MS,
      expiresAt: T0 / 1000 + IDEMPOTENCY_TTL_SECONDS,
    });
  });

  it('replays the same order for the same key and body, creating nothing twice', async () => {
    const { place, inventory, orders, advance } = shop();
    const first = await place('key-1');
    advance(60_000);

    const retry = await place('key-1', { lines: anOrderRequest().lines, customerId: 'customer-1' });

    expect(retry).toEqual({ order: first.order, replayed: true });
    expect(inventory.reservations).toHaveLength(1);
    expect(orders.orders.size).toBe(1);
  });

  it('rejects the key reused with another body with 422 naming Idempotency-Key', async () => {
    const { place, inventory } = shop();
    await place('key-1');

    const reused = place('key-1', anOrderRequest({ customerId: 'someone-else' }));

    await expect(reused).rejects.toBeInstanceOf(UnprocessableError);
    await expect(reused).rejects.toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
    expect(inventory.reservations).toHaveLength(1);
  });

  it('answers 409 naming Idempotency-Key while another request holds the key', async () => {
    // Prepare: a request claimed the key and is still running (its lock holds)
    const { place, idempotency, advance } = shop();
    await idempotency.create({ idempotencyKey: 'key-1', bodyHash: requestHash(anOrderRequest()), orderId: 'order-x', lockExpiresAt: T0 + LOCK_TTL_MS, expiresAt: T0 / 1000 + 60 }, T0);
    advance(LOCK_TTL_MS - 1);

    // Act
    const concurrent = place('key-1');

    // Assess
    await expect(concurrent).rejects.toBeInstanceOf(ConflictError);
    await expect(concurrent).rejects.toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
  });

  it('takes over a key whose request died, keeping its orderId', async () => {
    const { place, idempotency, inventory, advance } = shop();
    await idempotency.create({ idempotencyKey: 'key-1', bodyHash: requestHash(anOrderRequest()), orderId: 'order-abandoned', lockExpiresAt: T0 + LOCK_TTL_MS, expiresAt: T0 / 1000 + 60 }, T0);
    advance(LOCK_TTL_MS);

    const { order } = await place('key-1');

    expect(order.orderId).toBe('order-abandoned');
    expect(inventory.reservations.map((r) => r.orderId)).toEqual(['order-abandoned']);
  });

  it('marks the key FAILED on failure, and a retry reuses the orderId so inventory is asked for the same reservation', async () => {
    // Prepare: inventory is down for the first attempt
    const { place, inventory, idempotency } = shop();
    inventory.failWith = new ServiceUnavailableError('down', { retryAfterSeconds: 1 });
    await expect(place('key-1')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(idempotency.records.get('key-1')).toMatchObject({ status: 'FAILED', orderId: 'order-1' });

    // Act: the client retries with the same key and body
    inventory.failWith = undefined;
    const { order } = await place('key-1');

    // Assess
    expect(order.orderId).toBe('order-1');
    expect(inventory.reservations.map((r) => r.orderId)).toEqual(['order-1', 'order-1']);
    expect(idempotency.records.get('key-1')?.status).toBe('COMPLETED');
  });

  it('rejects unknown skus with 422 naming each line, before reserving anything', async () => {
    const { place, inventory, idempotency } = shop();

    const outcome = place('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0001', quantity: 1 }, { sku: 'SKU-9999', quantity: 1 }] }));

    await expect(outcome).rejects.toBeInstanceOf(UnprocessableError);
    await expect(outcome).rejects.toMatchObject({ type: 'unknown-sku', errors: [{ field: 'lines[1].sku' }] });
    expect(inventory.reservations).toEqual([]);
    expect(idempotency.records.get('key-1')?.status).toBe('FAILED');
  });

  it('rejects lines priced in different currencies with 422', async () => {
    const { place } = shop();

    const outcome = place('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0001', quantity: 1 }, { sku: 'SKU-0777', quantity: 1 }] }));

    await expect(outcome).rejects.toMatchObject({ type: 'mixed-currencies', errors: [{ field: 'lines[1].sku' }] });
  });

  it("passes inventory's out-of-stock conflict on and writes no order", async () => {
    const { place, inventory, orders } = shop();
    inventory.failWith = new ConflictError('no stock', { type: 'out-of-stock', errors: [{ field: 'lines[1].sku', message: 'only 0 available' }] });

    await expect(place('key-1')).rejects.toMatchObject({ type: 'out-of-stock', errors: [{ field: 'lines[1].sku' }] });
    expect(orders.orders.size).toBe(0);
  });

  it('starts over with a new orderId once the key has expired', async () => {
    const { place, advance } = shop();
    await place('key-1');
    advance(IDEMPOTENCY_TTL_SECONDS * 1000);

    const { order, replayed } = await place('key-1');

    expect(replayed).toBe(false);
    expect(order.orderId).toBe('order-2');
  });

  it('answers 409 when it loses the race to claim the key', async () => {
    // Prepare: another request creates the record between our read and our write
    const { deps, idempotency } = shop();
    const create = idempotency.create.bind(idempotency);
    jest.spyOn(idempotency, 'create').mockImplementation(async (claim, nowMs) => {
      await create({ ...claim, orderId: 'order-winner' }, nowMs);
      return create(claim, nowMs);
    });

    // Act
    const outcome = placeOrder(deps, { idempotencyKey: 'key-1', request: anOrderRequest(), lockTtlMs: LOCK_TTL_MS });

    // Assess
    await expect(outcome).rejects.toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
  });

  it('answers 409 and writes nothing when its claim was taken over before the write', async () => {
    const { deps, orders } = shop();
    jest.spyOn(orders, 'saveConfirmed').mockResolvedValue('claim-lost');

    await expect(placeOrder(deps, { idempotencyKey: 'key-1', request: anOrderRequest(), lockTtlMs: LOCK_TTL_MS })).rejects.toBeInstanceOf(ConflictError);
  });

  it('reports both errors when marking the key FAILED fails too', async () => {
    const { place, inventory, idempotency } = shop();
    inventory.failWith = new Error('inventory exploded');
    jest.spyOn(idempotency, 'markFailed').mockRejectedValue(new Error('table unavailable'));

    const outcome = await place('key-1').catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(AggregateError);
    expect((outcome as AggregateError).errors.map((e: Error) => e.message)).toEqual(['inventory exploded', 'table unavailable']);
  });
});
