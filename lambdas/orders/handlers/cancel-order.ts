import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { integerEnv, requireEnv } from '../../shared/env';
import { eventPublisher } from '../../shared/events/publisher';
import { customerIdOf } from '../../shared/http/caller';
import { jsonBody } from '../../shared/http/json-body';
import { locationOf } from '../../shared/http/location';
import { problemResponses } from '../../shared/http/problem-responses';
import { jsonResponse } from '../../shared/http/response';
import { logger } from '../../shared/logger';
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
const parseJson = jsonBody({ maxBodyBytes: integerEnv('HTTP_MAX_BODY_BYTES') });

/** The body is optional here: none (or an empty one) passes through, any other goes through `jsonBody`. */
const optionalJsonBody: MiddlewareObj<APIGatewayProxyEvent> = {
  name: 'optionalJsonBody',
  before: (request) => {
    if (request.event.body === null || request.event.body === '') return;
    return parseJson.before?.(request);
  },
};

/**
 * POST /orders/{id}/cancel (body optional: `{ reason? }`) → 202 the order, CANCELLED, and OrderCancelled published
 * (the compensations follow from it) | 202 again for an order already cancelled, publishing the same event again
 * | 409 naming `id` for a REJECTED order | 400 / 404 naming `id` (404 for another customer's order too) | 401 without a
 * signed-in customer | 503 + Retry-After when the event could not be
 * published (the cancellation is saved; retrying publishes it).
 */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  // optionalJsonBody replaced a present body with the parsed document; an absent one means no reason.
  const customerId = customerIdOf(event);
  const body: unknown = event.body === null || event.body === '' ? {} : event.body;
  const { reason } = parseInput(cancelOrderRequest, body, 'body');
  const order = await cancelOrder(deps, event.pathParameters?.id, customerId, reason);
  return jsonResponse(202, order, { location: locationOf(event, `/orders/${order.orderId}`) });
})
  .before((request) => {
    logger.addContext(request.context);
  })
  .use(problemResponses())
  .use(optionalJsonBody);
