import { SQSClient } from '@aws-sdk/client-sqs';
import { PLAIN_CLIENT_CONFIG } from '../../shared/aws/plain-client-config';
import { requireEnv } from '../../shared/env';
import { eventBridgeHandler } from '../../shared/events/event-handler';
import { logger } from '../../shared/logger';
import { SqsPaymentQueue } from '../adapters/sqs-payment-queue';
import { PAYMENT_COMMAND_EVENTS, requestPayment } from '../domain/request-payment';

const queue = new SqsPaymentQueue(new SQSClient(PLAIN_CLIENT_CONFIG), requireEnv('PAYMENTS_QUEUE_URL'));

/**
 * EventBridge rule → this function (asynchronous invocation): OrderPlaced → CHARGE, OrderCancelled → REFUND, sent to
 * the payments FIFO queue with MessageGroupId = orderId and MessageDeduplicationId = the event's eventId.
 * Any failure throws, so Lambda retries the invocation and, after its retries, sends the event to the on-failure
 * destination.
 */
export const handler = eventBridgeHandler({ accepts: PAYMENT_COMMAND_EVENTS }, async (shopEvent) => {
  const command = await requestPayment(queue, shopEvent);
  logger.info('payment command enqueued', { command: command.command });
});
