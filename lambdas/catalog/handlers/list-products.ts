import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { apiHandler } from '../../shared/http/api-handler';
import { jsonResponse } from '../../shared/http/response';
import { DynamoDbProductCatalog } from '../adapters/dynamodb-product-catalog';
import { listProducts } from '../domain/list-products';

const catalog = new DynamoDbProductCatalog(documentClient(), requireEnv('PRODUCTS_TABLE_NAME'));

/** GET /products?limit=&cursor= → 200 `{ items, nextCursor? }` | 400 naming `limit` or `cursor`. */
export const handler = apiHandler(async (event) => {
  const query = event.queryStringParameters ?? {};
  const page = await listProducts(catalog, {
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  });
  return jsonResponse(200, page);
});
