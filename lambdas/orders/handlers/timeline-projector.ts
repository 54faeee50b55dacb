import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { eventFromKinesisRecord, processKinesisBatch } from '../../shared/batch/kinesis-batch';
import { requireEnv } from '../../shared/env';
import { logger } from '../../shared/logger';
import { dynamoDbClient } from '../adapters/dynamodb-client';
import { DynamoDbTimelineStore } from '../adapters/dynamodb-timeline-store';
import { projectToTimeline } from '../domain/timeline';

const timeline = new DynamoDbTimelineStore(dynamoDbClient(), requireEnv('TIMELINE_TABLE_NAME'));

/**
 * Kinesis (the order-event log) → one timeline entry per event, in order per shard, idempotent by entry key.
 * Answers a Kinesis partial batch response: a failure stops the batch at that record.
 */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  return processKinesisBatch(event, async (record) => {
    const shopEvent = eventFromKinesisRecord(record);
    const outcome = await projectToTimeline(timeline, shopEvent);
    logger.debug('timeline entry', { orderId: shopEvent.detail.orderId, detailType: shopEvent.detailType, version: shopEvent.detail.version, outcome });
  });
}
