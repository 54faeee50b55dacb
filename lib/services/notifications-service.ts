import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
// The subscription and the worker share one list of the events a customer hears about.
import { CUSTOMER_FACING_EVENTS } from '../../lambdas/shared/events/contracts';
import type { EventFanout } from '../patterns/event-fanout';
import { QueueWorker } from '../patterns/queue-worker';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface NotificationsServiceProps extends ServiceProps {
  /** The event bus: notifications hears every customer-facing event. */
  readonly events: EventFanout;
}

/** Notifications: a standard queue with a DLQ; one recorded e-mail per lifecycle event. */
export class NotificationsService extends Construct {
  public readonly sentTable: dynamodb.Table;
  public readonly worker: QueueWorker;

  constructor(scope: Construct, id: string, props: NotificationsServiceProps) {
    super(scope, id);
    this.sentTable = createServiceTable(this, 'SentNotificationsTable', { partitionKey: 'eventId' }, props);
    const fn = new ServiceFunctions(this, 'notifications', props).create('NotificationWorker', 'notification-worker', {
      description: 'Sends (records) one e-mail per customer-facing event',
      environment: { NOTIFICATIONS_TABLE_NAME: this.sentTable.tableName },
    });
    // One conditional PutItem per e-mail (DynamoDbNotificationLog.record): the condition is the duplicate check.
    grantTableActions(this.sentTable, fn.function, ['PutItem']);
    this.worker = new QueueWorker(this, 'Emails', { handler: fn, maxConcurrency: capacityOf(props).queueMaxConcurrency.notificationEmails, alarmAction: props.alarmAction });
    props.events.route('NotificationsOnLifecycle', {
      description: 'Every customer-facing lifecycle event → one e-mail',
      eventPattern: { source: ['shop.orders', 'shop.payments', 'shop.shipping'], detailType: [...CUSTOMER_FACING_EVENTS] },
      target: { queue: this.worker },
    });
  }
}
