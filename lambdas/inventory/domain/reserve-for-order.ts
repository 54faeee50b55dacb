import { newEvent, type ShopEvent, type ShopEventOf, type StockRejectionReason } from '../../shared/events/contracts';
import { ConflictError, type ProblemError, UnprocessableError } from '../../shared/errors';
import { createReservation, type CreateReservationDeps } from './create-reservation';

/** The version of inventory's one decision about an order (StockReserved or StockRejected). */
export const STOCK_DECISION_VERSION = 1;

/** Where inventory publishes its events. Throws when any event was not published. */
export interface InventoryEvents {
  publish(events: readonly ShopEvent[]): Promise<void>;
}

export interface ReserveForOrderDeps extends CreateReservationDeps {
  readonly events: InventoryEvents;
}

/**
 * OrderRequested → reserve the order's stock with the same rules as POST /reservations (all lines or none,
 * idempotent by orderId), then publish the decision, v1: StockReserved, or StockRejected for stock that is short or
 * unknown — outcomes, not failures. Contention and table errors throw (the message is retried).
 *
 * A redelivered request finds its reservation and publishes StockReserved again (the same event: same eventId,
 * and the reservation's own time). One whose reservation was released meanwhile (the order was cancelled before
 * the first publish got through) publishes that StockReserved too: the stock was reserved; orders, seeing the
 * cancelled order, asks for the release again, which finds nothing left to do.
 */
export async function reserveForOrder(deps: ReserveForOrderDeps, event: ShopEventOf<'OrderRequested'>): Promise<ShopEvent> {
  const { orderId, correlationId } = event.detail;
  const lines = event.detail.data.lines.map(({ sku, quantity }) => ({ sku, quantity }));
  const decision = await decide(deps, orderId, lines, correlationId);
  await deps.events.publish([decision]);
  return decision;
}

async function decide(
  deps: ReserveForOrderDeps,
  orderId: string,
  lines: { sku: string; quantity: number }[],
  correlationId: string,
): Promise<ShopEvent> {
  const fields = { orderId, version: STOCK_DECISION_VERSION, correlationId };
  try {
    const { reservation } = await createReservation(deps, { orderId, lines });
    return reserved(fields, reservation.lines, reservation.createdAt);
  } catch (error) {
    if (error instanceof ConflictError && error.type === 'out-of-stock') return rejected(fields, 'OUT_OF_STOCK', error, deps.now());
    if (error instanceof UnprocessableError && error.type === 'unknown-sku') return rejected(fields, 'UNKNOWN_SKU', error, deps.now());
    if (error instanceof ConflictError) {
      const stored = await deps.store.find(orderId);
      if (stored?.status === 'RELEASED') return reserved(fields, stored.lines, stored.createdAt);
    }
    throw error;
  }
}

type Fields = { readonly orderId: string; readonly version: number; readonly correlationId: string };

function reserved(fields: Fields, lines: readonly { sku: string; quantity: number }[], reservedAt: string): ShopEvent {
  return newEvent('StockReserved', {
    ...fields,
    occurredAt: new Date(reservedAt),
    data: { lines: lines.map(({ sku, quantity }) => ({ sku, quantity })) },
  });
}

function rejected(fields: Fields, reason: StockRejectionReason, error: ProblemError, at: Date): ShopEvent {
  return newEvent('StockRejected', {
    ...fields,
    occurredAt: at,
    data: { reason, errors: (error.errors ?? []).map(({ field, message }) => ({ field, message })) },
  });
}
