import { buckets, ecdf, percentile, summarize } from '../../../../bench/support/statistics';

describe('percentile', () => {
  it('takes the nearest rank, whatever the order of the values', () => {
    // Prepare: 1..100 shuffled
    const values = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);

    // Act + Assess
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('gives the single value of a one-value sample for every percentile', () => {
    expect([0, 50, 99].map((p) => percentile([7], p))).toEqual([7, 7, 7]);
  });

  it('is NaN for no values, so a report shows no figure rather than a zero', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('sorts numerically, not as strings', () => {
    expect(percentile([100, 9, 20], 50)).toBe(20);
  });
});

describe('summarize', () => {
  it('gives count, min, p50, p90, p99, max and mean', () => {
    const s = summarize([4, 1, 3, 2, 10]);

    expect(s).toEqual({ n: 5, min: 1, p50: 3, p90: 10, p99: 10, max: 10, mean: 4 });
  });

  it('gives n 0 and NaN figures for an empty sample', () => {
    const s = summarize([]);

    expect(s.n).toBe(0);
    expect([s.min, s.p50, s.p99, s.max, s.mean].every(Number.isNaN)).toBe(true);
  });
});

describe('ecdf', () => {
  it('keeps every point of a small sample, ending at fraction 1 with the largest value', () => {
    expect(ecdf([3, 1, 2])).toEqual([
      { value: 1, fraction: 1 / 3 },
      { value: 2, fraction: 2 / 3 },
      { value: 3, fraction: 1 },
    ]);
  });

  it('thins a large sample to about maxPoints real observations, the maximum kept', () => {
    // Prepare: 10,000 values, the largest an outlier
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    values[5] = 1_000_000;

    // Act
    const points = ecdf(values, 100);

    // Assess
    expect(points.length).toBeLessThanOrEqual(101);
    expect(points.at(-1)).toEqual({ value: 1_000_000, fraction: 1 });
    expect(points.every((p, i) => i === 0 || (p.value >= points[i - 1].value && p.fraction > points[i - 1].fraction))).toBe(true);
    expect(points.find((p) => p.fraction === 0.5)?.value).toBe(5001);
  });
});

describe('buckets', () => {
  it('groups by whole buckets from the start, keeping empty buckets and dropping earlier items', () => {
    // Prepare: times in ms from a start at 1000
    const times = [999, 1000, 1999, 3500];

    // Act
    const out = buckets(times, (t) => t, 1000);

    // Assess
    expect(out).toEqual([
      { seconds: 0, items: [1000, 1999] },
      { seconds: 1, items: [] },
      { seconds: 2, items: [3500] },
    ]);
  });
});
