import { canonicalJson, requestHash } from '../../../../lambdas/orders/domain/request-hash';

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

describe('requestHash', () => {
  it('is the same for the same document whatever its key order', () => {
    const one = { customerId: 'c-1', lines: [{ sku: 'SKU-0001', quantity: 2 }] };
    const other = { lines: [{ quantity: 2, sku: 'SKU-0001' }], customerId: 'c-1' };

    expect(requestHash(one)).toBe(requestHash(other));
    expect(requestHash(one)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when a value or the line order differs', () => {
    const base = { customerId: 'c-1', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }] };

    expect(requestHash({ ...base, customerId: 'c-2' })).not.toBe(requestHash(base));
    expect(requestHash({ ...base, lines: [...base.lines].reverse() })).not.toBe(requestHash(base));
  });
});
