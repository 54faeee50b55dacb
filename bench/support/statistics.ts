/**
 * The statistics every bench figure is made of: nearest-rank percentiles, a summary row, an empirical CDF thinned
 * for a chart, and per-second buckets for timelines. Pure functions over plain numbers, so the report's figures can
 * be checked by hand.
 */

/** The nearest-rank percentile (`p` from 0 to 100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  return percentileOfSorted(sortedCopy(values), p);
}

/** `percentile` on values already sorted ascending: for several percentiles of one large sample. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0];
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The figures a latency table shows; every field NaN (and n 0) when there are no values. */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  const at = (p: number) => percentileOfSorted(sorted, p);
  const mean = sorted.length === 0 ? Number.NaN : sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { n: sorted.length, min: at(0), p50: at(50), p90: at(90), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN, mean };
}

/** One point of an empirical CDF: `fraction` of the values are ≤ `value`. */
export interface CdfPoint {
  readonly value: number;
  readonly fraction: number;
}

/**
 * The empirical CDF of `values`, thinned to at most `maxPoints` points (evenly spaced in rank, the largest value
 * always kept) so a chart of 12,000 requests stays small; every value is a real observation.
 */
export function ecdf(values: readonly number[], maxPoints = 200): CdfPoint[] {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  if (n === 0) return [];
  const step = Math.max(1, Math.ceil(n / Math.max(2, maxPoints)));
  const points: CdfPoint[] = [];
  for (let rank = step; rank < n; rank += step) points.push({ value: sorted[rank - 1], fraction: rank / n });
  points.push({ value: sorted[n - 1], fraction: 1 });
  return points;
}

/**
 * Groups items into consecutive buckets of `bucketMs` from `startMs` by the time `timeOf` gives each (items before
 * `startMs` are left out); `seconds` is the bucket's start relative to `startMs`, in seconds. Empty buckets up to the
 * last item's are kept, so a timeline has no gaps.
 */
export function buckets<T>(items: readonly T[], timeOf: (item: T) => number, startMs: number, bucketMs = 1000): { seconds: number; items: T[] }[] {
  const out: { seconds: number; items: T[] }[] = [];
  for (const item of items) {
    const offset = timeOf(item) - startMs;
    if (offset < 0) continue;
    const index = Math.floor(offset / bucketMs);
    while (out.length <= index) out.push({ seconds: (out.length * bucketMs) / 1000, items: [] });
    out[index].items.push(item);
  }
  return out;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
