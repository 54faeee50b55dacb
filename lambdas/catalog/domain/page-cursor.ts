import { ValidationError } from '../../shared/errors';
import { SKU_PATTERN } from '../../shared/sku';

/** Where a page of the catalog resumes: the key of the last product of the previous page. */
export interface ProductKey {
  readonly sku: string;
}

/** The opaque `cursor` a client sends back for the next page: base64url of the key as JSON. */
export function encodeCursor(key: ProductKey): string {
  return Buffer.from(JSON.stringify({ sku: key.sku }), 'utf8').toString('base64url');
}

/** Decode a cursor from `encodeCursor`; anything else is a 400 naming `cursor` (never passed on to the table). */
export function decodeCursor(cursor: string): ProductKey {
  const invalid = () =>
    new ValidationError('The cursor is not one this API issued.', {
      errors: [{ field: 'cursor', message: 'must be the nextCursor of an earlier page' }],
    });
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    Object.keys(key).length !== 1 ||
    !('sku' in key) ||
    typeof key.sku !== 'string' ||
    !SKU_PATTERN.test(key.sku)
  ) {
    throw invalid();
  }
  return { sku: key.sku };
}
