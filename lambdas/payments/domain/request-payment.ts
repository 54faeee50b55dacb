import type { ShopEvent } from '../../shared/events/contracts';
import { UnexpectedEventError } from '../../shared/events/unexpected-event-error';
import type { PaymentCommand } from './payment-command';

/** The payments FIFO queue. */
export interface PaymentQueue {
  /**
   * Enqueue `command` in message group `groupId`; a second send with the same `deduplicationId` within SQS's
   * five-minute window is accepted and dropped.
   */
  send(command: PaymentCommand, message: { readonly groupId: string; readonly deduplicationId: string }): Promise<void>;
}

/** The events that ask for a payment command. */
export const PAYMENT_COMMAND_EVENTS = ['OrderPlaced', 'OrderCancelled'] as const;

/** OrderPlaced → CHARGE its total; OrderCancelled → REFUND it. Any other event is an `UnexpectedEventError`. */
export function paymentCommandFor(event: ShopEvent): PaymentCommand {
  const { detail } = event;
  const common = { orderId: detail.orderId, correlationId: detail.correlationId, causationEventId: detail.eventId };
  switch (event.detailType) {
    case 'OrderPlaced': {
      const { customerId, totalCents, currency } = event.detail.data;
      return { command: 'CHARGE', ...common, customerId, amountCents: totalCents, currency };
    }
    case 'OrderCancelled': {
      const { customerId, totalCents, currency } = event.detail.data;
      return { command: 'REFUND', ...common, customerId, amountCents: totalCents, currency };
    }
    default:
      throw new UnexpectedEventError(event.detailType, PAYMENT_COMMAND_EVENTS);
  }
}

/**
 * Turn an order event into a payment command on the FIFO queue, grouped by orderId (so one order's charge and refund
 * are processed one after the other, in order) and deduplicated by the event's eventId (so a repeated delivery of
 * the event enqueues nothing new).
 *
 * An EventBridge rule cannot do this itself: its SQS FIFO target takes one fixed MessageGroupId for every event.
 */
export async function requestPayment(queue: PaymentQueue, event: ShopEvent): Promise<PaymentCommand> {
  const command = paymentCommandFor(event);
  await queue.send(command, { groupId: event.detail.orderId, deduplicationId: event.detail.eventId });
  return command;
}
