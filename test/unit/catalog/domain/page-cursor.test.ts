import { decodeCursor, encodeCursor } from '../../../../lambdas/catalog/domain/page-cursor';
import { ValidationError } from '../../../../lambdas/shared/errors';

describe('page cursors', () => {
  it('decode to the key they were encoded from', () => {
    const cursor = encodeCursor({ sku: 'SKU-0042' });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ sku: 'SKU-0042' });
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('sku=1').toString('base64url')],
    ['not an object', Buffer.from('"SKU-0001"').toString('base64url')],
    ['a malformed sku', Buffer.from('{"sku":"drop table"}').toString('base64url')],
    ['extra attributes', Buffer.from('{"sku":"SKU-0001","admin":true}').toString('base64url')],
    ['too long', 'A'.repeat(201)],
  ])('are rejected when %s, naming cursor', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ValidationError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as ValidationError).errors?.[0]?.field).toBe('cursor');
    }
  });
});
