import type { ShopEvent } from '../../shared/events/contracts';
import type { OrderRecord } from './order';

/** Orders as stored: read, and replaced only when nobody changed them since they were read. */
export interface OrderRepository {
  /** The order, read consistently. */
  find(orderId: string): Promise<OrderRecord | undefined>;
  /**
   * Write `next` in place of `expected`, on the condition that the stored order is still `expected` (its version
   * and every applied version unchanged): 'saved', or 'changed' when another writer came first — read it again.
   */
  replace(next: OrderRecord, expected: OrderRecord): Promise<'saved' | 'changed'>;
}

/** Where orders publishes its events. Throws when any event was not published (nothing is ever dropped). */
export interface OrderEvents {
  publish(events: readonly ShopEvent[]): Promise<void>;
}

/** A read-decide-write that lost its race more than this many times in a row gives up (and is retried later). */
export const MAX_WRITE_ATTEMPTS = 3;
