import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { DETAIL_TYPES } from '../../shared/events/contracts';
import { sqsEventHandler } from '../../shared/events/event-handler';
import { logger } from '../../shared/logger';
import { metrics } from '../../shared/metrics';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log';
import { sendNotification, type SendNotificationDeps } from '../domain/send-notification';

const deps: SendNotificationDeps = {
  log: new DynamoDbNotificationLog(documentClient(), requireEnv('NOTIFICATIONS_TABLE_NAME')),
  now: () => new Date(),
};

/**
 * The notifications queue (the whole EventBridge event in each body) → one recorded e-mail per customer-facing event;
 * any other event is handled by sending nothing. A failed record is reported in the partial batch response; the
 * others are not processed again.
 */
export const handler = sqsEventHandler({ accepts: DETAIL_TYPES }, async (shopEvent) => {
  const outcome = await sendNotification(deps, shopEvent);
  logger.info('notification handled', { outcome });
  if (outcome === 'sent') metrics.publish('NotificationsSent', 'Count', 1, { template: shopEvent.detailType });
});
