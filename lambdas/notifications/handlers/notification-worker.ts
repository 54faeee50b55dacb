import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient } from '../../shared/aws/document-client';
import { eventFromSqsRecord, processSqsBatch } from '../../shared/batch/sqs-batch';
import { requireEnv } from '../../shared/env';
import { logger } from '../../shared/logger';
import { metrics } from '../../shared/metrics';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log';
import { sendNotification, type SendNotificationDeps } from '../domain/send-notification';

const deps: SendNotificationDeps = {
  log: new DynamoDbNotificationLog(documentClient(), requireEnv('NOTIFICATIONS_TABLE_NAME')),
  now: () => new Date(),
};

/**
 * The notifications queue (the whole EventBridge event in each body) → one recorded e-mail per customer-facing event.
 * A failed record is reported in the partial batch response; the others are not processed again.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  return processSqsBatch(event, async (record) => {
    const shopEvent = eventFromSqsRecord(record);
    const outcome = await sendNotification(deps, shopEvent);
    logger.info('notification handled', {
      orderId: shopEvent.detail.orderId,
      eventId: shopEvent.detail.eventId,
      detailType: shopEvent.detailType,
      outcome,
    });
    if (outcome === 'sent') metrics.publish('NotificationsSent', 'Count', 1, { template: shopEvent.detailType });
  });
};
