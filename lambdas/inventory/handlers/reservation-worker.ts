import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { sqsEventHandler } from '../../shared/events/event-handler';
import { eventPublisher } from '../../shared/events/publisher';
import { logger } from '../../shared/logger';
import { DynamoDbReservationStore } from '../adapters/dynamodb-reservation-store';
import { DEFAULT_CONTENTION_RETRY } from '../domain/contention-retry';
import { reserveForOrder } from '../domain/reserve-for-order';

const deps = {
  store: new DynamoDbReservationStore(documentClient(), {
    stock: requireEnv('STOCK_TABLE_NAME'),
    reservations: requireEnv('RESERVATIONS_TABLE_NAME'),
  }),
  events: eventPublisher(),
  now: () => new Date(),
  retry: DEFAULT_CONTENTION_RETRY,
};

/**
 * SQS (inventory reservations queue): OrderRequested → reserve the stock, publish StockReserved or StockRejected.
 * Answers a partial batch response; a failed record is retried alone, then reaches the DLQ.
 */
export const handler = sqsEventHandler({ accepts: ['OrderRequested'] }, async (shopEvent) => {
  const decision = await reserveForOrder(deps, shopEvent);
  logger.info('stock decided', { decision: decision.detailType, decisionEventId: decision.detail.eventId });
});
