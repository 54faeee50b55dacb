import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { errorAttributes } from '../../shared/batch/record-failure';
import { requireEnv } from '../../shared/env';
import { parseEventBridgeEvent } from '../../shared/events/contracts';
import { logger } from '../../shared/logger';
import { SqsPaymentQueue } from '../adapters/sqs-payment-queue';
import { requestPayment } from '../domain/request-payment';

const queue = new SqsPaymentQueue(new SQSClient({}), requireEnv('PAYMENTS_QUEUE_URL'));

/**
 * EventBridge rule → this function (asynchronous invocation): OrderPlaced → CHARGE, OrderCancelled → REFUND, sent to
 * the payments FIFO queue with MessageGroupId = orderId and MessageDeduplicationId = the event's eventId.
 * Any failure throws, so Lambda retries the invocation and, after its retries, sends the event to the on-failure
 * destination.
 */
export const handler = async (event: unknown, context: Context): Promise<void> => {
  logger.addContext(context);
  const shopEvent = parseEventBridgeEvent(event);
  const { orderId, eventId } = shopEvent.detail;
  try {
    const command = await requestPayment(queue, shopEvent);
    logger.info('payment command enqueued', { orderId, eventId, detailType: shopEvent.detailType, command: command.command });
  } catch (error) {
    logger.error('payment command not enqueued', { orderId, eventId, detailType: shopEvent.detailType, ...errorAttributes(error) });
    throw error;
  }
};
