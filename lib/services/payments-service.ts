import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import { EventFanout } from '../patterns/event-fanout';
import { QueueWorker } from '../patterns/queue-worker';
import { ServiceFunction } from '../patterns/service-function';
import { TableAlarms } from '../patterns/table-alarms';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';
import { serviceTableProps } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface PaymentsServiceProps {
  /** The event bus: payments hears OrderPlaced and OrderCancelled, and publishes its own outcomes. */
  readonly events: EventFanout;
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * Cap the service's EventBridge → Lambda target, the intake, with reserved concurrency (ASYNC_CONSUMER_RESERVED_CONCURRENCY): its
   * asynchronous invocations have no other cap. The account needs the quota for it: see `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * The numbers that grow with the rate of orders: the command queue's consumer cap and FIFO mode, the intake's reserved concurrency.
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
    const capacity = props.capacity ?? DEFAULT_CAPACITY_PLAN;
    this.paymentsTable = new dynamodb.Table(this, 'PaymentsTable', serviceTableProps({ partitionKey: 'orderId', retainData: props.retainData }));
    // The simulated provider's latency, decline rate and availability, changed at run time by `npm run payments:provider`.
    this.providerSettingsTable = new dynamodb.Table(this, 'ProviderSettingsTable', serviceTableProps({ partitionKey: 'provider', retainData: props.retainData }));
    for (const table of [this.paymentsTable, this.providerSettingsTable]) new TableAlarms(table, 'Alarms', { table, alarmAction: props.alarmAction });

    const workerFunction = new ServiceFunction(this, 'PaymentWorker', {
      entry: path.join(__dirname, '../../lambdas/payments/handlers/payment-worker.ts'),
      description: 'Charges and refunds from the payments FIFO queue, in order per orderId',
      serviceName: 'payments',
      timeout: Duration.seconds(10),
      environment: {
        PAYMENTS_TABLE_NAME: this.paymentsTable.tableName,
        PAYMENT_PROVIDER_TABLE_NAME: this.providerSettingsTable.tableName,
        EVENT_BUS_NAME: props.events.bus.eventBusName,
      },
      alarmAction: props.alarmAction,
    });
    this.worker = new QueueWorker(this, 'Commands', {
      handler: workerFunction,
      fifo: true,
      highThroughput: capacity.paymentsHighThroughputFifo,
      maxConcurrency: capacity.queueMaxConcurrency.paymentCommands,
      alarmAction: props.alarmAction,
    });
    // DynamoDbPaymentStore: find (GetItem), create (conditional PutItem), markRefunded (UpdateItem); the simulated
    // provider reads its settings with one GetItem.
    grantTableActions(this.paymentsTable, workerFunction.function, ['GetItem', 'PutItem', 'UpdateItem']);
    grantTableActions(this.providerSettingsTable, workerFunction.function, ['GetItem']);
    // PaymentCaptured, PaymentFailed or PaymentRefunded.
    props.events.grantPutEvents(workerFunction.function, [EVENT_SOURCES.payments]);

    this.intake = new ServiceFunction(this, 'PaymentIntake', {
      entry: path.join(__dirname, '../../lambdas/payments/handlers/payment-intake.ts'),
      description: 'Turns OrderPlaced / OrderCancelled into charge / refund commands grouped by orderId',
      serviceName: 'payments',
      environment: { PAYMENTS_QUEUE_URL: this.worker.queue.queueUrl },
      reservedConcurrentExecutions: props.reserveConcurrency ? capacity.asyncConsumerReservedConcurrency.paymentIntake : undefined,
      alarmAction: props.alarmAction,
    });
    this.worker.grantSend(this.intake.function);
    props.events.route('PaymentsOnOrderEvents', {
      description: 'OrderPlaced → charge, OrderCancelled → refund',
      eventPattern: { source: ['shop.orders'], detailType: ['OrderPlaced', 'OrderCancelled'] },
      target: { function: this.intake },
    });
  }
}
