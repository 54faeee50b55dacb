import { describeNeeds, useShop } from './support/local-shop';

const localShop = useShop();

describe('GET /products', () => {
  it('pages through the whole seeded catalog with cursors, each product once', async () => {
    // Act
    const skus: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await localShop().call('GET', `products?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      const items = page.json.items as { sku: string }[];
      expect(items.length).toBeLessThanOrEqual(20);
      skus.push(...items.map((i) => i.sku));
      cursor = page.json.nextCursor as string | undefined;
      pages++;
    } while (cursor && pages < 10);

    // Assess
    expect(new Set(skus).size).toBe(skus.length);
    expect(skus.length).toBeGreaterThanOrEqual(50);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('rejects a limit out of range with a problem naming limit', async () => {
    const res = await localShop().call('GET', 'products?limit=1000');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.errors?.[0].field).toBe('limit');
  });

  it('rejects a forged cursor with a problem naming cursor', async () => {
    const res = await localShop().call('GET', 'products?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].field).toBe('cursor');
  });
});

describe('GET /products/{sku}', () => {
  it('returns one product with its price', async () => {
    const res = await localShop().call('GET', 'products/SKU-0001');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ sku: 'SKU-0001', currency: 'EUR' });
    expect(typeof res.json.priceCents).toBe('number');
  });

  it('answers 404 naming sku for a product that does not exist', async () => {
    const res = await localShop().call('GET', 'products/SKU-9999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.errors?.[0].field).toBe('sku');
  });

  it('answers 400 naming sku for a malformed sku', async () => {
    const res = await localShop().call('GET', 'products/%20bad');
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].field).toBe('sku');
  });
});

// The problem+json 404 comes from the API's gateway responses (SyncApi), which an emulator may not apply.
describeNeeds(['gateway-responses'], 'unknown routes', () => {
  it.each([
    ['GET', 'nothing-here'],
    ['DELETE', 'products'],
    ['PUT', 'orders'],
  ])('answers %s /%s with a 404 problem, never a 5xx', async (method, route) => {
    const res = await localShop().call(method, route);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.status).toBe(404);
    expect(res.json.errors?.[0].field).toBe('path');
  });
});
