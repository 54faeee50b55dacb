import * as path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EventLog, EventLogConsumer } from '../patterns/event-log';
import { ServiceFunction } from '../patterns/service-function';
import { SyncApi } from '../patterns/sync-api';
import { TableAlarms } from '../patterns/table-alarms';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';
import { serviceTableProps } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface AnalyticsServiceProps {
  /** The public API that serves `GET /analytics/sales` (read-only, for the staff). */
  readonly api: SyncApi;
  /** The order-event log, read in order. */
  readonly log: EventLog;
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * Reserve each of the service's customer-facing functions its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * The numbers that grow with the rate of orders: the sales projector's parallelization, GET /analytics/sales' reserved concurrency.
   *
   * @default DEFAULT_CAPACITY_PLAN: today's sizing (lib/services/concurrency-budget.ts)
   */
  readonly capacity?: CapacityPlan;
  /**
   * Where the service's alarms notify.
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** Analytics: per-minute orders and revenue, projected in order from the order-event log. */
export class AnalyticsService extends Construct {
  public readonly table: dynamodb.Table;
  public readonly projector: ServiceFunction;
  public readonly consumer: EventLogConsumer;
  public readonly getSales: ServiceFunction;

  constructor(scope: Construct, id: string, props: AnalyticsServiceProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'AnalyticsTable', serviceTableProps({ partitionKey: 'pk', sortKey: 'sk', retainData: props.retainData }));
    new TableAlarms(this.table, 'Alarms', { table: this.table, alarmAction: props.alarmAction });
    this.projector = new ServiceFunction(this, 'SalesProjector', {
      entry: path.join(__dirname, '../../lambdas/analytics/handlers/sales-projector.ts'),
      description: 'Per-minute orders and revenue from the order-event log',
      serviceName: 'analytics',
      environment: { ANALYTICS_TABLE_NAME: this.table.tableName },
      alarmAction: props.alarmAction,
    });
    // One TransactWriteItems per event (DynamoDbSalesTable.add): Put the event's marker, Update the minute's counts.
    grantTableActions(this.table, this.projector.function, ['PutItem', 'UpdateItem']);
    const capacity = props.capacity ?? DEFAULT_CAPACITY_PLAN;
    this.consumer = props.log.addConsumer('Analytics', this.projector, { parallelizationFactor: capacity.orderEventLogParallelization.analytics });

    this.getSales = new ServiceFunction(this, 'GetSales', {
      entry: path.join(__dirname, '../../lambdas/analytics/handlers/get-sales.ts'),
      description: 'GET /analytics/sales: per-minute orders and revenue',
      serviceName: 'analytics',
      environment: { ANALYTICS_TABLE_NAME: this.table.tableName },
      reservedConcurrentExecutions: props.reserveConcurrency ? capacity.customerFacingReservedConcurrency.getSales : undefined,
      alarmAction: props.alarmAction,
    });
    grantTableActions(this.table, this.getSales.function, ['Query']);
    // Signed-in users only; the function lets the staff group's members through (403 for everyone else).
    props.api.addRoute('GET', '/analytics/sales', this.getSales, { authorization: 'USER_POOL' });
  }
}
