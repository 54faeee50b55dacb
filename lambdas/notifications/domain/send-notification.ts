import type { ShopEvent } from '../../shared/events/contracts';
import { type Notification, notificationFor } from './notification';

/** The sent-notifications table: one record per e-mail, keyed by the eventId it is about. */
export interface NotificationLog {
  /** Record `notification` as sent at `sentAt`, unless one was recorded for its eventId already ('duplicate'). */
  record(notification: Notification, sentAt: string): Promise<'recorded' | 'duplicate'>;
}

export interface SendNotificationDeps {
  readonly log: NotificationLog;
  readonly now: () => Date;
}

export type NotificationOutcome =
  /** The e-mail for the event was recorded (sent). */
  | 'sent'
  /** An e-mail for this eventId was sent before: a redelivery, nothing sent again. */
  | 'duplicate'
  /** The event is not customer-facing: nobody is told. */
  | 'not-customer-facing';

/**
 * Send one e-mail per customer-facing event, ever: the conditional write of its record is the send, so a redelivered
 * event (same eventId) sends nothing.
 */
export async function sendNotification(deps: SendNotificationDeps, event: ShopEvent): Promise<NotificationOutcome> {
  const notification = notificationFor(event);
  if (notification === undefined) return 'not-customer-facing';
  const result = await deps.log.record(notification, deps.now().toISOString());
  return result === 'recorded' ? 'sent' : 'duplicate';
}
