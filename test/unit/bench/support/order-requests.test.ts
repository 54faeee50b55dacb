import { orderMix, orderRequest } from '../../../../bench/support/order-requests';

const URL_ = 'http://127.0.0.1:3000/prod/';
const SKUS = ['SKU-0001', 'SKU-0002', 'SKU-0003'];

describe('orderRequest', () => {
  it('posts one unit of the SKU to /orders with a fresh Idempotency-Key, and Prefer: respond-async for async', () => {
    const sync = orderRequest(URL_, 'sync', 'SKU-0002', 'bench');
    const async = orderRequest(URL_, 'async', 'SKU-0002', 'bench');

    expect(sync).toEqual({
      label: 'sync',
      method: 'POST',
      url: 'http://127.0.0.1:3000/prod/orders',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'bench', lines: [{ sku: 'SKU-0002', quantity: 1 }] }),
      idempotencyKey: true,
    });
    expect(async.headers).toEqual({ 'content-type': 'application/json', prefer: 'respond-async' });
  });
});

describe('orderMix', () => {
  it('spreads the sync share evenly and takes the SKUs in turn', () => {
    const mix = orderMix(URL_, { syncShare: 0.25, skus: SKUS, customerId: 'bench', length: 8 });

    expect(mix.map((r) => r.label)).toEqual(['async', 'async', 'async', 'sync', 'async', 'async', 'async', 'sync']);
    expect(mix.map((r) => JSON.parse(r.body ?? '{}').lines[0].sku)).toEqual(['SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0001', 'SKU-0002']);
  });

  it('alternates one for one at a half share, and is all of one kind at 0 and 1', () => {
    const labels = (syncShare: number) => orderMix(URL_, { syncShare, skus: SKUS, customerId: 'b', length: 4 }).map((r) => r.label);

    expect(labels(0.5)).toEqual(['async', 'sync', 'async', 'sync']);
    expect(labels(0)).toEqual(['async', 'async', 'async', 'async']);
    expect(labels(1)).toEqual(['sync', 'sync', 'sync', 'sync']);
  });

  it('holds the share exactly over its default length of 20 rounds of the catalog', () => {
    const mix = orderMix(URL_, { syncShare: 0.1, skus: Array.from({ length: 60 }, (_, i) => `SKU-${i}`), customerId: 'b' });

    expect(mix).toHaveLength(1200);
    expect(mix.filter((r) => r.label === 'sync')).toHaveLength(120);
  });
});
