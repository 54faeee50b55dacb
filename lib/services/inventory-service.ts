import * as path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import { EventFanout } from '../patterns/event-fanout';
import { QueueWorker } from '../patterns/queue-worker';
import { ServiceFunction } from '../patterns/service-function';
import { SyncApi } from '../patterns/sync-api';
import { TableAlarms } from '../patterns/table-alarms';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';
import { serviceTableProps } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface InventoryServiceProps {
  /** The internal API: every inventory route is IAM-authorized, callable only by services granted access. */
  readonly api: SyncApi;
  /** The event bus: inventory reserves on OrderRequested, releases on PaymentFailed / OrderCancelled. */
  readonly events: EventFanout;
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * Reserve the reservation function, which order placement calls synchronously, its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * The numbers that grow with the rate of orders: the queues' consumer caps, POST /reservations' reserved concurrency.
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

/**
 * Inventory: owns stock levels and reservations. Reserves synchronously for orders placed synchronously, and
 * from its own queue for orders placed asynchronously; releases from a queue as a compensation.
 */
export class InventoryService extends Construct {
  public readonly stockTable: dynamodb.Table;
  public readonly reservationsTable: dynamodb.Table;
  public readonly createReservation: ServiceFunction;
  public readonly releaseReservation: ServiceFunction;
  public readonly api: SyncApi;
  public readonly reservationWorker: QueueWorker;
  public readonly releaseWorker: QueueWorker;

  constructor(scope: Construct, id: string, props: InventoryServiceProps) {
    super(scope, id);
    this.api = props.api;
    const capacity = props.capacity ?? DEFAULT_CAPACITY_PLAN;

    this.stockTable = new dynamodb.Table(this, 'StockTable', serviceTableProps({ partitionKey: 'sku', retainData: props.retainData }));
    this.reservationsTable = new dynamodb.Table(this, 'ReservationsTable', serviceTableProps({ partitionKey: 'orderId', retainData: props.retainData }));
    for (const table of [this.stockTable, this.reservationsTable]) new TableAlarms(table, 'Alarms', { table, alarmAction: props.alarmAction });
    const environment = {
      STOCK_TABLE_NAME: this.stockTable.tableName,
      RESERVATIONS_TABLE_NAME: this.reservationsTable.tableName,
    };
    // DynamoDbReservationStore: `reserve` is one TransactWriteItems (Update each line's stock, Put the reservation),
    // `release` another (Update the reservation to RELEASED, Update each line's stock), `find` a GetItem.
    const grantReserve = (fn: ServiceFunction) => {
      grantTableActions(this.stockTable, fn.function, ['UpdateItem']);
      // GetItem: a repeated reservation (same orderId) is answered from the stored one.
      grantTableActions(this.reservationsTable, fn.function, ['PutItem', 'GetItem']);
    };
    const grantRelease = (fn: ServiceFunction) => {
      grantTableActions(this.stockTable, fn.function, ['UpdateItem']);
      grantTableActions(this.reservationsTable, fn.function, ['GetItem', 'UpdateItem']);
    };

    this.createReservation = new ServiceFunction(this, 'CreateReservation', {
      entry: path.join(__dirname, '../../lambdas/inventory/handlers/create-reservation.ts'),
      description: 'POST /reservations: reserve stock for an order, all lines or none',
      serviceName: 'inventory',
      environment,
      reservedConcurrentExecutions: props.reserveConcurrency ? capacity.customerFacingReservedConcurrency.createReservation : undefined,
      alarmAction: props.alarmAction,
    });
    this.releaseReservation = new ServiceFunction(this, 'ReleaseReservation', {
      entry: path.join(__dirname, '../../lambdas/inventory/handlers/release-reservation.ts'),
      description: 'DELETE /reservations/{orderId}: give reserved stock back, once',
      serviceName: 'inventory',
      environment,
      alarmAction: props.alarmAction,
    });
    grantReserve(this.createReservation);
    grantRelease(this.releaseReservation);

    props.api.addRoute('POST', '/reservations', this.createReservation, { authorization: 'IAM' });
    props.api.addRoute('DELETE', '/reservations/{orderId}', this.releaseReservation, { authorization: 'IAM' });

    const reserveFn = new ServiceFunction(this, 'ReservationWorker', {
      entry: path.join(__dirname, '../../lambdas/inventory/handlers/reservation-worker.ts'),
      description: 'Reserves stock for orders placed asynchronously (OrderRequested)',
      serviceName: 'inventory',
      environment: { ...environment, EVENT_BUS_NAME: props.events.bus.eventBusName },
      alarmAction: props.alarmAction,
    });
    const releaseFn = new ServiceFunction(this, 'ReleaseWorker', {
      entry: path.join(__dirname, '../../lambdas/inventory/handlers/release-worker.ts'),
      description: 'Releases reserved stock when a payment fails or an order is cancelled',
      serviceName: 'inventory',
      environment,
      alarmAction: props.alarmAction,
    });
    grantReserve(reserveFn);
    grantRelease(releaseFn);
    // StockReserved or StockRejected.
    props.events.grantPutEvents(reserveFn.function, [EVENT_SOURCES.inventory]);
    this.reservationWorker = new QueueWorker(this, 'Reservations', {
      handler: reserveFn,
      maxConcurrency: capacity.queueMaxConcurrency.inventoryReservations,
      alarmAction: props.alarmAction,
    });
    this.releaseWorker = new QueueWorker(this, 'Releases', {
      handler: releaseFn,
      maxConcurrency: capacity.queueMaxConcurrency.inventoryReleases,
      alarmAction: props.alarmAction,
    });
    props.events.route('InventoryOnOrderRequested', {
      description: 'OrderRequested → reserve stock',
      eventPattern: { source: ['shop.orders'], detailType: ['OrderRequested'] },
      target: { queue: this.reservationWorker },
    });
    props.events.route('InventoryOnCompensation', {
      description: 'PaymentFailed or OrderCancelled → release stock',
      eventPattern: { source: ['shop.payments', 'shop.orders'], detailType: ['PaymentFailed', 'OrderCancelled'] },
      target: { queue: this.releaseWorker },
    });
  }
}
