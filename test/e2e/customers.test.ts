import { randomUUID } from 'node:crypto';
import type { Customer } from './support/customers';
import { expectProblem } from './support/expect-problem';
import { describeNeeds, useShop } from './support/local-shop';

const localShop = useShop();

const anOrder = (sku = 'SKU-0030') => ({ lines: [{ sku, quantity: 1 }] });

/** The routes only a signed-in user may call, each with a request that would succeed for the order's own customer. */
const CUSTOMER_ROUTES: readonly { readonly name: string; readonly call: (orderId: string) => [method: string, route: string, body?: unknown] }[] = [
  { name: 'POST /orders', call: () => ['POST', 'orders', anOrder()] },
  { name: 'GET /orders/{id}', call: (id) => ['GET', `orders/${id}`] },
  { name: 'GET /orders/{id}/timeline', call: (id) => ['GET', `orders/${id}/timeline`] },
  { name: 'POST /orders/{id}/cancel', call: (id) => ['POST', `orders/${id}/cancel`] },
  { name: 'GET /analytics/sales', call: () => ['GET', 'analytics/sales'] },
];

/** A token like `token` whose payload names someone else: its signature no longer matches. */
function withForgedSub(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(String(payload), 'base64url').toString('utf8')) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url'), signature].join('.');
}

describe('who may call what', () => {
  it('serves the catalog to anyone', async () => {
    const res = await localShop().call('GET', 'products/SKU-0001', { as: 'anonymous' });

    expect(res.status).toBe(200);
  });

  it.each(CUSTOMER_ROUTES.map((route) => [route.name, route] as const))('answers %s without a token with 401 problem+json', async (_name, route) => {
    const [method, path, body] = route.call(randomUUID());

    const res = await localShop().call(method, path, { as: 'anonymous', ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': randomUUID() } });

    expectProblem(res, 401);
  });

  it.each([
    ['a token whose payload was changed', (token: string) => withForgedSub(token)],
    ['a token whose signature was changed', (token: string) => `${token.slice(0, -6)}${token.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`],
    ['a string that is no token', () => 'Bearer not-a-token'],
  ])('answers %s with 401 problem+json', async (_name, tamper) => {
    const res = await localShop().call('GET', `orders/${randomUUID()}`, { headers: { authorization: tamper(localShop().customer.idToken) } });

    expectProblem(res, 401);
  });
});

describeNeeds(['user-pool-authorizer'], "one customer and another's orders", () => {
  let other: Customer;

  beforeAll(async () => {
    other = await localShop().customers.create({ label: 'other' });
  });

  it("answers another customer's order, timeline and cancel with the 404 of an order that does not exist, and cancels nothing", async () => {
    // Prepare
    const placed = await localShop().placeOrder(anOrder('SKU-0032'));
    expect(placed.status).toBe(201);
    const orderId = String(placed.json.orderId);
    const missing = randomUUID();

    // Act
    const theirs = {
      order: await localShop().call('GET', `orders/${orderId}`, { as: other }),
      timeline: await localShop().call('GET', `orders/${orderId}/timeline`, { as: other }),
      cancel: await localShop().call('POST', `orders/${orderId}/cancel`, { as: other }),
    };
    const none = {
      order: await localShop().call('GET', `orders/${missing}`, { as: other }),
      timeline: await localShop().call('GET', `orders/${missing}/timeline`, { as: other }),
      cancel: await localShop().call('POST', `orders/${missing}/cancel`, { as: other }),
    };

    // Assess: the same answer, apart from the id it names
    for (const key of ['order', 'timeline', 'cancel'] as const) {
      expectProblem(theirs[key], 404);
      expect(theirs[key].body.replaceAll(orderId, '<id>')).toBe(none[key].body.replaceAll(missing, '<id>'));
    }
    // The order goes on its way (paid, shipped), never cancelled.
    const after = await localShop().call('GET', `orders/${orderId}`);
    expect(after.json.status).not.toBe('CANCELLED');
    expect(after.json.cancellation).toBeUndefined();
  });

  it("places the order for the token's customer, and keeps each customer's Idempotency-Keys apart", async () => {
    // Act: one key, two customers
    const key = randomUUID();
    const mine = await localShop().placeOrder(anOrder('SKU-0033'), { key });
    const theirs = await localShop().placeOrder(anOrder('SKU-0033'), { key, as: other });

    // Assess: two orders, neither a replay of the other
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.json.orderId).not.toBe(mine.json.orderId);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(mine.json.customerId).toBe(localShop().customer.sub);
    expect(theirs.json.customerId).toBe(other.sub);
  });

  it("leaves the customer's order as it was after anonymous calls to cancel it", async () => {
    // Prepare
    const placed = await localShop().placeOrder(anOrder('SKU-0031'));
    expect(placed.status).toBe(201);
    const orderId = String(placed.json.orderId);

    // Act
    const cancel = await localShop().call('POST', `orders/${orderId}/cancel`, { as: 'anonymous' });
    const forged = await localShop().call('POST', `orders/${orderId}/cancel`, { headers: { authorization: withForgedSub(localShop().customer.idToken) } });

    // Assess
    expectProblem(cancel, 401);
    expectProblem(forged, 401);
    const after = await localShop().call('GET', `orders/${orderId}`);
    expect(after.status).toBe(200);
    expect(after.json.cancellation).toBeUndefined();
  });

  it('takes a token refreshed with REFRESH_TOKEN_AUTH', async () => {
    const placed = await localShop().placeOrder(anOrder('SKU-0034'));
    expect(placed.status).toBe(201);

    const refreshed = await localShop().customers.refresh(localShop().customer);
    const res = await localShop().call('GET', `orders/${String(placed.json.orderId)}`, { as: refreshed });

    expect(res.status).toBe(200);
  });
});

describeNeeds(['user-pool-authorizer'], 'the sales figures', () => {
  it("are refused to a customer outside the staff group with 403 problem+json, and served to the staff", async () => {
    const customer = await localShop().call('GET', 'analytics/sales', { as: localShop().customer });
    const staff = await localShop().call('GET', 'analytics/sales', { as: await localShop().staff() });

    expectProblem(customer, 403);
    expect(customer.json.errors?.[0]?.field).toBe('Authorization');
    expect(staff.status).toBe(200);
    expect(staff.json.totals).toBeDefined();
  });
});
