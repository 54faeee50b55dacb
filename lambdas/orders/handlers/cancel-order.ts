import { integerEnv, requireEnv } from '../../shared/env';
import { eventPublisher } from '../../shared/events/publisher';
import { jsonApiHandler } from '../../shared/http/api-handler';
import { customerIdOf } from '../../shared/http/caller';
import { locationOf } from '../../shared/http/location';
import { jsonResponse } from '../../shared/http/response';
import { parseInput } from '../../shared/validation';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository';
import { OrderEventBus } from '../adapters/order-event-bus';
import { cancelOrder } from '../domain/cancel-order';
import { cancelOrderRequest } from '../domain/cancel-order-request';

const deps = {
  orders: new DynamoDbOrderRepository(dynamoDbClient(), requireEnv('ORDERS_TABLE_NAME')),
  events: new OrderEventBus(eventPublisher()),
  now: () => new Date(),
};

/**
 * POST /orders/{id}/cancel (body optional: `{ reason? }`) → 202 the order, CANCELLED, and OrderCancelled published
 * (the compensations follow from it) | 202 again for an order already cancelled, publishing the same event again
 * | 409 naming `id` for a REJECTED order | 400 / 404 naming `id` (404 for another customer's order too) | 401 without a
 * signed-in customer | 503 + Retry-After when the event could not be
 * published (the cancellation is saved; retrying publishes it).
 */
export const handler = jsonApiHandler({ maxBodyBytes: integerEnv('HTTP_MAX_BODY_BYTES'), optionalBody: true }, async (event) => {
  const customerId = customerIdOf(event);
  // No body, or a JSON null, means no reason.
  const { reason } = parseInput(cancelOrderRequest, event.body ?? {}, 'body');
  const order = await cancelOrder(deps, event.pathParameters?.id, customerId, reason);
  return jsonResponse(202, order, { location: locationOf(event, `/orders/${order.orderId}`) });
});
