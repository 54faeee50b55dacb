import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import type { EventFanout } from '../patterns/event-fanout';
import type { ServiceFunction } from '../patterns/service-function';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface ShippingServiceProps extends ServiceProps {
  /** The event bus: shipping hears PaymentCaptured and OrderCancelled, and publishes its own outcomes. */
  readonly events: EventFanout;
  /**
   * Cap the service's EventBridge → Lambda target with reserved concurrency (ASYNC_CONSUMER_RESERVED_CONCURRENCY): its
   * asynchronous invocations have no other cap. The account needs the quota for it: see `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
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
    this.shipmentsTable = createServiceTable(this, 'ShipmentsTable', { partitionKey: 'orderId' }, props);
    this.handler = new ServiceFunctions(this, 'shipping', props).create('ShipmentHandler', 'shipment-handler', {
      description: 'Creates a shipment on PaymentCaptured, cancels it on OrderCancelled',
      environment: {
        SHIPMENTS_TABLE_NAME: this.shipmentsTable.tableName,
        EVENT_BUS_NAME: props.events.bus.eventBusName,
      },
      reservedConcurrentExecutions: props.reserveConcurrency ? capacityOf(props).asyncConsumerReservedConcurrency.shipmentHandler : undefined,
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
