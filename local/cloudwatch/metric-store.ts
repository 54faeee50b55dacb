/**
 * The local runtime's CloudWatch metric store: every value a producer puts, kept raw per series, and the statistics
 * CloudWatch would answer over them.
 *
 * A series is what CloudWatch calls a metric: namespace + metric name + the set of dimensions, matched exactly (a
 * query with dimensions {A} does not see a series with {A, B}). Within a metric, values published with different
 * units are kept apart, as CloudWatch does: a query that names a unit sees only that unit's values, one that does not
 * sees them all.
 *
 * `put` is on the hot path of every API request and invocation, so a series is a few typed arrays (time, value) in
 * time order that grow by doubling: a put is O(1) amortized and allocates nothing once the series has grown. Counts
 * and minimum/maximum arrays are added to a series only when a PutMetricData call brings Values/Counts or a statistic
 * set. Memory is bounded: values older than the retention are dropped, a series keeps at most `maxValuesPerSeries`
 * values (the oldest go first), and at most `maxSeries` series exist (new ones beyond are refused with a warning).
 *
 * Queries bucket a time range into periods aligned to `origin + k × period` (the epoch by default, as GetMetricData's
 * timestamps are; the alarm evaluator aligns them to "now" instead), and return only the periods that have data.
 * Percentiles of a period that holds a statistic set with a spread (PutMetricData's StatisticValues with
 * Minimum ≠ Maximum) are not available, as in CloudWatch: the period has no datapoint for a percentile.
 */
import type { MetricDatum, MetricSink } from './metric-types';
import { parseStatistic, percentileInPlace, weightedPercentile, type Statistic } from './statistics';

/** A metric as CloudWatch identifies it. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  /** Name → value; order does not matter. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** PutMetricData's StatisticValues: a summary of many samples. */
export interface StatisticSet {
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

/** A datum without its value, for the PutMetricData forms that carry several values or a statistic set. */
export type MetricDatumHead = Omit<MetricDatum, 'value'>;

/** The datapoints of one query, oldest first; periods without data are absent. */
export interface Datapoints {
  /** Start of each period, epoch milliseconds. */
  readonly timestamps: number[];
  readonly values: number[];
  /** How many samples each period's value summarises. */
  readonly sampleCounts: number[];
}

export interface QueryOptions {
  /** Only values published with this unit. @default - every unit */
  readonly unit?: string;
  /** Periods start at `origin + k × period`. @default 0 - aligned to the epoch */
  readonly origin?: number;
}

export interface ListMetricsFilter {
  readonly namespace?: string;
  readonly metricName?: string;
  /** Each must be a dimension of the metric, with this value when one is given. */
  readonly dimensions?: readonly { readonly name: string; readonly value?: string }[];
  /** Only metrics that received a value at or after this time (epoch ms). @default - any */
  readonly activeSinceMs?: number;
}

export interface MetricStoreOptions {
  /** How long values are kept. @default 3 hours */
  readonly retentionMs?: number;
  /** The most values one series keeps; the oldest go first. @default 100_000 */
  readonly maxValuesPerSeries?: number;
  /** The most series the store holds; values of new series beyond are refused. @default 10_000 */
  readonly maxSeries?: number;
  /** Epoch milliseconds now. @default Date.now */
  readonly clock?: () => number;
  /** Where the store reports values it refuses (each kind of problem once). @default console.warn */
  readonly onWarning?: (message: string) => void;
}

/** A query or put the store cannot serve (a bad period, range or statistic). */
export class MetricQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricQueryError';
  }
}

const HOUR_MS = 3_600_000;
const INITIAL_CAPACITY = 16;

/** One unit's values of one metric, in time order, in [start, end) of growable typed arrays. */
class SeriesBuffer {
  times: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** The value, or for a Values/Counts entry or a statistic set, the sum of its samples. */
  sums: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Present once the series has an entry that is not one plain sample. */
  counts: Float64Array | undefined;
  mins: Float64Array | undefined;
  maxs: Float64Array | undefined;
  start = 0;
  end = 0;

  constructor(private readonly maxEntries: number) {}

  get length(): number {
    return this.end - this.start;
  }

  push(time: number, sum: number, count: number, min: number, max: number): void {
    if (this.counts === undefined && (count !== 1 || min !== sum || max !== sum)) this.extend();
    if (this.length >= this.maxEntries) this.start++;
    if (this.end === this.times.length) this.makeRoom();
    let at = this.end;
    if (at > this.start && this.times[at - 1] > time) {
      // Late value (a PutMetricData timestamp in the past, or producers racing): keep time order.
      at = this.upperBound(time);
      this.shiftRight(at);
    }
    this.times[at] = time;
    this.sums[at] = sum;
    if (this.counts !== undefined) {
      this.counts[at] = count;
      this.mins![at] = min;
      this.maxs![at] = max;
    }
    this.end++;
  }

  /** Drops values older than `cutoff`. */
  evictBefore(cutoff: number): void {
    while (this.start < this.end && this.times[this.start] < cutoff) this.start++;
    if (this.start === this.end) this.start = this.end = 0;
  }

  /** The first index in [start, end) whose time is ≥ `time`. */
  lowerBound(time: number): number {
    let low = this.start;
    let high = this.end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle] < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The first index in [start, end) whose time is > `time` (a late value goes after the values of its instant). */
  private upperBound(time: number): number {
    let low = this.start;
    let high = this.end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle] <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private arrays(): Float64Array[] {
    return this.counts === undefined ? [this.times, this.sums] : [this.times, this.sums, this.counts, this.mins!, this.maxs!];
  }

  private shiftRight(at: number): void {
    for (const array of this.arrays()) array.copyWithin(at + 1, at, this.end);
  }

  /**
   * Makes room at the end: compacts when at least half the arrays are evicted entries, else doubles them (up to twice
   * the cap, so a full series compacts at most once per `maxEntries` puts: O(1) amortized).
   */
  private makeRoom(): void {
    const capacity = this.times.length;
    if (this.start >= capacity / 2 || capacity >= 2 * this.maxEntries) {
      for (const array of this.arrays()) array.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      return;
    }
    const grown = Math.min(capacity * 2, 2 * this.maxEntries);
    const grow = (array: Float64Array): Float64Array => {
      const next = new Float64Array(grown);
      next.set(array.subarray(this.start, this.end));
      return next;
    };
    this.times = grow(this.times);
    this.sums = grow(this.sums);
    if (this.counts !== undefined) {
      this.counts = grow(this.counts);
      this.mins = grow(this.mins!);
      this.maxs = grow(this.maxs!);
    }
    this.end -= this.start;
    this.start = 0;
  }

  /** Adds the count and min/max arrays, filled for the plain samples already held. */
  private extend(): void {
    const capacity = this.times.length;
    this.counts = new Float64Array(capacity).fill(1);
    this.mins = Float64Array.from(this.sums);
    this.maxs = Float64Array.from(this.sums);
  }
}

/** One metric: its identity and one buffer per unit. */
interface Series {
  readonly identity: MetricIdentity;
  readonly byUnit: Map<string, SeriesBuffer>;
  lastPutMs: number;
}

/** A run of entries [from, to) of one buffer that fall in one period. */
interface Segment {
  readonly buffer: SeriesBuffer;
  readonly from: number;
  readonly to: number;
}

function dimensionsKeyOf(dimensions: Readonly<Record<string, string>>): string {
  const names = Object.keys(dimensions);
  if (names.length === 0) return '';
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0001${dimensions[name]}\u0002`;
  return key;
}

/** The store's key of a metric: namespace, name and the sorted dimensions. */
export function metricKey(identity: MetricIdentity): string {
  return `${identity.namespace}\u0000${identity.metricName}\u0000${dimensionsKeyOf(identity.dimensions)}`;
}

export class MetricStore implements MetricSink {
  private readonly series = new Map<string, Series>();
  /** Producers that reuse one dimensions object per resource skip sorting its keys on every put. */
  private readonly dimensionKeys = new WeakMap<object, string>();
  private readonly retentionMs: number;
  private readonly maxValuesPerSeries: number;
  private readonly maxSeries: number;
  private readonly clock: () => number;
  private readonly onWarning: (message: string) => void;
  private readonly warned = new Set<string>();
  private scratch = new Float64Array(1024);

  constructor(options: MetricStoreOptions = {}) {
    this.retentionMs = options.retentionMs ?? 3 * HOUR_MS;
    this.maxValuesPerSeries = Math.max(1, Math.floor(options.maxValuesPerSeries ?? 100_000));
    this.maxSeries = Math.max(1, Math.floor(options.maxSeries ?? 10_000));
    this.clock = options.clock ?? Date.now;
    this.onWarning = options.onWarning ?? ((message) => console.warn(`[cloudwatch] ${message}`));
  }

  /** Records one value. Non-finite values are refused (CloudWatch rejects NaN and ±Infinity). */
  put(datum: MetricDatum): void {
    const value = datum.value;
    if (!Number.isFinite(value)) {
      this.warnOnce('non-finite', `refused a non-finite value (${String(value)}) of ${datum.namespace} ${datum.metricName}; CloudWatch rejects NaN and Infinity`);
      return;
    }
    this.record(datum, value, 1, value, value);
  }

  putMany(datums: Iterable<MetricDatum>): void {
    for (const datum of datums) this.put(datum);
  }

  /** Records `count` samples of one value (PutMetricData's Values/Counts). */
  putCounted(datum: MetricDatumHead, value: number, count: number): void {
    if (!Number.isFinite(value) || !Number.isFinite(count) || count <= 0) {
      this.warnOnce('bad-count', `refused value ${String(value)} × count ${String(count)} of ${datum.namespace} ${datum.metricName}`);
      return;
    }
    this.record(datum, value * count, count, value, value);
  }

  /** Records a statistic set (PutMetricData's StatisticValues). */
  putStatisticSet(datum: MetricDatumHead, set: StatisticSet): void {
    const { sampleCount, sum, minimum, maximum } = set;
    if (![sampleCount, sum, minimum, maximum].every(Number.isFinite) || sampleCount <= 0 || minimum > maximum) {
      this.warnOnce('bad-set', `refused an inconsistent statistic set of ${datum.namespace} ${datum.metricName}`);
      return;
    }
    this.record(datum, sum, sampleCount, minimum, maximum);
  }

  /**
   * The statistic of `metric` per period over [startMs, endMs), oldest first; periods without data are absent.
   * @param statistic a `Statistic` or its name (`Sum`, `p99`)
   * @throws MetricQueryError for a period that is not positive or a range that ends before it starts
   */
  query(metric: MetricIdentity, statistic: Statistic | string, periodMs: number, startMs: number, endMs: number, options: QueryOptions = {}): Datapoints {
    const stat = typeof statistic === 'string' ? parseStatistic(statistic) : statistic;
    if (!(periodMs > 0) || !Number.isFinite(periodMs)) throw new MetricQueryError(`The period must be a positive number of milliseconds, got ${periodMs}`);
    if (!(endMs >= startMs)) throw new MetricQueryError(`The range ends (${endMs}) before it starts (${startMs})`);
    const result: Datapoints = { timestamps: [], values: [], sampleCounts: [] };
    const series = this.series.get(this.keyOf(metric.namespace, metric.metricName, metric.dimensions));
    if (series === undefined) return result;
    const origin = options.origin ?? 0;
    const firstStart = origin + Math.floor((startMs - origin) / periodMs) * periodMs;
    const buffers = options.unit === undefined ? [...series.byUnit.values()] : [series.byUnit.get(options.unit)].filter((b) => b !== undefined);
    const cutoff = this.clock() - this.retentionMs;
    const byPeriod = new Map<number, Segment[]>();
    for (const buffer of buffers) {
      buffer.evictBefore(cutoff);
      let from = buffer.lowerBound(firstStart);
      while (from < buffer.end && buffer.times[from] < endMs) {
        const period = Math.floor((buffer.times[from] - origin) / periodMs);
        const periodEnd = Math.min(endMs, origin + (period + 1) * periodMs);
        let to = from + 1;
        while (to < buffer.end && buffer.times[to] < periodEnd) to++;
        const segments = byPeriod.get(period);
        if (segments === undefined) byPeriod.set(period, [{ buffer, from, to }]);
        else segments.push({ buffer, from, to });
        from = to;
      }
    }
    const periods = [...byPeriod.keys()].sort((a, b) => a - b);
    for (const period of periods) {
      const aggregate = this.aggregate(stat, byPeriod.get(period)!);
      if (aggregate === undefined) continue;
      result.timestamps.push(origin + period * periodMs);
      result.values.push(aggregate.value);
      result.sampleCounts.push(aggregate.sampleCount);
    }
    return result;
  }

  /** The units a metric's values were published with (`None` when none was given). */
  unitsOf(metric: MetricIdentity): string[] {
    const series = this.series.get(this.keyOf(metric.namespace, metric.metricName, metric.dimensions));
    return series === undefined ? [] : [...series.byUnit.keys()];
  }

  /** The metrics that hold values (after retention), in no particular order. */
  listMetrics(filter: ListMetricsFilter = {}): MetricIdentity[] {
    const cutoff = this.clock() - this.retentionMs;
    const found: MetricIdentity[] = [];
    for (const [key, series] of this.series) {
      let length = 0;
      for (const buffer of series.byUnit.values()) {
        buffer.evictBefore(cutoff);
        length += buffer.length;
      }
      if (length === 0) {
        this.series.delete(key);
        continue;
      }
      const { identity } = series;
      if (filter.namespace !== undefined && identity.namespace !== filter.namespace) continue;
      if (filter.metricName !== undefined && identity.metricName !== filter.metricName) continue;
      if (filter.activeSinceMs !== undefined && series.lastPutMs < filter.activeSinceMs) continue;
      const dimensionsMatch = (filter.dimensions ?? []).every(
        ({ name, value }) => Object.prototype.hasOwnProperty.call(identity.dimensions, name) && (value === undefined || identity.dimensions[name] === value),
      );
      if (dimensionsMatch) found.push(identity);
    }
    return found;
  }

  /** How much the store holds. */
  stats(): { readonly series: number; readonly values: number } {
    let values = 0;
    for (const series of this.series.values()) for (const buffer of series.byUnit.values()) values += buffer.length;
    return { series: this.series.size, values };
  }

  /** Forgets every value. */
  clear(): void {
    this.series.clear();
  }

  private record(datum: MetricDatumHead, sum: number, count: number, min: number, max: number): void {
    const now = this.clock();
    const key = this.keyOf(datum.namespace, datum.metricName, datum.dimensions);
    let series = this.series.get(key);
    if (series === undefined) {
      if (this.series.size >= this.maxSeries) {
        this.warnOnce('max-series', `holds ${this.maxSeries} metrics already: refused values of new ones (first: ${datum.namespace} ${datum.metricName})`);
        return;
      }
      series = { identity: { namespace: datum.namespace, metricName: datum.metricName, dimensions: { ...datum.dimensions } }, byUnit: new Map(), lastPutMs: now };
      this.series.set(key, series);
    }
    const unit = datum.unit ?? 'None';
    let buffer = series.byUnit.get(unit);
    if (buffer === undefined) {
      buffer = new SeriesBuffer(this.maxValuesPerSeries);
      series.byUnit.set(unit, buffer);
    }
    series.lastPutMs = now;
    const cutoff = now - this.retentionMs;
    if (buffer.end > buffer.start && buffer.times[buffer.start] < cutoff) buffer.evictBefore(cutoff);
    buffer.push(datum.timestamp ?? now, sum, count, min, max);
  }

  private keyOf(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>): string {
    let dimensionsKey = this.dimensionKeys.get(dimensions);
    if (dimensionsKey === undefined) {
      dimensionsKey = dimensionsKeyOf(dimensions);
      if (Object.isFrozen(dimensions)) this.dimensionKeys.set(dimensions, dimensionsKey);
    }
    return `${namespace}\u0000${metricName}\u0000${dimensionsKey}`;
  }

  /** The statistic over the entries of one period; undefined when the period has none it can use. */
  private aggregate(stat: Statistic, segments: readonly Segment[]): { value: number; sampleCount: number } | undefined {
    let sampleCount = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let weighted = false;
    let spread = false;
    for (const { buffer, from, to } of segments) {
      const { sums, counts, mins, maxs } = buffer;
      if (counts === undefined) {
        sampleCount += to - from;
        for (let i = from; i < to; i++) {
          const value = sums[i];
          sum += value;
          if (value < min) min = value;
          if (value > max) max = value;
        }
        continue;
      }
      for (let i = from; i < to; i++) {
        sampleCount += counts[i];
        sum += sums[i];
        if (mins![i] < min) min = mins![i];
        if (maxs![i] > max) max = maxs![i];
        if (counts[i] !== 1) weighted = true;
        if (mins![i] !== maxs![i]) spread = true;
      }
    }
    if (sampleCount === 0) return undefined;
    switch (stat.kind) {
      case 'SampleCount':
        return { value: sampleCount, sampleCount };
      case 'Sum':
        return { value: sum, sampleCount };
      case 'Average':
        return { value: sum / sampleCount, sampleCount };
      case 'Minimum':
        return { value: min, sampleCount };
      case 'Maximum':
        return { value: max, sampleCount };
      case 'percentile': {
        if (spread) return undefined;
        const value = weighted ? this.weightedPercentileOf(segments, stat.percentile) : this.percentileOf(segments, stat.percentile);
        return value === undefined ? undefined : { value, sampleCount };
      }
    }
  }

  private percentileOf(segments: readonly Segment[], percentile: number): number | undefined {
    let length = 0;
    for (const { from, to } of segments) length += to - from;
    if (this.scratch.length < length) this.scratch = new Float64Array(Math.max(length, this.scratch.length * 2));
    let at = 0;
    for (const { buffer, from, to } of segments) {
      // Plain samples and Values/Counts entries with count 1: min = max = the value.
      this.scratch.set(buffer.mins === undefined ? buffer.sums.subarray(from, to) : buffer.mins.subarray(from, to), at);
      at += to - from;
    }
    return percentileInPlace(this.scratch, length, percentile);
  }

  private weightedPercentileOf(segments: readonly Segment[], percentile: number): number | undefined {
    const values: number[] = [];
    const weights: number[] = [];
    for (const { buffer, from, to } of segments) {
      for (let i = from; i < to; i++) {
        values.push(buffer.mins === undefined ? buffer.sums[i] : buffer.mins[i]);
        weights.push(buffer.counts === undefined ? 1 : buffer.counts[i]);
      }
    }
    return weightedPercentile(values, weights, values.length, percentile);
  }

  private warnOnce(kind: string, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.onWarning(message);
  }
}
