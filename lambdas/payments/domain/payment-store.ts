import type { Payment } from './payment';

/** The payments table. Every write is conditional, so a repeated or concurrent command never applies twice. */
export interface PaymentStore {
  /** The order's payment record, read consistently. */
  find(orderId: string): Promise<Payment | undefined>;
  /** Write `payment` unless the order has a record already ('exists': nothing was written). */
  create(payment: Payment): Promise<'created' | 'exists'>;
  /**
   * Turn the order's CAPTURED record into REFUNDED at `refundedAt`; 'not-captured' when the record is no longer
   * CAPTURED (nothing was written).
   */
  markRefunded(orderId: string, refundedAt: string, refundCorrelationId: string): Promise<'refunded' | 'not-captured'>;
}
