import { sameLines } from '../../../../lambdas/inventory/domain/reservation';

describe('sameLines', () => {
  const lines = [
    { sku: 'SKU-0001', quantity: 2 },
    { sku: 'SKU-0002', quantity: 1 },
  ];

  it('holds for the same quantities of the same skus in any order', () => {
    expect(sameLines(lines, [...lines].reverse())).toBe(true);
  });

  it('fails for another quantity, another sku or another number of lines', () => {
    expect(sameLines(lines, [{ sku: 'SKU-0001', quantity: 3 }, lines[1]!])).toBe(false);
    expect(sameLines(lines, [lines[0]!, { sku: 'SKU-0003', quantity: 1 }])).toBe(false);
    expect(sameLines(lines, [lines[0]!])).toBe(false);
  });
});
