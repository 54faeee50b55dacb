import { orderMix, orderRequest } from '../../../../bench/support/order-requests';

const URL_ = 'http://127.0.0.1:3000/prod/';
const SKUS = ['SKU-0001', 'SKU-0002', 'SKU-0003'];
/** A signed-in customer's ID token, as the public API's user-pool authorizer takes it. */
const ID_TOKEN = 'eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJiZW5jaCJ9.c2ln';

describe('orderRequest', () => {
  it('posts one unit of the SKU to /orders with a fresh Idempotency-Key, and Prefer: respond-async for async', () => {
    const sync = orderRequest(URL_, 'sync', 'SKU-0002', ID_TOKEN);
    const async = orderRequest(URL_, 'async', 'SKU-0002', ID_TOKEN);

    expect(sync).toEqual({
      label: 'sync',
      method: 'POST',
      url: 'http://127.0.0.1:3000/prod/orders',
      headers: { 'content-type': 'application/json', authorization: ID_TOKEN },
      body: JSON.stringify({ lines: [{ sku: 'SKU-0002', quantity: 1 }] }),
      idempotencyKey: true,
    });
    expect(async.headers).toEqual({ 'content-type': 'application/json', authorization: ID_TOKEN, prefer: 'respond-async' });
  });
});

describe('orderMix', () => {
  it("spreads the sync share evenly and takes the SKUs in turn, every order the signed-in customer's", () => {
    const mix = orderMix(URL_, { syncShare: 0.25, skus: SKUS, idToken: ID_TOKEN, length: 8 });

    expect(mix.map((r) => r.label)).toEqual(['async', 'async', 'async', 'sync', 'async', 'async', 'async', 'sync']);
    expect(mix.map((r) => JSON.parse(r.body ?? '{}').lines[0].sku)).toEqual(['SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0001', 'SKU-0002']);
    expect(new Set(mix.map((r) => r.headers?.authorization))).toEqual(new Set([ID_TOKEN]));
  });

  it('alternates one for one at a half share, and is all of one kind at 0 and 1', () => {
    const labels = (syncShare: number) => orderMix(URL_, { syncShare, skus: SKUS, idToken: ID_TOKEN, length: 4 }).map((r) => r.label);

    expect(labels(0.5)).toEqual(['async', 'sync', 'async', 'sync']);
    expect(labels(0)).toEqual(['async', 'async', 'async', 'async']);
    expect(labels(1)).toEqual(['sync', 'sync', 'sync', 'sync']);
  });

  it('holds the share exactly over its default length of 20 rounds of the catalog', () => {
    const mix = orderMix(URL_, { syncShare: 0.1, skus: Array.from({ length: 60 }, (_, i) => `SKU-${i}`), idToken: ID_TOKEN });

    expect(mix).toHaveLength(1200);
    expect(mix.filter((r) => r.label === 'sync')).toHaveLength(120);
  });
});
