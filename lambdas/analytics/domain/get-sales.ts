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
  /** How many shards each minute's bucket is spread over (the stack's SALES_SHARD_COUNT): every one is read. */
  readonly shardCount: number;
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

const NO_SALES: SalesCounts = { orders: 0, revenueCents: 0, cancelled: 0 };

const plus = (sum: SalesCounts, counts: SalesCounts): SalesCounts => ({
  orders: sum.orders + counts.orders,
  revenueCents: sum.revenueCents + counts.revenueCents,
  cancelled: sum.cancelled + counts.cancelled,
});

/** The shards' buckets as one bucket per minute, their counts summed, in time order. */
export function sumShards(shards: readonly (readonly SalesMinute[])[]): SalesMinute[] {
  const byMinute = new Map<string, SalesCounts>();
  for (const bucket of shards.flat()) byMinute.set(bucket.minute, plus(byMinute.get(bucket.minute) ?? NO_SALES, bucket));
  // Minute keys are `YYYY-MM-DDTHH:MM`: their text order is their time order.
  return [...byMinute.keys()].sort().map((minute) => ({ minute, ...(byMinute.get(minute) as SalesCounts) }));
}

/**
 * Orders, revenue and cancellations per minute over a range of at most a day, with their totals: every shard of the
 * range read at once, and summed minute by minute.
 */
export async function getSales(deps: GetSalesDeps, query: SalesQuery): Promise<SalesReport> {
  const { from, to } = salesRange(query, deps.now());
  const shards = await Promise.all(Array.from({ length: deps.shardCount }, (_, shard) => deps.table.minutes(shard, from, to)));
  const minutes = sumShards(shards);
  const totals = minutes.reduce<SalesCounts>(plus, NO_SALES);
  return { from, to, minutes, totals };
}
