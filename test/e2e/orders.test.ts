import { randomUUID } from 'node:crypto';
import { expectProblem } from './support/expect-problem';
import { describeNeeds, useShop } from './support/local-shop';

const localShop = useShop();

const anOrder = (overrides: Record<string, unknown> = {}) => ({
  lines: [{ sku: 'SKU-0001', quantity: 2 }],
  ...overrides,
});

describeNeeds(['user-pool-authorizer'], 'POST /orders (synchronous)', () => {
  it('places an order, reserves its stock and reads it back', async () => {
    // Prepare
    const before = await localShop().stockOf('SKU-0002');

    // Act
    const placed = await localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0002', quantity: 3 }] }));

    // Assess
    expect(placed.status).toBe(201);
    const orderId = placed.json.orderId as string;
    // Location, followed as a client would, leads to the order under the stage this target serves it at.
    const followed = await localShop().follow(placed);
    expect(followed.url.href).toBe(new URL(`orders/${orderId}`, localShop().publicUrl).href);
    expect(followed.status).toBe(200);
    expect(followed.json.orderId).toBe(orderId);
    // The customer is the signed-in user: their token's sub.
    expect(placed.json).toMatchObject({ status: 'CONFIRMED', customerId: localShop().customer.sub, lines: [{ sku: 'SKU-0002', quantity: 3 }] });
    expect(await localShop().stockOf('SKU-0002')).toBe(before - 3);
    const read = await localShop().call('GET', `orders/${orderId}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(placed.json);
  });

  it('returns the same order for a retry with the same key and body, and reserves once', async () => {
    const key = randomUUID();
    const before = await localShop().stockOf('SKU-0003');
    const first = await localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0003', quantity: 1 }] }), { key });
    const retry = await localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0003', quantity: 1 }] }), { key });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json.orderId).toBe(first.json.orderId);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await localShop().stockOf('SKU-0003')).toBe(before - 1);
  });

  it('answers 422 naming Idempotency-Key when a key is reused with a different body', async () => {
    const key = randomUUID();
    await localShop().placeOrder(anOrder(), { key });
    const reused = await localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0001', quantity: 3 }] }), { key });
    expect(reused.status).toBe(422);
    expect(reused.json.errors?.[0].field).toBe('Idempotency-Key');
  });

  it('answers 409 naming the line when stock runs out, and reserves nothing', async () => {
    await localShop().setStock('SKU-0004', 1);
    const res = await localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0005', quantity: 1 }, { sku: 'SKU-0004', quantity: 2 }] }));
    expectProblem(res, 409, 'lines[1].sku');
    expect(await localShop().stockOf('SKU-0004')).toBe(1);
  });
});

describeNeeds(['user-pool-authorizer'], 'GET /orders/{id}', () => {
  it('answers 404 naming id for an order that does not exist', async () => {
    const res = await localShop().call('GET', `orders/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.json.errors?.[0].field).toBe('id');
  });
});

describeNeeds(['user-pool-authorizer'], 'bad input never produces a 5xx', () => {
  const cases: [string, () => Promise<{ status: number; json: { errors?: { field: string }[] } }>, number, string][] = [
    ['malformed JSON', () => localShop().call('POST', 'orders', { rawBody: '{"lines": ', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() } }), 400, 'body'],
    ['a wrong type', () => localShop().placeOrder(anOrder({ lines: 'SKU-0001' })), 400, 'lines'],
    // The customer is the token's; a body that names one is refused, not silently ignored.
    ['a customerId in the body', () => localShop().placeOrder(anOrder({ customerId: 'someone-else' })), 400, 'customerId'],
    ['an unknown field', () => localShop().placeOrder(anOrder({ coupon: 'FREE' })), 400, 'coupon'],
    ['an unknown SKU', () => localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-9999', quantity: 1 }] })), 422, 'lines[0].sku'],
    ['a quantity of zero', () => localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0001', quantity: 0 }] })), 400, 'lines[0].quantity'],
    ['a negative quantity', () => localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0001', quantity: -3 }] })), 400, 'lines[0].quantity'],
    ['a quantity above the limit', () => localShop().placeOrder(anOrder({ lines: [{ sku: 'SKU-0001', quantity: 11 }] })), 400, 'lines[0].quantity'],
    ['a body over the size limit', () => localShop().placeOrder(anOrder({ note: 'x'.repeat(20_000) })), 413, 'body'],
    ['a missing Idempotency-Key', () => localShop().call('POST', 'orders', { body: anOrder() }), 400, 'Idempotency-Key'],
  ];

  it.each(cases)('answers %s with a problem naming the field', async (_name, act, status, field) => {
    const res = await act();
    expect(res.status).toBe(status);
    expect(res.json.errors?.map((e) => e.field)).toContain(field);
  });
});
