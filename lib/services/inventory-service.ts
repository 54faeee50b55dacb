import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import type { EventFanout } from '../patterns/event-fanout';
import { QueueWorker } from '../patterns/queue-worker';
import type { ServiceFunction } from '../patterns/service-function';
import type { SyncApi } from '../patterns/sync-api';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface InventoryServiceProps extends ServiceProps {
  /** The internal API: every inventory route is IAM-authorized, callable only by services granted access. */
  readonly api: SyncApi;
  /** The event bus: inventory reserves on OrderRequested, releases on PaymentFailed / OrderCancelled. */
  readonly events: EventFanout;
  /**
   * Reserve the reservation function, which order placement calls synchronously, its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
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

    this.stockTable = createServiceTable(this, 'StockTable', { partitionKey: 'sku' }, props);
    this.reservationsTable = createServiceTable(this, 'ReservationsTable', { partitionKey: 'orderId' }, props);
    const functions = new ServiceFunctions(this, 'inventory', props);
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

    this.createReservation = functions.create('CreateReservation', 'create-reservation', {
      description: 'POST /reservations: reserve stock for an order, all lines or none',
      environment,
      reservedConcurrentExecutions: props.reserveConcurrency ? capacityOf(props).customerFacingReservedConcurrency.createReservation : undefined,
    });
    this.releaseReservation = functions.create('ReleaseReservation', 'release-reservation', {
      description: 'DELETE /reservations/{orderId}: give reserved stock back, once',
      environment,
    });
    grantReserve(this.createReservation);
    grantRelease(this.releaseReservation);

    props.api.addRoute('POST', '/reservations', this.createReservation, { authorization: 'IAM' });
    props.api.addRoute('DELETE', '/reservations/{orderId}', this.releaseReservation, { authorization: 'IAM' });

    const reserveFn = functions.create('ReservationWorker', 'reservation-worker', {
      description: 'Reserves stock for orders placed asynchronously (OrderRequested)',
      environment: { ...environment, EVENT_BUS_NAME: props.events.bus.eventBusName },
    });
    const releaseFn = functions.create('ReleaseWorker', 'release-worker', {
      description: 'Releases reserved stock when a payment fails or an order is cancelled',
      environment,
    });
    grantReserve(reserveFn);
    grantRelease(releaseFn);
    // StockReserved or StockRejected.
    props.events.grantPutEvents(reserveFn.function, [EVENT_SOURCES.inventory]);
    this.reservationWorker = new QueueWorker(this, 'Reservations', {
      handler: reserveFn,
      maxConcurrency: capacityOf(props).queueMaxConcurrency.inventoryReservations,
      alarmAction: props.alarmAction,
    });
    this.releaseWorker = new QueueWorker(this, 'Releases', {
      handler: releaseFn,
      maxConcurrency: capacityOf(props).queueMaxConcurrency.inventoryReleases,
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
