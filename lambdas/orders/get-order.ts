import { documentClient } from '../shared/aws/document-client';
import { requireEnv } from '../shared/env';
import { apiHandler } from '../shared/http/api-handler';
import { jsonResponse } from '../shared/http/response';
import { getOrder } from './domain/get-order';
import { DynamoDbOrderLookup } from './dynamodb-order-lookup';

const orders = new DynamoDbOrderLookup(documentClient(), requireEnv('ORDERS_TABLE_NAME'));

/** GET /orders/{id} → 200 order | 400 / 404 naming `id`. */
export const handler = apiHandler(async (event) => {
  const order = await getOrder(orders, event.pathParameters?.id);
  return jsonResponse(200, order);
});
