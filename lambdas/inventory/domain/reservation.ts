import * as z from 'zod/mini';
import type { StockLine } from '../../shared/events/contracts';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';

/** An order id as inventory accepts it: 1..64 of `[A-Za-z0-9-]` (orders sends UUIDs). */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const ORDER_ID_FORMAT_MESSAGE = 'must be 1 to 64 characters A-Z, a-z, 0-9 or "-"';

/**
 * The most lines one reservation may hold: each line is one item of a DynamoDB transaction, which takes at most
 * 100 items, and the reservation itself is one more.
 */
export const MAX_RESERVATION_LINES = 50;

/** A line of a reservation: what StockReserved reports reserved. */
export type ReservationLine = StockLine;

export type ReservationStatus = 'RESERVED' | 'RELEASED';

/** Stock held for one order. `createdAt` and `releasedAt` are ISO-8601 timestamps. */
export interface Reservation {
  readonly orderId: string;
  readonly lines: readonly ReservationLine[];
  readonly status: ReservationStatus;
  readonly createdAt: string;
  readonly releasedAt?: string;
}

/** `Reservation` as a schema: what the API documents say POST /reservations answers (`npm run contracts`). */
export function reservationSchema(): z.ZodMiniType<Reservation> {
  return z.object({
    orderId: z.string().check(z.regex(ORDER_ID_PATTERN, ORDER_ID_FORMAT_MESSAGE)),
    lines: z.array(z.object({ sku: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)), quantity: z.int().check(z.minimum(1)) })),
    status: z.enum(['RESERVED', 'RELEASED']),
    createdAt: z.string().check(z.meta({ format: 'date-time' })),
    releasedAt: z.optional(z.string().check(z.meta({ format: 'date-time' }))),
  });
}

/** Whether two reservations hold the same quantities of the same skus (line order does not matter). */
export function sameLines(a: readonly ReservationLine[], b: readonly ReservationLine[]): boolean {
  if (a.length !== b.length) return false;
  const quantities = new Map(a.map((line) => [line.sku, line.quantity]));
  return b.every((line) => quantities.get(line.sku) === line.quantity);
}
