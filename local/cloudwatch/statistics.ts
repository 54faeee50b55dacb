/**
 * CloudWatch statistics: the names CloudWatch accepts (`Statistic` and `ExtendedStatistic` of an alarm, `Stat` of a
 * MetricStat, GetMetricStatistics' lists), parsed once into a `Statistic`, and the arithmetic behind them.
 *
 * Supported: SampleCount, Sum, Average, Minimum, Maximum, and percentiles `p0`…`p100` with up to two decimals
 * (`p99`, `p99.9`, `p99.99`). Percentiles are nearest-rank: the value at rank ⌈p/100 × n⌉ of the n sorted samples
 * (p0 is the minimum). CloudWatch itself estimates percentiles from a sketch with a small relative error; for a few
 * thousand samples the two agree to well within that error, and nearest-rank always returns a value that was
 * actually published, which makes tests exact.
 *
 * Not supported, each rejected by `UnsupportedStatisticError` naming it: trimmed mean (`tm99`, `TM(10%:90%)`),
 * winsorized mean (`wm`), trimmed count and sum (`tc`, `ts`), percentile rank (`PR(…)`) and interquartile mean (`IQM`).
 */

/** The five statistics every metric has. */
export type SimpleStatisticKind = 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum';

export type Statistic =
  | { readonly kind: SimpleStatisticKind; readonly name: SimpleStatisticKind }
  | { readonly kind: 'percentile'; readonly name: string; readonly percentile: number };

/** A statistic name CloudWatch would reject. */
export class InvalidStatisticError extends Error {
  constructor(readonly statistic: string) {
    super(
      `${JSON.stringify(statistic)} is not a CloudWatch statistic: use SampleCount, Sum, Average, Minimum, Maximum or a percentile p0…p100 (p99, p99.9)`,
    );
    this.name = 'InvalidStatisticError';
  }
}

/** A statistic CloudWatch has that the local runtime does not compute. */
export class UnsupportedStatisticError extends Error {
  constructor(
    readonly statistic: string,
    readonly family: string,
  ) {
    super(
      `The ${family} statistic ${JSON.stringify(statistic)} is not supported locally: use SampleCount, Sum, Average, Minimum, Maximum or a percentile (p99)`,
    );
    this.name = 'UnsupportedStatisticError';
  }
}

const SIMPLE: ReadonlySet<string> = new Set<SimpleStatisticKind>(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']);
const PERCENTILE = /^p(\d{1,3}(?:\.\d{1,2})?)$/;
/** Extended statistics CloudWatch has and this runtime does not compute, by their prefix. */
const UNSUPPORTED_FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^tm/i, 'trimmed mean'],
  [/^wm/i, 'winsorized mean'],
  [/^tc/i, 'trimmed count'],
  [/^ts/i, 'trimmed sum'],
  [/^pr\(/i, 'percentile rank'],
  [/^iqm$/i, 'interquartile mean'],
];

/**
 * Parses a statistic name as CloudWatch writes it (`Sum`, `p99`, `p99.9`).
 * @throws UnsupportedStatisticError for CloudWatch statistics this runtime does not compute (`tm99`, `IQM`…)
 * @throws InvalidStatisticError for anything else
 */
export function parseStatistic(text: string): Statistic {
  if (SIMPLE.has(text)) return { kind: text as SimpleStatisticKind, name: text as SimpleStatisticKind };
  const percentile = PERCENTILE.exec(text);
  if (percentile !== null) {
    const value = Number(percentile[1]);
    if (value <= 100) return { kind: 'percentile', name: text, percentile: value };
  }
  for (const [pattern, family] of UNSUPPORTED_FAMILIES) if (pattern.test(text)) throw new UnsupportedStatisticError(text, family);
  throw new InvalidStatisticError(text);
}

/** Whether the statistic goes in an alarm's `ExtendedStatistic` (percentiles) rather than `Statistic`. */
export function isExtendedStatistic(statistic: Statistic): boolean {
  return statistic.kind === 'percentile';
}

/** The 1-based nearest rank of percentile `p` among `n` samples. */
function nearestRank(percentile: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil((percentile / 100) * n)));
}

/**
 * The nearest-rank percentile of `values[0…length)`, by quickselect (expected O(n)). Reorders those elements.
 * @returns undefined when `length` is 0
 */
export function percentileInPlace(values: Float64Array, length: number, percentile: number): number | undefined {
  if (length === 0) return undefined;
  const k = nearestRank(percentile, length) - 1;
  let left = 0;
  let right = length - 1;
  while (left < right) {
    // Median of three as the pivot keeps sorted input (the common case: values arrive in time order) linear.
    const middle = (left + right) >>> 1;
    const pivot = medianOfThree(values[left], values[middle], values[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k];
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/**
 * The nearest-rank percentile of values that each stand for `weights[i]` samples (PutMetricData's Values/Counts).
 * Reorders nothing; sorts an index (O(n log n)).
 */
export function weightedPercentile(values: ArrayLike<number>, weights: ArrayLike<number>, length: number, percentile: number): number | undefined {
  let total = 0;
  for (let i = 0; i < length; i++) total += weights[i];
  if (length === 0 || total <= 0) return undefined;
  const order = Array.from({ length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const target = Math.max(Math.ceil((percentile / 100) * total), Math.min(total, 1));
  let seen = 0;
  for (const index of order) {
    seen += weights[index];
    if (seen >= target) return values[index];
  }
  return values[order[order.length - 1]];
}

/** A statistic over plain values (each one sample); undefined for no values. For tests and small inputs. */
export function computeStatistic(statistic: Statistic, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  switch (statistic.kind) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'percentile':
      return percentileInPlace(Float64Array.from(values), values.length, statistic.percentile);
  }
}

/**
 * How many samples a period needs before a percentile is statistically significant, for alarms with
 * `EvaluateLowSampleCountPercentile: ignore`: 1/(1 − p) samples (p99 → 100, p99.9 → 1000, p50 → 2; p100, the
 * maximum, → 1). CloudWatch does not
 * publish its exact rule; this one follows the same idea (enough samples for the tail to hold one).
 */
export function significantSampleCount(percentile: number): number {
  if (percentile >= 100) return 1;
  return Math.ceil(1 / (1 - percentile / 100) - 1e-9);
}
