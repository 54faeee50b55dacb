import { SKU_PATTERN } from '../../../../lambdas/shared/sku';
import { LOW_STOCK_SKU, sampleProducts, sampleStock } from '../../../../lambdas/catalog/domain/sample-products';

describe('sampleProducts', () => {
  it('lists 60 products with unique, well-formed skus from SKU-0001 to SKU-0060', () => {
    const skus = sampleProducts().map((product) => product.sku);

    expect(skus).toHaveLength(60);
    expect(new Set(skus).size).toBe(60);
    expect(skus.every((sku) => SKU_PATTERN.test(sku))).toBe(true);
    expect([skus[0], skus[59]]).toEqual(['SKU-0001', 'SKU-0060']);
  });

  it('gives every product a name, category and positive EUR price in whole cents', () => {
    for (const product of sampleProducts()) {
      expect(product.name).not.toBe('');
      expect(product.category).not.toBe('');
      expect(Number.isInteger(product.priceCents) && product.priceCents > 0).toBe(true);
      expect(product.currency).toBe('EUR');
    }
  });

  it('is deterministic', () => {
    expect(sampleProducts()).toEqual(sampleProducts());
  });
});

describe('sampleStock', () => {
  it('stocks 100 of every product but 3 of the low-stock one', () => {
    const stock = sampleStock();

    expect(stock.map((s) => s.sku)).toEqual(sampleProducts().map((p) => p.sku));
    expect(stock.find((s) => s.sku === LOW_STOCK_SKU)?.available).toBe(3);
    expect(stock.filter((s) => s.sku !== LOW_STOCK_SKU).every((s) => s.available === 100)).toBe(true);
    expect(LOW_STOCK_SKU).toBe('SKU-0060');
  });
});
