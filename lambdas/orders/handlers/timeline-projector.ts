import { requireEnv } from '../../shared/env';
import { DETAIL_TYPES } from '../../shared/events/contracts';
import { kinesisEventHandler } from '../../shared/events/event-handler';
import { logger } from '../../shared/logger';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbTimelineStore } from '../adapters/dynamodb-timeline-store';
import { projectToTimeline } from '../domain/timeline';

const timeline = new DynamoDbTimelineStore(dynamoDbClient(), requireEnv('TIMELINE_TABLE_NAME'));

/**
 * Kinesis (the order-event log) → one timeline entry per event, in order per shard, idempotent by entry key.
 * Answers a Kinesis partial batch response: a failure stops the batch at that record.
 */
export const handler = kinesisEventHandler({ accepts: DETAIL_TYPES }, async (shopEvent) => {
  const outcome = await projectToTimeline(timeline, shopEvent);
  logger.debug('timeline entry', { version: shopEvent.detail.version, outcome });
});
