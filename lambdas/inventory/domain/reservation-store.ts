import type { Reservation } from './reservation';

/** What one attempt to reserve stock and record the reservation (atomically) came to. */
export type ReserveOutcome =
  | { readonly kind: 'reserved' }
  /** A reservation for this orderId already exists; nothing was reserved. */
  | { readonly kind: 'already-exists' }
  /** Lines (by index) whose sku has too little stock; nothing was reserved. */
  | { readonly kind: 'insufficient-stock'; readonly lines: readonly { index: number; available: number }[] }
  /** Lines (by index) whose sku has no stock record at all; nothing was reserved. */
  | { readonly kind: 'unknown-sku'; readonly indexes: readonly number[] }
  /** The attempt collided with concurrent writes or was throttled; trying again may succeed. */
  | { readonly kind: 'contention' };

/** What one attempt to release a reservation (and give its stock back, atomically) came to. */
export type ReleaseOutcome =
  | { readonly kind: 'released' }
  /** The reservation is no longer RESERVED (released meanwhile, or gone); nothing changed. */
  | { readonly kind: 'not-reserved' }
  | { readonly kind: 'contention' };

/** Stock levels and reservations, changed together or not at all. */
export interface ReservationStore {
  /** Take every line's quantity off its stock and record `reservation`, in one transaction. */
  reserve(reservation: Reservation): Promise<ReserveOutcome>;
  /** The reservation for `orderId`, read consistently. */
  find(orderId: string): Promise<Reservation | undefined>;
  /** Mark `reservation` RELEASED at `releasedAt` and add its quantities back to stock, in one transaction. */
  release(reservation: Reservation, releasedAt: string): Promise<ReleaseOutcome>;
}
