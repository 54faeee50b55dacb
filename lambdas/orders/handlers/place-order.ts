import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { baseUrlEnv, integerEnv, requireEnv } from '../../shared/env';
import { ValidationError } from '../../shared/errors';
import { eventPublisher } from '../../shared/events/publisher';
import { jsonApiHandler } from '../../shared/http/api-handler';
import { customerIdOf } from '../../shared/http/caller';
import { correlationIdOf } from '../../shared/http/correlation-id';
import { resolveExecuteApiUrl } from '../../shared/http/execute-api-url';
import { locationOf } from '../../shared/http/location';
import { prefersRespondAsync } from '../../shared/http/prefer-header';
import { headerValue } from '../../shared/http/request';
import { jsonResponse } from '../../shared/http/response';
import { parseInput } from '../../shared/validation';
import { reportStateChanges } from '../adapters/circuit-breaker-telemetry';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb-idempotency-store';
import { DynamoDbOrderStore } from '../adapters/dynamodb-order-store';
import { DynamoDbPriceList } from '../adapters/dynamodb-price-list';
import { InventoryClient } from '../adapters/inventory-client';
import { OrderEventBus } from '../adapters/order-event-bus';
import { CircuitBreaker } from '../domain/circuit-breaker';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order';
import { IDEMPOTENCY_KEY_PATTERN, placeOrderRequest } from '../domain/place-order-request';

const client = dynamoDbClient();
const idempotencyTable = requireEnv('IDEMPOTENCY_TABLE_NAME');
const requestSchema = placeOrderRequest(integerEnv('ORDER_MAX_QUANTITY', { default: 10, max: 1000 }));
const maxBodyBytes = integerEnv('HTTP_MAX_BODY_BYTES');

// One breaker per Lambda execution environment: module scope outlives invocations, so the requests one environment
// serves share a failure history; other environments (concurrent instances) each keep their own.
const breaker = new CircuitBreaker({
  failureThreshold: integerEnv('INVENTORY_BREAKER_FAILURE_THRESHOLD', { default: 5 }),
  windowMs: integerEnv('INVENTORY_BREAKER_WINDOW_MS', { default: 10_000 }),
  openMs: integerEnv('INVENTORY_BREAKER_OPEN_MS', { default: 5_000 }),
});
reportStateChanges(breaker);

const deps: PlaceOrderDeps = {
  idempotency: new DynamoDbIdempotencyStore(client, idempotencyTable),
  prices: new DynamoDbPriceList(client, requireEnv('PRODUCTS_TABLE_NAME')),
  inventory: new InventoryClient({
    // With AWS_ENDPOINT_URL set (an emulator), the API's execute-api URL moves to the endpoint, as the SDKs' calls do.
    baseUrl: resolveExecuteApiUrl(baseUrlEnv('INVENTORY_API_URL')),
    region: requireEnv('AWS_REGION'),
    timeoutMs: integerEnv('INVENTORY_TIMEOUT_MS', { default: 1_000, max: 60_000 }),
    breaker,
  }),
  orders: new DynamoDbOrderStore(client, { orders: requireEnv('ORDERS_TABLE_NAME'), idempotency: idempotencyTable }),
  events: new OrderEventBus(eventPublisher()),
  now: Date.now,
  newOrderId: randomUUID,
};

/** Used as the key's lock when the context cannot tell the time left (never on Lambda). */
const FALLBACK_LOCK_TTL_MS = 30_000;

/** The key is held while this invocation may still run: after that a retry may take it over. */
function lockTtlMs(context: Context): number {
  return typeof context.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : FALLBACK_LOCK_TTL_MS;
}

/**
 * POST /orders (for the signed-in customer: the token's `sub`; the body names no customer)
 * → 201 order + Location (synchronous: stock reserved, OrderPlaced published)
 * | with `Prefer: respond-async` (RFC 7240): 202 order (PENDING) + Location + `Preference-Applied: respond-async`
 *   (OrderRequested published; inventory reserves from its queue, the client follows GET /orders/{id})
 * | `Idempotent-Replayed: true` on a replay (keys are per customer) | 400 / 409 / 413 / 415 / 422 naming the field
 * | 401 without a signed-in customer
 * | 503 + Retry-After when inventory is unavailable (synchronous mode) or the event could not be published.
 */
export const handler = jsonApiHandler({ maxBodyBytes }, async (event, context) => {
  const customerId = customerIdOf(event);
  const idempotencyKey = headerValue(event, 'idempotency-key');
  if (idempotencyKey === undefined || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw new ValidationError('Every order needs an Idempotency-Key header.', {
      errors: [{ field: 'Idempotency-Key', message: 'is required: 1 to 255 visible ASCII characters' }],
    });
  }
  const request = { ...parseInput(requestSchema, event.body, 'body'), customerId };
  const { order, replayed, accepted } = await placeOrder(deps, {
    idempotencyKey,
    request,
    lockTtlMs: lockTtlMs(context),
    respondAsync: prefersRespondAsync(event),
    correlationId: correlationIdOf(event),
  });
  return jsonResponse(accepted ? 202 : 201, order, {
    location: locationOf(event, `/orders/${order.orderId}`),
    ...(accepted ? { 'preference-applied': 'respond-async' } : {}),
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
});
