import { MetricQueryError, MetricStore } from '../../../../local/cloudwatch/metric-store';
import type { MetricDatum } from '../../../../local/cloudwatch/metric-types';

const T0 = Date.UTC(2026, 10, 21, 23, 0, 0);
const LATENCY = { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiName: 'shop', Stage: 'prod' } };

function latency(value: number, timestamp: number, extra: Partial<MetricDatum> = {}): MetricDatum {
  return { ...LATENCY, value, timestamp, ...extra };
}

function storeAt(now = T0 + 3_600_000, options: ConstructorParameters<typeof MetricStore>[0] = {}): MetricStore {
  return new MetricStore({ clock: () => now, ...options });
}

describe('MetricStore.query', () => {
  it('buckets values into periods aligned to the epoch, oldest first, leaving out periods without data', () => {
    // Prepare
    const store = storeAt();
    store.putMany([latency(10, T0 + 1_000), latency(30, T0 + 59_000), latency(5, T0 + 120_000)]);

    // Act
    const sums = store.query(LATENCY, 'Sum', 60_000, T0, T0 + 180_000);

    // Assess
    expect(sums).toEqual({ timestamps: [T0, T0 + 120_000], values: [40, 5], sampleCounts: [2, 1] });
  });

  it('computes every statistic of a period', () => {
    // Prepare
    const store = storeAt();
    for (let v = 1; v <= 100; v++) store.put(latency(v, T0 + v));
    const stat = (name: string) => store.query(LATENCY, name, 60_000, T0, T0 + 60_000).values[0];

    // Assess
    expect([stat('SampleCount'), stat('Sum'), stat('Average'), stat('Minimum'), stat('Maximum'), stat('p99'), stat('p50')]).toEqual([100, 5050, 50.5, 1, 100, 99, 50]);
  });

  it('matches dimensions exactly, in any order, as CloudWatch does', () => {
    // Prepare
    const store = storeAt();
    store.put({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { Stage: 'prod', ApiName: 'shop' }, value: 1, timestamp: T0 });
    store.put({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiName: 'shop', Stage: 'prod', Method: 'GET' }, value: 100, timestamp: T0 });
    store.put({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiName: 'shop' }, value: 1000, timestamp: T0 });

    // Act
    const both = store.query(LATENCY, 'Sum', 60_000, T0, T0 + 60_000);
    const apiOnly = store.query({ ...LATENCY, dimensions: { ApiName: 'shop' } }, 'Sum', 60_000, T0, T0 + 60_000);

    // Assess
    expect(both.values).toEqual([1]);
    expect(apiOnly.values).toEqual([1000]);
  });

  it('keeps units apart: a query with a unit sees only that unit, one without sees all', () => {
    // Prepare
    const store = storeAt();
    store.put(latency(2, T0, { unit: 'Seconds' }));
    store.put(latency(500, T0 + 1, { unit: 'Milliseconds' }));

    // Assess
    expect(store.query(LATENCY, 'Sum', 60_000, T0, T0 + 60_000, { unit: 'Milliseconds' }).values).toEqual([500]);
    expect(store.query(LATENCY, 'Sum', 60_000, T0, T0 + 60_000).values).toEqual([502]);
    expect(store.query(LATENCY, 'Maximum', 60_000, T0, T0 + 60_000, { unit: 'Count' }).values).toEqual([]);
    expect(store.unitsOf(LATENCY).sort()).toEqual(['Milliseconds', 'Seconds']);
  });

  it('aligns periods to another origin when asked (windows ending now)', () => {
    // Prepare
    const store = storeAt();
    const now = T0 + 10_000;
    store.putMany([latency(1, now - 3_500), latency(2, now - 2_999), latency(4, now - 1)]);

    // Act
    const windows = store.query(LATENCY, 'Sum', 3_000, now - 6_000, now, { origin: now });

    // Assess
    expect(windows).toEqual({ timestamps: [now - 6_000, now - 3_000], values: [1, 6], sampleCounts: [1, 2] });
  });

  it('keeps late values in time order', () => {
    // Prepare
    const store = storeAt();
    store.putMany([latency(1, T0 + 120_000), latency(2, T0 + 1_000), latency(3, T0 + 60_500), latency(4, T0)]);

    // Act
    const sums = store.query(LATENCY, 'Sum', 60_000, T0, T0 + 180_000);

    // Assess
    expect(sums.timestamps).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(sums.values).toEqual([6, 3, 1]);
  });

  it('rejects a period that is not positive and a range that ends before it starts', () => {
    const store = storeAt();
    expect(() => store.query(LATENCY, 'Sum', 0, T0, T0 + 1)).toThrow(MetricQueryError);
    expect(() => store.query(LATENCY, 'Sum', 60_000, T0 + 1, T0)).toThrow(MetricQueryError);
  });
});

describe('MetricStore memory bounds', () => {
  it('drops values older than the retention', () => {
    // Prepare
    let now = T0;
    const store = new MetricStore({ clock: () => now, retentionMs: 60_000 });
    store.put(latency(1, T0));
    store.put(latency(2, T0 + 30_000));

    // Act
    now = T0 + 70_000;
    const sums = store.query(LATENCY, 'Sum', 3_600_000, 0, T0 + 3_600_000);

    // Assess
    expect(sums.values).toEqual([2]);
  });

  it('keeps at most maxValuesPerSeries values per series, evicting the oldest, through many compactions', () => {
    // Prepare
    const store = storeAt(T0 + 3_600_000, { maxValuesPerSeries: 1_000 });

    // Act
    for (let i = 0; i < 10_000; i++) store.put(latency(i, T0 + i));

    // Assess
    const all = store.query(LATENCY, 'SampleCount', 3_600_000, 0, T0 + 3_600_000);
    expect(all.values).toEqual([1_000]);
    expect(store.query(LATENCY, 'Minimum', 3_600_000, 0, T0 + 3_600_000).values).toEqual([9_000]);
    expect(store.stats()).toEqual({ series: 1, values: 1_000 });
  });

  it('refuses values of new series beyond maxSeries, and says so once', () => {
    // Prepare
    const warnings: string[] = [];
    const store = storeAt(T0, { maxSeries: 2, onWarning: (message) => warnings.push(message) });

    // Act
    for (const name of ['A', 'B', 'C', 'D']) store.put({ namespace: 'Shop', metricName: name, dimensions: {}, value: 1, timestamp: T0 });

    // Assess
    expect(store.listMetrics().map((metric) => metric.metricName).sort()).toEqual(['A', 'B']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/holds 2 metrics already/);
  });

  it('refuses NaN and Infinity, which CloudWatch rejects', () => {
    // Prepare
    const warnings: string[] = [];
    const store = storeAt(T0, { onWarning: (message) => warnings.push(message) });

    // Act
    store.put(latency(Number.NaN, T0));
    store.put(latency(Number.POSITIVE_INFINITY, T0));
    store.put(latency(3, T0));

    // Assess
    expect(store.query(LATENCY, 'Sum', 60_000, T0, T0 + 60_000).values).toEqual([3]);
    expect(warnings).toHaveLength(1);
  });
});

describe('MetricStore statistic sets and counted values', () => {
  it('answers the simple statistics of a statistic set, and no percentile for a set with a spread', () => {
    // Prepare
    const store = storeAt();
    store.put(latency(10, T0));
    store.putStatisticSet({ ...LATENCY, timestamp: T0 + 1 }, { sampleCount: 4, sum: 100, minimum: 5, maximum: 50 });
    const stat = (name: string) => store.query(LATENCY, name, 60_000, T0, T0 + 60_000).values;

    // Assess
    expect([stat('SampleCount'), stat('Sum'), stat('Average'), stat('Minimum'), stat('Maximum')]).toEqual([[5], [110], [22], [5], [50]]);
    expect(stat('p99')).toEqual([]);
  });

  it('counts Values/Counts entries as that many samples, percentiles included', () => {
    // Prepare
    const store = storeAt();
    store.putCounted({ ...LATENCY, timestamp: T0 }, 0.1, 3);
    store.putCounted({ ...LATENCY, timestamp: T0 + 1 }, 900, 1);
    const stat = (name: string) => store.query(LATENCY, name, 60_000, T0, T0 + 60_000).values[0];

    // Assess
    expect(stat('SampleCount')).toBe(4);
    expect(stat('p75')).toBe(0.1);
    expect(stat('p76')).toBe(900);
    expect(stat('Minimum')).toBe(0.1);
  });
});

describe('MetricStore.listMetrics', () => {
  it('lists the metrics with values, filtered by namespace, name, dimensions and recent activity', () => {
    // Prepare
    let now = T0;
    const store = new MetricStore({ clock: () => now });
    store.put({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'a' }, value: 0 });
    store.put({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'b', Resource: 'b:live' }, value: 0 });
    now = T0 + 2 * 3_600_000;
    store.put({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'a' }, value: 5 });
    store.put({ namespace: 'Shop', metricName: 'OrderPlaced', dimensions: { service: 'orders' }, value: 1 });

    // Act
    const lambda = store.listMetrics({ namespace: 'AWS/Lambda' });
    const errors = store.listMetrics({ metricName: 'Errors' });
    const ofB = store.listMetrics({ dimensions: [{ name: 'FunctionName', value: 'b' }] });
    const withResource = store.listMetrics({ dimensions: [{ name: 'Resource' }] });
    const recent = store.listMetrics({ activeSinceMs: now - 1 });

    // Assess
    expect(lambda).toHaveLength(3);
    expect(errors).toHaveLength(2);
    expect(ofB).toEqual([{ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'b', Resource: 'b:live' } }]);
    expect(withResource).toEqual(ofB);
    expect(recent.map((metric) => metric.metricName).sort()).toEqual(['Duration', 'OrderPlaced']);
  });

  it('forgets a metric once all its values are past the retention', () => {
    // Prepare
    let now = T0;
    const store = new MetricStore({ clock: () => now });
    store.put({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'a' }, value: 0 });
    store.put({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'a' }, value: 5, timestamp: T0 + 3_600_000 });

    // Act
    now = T0 + 3.5 * 3_600_000;

    // Assess
    expect(store.listMetrics().map((metric) => metric.metricName)).toEqual(['Duration']);
    expect(store.stats().series).toBe(1);
  });
});
