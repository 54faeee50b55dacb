import * as z from 'zod/mini';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';

/** A product as the catalog sells it. Prices are integer cents in `currency`. */
export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly priceCents: number;
  readonly currency: string;
}

/** One page of the catalog; `nextCursor` is absent on the last page. */
export interface ProductPage {
  readonly items: readonly Product[];
  readonly nextCursor?: string;
}

/** `Product` as a schema: what the API documents say GET /products/{sku} answers (`npm run contracts`). */
export function productSchema(): z.ZodMiniType<Product> {
  return z.object({
    sku: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    priceCents: z.int().check(z.minimum(0)),
    currency: z.string(),
  });
}

/** `ProductPage` as a schema: what the API documents say GET /products answers. */
export function productPageSchema(): z.ZodMiniType<ProductPage> {
  return z.object({ items: z.array(productSchema()), nextCursor: z.optional(z.string()) });
}

/** Where the catalog reads products from (the products table at the edge, a fake in tests). */
export interface ProductCatalog {
  find(sku: string): Promise<Product | undefined>;
  /** Up to `limit` products after `cursor` (an opaque token from an earlier page). */
  list(page: { readonly limit: number; readonly cursor?: string }): Promise<ProductPage>;
}
