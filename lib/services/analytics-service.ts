import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { EventLog, EventLogConsumer } from '../patterns/event-log';
import type { ServiceFunction } from '../patterns/service-function';
import type { SyncApi } from '../patterns/sync-api';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface AnalyticsServiceProps extends ServiceProps {
  /** The public API that serves `GET /analytics/sales` (read-only, for the staff). */
  readonly api: SyncApi;
  /** The order-event log, read in order. */
  readonly log: EventLog;
  /**
   * Reserve the service's customer-facing function, `getSales`, its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
}

/** Analytics: per-minute orders and revenue, projected in order from the order-event log. */
export class AnalyticsService extends Construct {
  public readonly table: dynamodb.Table;
  public readonly projector: ServiceFunction;
  public readonly consumer: EventLogConsumer;
  public readonly getSales: ServiceFunction;

  constructor(scope: Construct, id: string, props: AnalyticsServiceProps) {
    super(scope, id);
    this.table = createServiceTable(this, 'AnalyticsTable', { partitionKey: 'pk', sortKey: 'sk' }, props);
    const functions = new ServiceFunctions(this, 'analytics', props);
    // Each minute's sales bucket is spread over this many partition keys (the projector writes one, GET /analytics/sales
    // reads them all), sized by the capacity plan. Growing it is safe; lowering it (a deploy for a lower rate) leaves the
    // minutes counted in the shards it drops unread: they stay in the table, and count again when it grows back.
    const environment = { ANALYTICS_TABLE_NAME: this.table.tableName, SALES_SHARD_COUNT: String(capacityOf(props).salesBucketShards) };
    this.projector = functions.create('SalesProjector', 'sales-projector', {
      description: 'Per-minute orders and revenue from the order-event log',
      environment,
    });
    // One TransactWriteItems per event (DynamoDbSalesTable.add): Put the event's marker, Update the minute's counts.
    grantTableActions(this.table, this.projector.function, ['PutItem', 'UpdateItem']);
    this.consumer = props.log.addConsumer('Analytics', this.projector, { parallelizationFactor: capacityOf(props).orderEventLogParallelization.analytics });

    this.getSales = functions.create('GetSales', 'get-sales', {
      description: 'GET /analytics/sales: per-minute orders and revenue',
      environment,
      reservedConcurrentExecutions: props.reserveConcurrency ? capacityOf(props).customerFacingReservedConcurrency.getSales : undefined,
    });
    // One Query per shard of the range (DynamoDbSalesTable.minutes), all at once.
    grantTableActions(this.table, this.getSales.function, ['Query']);
    // Signed-in users only; the function lets the staff group's members through (403 for everyone else).
    props.api.addRoute('GET', '/analytics/sales', this.getSales, { authorization: 'USER_POOL' });
  }
}
