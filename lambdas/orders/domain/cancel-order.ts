import { ConflictError, ServiceUnavailableError } from '../../shared/errors';
import { type Order, type OrderRecord, publicOrder, statusOf } from './order';
import { DEFAULT_CANCEL_REASON } from './cancel-order-request';
import { orderCancelledEvent } from './order-events';
import { findOrder } from './get-order';
import { MAX_WRITE_ATTEMPTS, type OrderEvents, type OrderRepository } from './order-repository';

export interface CancelOrderDeps {
  readonly orders: OrderRepository;
  readonly events: OrderEvents;
  readonly now: () => Date;
}

/**
 * Cancel an order and publish OrderCancelled at its new version; the compensations (release the stock, refund,
 * cancel the shipment, e-mail) follow from that event.
 *
 * - an order already cancelled (or refunded after its cancellation) → the same order, and OrderCancelled published
 *   again: the same event, same eventId, so a client retrying after a failed publish completes the cancellation;
 * - a REJECTED order → 409 naming `id`: there is nothing to cancel;
 * - a malformed id → 400, an unknown one (or another customer's) → 404, both naming `id`.
 *
 * The write is conditional on the order as read: a concurrent change (inventory confirming it, say) makes it read
 * the order again and decide anew.
 */
export async function cancelOrder(
  deps: CancelOrderDeps,
  id: string | undefined,
  customerId: string,
  reason = DEFAULT_CANCEL_REASON,
): Promise<Order> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const record = await findOrder(deps.orders, id, customerId);
    if (record.cancellation !== undefined) {
      await deps.events.publish([orderCancelledEvent(record)]);
      return publicOrder(record);
    }
    if (record.status === 'REJECTED') {
      throw new ConflictError('A rejected order cannot be cancelled: it holds no stock and was never charged.', {
        type: 'order-rejected',
        errors: [{ field: 'id', message: 'was rejected; there is nothing to cancel' }],
      });
    }
    const cancelledAt = deps.now().toISOString();
    const next = cancelled(record, reason, cancelledAt);
    if ((await deps.orders.replace(next, record)) === 'saved') {
      await deps.events.publish([orderCancelledEvent(next)]);
      return publicOrder(next);
    }
  }
  throw new ServiceUnavailableError('The order kept changing while it was being cancelled; retry shortly.', {
    type: 'contention',
    retryAfterSeconds: 1,
  });
}

function cancelled(record: OrderRecord, reason: string, cancelledAt: string): OrderRecord {
  const next = { ...record, version: record.version + 1, cancellation: { reason, cancelledAt }, updatedAt: cancelledAt };
  return { ...next, status: statusOf(next) };
}
