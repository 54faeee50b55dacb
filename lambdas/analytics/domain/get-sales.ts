import * as z from 'zod/mini';
import { type FieldError, ValidationError } from '../../shared/errors';
import { MINUTE_MS, minuteOf, parseInstant } from './sales-minute';
import type { SalesCounts, SalesMinute, SalesTable } from './sales-table';

/** The widest range one request may ask for: a day. */
export const MAX_RANGE_MINUTES = 1440;

/** The range when the client gives no `from`: the 60 minutes up to `to`, both ends included. */
export const DEFAULT_RANGE_MINUTES = 60;

export interface SalesQuery {
  /** The first minute, ISO-8601 minute or timestamp (truncated to its minute). @default - `DEFAULT_RANGE_MINUTES` minutes up to `to` */
  readonly from?: string;
  /** The last minute, included, like `from`. @default - the current minute */
  readonly to?: string;
}

export interface SalesReport {
  /** The first minute, `YYYY-MM-DDTHH:MM` (UTC). */
  readonly from: string;
  /** The last minute, included. */
  readonly to: string;
  /** The minutes with sales or cancellations, in time order. */
  readonly minutes: readonly SalesMinute[];
  readonly totals: SalesCounts;
}

/** `SalesReport` as a schema: what the API documents say GET /analytics/sales answers (`npm run contracts`). */
export function salesReportSchema(): z.ZodMiniType<SalesReport> {
  const minute = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a UTC minute, YYYY-MM-DDTHH:MM'));
  const counts = { orders: z.int().check(z.minimum(0)), revenueCents: z.int().check(z.minimum(0)), cancelled: z.int().check(z.minimum(0)) };
  return z.object({ from: minute, to: minute, minutes: z.array(z.object({ minute, ...counts })), totals: z.object(counts) });
}

export interface GetSalesDeps {
  readonly table: SalesTable;
  readonly now: () => Date;
}

const FORMAT_MESSAGE = 'must be an ISO-8601 minute or timestamp, such as 2024-05-01T12:34 or 2024-05-01T12:34:56Z';

const floorToMinute = (epochMs: number) => Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;

/**
 * The minutes a query asks for, both included: 400 naming `from` / `to` when one is malformed, naming `from` when
 * it is after `to` or more than `MAX_RANGE_MINUTES` minutes before it.
 */
export function salesRange(query: SalesQuery, now: Date): { readonly from: string; readonly to: string } {
  const errors: FieldError[] = [];
  const parameter = (text: string, field: 'from' | 'to'): number | undefined => {
    const instant = parseInstant(text);
    if (instant === undefined) errors.push({ field, message: FORMAT_MESSAGE });
    return instant === undefined ? undefined : floorToMinute(instant);
  };
  const givenFrom = query.from === undefined ? undefined : parameter(query.from, 'from');
  const to = query.to === undefined ? floorToMinute(now.getTime()) : parameter(query.to, 'to');
  const from = query.from === undefined && to !== undefined ? to - (DEFAULT_RANGE_MINUTES - 1) * MINUTE_MS : givenFrom;
  if (from === undefined || to === undefined) throw new ValidationError('The sales range is malformed.', { errors });
  if (from > to) {
    throw new ValidationError('The sales range ends before it starts.', {
      errors: [{ field: 'from', message: 'must not be after to' }],
    });
  }
  if (to - from > MAX_RANGE_MINUTES * MINUTE_MS) {
    throw new ValidationError(`The sales range is longer than ${MAX_RANGE_MINUTES} minutes.`, {
      errors: [{ field: 'from', message: `must be at most ${MAX_RANGE_MINUTES} minutes before to` }],
    });
  }
  return { from: minuteOf(new Date(from)), to: minuteOf(new Date(to)) };
}

/** Orders, revenue and cancellations per minute over a range of at most a day, with their totals. */
export async function getSales(deps: GetSalesDeps, query: SalesQuery): Promise<SalesReport> {
  const { from, to } = salesRange(query, deps.now());
  const minutes = await deps.table.minutes(from, to);
  const totals = minutes.reduce<SalesCounts>(
    (sum, minute) => ({
      orders: sum.orders + minute.orders,
      revenueCents: sum.revenueCents + minute.revenueCents,
      cancelled: sum.cancelled + minute.cancelled,
    }),
    { orders: 0, revenueCents: 0, cancelled: 0 },
  );
  return { from, to, minutes, totals };
}
