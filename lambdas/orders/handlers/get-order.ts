import { requireEnv } from '../../shared/env';
import { apiHandler } from '../../shared/http/api-handler';
import { customerIdOf } from '../../shared/http/caller';
import { jsonResponse } from '../../shared/http/response';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository';
import { getOrder } from '../domain/get-order';

const orders = new DynamoDbOrderRepository(dynamoDbClient(), requireEnv('ORDERS_TABLE_NAME'));

/** GET /orders/{id} → 200 the caller's order (its current status) | 400 / 404 naming `id` (404 for another customer's too). */
export const handler = apiHandler(async (event) => {
  const order = await getOrder(orders, event.pathParameters?.id, customerIdOf(event));
  return jsonResponse(200, order);
});
