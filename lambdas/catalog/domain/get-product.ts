import { NotFoundError, ValidationError } from '../../shared/errors';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';
import type { Product, ProductCatalog } from './product';

/** The product with `sku`: 400 naming `sku` when it is malformed, 404 naming `sku` when there is none. */
export async function getProduct(catalog: ProductCatalog, sku: string | undefined): Promise<Product> {
  if (sku === undefined || !SKU_PATTERN.test(sku)) {
    throw new ValidationError('The sku is malformed.', { errors: [{ field: 'sku', message: SKU_FORMAT_MESSAGE }] });
  }
  const product = await catalog.find(sku);
  if (product === undefined) {
    throw new NotFoundError(`There is no product ${sku}.`, { errors: [{ field: 'sku', message: 'no such product' }] });
  }
  return product;
}
