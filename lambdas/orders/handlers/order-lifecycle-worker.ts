import { requireEnv } from '../../shared/env';
import { sqsEventHandler } from '../../shared/events/event-handler';
import { eventPublisher } from '../../shared/events/publisher';
import { logger } from '../../shared/logger';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository';
import { followLifecycleEvent, LIFECYCLE_EVENT_TYPES } from '../domain/order-lifecycle';

const deps = {
  orders: new DynamoDbOrderRepository(dynamoDbClient(), requireEnv('ORDERS_TABLE_NAME')),
  events: eventPublisher(),
  now: () => new Date(),
};

/**
 * SQS (orders lifecycle queue): StockReserved, StockRejected, PaymentCaptured, PaymentFailed, PaymentRefunded,
 * ShipmentCreated, ShipmentCancelled → the order's status, idempotent and out-of-order safe by per-source version;
 * confirming or rejecting an asynchronous order publishes OrderPlaced / OrderRejected v2. Answers a partial batch
 * response: a failed record (publish failed, order unknown, invalid event) is retried alone, then reaches the DLQ.
 */
export const handler = sqsEventHandler({ accepts: LIFECYCLE_EVENT_TYPES }, async (shopEvent) => {
  const outcome = await followLifecycleEvent(deps, shopEvent);
  logger.info('order lifecycle event', { version: shopEvent.detail.version, outcome });
});
