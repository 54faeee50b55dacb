import { requireEnv } from '../../shared/env';
import { apiHandler } from '../../shared/http/api-handler';
import { customerIdOf } from '../../shared/http/caller';
import { jsonResponse } from '../../shared/http/response';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository';
import { DynamoDbTimelineStore } from '../adapters/dynamodb-timeline-store';
import { getOrderTimeline } from '../domain/timeline';

const client = dynamoDbClient();
const deps = {
  timeline: new DynamoDbTimelineStore(client, requireEnv('TIMELINE_TABLE_NAME')),
  orders: new DynamoDbOrderRepository(client, requireEnv('ORDERS_TABLE_NAME')),
};

/**
 * GET /orders/{id}/timeline → 200 `{ orderId, entries }` of the caller's order, sorted by occurredAt then version
 * | 400 / 404 naming `id` (404 for another customer's order too).
 */
export const handler = apiHandler(async (event) => {
  const timeline = await getOrderTimeline(deps, event.pathParameters?.id, customerIdOf(event));
  return jsonResponse(200, timeline);
});
