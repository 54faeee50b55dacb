import * as z from 'zod/mini';
import type { EventFieldError, ShopCurrency, StockRejectionReason } from '../../shared/events/contracts';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';

/** Order ids are UUIDs (`crypto.randomUUID()`), any case. */
export const ORDER_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  /** The catalog price when the order was placed: later price changes do not touch the order. */
  readonly unitPriceCents: number;
}

/**
 * - PENDING: accepted asynchronously, inventory has not decided yet.
 * - CONFIRMED: stock reserved (synchronously at placement, or by inventory's StockReserved).
 * - REJECTED: inventory could not reserve the stock (out of stock, unknown sku).
 * - PAID / PAYMENT_FAILED: the payment was captured / declined.
 * - SHIPPED: a shipment was created.
 * - CANCELLED: cancelled by the customer; nothing moves it forward again.
 * - REFUNDED: cancelled, and its payment refunded.
 */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'PAID' | 'PAYMENT_FAILED' | 'REFUNDED' | 'SHIPPED' | 'CANCELLED';

export interface OrderRejection {
  readonly reason: StockRejectionReason;
  readonly errors: readonly EventFieldError[];
  /** ISO-8601. */
  readonly rejectedAt: string;
}

export interface OrderCancellation {
  readonly reason: string;
  /** ISO-8601. */
  readonly cancelledAt: string;
}

export interface OrderPayment {
  readonly status: 'CAPTURED' | 'FAILED' | 'REFUNDED';
  readonly paymentId?: string;
  /** Why it failed, on FAILED. */
  readonly reason?: string;
}

export interface OrderShipment {
  readonly status: 'CREATED' | 'CANCELLED';
  readonly shipmentId: string;
}

/** An order as POST /orders, GET /orders/{id} and POST /orders/{id}/cancel answer it. */
export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
  readonly currency: ShopCurrency;
  readonly status: OrderStatus;
  /** ISO-8601. */
  readonly createdAt: string;
  /**
   * The order's own sequence: 1 when placed, +1 on each of its own changes (confirmed or rejected after an
   * asynchronous placement, cancelled); the version of the event each change publishes.
   */
  readonly version: number;
  /** ISO-8601, of the last change. @default - never changed since placed */
  readonly updatedAt?: string;
  readonly rejection?: OrderRejection;
  readonly cancellation?: OrderCancellation;
  readonly payment?: OrderPayment;
  readonly shipment?: OrderShipment;
}

const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'PAID', 'PAYMENT_FAILED', 'REFUNDED', 'SHIPPED', 'CANCELLED'] as const satisfies readonly OrderStatus[];

/**
 * `Order` as a schema: what the API documents say POST /orders, GET /orders/{id} and POST /orders/{id}/cancel answer
 * (`npm run contracts`). A function, so a bundle that does not document orders carries none of it.
 */
export function orderSchema(): z.ZodMiniType<Order> {
  const text = z.string().check(z.minLength(1));
  const fieldError = z.object({ field: text, message: text });
  return z.object({
    orderId: z.string().check(z.regex(ORDER_ID_PATTERN, 'must be a UUID')),
    customerId: text,
    lines: z
      .array(
        z.object({
          sku: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)),
          quantity: z.int().check(z.minimum(1)),
          unitPriceCents: z.int().check(z.minimum(0)),
        }),
      )
      .check(z.minLength(1)),
    totalCents: z.int().check(z.minimum(0)),
    // Not SHOP_CURRENCY: importing a value of the event contracts would put their schemas in every orders bundle.
    currency: z.literal('EUR'),
    status: z.enum(ORDER_STATUSES),
    createdAt: z.string().check(z.meta({ format: 'date-time' })),
    version: z.int().check(z.minimum(1)),
    updatedAt: z.optional(z.string().check(z.meta({ format: 'date-time' }))),
    rejection: z.optional(
      z.object({
        reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_SKU']),
        errors: z.array(fieldError),
        rejectedAt: z.string().check(z.meta({ format: 'date-time' })),
      }),
    ),
    cancellation: z.optional(z.object({ reason: text, cancelledAt: z.string().check(z.meta({ format: 'date-time' })) })),
    payment: z.optional(z.object({ status: z.enum(['CAPTURED', 'FAILED', 'REFUNDED']), paymentId: z.optional(text), reason: z.optional(text) })),
    shipment: z.optional(z.object({ status: z.enum(['CREATED', 'CANCELLED']), shipmentId: text })),
  });
}

/** The services whose events change an order, each with its own per-order version sequence. */
export type UpstreamSource = 'shop.inventory' | 'shop.payments' | 'shop.shipping';

/** Per source, the highest event version applied to the order: an event at or below it changes nothing. */
export type AppliedVersions = { readonly [S in UpstreamSource]?: number };

/** An order as the orders table stores it: the order, plus what orders needs to keep it consistent. */
export interface OrderRecord extends Order {
  /** The correlation id of the request that placed it; every event about the order carries it. */
  readonly correlationId: string;
  readonly appliedVersions: AppliedVersions;
  /** ISO-8601, when the stock was reserved (the placement itself in synchronous mode). @default - not confirmed */
  readonly confirmedAt?: string;
}

/** The order as answered to clients, without the bookkeeping. */
export function publicOrder(record: OrderRecord): Order {
  const { updatedAt, rejection, cancellation, payment, shipment } = record;
  return {
    orderId: record.orderId,
    customerId: record.customerId,
    lines: record.lines,
    totalCents: record.totalCents,
    currency: record.currency,
    status: record.status,
    createdAt: record.createdAt,
    version: record.version,
    ...(updatedAt === undefined ? {} : { updatedAt }),
    ...(rejection === undefined ? {} : { rejection }),
    ...(cancellation === undefined ? {} : { cancellation }),
    ...(payment === undefined ? {} : { payment }),
    ...(shipment === undefined ? {} : { shipment }),
  };
}

/**
 * The status that follows from what happened to the order. A cancellation outranks everything (a cancelled order
 * never moves forward; only its refund shows), a rejection everything else; then the furthest step reached.
 * Deriving it, rather than moving it step by step, makes it independent of the order the events arrive in.
 */
export function statusOf(record: Omit<OrderRecord, 'status'>): OrderStatus {
  if (record.cancellation !== undefined) return record.payment?.status === 'REFUNDED' ? 'REFUNDED' : 'CANCELLED';
  if (record.rejection !== undefined) return 'REJECTED';
  if (record.shipment?.status === 'CREATED') return 'SHIPPED';
  switch (record.payment?.status) {
    case 'CAPTURED':
      return 'PAID';
    case 'FAILED':
      return 'PAYMENT_FAILED';
    case 'REFUNDED':
      return 'REFUNDED';
    default:
      return record.confirmedAt === undefined ? 'PENDING' : 'CONFIRMED';
  }
}
