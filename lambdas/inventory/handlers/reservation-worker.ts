import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient } from '../../shared/aws/document-client';
import { eventFromSqsRecord, processSqsBatch } from '../../shared/batch/sqs-batch';
import { requireEnv } from '../../shared/env';
import { eventPublisher } from '../../shared/events/publisher';
import { UnexpectedEventError } from '../../shared/events/unexpected-event-error';
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
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return processSqsBatch(event, async (record) => {
    const shopEvent = eventFromSqsRecord(record);
    if (shopEvent.detailType !== 'OrderRequested') throw new UnexpectedEventError(shopEvent.detailType, ['OrderRequested']);
    const decision = await reserveForOrder(deps, shopEvent);
    logger.info('stock decided', { orderId: shopEvent.detail.orderId, decision: decision.detailType, eventId: decision.detail.eventId });
  });
}
