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

/** Where the catalog reads products from (the products table at the edge, a fake in tests). */
export interface ProductCatalog {
  find(sku: string): Promise<Product | undefined>;
  /** Up to `limit` products after `cursor` (an opaque token from an earlier page). */
  list(page: { readonly limit: number; readonly cursor?: string }): Promise<ProductPage>;
}
