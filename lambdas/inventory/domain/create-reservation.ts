import { ConflictError, UnprocessableError } from '../../shared/errors';
import { type ContentionRetryPolicy, retryOnContention } from './contention-retry';
import type { CreateReservationRequest } from './create-reservation-request';
import { type Reservation, sameLines } from './reservation';
import type { ReservationStore } from './reservation-store';

export interface CreateReservationDeps {
  readonly store: ReservationStore;
  readonly now: () => Date;
  readonly retry: ContentionRetryPolicy;
}

export interface CreateReservationResult {
  readonly reservation: Reservation;
  /** False when the reservation existed already with the same lines (a caller's retry): nothing was reserved again. */
  readonly created: boolean;
}

/**
 * Reserve every line's stock for an order, all or nothing; idempotent by orderId.
 *
 * - the same orderId with the same lines again → the stored reservation, `created: false`;
 * - the same orderId with other lines, or a reservation already released → 409 naming `orderId`;
 * - too little stock → 409 `out-of-stock` naming each `lines[i].sku` with what is `available`;
 * - a sku with no stock record → 422 `unknown-sku` naming each `lines[i].sku`;
 * - concurrent transactions on the same stock → retried, then 503.
 *
 * Stock is decremented under the condition `available >= quantity`, so concurrent reservations never oversell.
 */
export async function createReservation(
  deps: CreateReservationDeps,
  request: CreateReservationRequest,
): Promise<CreateReservationResult> {
  const reservation: Reservation = {
    orderId: request.orderId,
    lines: request.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    status: 'RESERVED',
    createdAt: deps.now().toISOString(),
  };
  const outcome = await retryOnContention(() => deps.store.reserve(reservation), deps.retry);
  switch (outcome.kind) {
    case 'reserved':
      return { reservation, created: true };
    case 'already-exists':
      return { reservation: await replay(deps.store, reservation), created: false };
    case 'insufficient-stock':
      throw new ConflictError('Not enough stock for every line.', {
        type: 'out-of-stock',
        errors: outcome.lines.map(({ index, available }) => ({
          field: `lines[${index}].sku`,
          message: `only ${available} available`,
          available,
        })),
      });
    case 'unknown-sku':
      throw new UnprocessableError('Some skus are not stocked.', {
        type: 'unknown-sku',
        errors: outcome.indexes.map((index) => ({ field: `lines[${index}].sku`, message: 'is not stocked' })),
      });
  }
}

async function replay(store: ReservationStore, requested: Reservation): Promise<Reservation> {
  const stored = await store.find(requested.orderId);
  if (stored === undefined) {
    // The transaction saw the reservation and a consistent read does not: only a concurrent delete explains it.
    throw new Error(`reservation ${requested.orderId} vanished between the transaction and the read`);
  }
  if (!sameLines(stored.lines, requested.lines)) {
    throw new ConflictError('This orderId already holds a reservation with other lines.', {
      errors: [{ field: 'orderId', message: 'already reserved with other lines' }],
    });
  }
  if (stored.status !== 'RESERVED') {
    throw new ConflictError('The reservation for this orderId was released.', {
      errors: [{ field: 'orderId', message: 'reservation was released; use a new orderId' }],
    });
  }
  return stored;
}
