import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { sqsEventHandler } from '../../shared/events/event-handler';
import { logger } from '../../shared/logger';
import { DynamoDbReservationStore } from '../adapters/dynamodb-reservation-store';
import { DEFAULT_CONTENTION_RETRY } from '../domain/contention-retry';
import { releaseForOrder } from '../domain/release-for-order';

const deps = {
  store: new DynamoDbReservationStore(documentClient(), {
    stock: requireEnv('STOCK_TABLE_NAME'),
    reservations: requireEnv('RESERVATIONS_TABLE_NAME'),
  }),
  now: () => new Date(),
  retry: DEFAULT_CONTENTION_RETRY,
};

/**
 * SQS (inventory release queue): PaymentFailed, OrderCancelled (the events that give an order's stock back) → release
 * the order's reservation (idempotent; no reservation is nothing to do). Answers a partial batch response.
 */
export const handler = sqsEventHandler({ accepts: ['PaymentFailed', 'OrderCancelled'] }, async (shopEvent) => {
  const outcome = await releaseForOrder(deps, shopEvent.detail.orderId);
  logger.info('stock release', { outcome });
});
