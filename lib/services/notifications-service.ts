import * as path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
// The subscription and the worker share one list of the events a customer hears about.
import { CUSTOMER_FACING_EVENTS } from '../../lambdas/shared/events/contracts';
import { EventFanout } from '../patterns/event-fanout';
import { QueueWorker } from '../patterns/queue-worker';
import { ServiceFunction } from '../patterns/service-function';
import { TableAlarms } from '../patterns/table-alarms';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';
import { serviceTableProps } from './table-defaults';
import { grantTableActions } from './table-grants';


export interface NotificationsServiceProps {
  /** The event bus: notifications hears every customer-facing event. */
  readonly events: EventFanout;
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * The numbers that grow with the rate of orders: the e-mail queue's consumer cap.
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

/** Notifications: a standard queue with a DLQ; one recorded e-mail per lifecycle event. */
export class NotificationsService extends Construct {
  public readonly sentTable: dynamodb.Table;
  public readonly worker: QueueWorker;

  constructor(scope: Construct, id: string, props: NotificationsServiceProps) {
    super(scope, id);
    this.sentTable = new dynamodb.Table(this, 'SentNotificationsTable', serviceTableProps({ partitionKey: 'eventId', retainData: props.retainData }));
    new TableAlarms(this.sentTable, 'Alarms', { table: this.sentTable, alarmAction: props.alarmAction });
    const fn = new ServiceFunction(this, 'NotificationWorker', {
      entry: path.join(__dirname, '../../lambdas/notifications/handlers/notification-worker.ts'),
      description: 'Sends (records) one e-mail per customer-facing event',
      serviceName: 'notifications',
      environment: { NOTIFICATIONS_TABLE_NAME: this.sentTable.tableName },
      alarmAction: props.alarmAction,
    });
    // One conditional PutItem per e-mail (DynamoDbNotificationLog.record): the condition is the duplicate check.
    grantTableActions(this.sentTable, fn.function, ['PutItem']);
    this.worker = new QueueWorker(this, 'Emails', { handler: fn, maxConcurrency: (props.capacity ?? DEFAULT_CAPACITY_PLAN).queueMaxConcurrency.notificationEmails, alarmAction: props.alarmAction });
    props.events.route('NotificationsOnLifecycle', {
      description: 'Every customer-facing lifecycle event → one e-mail',
      eventPattern: { source: ['shop.orders', 'shop.payments', 'shop.shipping'], detailType: [...CUSTOMER_FACING_EVENTS] },
      target: { queue: this.worker },
    });
  }
}
