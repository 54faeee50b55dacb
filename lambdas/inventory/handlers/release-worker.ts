import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient } from '../../shared/aws/document-client';
import { eventFromSqsRecord, processSqsBatch } from '../../shared/batch/sqs-batch';
import { requireEnv } from '../../shared/env';
import { UnexpectedEventError } from '../../shared/events/unexpected-event-error';
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

/** The events that give an order's stock back. */
const RELEASING: readonly string[] = ['PaymentFailed', 'OrderCancelled'];

/**
 * SQS (inventory release queue): PaymentFailed, OrderCancelled → release the order's reservation (idempotent; no
 * reservation is nothing to do). Answers a partial batch response.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return processSqsBatch(event, async (record) => {
    const shopEvent = eventFromSqsRecord(record);
    if (!RELEASING.includes(shopEvent.detailType)) throw new UnexpectedEventError(shopEvent.detailType, RELEASING);
    const outcome = await releaseForOrder(deps, shopEvent.detail.orderId);
    logger.info('stock release', { orderId: shopEvent.detail.orderId, cause: shopEvent.detailType, eventId: shopEvent.detail.eventId, outcome });
  });
}
