import { documentClient } from '../../shared/aws/document-client';
import { integerEnv, requireEnv } from '../../shared/env';
import { DETAIL_TYPES } from '../../shared/events/contracts';
import { kinesisEventHandler } from '../../shared/events/event-handler';
import { logger } from '../../shared/logger';
import { DynamoDbSalesTable } from '../adapters/dynamodb-sales-table';
import { projectSale, type ProjectSaleDeps } from '../domain/project-sale';

const deps: ProjectSaleDeps = {
  table: new DynamoDbSalesTable(documentClient(), requireEnv('ANALYTICS_TABLE_NAME')),
  shardCount: integerEnv('SALES_SHARD_COUNT'),
};

/**
 * The order-event log (Kinesis) → per-minute orders, revenue and cancellations, each order's in one of the minute's
 * SALES_SHARD_COUNT shards. Records are counted in order; the first failure stops the batch and is reported, so Lambda
 * retries from it (bisecting) and nothing behind it is counted out of order. A record counted before is skipped by its
 * eventId.
 */
export const handler = kinesisEventHandler({ accepts: DETAIL_TYPES }, async (shopEvent) => {
  const outcome = await projectSale(deps, shopEvent);
  logger.info('sales projected', { outcome });
});
