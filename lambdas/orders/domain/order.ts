/** Order ids are UUIDs (`crypto.randomUUID()`), any case. */
export const ORDER_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  /** The catalog price when the order was placed: later price changes do not touch the order. */
  readonly unitPriceCents: number;
}

/** CONFIRMED: stock reserved and the order written (synchronous mode). */
export type OrderStatus = 'CONFIRMED';

/** An order as stored and as answered by POST /orders and GET /orders/{id}. */
export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
  readonly currency: string;
  readonly status: OrderStatus;
  /** ISO-8601. */
  readonly createdAt: string;
  /** Per-order sequence, 1 when placed; each later change (and its event) increments it. */
  readonly version: number;
}
