import { newEvent, type ShopEvent, type ShopEventOf } from '../../shared/events/contracts';
import type { Order, OrderRecord } from './order';

/**
 * The events orders publishes, built from the order alone: publishing one again (after a failed publish, or for a
 * duplicate delivery) yields the very same event — same eventId, same occurredAt, same data.
 */

/** What a placement publishes: OrderRequested v1 for a PENDING (asynchronous) order, otherwise OrderPlaced v1. */
export function placementEvents(order: Order, correlationId: string): ShopEvent[] {
  const fields = { orderId: order.orderId, version: 1, correlationId, occurredAt: new Date(order.createdAt), data: orderData(order) };
  return [order.status === 'PENDING' ? newEvent('OrderRequested', fields) : newEvent('OrderPlaced', fields)];
}

/**
 * The version of an asynchronous order once inventory decided it: PENDING is version 1, and only a PENDING order
 * is confirmed or rejected, so the decision is always version 2 (a cancellation before it prevents it).
 */
export const DECISION_VERSION = 2;

/** OrderPlaced v2, when inventory reserved the stock of an asynchronous order. */
export function orderPlacedEvent(record: OrderRecord): ShopEventOf<'OrderPlaced'> {
  return newEvent('OrderPlaced', {
    orderId: record.orderId,
    version: DECISION_VERSION,
    correlationId: record.correlationId,
    occurredAt: new Date(record.confirmedAt ?? record.createdAt),
    data: orderData(record),
  });
}

/** OrderRejected v2; the record must hold its rejection. */
export function orderRejectedEvent(record: OrderRecord): ShopEventOf<'OrderRejected'> {
  const { rejection } = record;
  if (rejection === undefined) throw new Error(`order ${record.orderId} has no rejection to publish`);
  return newEvent('OrderRejected', {
    orderId: record.orderId,
    version: DECISION_VERSION,
    correlationId: record.correlationId,
    occurredAt: new Date(rejection.rejectedAt),
    data: { customerId: record.customerId, reason: rejection.reason, errors: rejection.errors },
  });
}

/** OrderCancelled at the order's version (nothing changes an order's own version after its cancellation). */
export function orderCancelledEvent(record: OrderRecord): ShopEventOf<'OrderCancelled'> {
  const { cancellation } = record;
  if (cancellation === undefined) throw new Error(`order ${record.orderId} has no cancellation to publish`);
  return newEvent('OrderCancelled', {
    orderId: record.orderId,
    version: record.version,
    correlationId: record.correlationId,
    occurredAt: new Date(cancellation.cancelledAt),
    data: { customerId: record.customerId, reason: cancellation.reason, totalCents: record.totalCents, currency: record.currency },
  });
}

function orderData(order: Order) {
  return {
    customerId: order.customerId,
    lines: order.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
    totalCents: order.totalCents,
    currency: order.currency,
  };
}
