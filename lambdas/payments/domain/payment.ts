import type { ShopCurrency } from '../../shared/events/contracts';

/** What is known about an order's payment. */
interface PaymentBase {
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly currency: ShopCurrency;
  /** The correlationId of the command that created the record. */
  readonly correlationId: string;
}

/** The charge was captured; `chargedAt` (ISO-8601) is when, and the occurredAt of PaymentCaptured. */
export interface CapturedPayment extends PaymentBase {
  readonly status: 'CAPTURED';
  readonly paymentId: string;
  readonly chargedAt: string;
}

/** The charge was declined; `chargedAt` is the occurredAt of PaymentFailed. */
export interface DeclinedPayment extends PaymentBase {
  readonly status: 'DECLINED';
  readonly reason: string;
  readonly chargedAt: string;
}

/** A captured charge given back; `refundedAt` is the occurredAt of PaymentRefunded. */
export interface RefundedPayment extends PaymentBase {
  readonly status: 'REFUNDED';
  readonly paymentId: string;
  readonly chargedAt: string;
  readonly refundedAt: string;
  /** The correlationId of the refund command. */
  readonly refundCorrelationId: string;
}

/**
 * A tombstone: the refund arrived before any charge (the order was cancelled first), so a charge that comes later
 * is skipped and never reaches the provider.
 */
export interface CancelledPayment extends PaymentBase {
  readonly status: 'CANCELLED';
  readonly cancelledAt: string;
}

/** One order's payment record (the payments table, key `orderId`). */
export type Payment = CapturedPayment | DeclinedPayment | RefundedPayment | CancelledPayment;

export type PaymentStatus = Payment['status'];
