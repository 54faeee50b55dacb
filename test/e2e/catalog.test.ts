import { expectProblem } from './support/expect-problem';
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

  it.each([
    ['a limit out of range', 'products?limit=1000', 'limit'],
    ['a forged cursor', 'products?cursor=not-a-cursor', 'cursor'],
  ])('rejects %s with a 400 problem naming %s', async (_case, route, field) => {
    expectProblem(await localShop().call('GET', route), 400, field);
  });
});

describe('GET /products/{sku}', () => {
  it('returns one product with its price', async () => {
    const res = await localShop().call('GET', 'products/SKU-0001');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ sku: 'SKU-0001', currency: 'EUR' });
    expect(typeof res.json.priceCents).toBe('number');
  });

  it.each([
    [404, 'a product that does not exist', 'products/SKU-9999'],
    [400, 'a malformed sku', 'products/%20bad'],
  ])('answers %d naming sku for %s', async (status, _case, route) => {
    expectProblem(await localShop().call('GET', route), status, 'sku');
  });
});

// The problem+json 404 comes from the API's gateway responses (SyncApi), which an emulator may not apply.
describeNeeds(['gateway-responses'], 'unknown routes', () => {
  it.each([
    ['GET', 'nothing-here'],
    ['DELETE', 'products'],
    ['PUT', 'orders'],
  ])('answers %s /%s with a 404 problem, never a 5xx', async (method, route) => {
    expectProblem(await localShop().call(method, route), 404, 'path');
  });
});
