import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { apiHandler } from '../../shared/http/api-handler';
import { jsonResponse } from '../../shared/http/response';
import { DynamoDbProductCatalog } from '../adapters/dynamodb-product-catalog';
import { getProduct } from '../domain/get-product';

const catalog = new DynamoDbProductCatalog(documentClient(), requireEnv('PRODUCTS_TABLE_NAME'));

/** GET /products/{sku} → 200 product | 400 / 404 naming `sku`. */
export const handler = apiHandler(async (event) => {
  const product = await getProduct(catalog, event.pathParameters?.sku);
  return jsonResponse(200, product);
});
