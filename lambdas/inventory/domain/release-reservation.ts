import { NotFoundError, ValidationError } from '../../shared/errors';
import { type ContentionRetryPolicy, retryOnContention } from './contention-retry';
import { ORDER_ID_FORMAT_MESSAGE, ORDER_ID_PATTERN } from './reservation';
import type { ReservationStore } from './reservation-store';

export interface ReleaseReservationDeps {
  readonly store: ReservationStore;
  readonly now: () => Date;
  readonly retry: ContentionRetryPolicy;
}

/**
 * Give an order's reserved stock back, once: releasing an already released reservation does nothing.
 * A malformed orderId → 400, no reservation → 404, both naming `orderId`.
 */
export async function releaseReservation(deps: ReleaseReservationDeps, orderId: string | undefined): Promise<void> {
  if (orderId === undefined || !ORDER_ID_PATTERN.test(orderId)) {
    throw new ValidationError('The orderId is malformed.', {
      errors: [{ field: 'orderId', message: ORDER_ID_FORMAT_MESSAGE }],
    });
  }
  // The second pass only runs when a concurrent release won the race; it then sees RELEASED.
  for (let pass = 0; pass < 2; pass++) {
    const reservation = await deps.store.find(orderId);
    if (reservation === undefined) {
      throw new NotFoundError(`There is no reservation for order ${orderId}.`, {
        errors: [{ field: 'orderId', message: 'no reservation for this order' }],
      });
    }
    if (reservation.status === 'RELEASED') return;
    const releasedAt = deps.now().toISOString();
    const outcome = await retryOnContention(() => deps.store.release(reservation, releasedAt), deps.retry);
    if (outcome.kind === 'released') return;
  }
  throw new Error(`reservation ${orderId} is neither RESERVED nor RELEASED after two reads`);
}
