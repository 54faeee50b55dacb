import type { CustomerFacingEvent, ShopEvent } from '../../shared/events/contracts';

/** One e-mail, as recorded in the sent-notifications table (key `eventId`: one e-mail per event, ever). */
export interface Notification {
  readonly eventId: string;
  readonly orderId: string;
  readonly customerId: string;
  /** The template the e-mail is rendered from: the event's detail-type. */
  readonly template: CustomerFacingEvent;
  readonly subject: string;
  readonly correlationId: string;
}

/** `1234` cents → `12.34 EUR`. */
export function formatAmount(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

const REJECTION_REASONS: Record<string, string> = { OUT_OF_STOCK: 'an item is out of stock', UNKNOWN_SKU: 'an item is not sold here' };

/** An e-mail's content: which template, to whom, about what. */
type Content = Pick<Notification, 'template' | 'customerId' | 'subject'>;

/** The e-mail for `event`, or undefined when the event is not customer-facing. */
function contentOf(event: ShopEvent): Content | undefined {
  const { orderId } = event.detail;
  switch (event.detailType) {
    case 'OrderPlaced': {
      const { customerId, totalCents, currency } = event.detail.data;
      return { template: event.detailType, customerId, subject: `We received your order ${orderId} (${formatAmount(totalCents, currency)})` };
    }
    case 'OrderRejected': {
      const { customerId, reason } = event.detail.data;
      return { template: event.detailType, customerId, subject: `We could not place your order ${orderId}: ${REJECTION_REASONS[reason] ?? reason}` };
    }
    case 'OrderCancelled':
      return { template: event.detailType, customerId: event.detail.data.customerId, subject: `Your order ${orderId} is cancelled` };
    case 'PaymentCaptured': {
      const { customerId, amountCents, currency } = event.detail.data;
      return { template: event.detailType, customerId, subject: `We received your payment of ${formatAmount(amountCents, currency)} for order ${orderId}` };
    }
    case 'PaymentFailed':
      return { template: event.detailType, customerId: event.detail.data.customerId, subject: `Your payment for order ${orderId} did not go through` };
    case 'PaymentRefunded': {
      const { customerId, amountCents, currency } = event.detail.data;
      return { template: event.detailType, customerId, subject: `We refunded ${formatAmount(amountCents, currency)} for order ${orderId}` };
    }
    case 'ShipmentCreated': {
      const { customerId, shipmentId } = event.detail.data;
      return { template: event.detailType, customerId, subject: `Your order ${orderId} is on its way (shipment ${shipmentId})` };
    }
    case 'ShipmentCancelled': {
      const { customerId, shipmentId } = event.detail.data;
      return { template: event.detailType, customerId, subject: `Shipment ${shipmentId} of order ${orderId} is cancelled` };
    }
    default:
      return undefined;
  }
}

/** The e-mail a customer-facing event sends; undefined for any other event (nobody is told about it). */
export function notificationFor(event: ShopEvent): Notification | undefined {
  const content = contentOf(event);
  if (content === undefined) return undefined;
  return { eventId: event.detail.eventId, orderId: event.detail.orderId, correlationId: event.detail.correlationId, ...content };
}
