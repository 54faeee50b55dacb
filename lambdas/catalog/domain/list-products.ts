import { ValidationError } from '../../shared/errors';
import type { ProductCatalog, ProductPage } from './product';

/** Page size when the client gives no `limit`. */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

export interface ListProductsQuery {
  /** Page size as the client sent it: digits only, 1..MAX_PAGE_SIZE. @default DEFAULT_PAGE_SIZE */
  readonly limit?: string;
  /** The `nextCursor` of the previous page. @default - the first page */
  readonly cursor?: string;
}

function pageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const value = /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(value >= 1 && value <= MAX_PAGE_SIZE)) {
    throw new ValidationError('The limit is out of range.', {
      errors: [{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }],
    });
  }
  return value;
}

/** One page of products; a bad `limit` or `cursor` is a 400 naming it. */
export async function listProducts(catalog: ProductCatalog, query: ListProductsQuery): Promise<ProductPage> {
  const limit = pageSize(query.limit);
  return catalog.list(query.cursor === undefined ? { limit } : { limit, cursor: query.cursor });
}
