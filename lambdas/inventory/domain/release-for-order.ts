import { NotFoundError } from '../../shared/errors';
import { releaseReservation, type ReleaseReservationDeps } from './release-reservation';

/**
 * PaymentFailed or OrderCancelled → give the order's reserved stock back, once (a reservation released already
 * stays as it is): 'released', or 'no-reservation' when the order holds none — never reserved, rejected, or
 * reserved only after this event (orders then publishes its OrderCancelled again). Contention and table errors
 * throw, and the message is retried.
 */
export async function releaseForOrder(deps: ReleaseReservationDeps, orderId: string): Promise<'released' | 'no-reservation'> {
  try {
    await releaseReservation(deps, orderId);
    return 'released';
  } catch (error) {
    if (error instanceof NotFoundError) return 'no-reservation';
    throw error;
  }
}
