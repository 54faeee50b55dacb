import * as path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import { EventFanout } from '../patterns/event-fanout';
import { ServiceFunction } from '../patterns/service-function';
import { TableAlarms } from '../patterns/table-alarms';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';
import { serviceTableProps } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface ShippingServiceProps {
  /** The event bus: shipping hears PaymentCaptured and OrderCancelled, and publishes its own outcomes. */
  readonly events: EventFanout;
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * Cap the service's EventBridge → Lambda target with reserved concurrency (ASYNC_CONSUMER_RESERVED_CONCURRENCY): its
   * asynchronous invocations have no other cap. The account needs the quota for it: see `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * The numbers that grow with the rate of orders: the handler's reserved concurrency.
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
 * Shipping: an EventBridge rule invokes its function directly (asynchronous invoke), with EventBridge's
 * retry policy and DLQ for delivery and Lambda's own retries and on-failure destination for handler errors.
 */
export class ShippingService extends Construct {
  public readonly shipmentsTable: dynamodb.Table;
  public readonly handler: ServiceFunction;

  constructor(scope: Construct, id: string, props: ShippingServiceProps) {
    super(scope, id);
    this.shipmentsTable = new dynamodb.Table(this, 'ShipmentsTable', serviceTableProps({ partitionKey: 'orderId', retainData: props.retainData }));
    new TableAlarms(this.shipmentsTable, 'Alarms', { table: this.shipmentsTable, alarmAction: props.alarmAction });
    this.handler = new ServiceFunction(this, 'ShipmentHandler', {
      entry: path.join(__dirname, '../../lambdas/shipping/handlers/shipment-handler.ts'),
      description: 'Creates a shipment on PaymentCaptured, cancels it on OrderCancelled',
      serviceName: 'shipping',
      environment: {
        SHIPMENTS_TABLE_NAME: this.shipmentsTable.tableName,
        EVENT_BUS_NAME: props.events.bus.eventBusName,
      },
      reservedConcurrentExecutions: props.reserveConcurrency ? (props.capacity ?? DEFAULT_CAPACITY_PLAN).asyncConsumerReservedConcurrency.shipmentHandler : undefined,
      alarmAction: props.alarmAction,
    });
    // DynamoDbShipmentStore: find (GetItem), create (conditional PutItem), markCancelled (UpdateItem).
    grantTableActions(this.shipmentsTable, this.handler.function, ['GetItem', 'PutItem', 'UpdateItem']);
    // ShipmentCreated or ShipmentCancelled.
    props.events.grantPutEvents(this.handler.function, [EVENT_SOURCES.shipping]);
    props.events.route('ShippingOnPaymentAndCancel', {
      description: 'PaymentCaptured → create shipment, OrderCancelled → cancel it',
      eventPattern: {
        detailType: ['PaymentCaptured', 'OrderCancelled'],
        source: ['shop.payments', 'shop.orders'],
      },
      target: { function: this.handler },
    });
  }
}
