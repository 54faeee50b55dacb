import { IDEMPOTENCY_TTL_SECONDS, idempotencyRecordKey } from '../../../../lambdas/orders/domain/idempotency';
import { publicOrder } from '../../../../lambdas/orders/domain/order';
import { placeOrder, type PlaceOrderCommand, type PlaceOrderDeps } from '../../../../lambdas/orders/domain/place-order';
import type { PlaceOrderRequest } from '../../../../lambdas/orders/domain/place-order-request';
import { requestHash } from '../../../../lambdas/orders/domain/request-hash';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { ConflictError, ServiceUnavailableError, UnprocessableError } from '../../../../lambdas/shared/errors';
import { OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { FIXTURE_TOTAL_CENTS } from '../../factories/events';
import { aPublicOrder } from '../../factories/order-record';
import {
  FakeInventory,
  FixedPriceList,
  InMemoryIdempotencyStore,
  InMemoryOrderStore,
  RecordingOrderEvents,
} from '../../support/in-memory-orders';

const T0 = 1_714_564_800_000; // 2024-05-01T12:00:00Z
const LOCK_TTL_MS = 5_000;
const CORRELATION_ID = 'corr-1';
/** The idempotency record of the test customer's `Idempotency-Key: key-1`: keys are per customer. */
const RECORD_KEY_1 = idempotencyRecordKey(TEST_CUSTOMER_ID, 'key-1');

const anOrderRequest = (overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({
  customerId: TEST_CUSTOMER_ID,
  lines: [
    { sku: 'SKU-0001', quantity: 2 },
    { sku: 'SKU-0004', quantity: 1 },
  ],
  ...overrides,
});

function shop() {
  const idempotency = new InMemoryIdempotencyStore();
  const orders = new InMemoryOrderStore(idempotency);
  const inventory = new FakeInventory();
  const events = new RecordingOrderEvents();
  let now = T0;
  let nextId = 0;
  const deps: PlaceOrderDeps = {
    idempotency,
    orders,
    inventory,
    events,
    prices: new FixedPriceList({
      'SKU-0001': { priceCents: 1490, currency: 'EUR' },
      'SKU-0004': { priceCents: 2250, currency: 'EUR' },
      'SKU-0777': { priceCents: 999, currency: 'USD' },
    }),
    now: () => now,
    newOrderId: () => `order-${++nextId}`,
  };
  const command = (idempotencyKey: string, request = anOrderRequest(), respondAsync = false): PlaceOrderCommand => ({
    idempotencyKey,
    request,
    lockTtlMs: LOCK_TTL_MS,
    respondAsync,
    correlationId: CORRELATION_ID,
  });
  const place = (idempotencyKey: string, request = anOrderRequest()) => placeOrder(deps, command(idempotencyKey, request));
  const placeAsync = (idempotencyKey: string, request = anOrderRequest()) => placeOrder(deps, command(idempotencyKey, request, true));
  return { deps, idempotency, orders, inventory, events, place, placeAsync, command, advance: (ms: number) => (now += ms) };
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
    expect(idempotency.records.size).toBe(0);
    expect(orders.orders.size).toBe(0);
  });

  it('prices, reserves and writes a CONFIRMED order, completing the key with it', async () => {
    // Prepare
    const { place, inventory, orders, idempotency } = shop();

    // Act
    const { order, replayed, accepted } = await place('key-1');

    // Assess
    expect(replayed).toBe(false);
    expect(accepted).toBe(false);
    expect(order).toEqual(aPublicOrder({ orderId: 'order-1', createdAt: '2024-05-01T12:00:00.000Z' }));
    expect(inventory.reservations).toEqual([{ orderId: 'order-1', lines: anOrderRequest().lines }]);
    expect(orders.orders.get('order-1')).toEqual({
      ...order,
      correlationId: CORRELATION_ID,
      appliedVersions: {},
      confirmedAt: '2024-05-01T12:00:00.000Z',
    });
    expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({
      status: 'COMPLETED',
      orderId: 'order-1',
      response: order,
      lockExpiresAt: T0 + LOCK_TTL_MS,
      expiresAt: T0 / 1000 + IDEMPOTENCY_TTL_SECONDS,
    });
  });

  it('publishes OrderPlaced v1 after the write, and writes nothing after it', async () => {
    // Prepare: every write and the publish, watched
    const { place, events, idempotency, orders } = shop();
    const watched = {
      create: jest.spyOn(idempotency, 'create'),
      markFailed: jest.spyOn(idempotency, 'markFailed'),
      savePlaced: jest.spyOn(orders, 'savePlaced'),
      publish: jest.spyOn(events, 'publish'),
    };

    // Act
    const { order } = await place('key-1');

    // Assess: in the order they were called
    const calls = Object.entries(watched)
      .flatMap(([name, spy]) => spy.mock.invocationCallOrder.map((at) => ({ at, name })))
      .sort((a, b) => a.at - b.at)
      .map(({ name }) => name);
    expect(calls).toEqual(['create', 'savePlaced', 'publish']);
    expect(events.published).toEqual([
      {
        source: 'shop.orders',
        detailType: 'OrderPlaced',
        detail: {
          schemaVersion: 1,
          eventId: eventIdFor('shop.orders', 'OrderPlaced', 'order-1', 1),
          orderId: 'order-1',
          version: 1,
          occurredAt: order.createdAt,
          correlationId: CORRELATION_ID,
          data: { customerId: 'customer-1', lines: order.lines, totalCents: FIXTURE_TOTAL_CENTS, currency: 'EUR' },
        },
      },
    ]);
    expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({ status: 'COMPLETED', correlationId: CORRELATION_ID });
  });

  it('fails the request when the publish fails, keeping the order and the key COMPLETED', async () => {
    // Prepare
    const { place, events, orders, idempotency } = shop();
    events.failNext(new ServiceUnavailableError('bus down', { type: 'event-publish-failed', retryAfterSeconds: 1 }));

    // Act
    const outcome = place('key-1');

    // Assess
    await expect(outcome).rejects.toMatchObject({ type: 'event-publish-failed' });
    expect(orders.orders.has('order-1')).toBe(true);
    expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({ status: 'COMPLETED' });
    expect(events.published).toEqual([]);
  });

  it("publishes the same event again on the client's retry after a failed publish, then replays the order", async () => {
    // Prepare: the first request wrote the order but could not publish
    const { place, events, inventory, advance } = shop();
    events.failNext(new Error('bus down'));
    await place('key-1').catch(() => undefined);
    advance(2_000);

    // Act
    const retry = await place('key-1');

    // Assess: one reservation, one order, and the very event the first attempt meant to publish
    expect(retry.replayed).toBe(true);
    expect(inventory.reservations).toHaveLength(1);
    expect(events.summary()).toEqual(['OrderPlaced v1']);
    expect(events.published[0]?.detail).toMatchObject({
      eventId: eventIdFor('shop.orders', 'OrderPlaced', 'order-1', 1),
      occurredAt: '2024-05-01T12:00:00.000Z',
      correlationId: CORRELATION_ID,
    });
  });

  it('publishes the same event again on every replay: the record does not tell whether the first publish succeeded', async () => {
    const { place, events } = shop();
    await place('key-1');

    await place('key-1');

    expect(events.summary()).toEqual(['OrderPlaced v1', 'OrderPlaced v1']);
    expect(events.published[1]).toEqual(events.published[0]);
  });

  it('takes the orderId as correlation id for records written before events existed', async () => {
    // Prepare: a completed record without a correlation id
    const { place, events, idempotency } = shop();
    await place('key-1');
    const record = idempotency.records.get(RECORD_KEY_1);
    if (record === undefined) throw new Error('no record');
    const legacy: Record<string, unknown> = { ...record };
    delete legacy.correlationId;
    idempotency.records.set(RECORD_KEY_1, legacy as unknown as typeof record);

    // Act
    await place('key-1');

    // Assess
    expect(events.published.map((event) => event.detail.correlationId)).toEqual([CORRELATION_ID, 'order-1']);
  });

  describe('asynchronously (Prefer: respond-async)', () => {
    it('prices the order and writes it PENDING v1 without calling inventory, and publishes OrderRequested v1', async () => {
      // Prepare
      const { placeAsync, inventory, orders, events, idempotency } = shop();

      // Act
      const { order, accepted, replayed } = await placeAsync('key-1');

      // Assess
      expect({ accepted, replayed }).toEqual({ accepted: true, replayed: false });
      expect(order).toMatchObject({ orderId: 'order-1', status: 'PENDING', version: 1, totalCents: FIXTURE_TOTAL_CENTS });
      expect(inventory.reservations).toEqual([]);
      expect(orders.orders.get('order-1')).toMatchObject({ status: 'PENDING', appliedVersions: {} });
      expect(orders.orders.get('order-1')?.confirmedAt).toBeUndefined();
      expect(events.summary()).toEqual(['OrderRequested v1']);
      expect(events.published[0]?.detail).toMatchObject({
        eventId: eventIdFor('shop.orders', 'OrderRequested', 'order-1', 1),
        data: { customerId: 'customer-1', lines: order.lines, totalCents: FIXTURE_TOTAL_CENTS, currency: 'EUR' },
      });
      expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({ status: 'COMPLETED', orderId: 'order-1', response: order, correlationId: CORRELATION_ID });
    });

    it('does not consult the breaker: it places the order while inventory is known to be down', async () => {
      const { placeAsync, inventory } = shop();
      inventory.unavailable = new ServiceUnavailableError('open', { type: 'circuit-open', retryAfterSeconds: 5 });

      const { order } = await placeAsync('key-1');

      expect(order.status).toBe('PENDING');
    });

    it('still rejects unknown skus with 422 before writing anything', async () => {
      const { placeAsync, orders, events } = shop();

      const outcome = placeAsync('key-1', anOrderRequest({ lines: [{ sku: 'SKU-9999', quantity: 1 }] }));

      await expect(outcome).rejects.toMatchObject({ type: 'unknown-sku', errors: [{ field: 'lines[0].sku' }] });
      expect(orders.orders.size).toBe(0);
      expect(events.published).toEqual([]);
    });

    it('replays an accepted order as accepted, and publishes OrderRequested again if that had failed', async () => {
      // Prepare
      const { placeAsync, events, idempotency } = shop();
      events.failNext(new Error('bus down'));
      await placeAsync('key-1').catch(() => undefined);
      const create = jest.spyOn(idempotency, 'create');

      // Act
      const retry = await placeAsync('key-1');

      // Assess: the key, found taken by the write, is read and replayed: no claim is tried
      expect(retry).toMatchObject({ replayed: true, accepted: true, order: { status: 'PENDING' } });
      expect(events.summary()).toEqual(['OrderRequested v1']);
      expect(create).not.toHaveBeenCalled();
    });

    it('writes the order and the completed key in one call: no claim first, no key read', async () => {
      // Prepare
      const { placeAsync, idempotency, orders } = shop();
      const create = jest.spyOn(idempotency, 'create');
      const get = jest.spyOn(idempotency, 'get');
      const saveAccepted = jest.spyOn(orders, 'saveAccepted');
      const savePlaced = jest.spyOn(orders, 'savePlaced');

      // Act
      await placeAsync('key-1');

      // Assess
      expect(saveAccepted).toHaveBeenCalledTimes(1);
      expect(saveAccepted.mock.calls[0]?.[1]).toMatchObject({ idempotencyKey: RECORD_KEY_1, orderId: 'order-1', bodyHash: requestHash(anOrderRequest()) });
      expect({ create: create.mock.calls.length, get: get.mock.calls.length, savePlaced: savePlaced.mock.calls.length }).toEqual({ create: 0, get: 0, savePlaced: 0 });
    });

    it('answers 409 while another request holds the key, writing no order', async () => {
      // Prepare: a synchronous request with the same key and body holds it (reserving stock)
      const { placeAsync, idempotency, orders, events } = shop();
      await idempotency.create({ idempotencyKey: RECORD_KEY_1, bodyHash: requestHash(anOrderRequest()), orderId: 'order-0', lockExpiresAt: T0 + LOCK_TTL_MS, expiresAt: T0 / 1000 + 60 }, T0);

      // Act
      const outcome = placeAsync('key-1');

      // Assess
      await expect(outcome).rejects.toMatchObject({ type: 'idempotency-key-in-progress' });
      expect(orders.orders.size).toBe(0);
      expect(events.published).toEqual([]);
    });

    it('rejects the key reused with another body with 422, writing no order', async () => {
      const { placeAsync, orders } = shop();
      await placeAsync('key-1');

      const outcome = placeAsync('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0001', quantity: 5 }] }));

      await expect(outcome).rejects.toMatchObject({ type: 'idempotency-key-reused' });
      expect(orders.orders.size).toBe(1);
    });

    it('takes over a key whose attempt failed, keeping its orderId', async () => {
      // Prepare: an earlier attempt with this key and body failed after claiming it as order-7
      const { placeAsync, idempotency, orders } = shop();
      idempotency.records.set(RECORD_KEY_1, {
        idempotencyKey: RECORD_KEY_1,
        bodyHash: requestHash(anOrderRequest()),
        orderId: 'order-7',
        status: 'FAILED',
        lockExpiresAt: T0 - 1,
        expiresAt: T0 / 1000 + 60,
      });

      // Act
      const { order, replayed } = await placeAsync('key-1');

      // Assess
      expect({ orderId: order.orderId, replayed }).toEqual({ orderId: 'order-7', replayed: false });
      expect(orders.orders.get('order-7')?.status).toBe('PENDING');
      expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({ status: 'COMPLETED', orderId: 'order-7' });
    });

    it('starts over with a new orderId once the key has expired', async () => {
      const { placeAsync, advance } = shop();
      await placeAsync('key-1');
      advance((IDEMPOTENCY_TTL_SECONDS + 1) * 1000);

      const again = await placeAsync('key-1');

      expect({ orderId: again.order.orderId, replayed: again.replayed }).toEqual({ orderId: 'order-2', replayed: false });
    });

    it('leaves no record behind when pricing fails for a free key: a retry is priced afresh', async () => {
      const { placeAsync, idempotency } = shop();

      await expect(placeAsync('key-1', anOrderRequest({ lines: [{ sku: 'SKU-9999', quantity: 1 }] }))).rejects.toMatchObject({ type: 'unknown-sku' });

      expect(idempotency.records.has(RECORD_KEY_1)).toBe(false);
    });

    it('replays an accepted order whose skus have left the catalog since', async () => {
      // Prepare: accepted, then SKU-0004 leaves the catalog
      const { placeAsync, deps } = shop();
      const first = await placeAsync('key-1');
      const withoutSku4 = new FixedPriceList({ 'SKU-0001': { priceCents: 1490, currency: 'EUR' } });
      const replaying = { ...deps, prices: withoutSku4 };

      // Act
      const again = await placeOrder(replaying, { idempotencyKey: 'key-1', request: anOrderRequest(), lockTtlMs: LOCK_TTL_MS, respondAsync: true, correlationId: CORRELATION_ID });

      // Assess
      expect(again).toEqual({ order: first.order, replayed: true, accepted: true });
    });
  });

  it('replays the same order for the same key and body, creating nothing twice', async () => {
    const { place, inventory, orders, advance } = shop();
    const first = await place('key-1');
    advance(60_000);

    const retry = await place('key-1', { lines: anOrderRequest().lines, customerId: 'customer-1' });

    expect(retry).toEqual({ order: first.order, replayed: true, accepted: false });
    expect(inventory.reservations).toHaveLength(1);
    expect(orders.orders.size).toBe(1);
  });

  it('rejects the key reused with another body with 422 naming Idempotency-Key', async () => {
    const { place, inventory } = shop();
    await place('key-1');

    const reused = place('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0001', quantity: 5 }] }));

    await expect(reused).rejects.toBeInstanceOf(UnprocessableError);
    await expect(reused).rejects.toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
    expect(inventory.reservations).toHaveLength(1);
  });

  it('answers 409 naming Idempotency-Key while another request holds the key', async () => {
    // Prepare: a request claimed the key and is still running (its lock holds)
    const { place, idempotency, advance } = shop();
    await idempotency.create({ idempotencyKey: RECORD_KEY_1, bodyHash: requestHash(anOrderRequest()), orderId: 'order-x', lockExpiresAt: T0 + LOCK_TTL_MS, expiresAt: T0 / 1000 + 60 }, T0);
    advance(LOCK_TTL_MS - 1);

    // Act
    const concurrent = place('key-1');

    // Assess
    await expect(concurrent).rejects.toBeInstanceOf(ConflictError);
    await expect(concurrent).rejects.toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
  });

  it('takes over a key whose request died, keeping its orderId', async () => {
    const { place, idempotency, inventory, advance } = shop();
    await idempotency.create({ idempotencyKey: RECORD_KEY_1, bodyHash: requestHash(anOrderRequest()), orderId: 'order-abandoned', lockExpiresAt: T0 + LOCK_TTL_MS, expiresAt: T0 / 1000 + 60 }, T0);
    advance(LOCK_TTL_MS);

    const { order } = await place('key-1');

    expect(order.orderId).toBe('order-abandoned');
    expect(publicOrder({ ...order, correlationId: 'x', appliedVersions: {} })).toEqual(order);
    expect(inventory.reservations.map((r) => r.orderId)).toEqual(['order-abandoned']);
  });

  it('marks the key FAILED on failure, and a retry reuses the orderId so inventory is asked for the same reservation', async () => {
    // Prepare: inventory is down for the first attempt
    const { place, inventory, idempotency } = shop();
    inventory.failWith = new ServiceUnavailableError('down', { retryAfterSeconds: 1 });
    await expect(place('key-1')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({ status: 'FAILED', orderId: 'order-1' });

    // Act: the client retries with the same key and body
    inventory.failWith = undefined;
    const { order } = await place('key-1');

    // Assess
    expect(order.orderId).toBe('order-1');
    expect(inventory.reservations.map((r) => r.orderId)).toEqual(['order-1', 'order-1']);
    expect(idempotency.records.get(RECORD_KEY_1)?.status).toBe('COMPLETED');
  });

  it('rejects unknown skus with 422 naming each line, before reserving anything', async () => {
    const { place, inventory, idempotency } = shop();

    const outcome = place('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0001', quantity: 1 }, { sku: 'SKU-9999', quantity: 1 }] }));

    await expect(outcome).rejects.toBeInstanceOf(UnprocessableError);
    await expect(outcome).rejects.toMatchObject({ type: 'unknown-sku', errors: [{ field: 'lines[1].sku' }] });
    expect(inventory.reservations).toEqual([]);
    expect(idempotency.records.get(RECORD_KEY_1)?.status).toBe('FAILED');
  });

  it('rejects lines priced in different currencies with 422', async () => {
    const { place } = shop();

    const outcome = place('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0001', quantity: 1 }, { sku: 'SKU-0777', quantity: 1 }] }));

    await expect(outcome).rejects.toMatchObject({ type: 'mixed-currencies', errors: [{ field: 'lines[1].sku' }] });
  });

  it('rejects an order priced in another currency than EUR with 422 naming each line', async () => {
    const { place } = shop();

    const outcome = place('key-1', anOrderRequest({ lines: [{ sku: 'SKU-0777', quantity: 1 }] }));

    await expect(outcome).rejects.toMatchObject({ type: 'unsupported-currency', errors: [{ field: 'lines[0].sku' }] });
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

  it('claims a new key without reading it first, and asks the catalog while the claim is in flight', async () => {
    // Prepare: the catalog answers only once the claim has been sent, so a placement that prices after claiming hangs
    const { deps, idempotency, command } = shop();
    const get = jest.spyOn(idempotency, 'get');
    let claimSent!: () => void;
    const claimWasSent = new Promise<void>((resolve) => (claimSent = resolve));
    const create = idempotency.create.bind(idempotency);
    jest.spyOn(idempotency, 'create').mockImplementation(async (claim, nowMs) => {
      claimSent();
      return create(claim, nowMs);
    });
    const prices = deps.prices.prices.bind(deps.prices);
    const pricesAsked = jest.spyOn(deps.prices, 'prices').mockImplementation(async (skus) => {
      await claimWasSent;
      return prices(skus);
    });

    // Act
    const { order } = await placeOrder(deps, command('key-1'));

    // Assess
    expect(order.status).toBe('CONFIRMED');
    expect(pricesAsked).toHaveBeenCalledTimes(1);
    expect(get).not.toHaveBeenCalled();
  });

  it('replays an order whose skus have left the catalog since: pricing counts only for a claimed key', async () => {
    const { deps, place } = shop();
    const first = await place('key-1');
    jest.spyOn(deps.prices, 'prices').mockRejectedValue(new UnprocessableError('Some skus are not in the catalog.', { type: 'unknown-sku', errors: [] }));

    const replay = await place('key-1');

    expect(replay).toMatchObject({ replayed: true, order: first.order });
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
    const outcome = placeOrder(deps, { idempotencyKey: 'key-1', request: anOrderRequest(), lockTtlMs: LOCK_TTL_MS, respondAsync: false, correlationId: CORRELATION_ID });

    // Assess
    await expect(outcome).rejects.toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
  });

  it('answers 409 and writes nothing when its claim was taken over before the write', async () => {
    const { deps, orders, events, command } = shop();
    jest.spyOn(orders, 'savePlaced').mockResolvedValue('claim-lost');

    await expect(placeOrder(deps, command('key-1'))).rejects.toBeInstanceOf(ConflictError);
    expect(events.published).toEqual([]);
  });

  it('reports both errors when marking the key FAILED fails too', async () => {
    const { place, inventory, idempotency } = shop();
    inventory.failWith = new Error('inventory exploded');
    jest.spyOn(idempotency, 'markFailed').mockRejectedValue(new Error('table unavailable'));

    const outcome = await place('key-1').catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(AggregateError);
    expect((outcome as AggregateError).errors.map((e: Error) => e.message)).toEqual(['inventory exploded', 'table unavailable']);
  });

  describe('with Idempotency-Keys per customer', () => {
    it("stores the record of a customer's key under its record key (idempotencyRecordKey)", async () => {
      // Prepare
      const { place, idempotency } = shop();

      // Act
      await place('key-1');

      // Assess
      expect([...idempotency.records.keys()]).toEqual([RECORD_KEY_1]);
      expect(idempotency.records.get(RECORD_KEY_1)).toMatchObject({ idempotencyKey: RECORD_KEY_1, status: 'COMPLETED', orderId: 'order-1' });
    });

    it('places two distinct orders for two customers who send the same key and the same lines, replaying neither', async () => {
      // Prepare
      const { place, inventory, orders, events, idempotency } = shop();

      // Act
      const first = await place('key-1', anOrderRequest({ customerId: TEST_CUSTOMER_ID }));
      const second = await place('key-1', anOrderRequest({ customerId: OTHER_CUSTOMER_ID }));

      // Assess: two orders, each its customer's, each reserved and published once
      expect([first.replayed, second.replayed]).toEqual([false, false]);
      expect([first.order.orderId, second.order.orderId]).toEqual(['order-1', 'order-2']);
      expect([first.order.customerId, second.order.customerId]).toEqual([TEST_CUSTOMER_ID, OTHER_CUSTOMER_ID]);
      expect(inventory.reservations.map((r) => r.orderId)).toEqual(['order-1', 'order-2']);
      expect(orders.orders.size).toBe(2);
      expect(events.published.map((event) => [event.detailType, event.detail.orderId])).toEqual([
        ['OrderPlaced', 'order-1'],
        ['OrderPlaced', 'order-2'],
      ]);
      expect(idempotency.records.get(idempotencyRecordKey(OTHER_CUSTOMER_ID, 'key-1'))).toMatchObject({ status: 'COMPLETED', orderId: 'order-2' });
    });

    it('places two distinct orders asynchronously too', async () => {
      const { placeAsync, orders } = shop();

      const first = await placeAsync('key-1', anOrderRequest({ customerId: TEST_CUSTOMER_ID }));
      const second = await placeAsync('key-1', anOrderRequest({ customerId: OTHER_CUSTOMER_ID }));

      expect([first.replayed, second.replayed]).toEqual([false, false]);
      expect(second.order).toMatchObject({ orderId: 'order-2', customerId: OTHER_CUSTOMER_ID, status: 'PENDING' });
      expect(orders.orders.size).toBe(2);
    });

    it("is not held up by another customer's request in progress with the same key", async () => {
      // Prepare: the other customer's request holds key-1 (its lock is live)
      const { place, idempotency } = shop();
      await idempotency.create(
        { idempotencyKey: idempotencyRecordKey(OTHER_CUSTOMER_ID, 'key-1'), bodyHash: 'their-hash', orderId: 'order-theirs', lockExpiresAt: T0 + LOCK_TTL_MS, expiresAt: T0 / 1000 + 60 },
        T0,
      );

      // Act
      const { order, replayed } = await place('key-1');

      // Assess
      expect({ orderId: order.orderId, customerId: order.customerId, replayed }).toEqual({ orderId: 'order-1', customerId: TEST_CUSTOMER_ID, replayed: false });
      expect(idempotency.records.get(idempotencyRecordKey(OTHER_CUSTOMER_ID, 'key-1'))).toMatchObject({ status: 'IN_PROGRESS', orderId: 'order-theirs' });
    });

    it("still replays a customer's own key", async () => {
      const { place } = shop();
      await place('key-1', anOrderRequest({ customerId: OTHER_CUSTOMER_ID }));
      const first = await place('key-1');

      const again = await place('key-1');

      expect(again).toEqual({ order: first.order, replayed: true, accepted: false });
    });
  });
});
