import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import type { EventFanout } from '../patterns/event-fanout';
import { QueueWorker } from '../patterns/queue-worker';
import type { ServiceFunction } from '../patterns/service-function';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface PaymentsServiceProps extends ServiceProps {
  /** The event bus: payments hears OrderPlaced and OrderCancelled, and publishes its own outcomes. */
  readonly events: EventFanout;
  /**
   * Cap the service's EventBridge → Lambda target, the intake, with reserved concurrency (ASYNC_CONSUMER_RESERVED_CONCURRENCY): its
   * asynchronous invocations have no other cap. The account needs the quota for it: see `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * Payments: charges and refunds, one order at a time.
 *
 * Charge and refund commands for one order must run in order (a refund overtaking its charge would refund
 * nothing and let the charge through), so they share a FIFO queue grouped by orderId. An EventBridge rule
 * cannot set that group: CloudFormation documents an SQS target's MessageGroupId as a fixed string, which
 * would put every order in one group and serialize all payments. So a small intake function, the rule's
 * target, turns each event into a command with MessageGroupId = orderId and MessageDeduplicationId = eventId.
 */
export class PaymentsService extends Construct {
  public readonly paymentsTable: dynamodb.Table;
  public readonly providerSettingsTable: dynamodb.Table;
  public readonly intake: ServiceFunction;
  public readonly worker: QueueWorker;

  constructor(scope: Construct, id: string, props: PaymentsServiceProps) {
    super(scope, id);
    this.paymentsTable = createServiceTable(this, 'PaymentsTable', { partitionKey: 'orderId' }, props);
    // The simulated provider's latency, decline rate and availability, changed at run time by `npm run payments:provider`.
    this.providerSettingsTable = createServiceTable(this, 'ProviderSettingsTable', { partitionKey: 'provider' }, props);
    const functions = new ServiceFunctions(this, 'payments', props);

    const workerFunction = functions.create('PaymentWorker', 'payment-worker', {
      description: 'Charges and refunds from the payments FIFO queue, in order per orderId',
      timeout: Duration.seconds(10),
      environment: {
        PAYMENTS_TABLE_NAME: this.paymentsTable.tableName,
        PAYMENT_PROVIDER_TABLE_NAME: this.providerSettingsTable.tableName,
        EVENT_BUS_NAME: props.events.bus.eventBusName,
      },
    });
    this.worker = new QueueWorker(this, 'Commands', {
      handler: workerFunction,
      fifo: true,
      highThroughput: capacityOf(props).paymentsHighThroughputFifo,
      maxConcurrency: capacityOf(props).queueMaxConcurrency.paymentCommands,
      alarmAction: props.alarmAction,
    });
    // DynamoDbPaymentStore: find (GetItem), create (conditional PutItem), markRefunded (UpdateItem); the simulated
    // provider reads its settings with one GetItem.
    grantTableActions(this.paymentsTable, workerFunction.function, ['GetItem', 'PutItem', 'UpdateItem']);
    grantTableActions(this.providerSettingsTable, workerFunction.function, ['GetItem']);
    // PaymentCaptured, PaymentFailed or PaymentRefunded.
    props.events.grantPutEvents(workerFunction.function, [EVENT_SOURCES.payments]);

    this.intake = functions.create('PaymentIntake', 'payment-intake', {
      description: 'Turns OrderPlaced / OrderCancelled into charge / refund commands grouped by orderId',
      environment: { PAYMENTS_QUEUE_URL: this.worker.queue.queueUrl },
      reservedConcurrentExecutions: props.reserveConcurrency ? capacityOf(props).asyncConsumerReservedConcurrency.paymentIntake : undefined,
    });
    this.worker.grantSend(this.intake.function);
    props.events.route('PaymentsOnOrderEvents', {
      description: 'OrderPlaced → charge, OrderCancelled → refund',
      eventPattern: { source: ['shop.orders'], detailType: ['OrderPlaced', 'OrderCancelled'] },
      target: { function: this.intake },
    });
  }
}
