import {
  computeStatistic,
  InvalidStatisticError,
  parseStatistic,
  percentileInPlace,
  significantSampleCount,
  UnsupportedStatisticError,
  weightedPercentile,
} from '../../../../local/cloudwatch/statistics';

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('parseStatistic', () => {
  it('reads the five simple statistics and percentiles with up to two decimals', () => {
    expect(parseStatistic('Sum')).toEqual({ kind: 'Sum', name: 'Sum' });
    expect(parseStatistic('SampleCount').kind).toBe('SampleCount');
    expect(parseStatistic('p99')).toEqual({ kind: 'percentile', name: 'p99', percentile: 99 });
    expect(parseStatistic('p99.99')).toEqual({ kind: 'percentile', name: 'p99.99', percentile: 99.99 });
    expect(parseStatistic('p0').kind).toBe('percentile');
    expect(parseStatistic('p100').kind).toBe('percentile');
  });

  it('rejects trimmed means and the other extended statistics by name', () => {
    for (const name of ['tm99', 'TM(10%:90%)', 'wm98', 'tc90', 'ts90', 'PR(100:2000)', 'IQM']) {
      expect(() => parseStatistic(name)).toThrow(UnsupportedStatisticError);
    }
    expect(() => parseStatistic('tm99')).toThrow(/trimmed mean statistic "tm99" is not supported locally/);
  });

  it('rejects what is not a statistic at all', () => {
    for (const name of ['sum', 'p101', 'p99.999', 'Median', '']) expect(() => parseStatistic(name)).toThrow(InvalidStatisticError);
  });
});

describe('percentiles (nearest rank)', () => {
  it('returns the value at rank ⌈p/100 × n⌉ of the sorted samples', () => {
    expect(computeStatistic(parseStatistic('p50'), oneTo(10))).toBe(5);
    expect(computeStatistic(parseStatistic('p99'), oneTo(100))).toBe(99);
    expect(computeStatistic(parseStatistic('p99'), oneTo(1000))).toBe(990);
    expect(computeStatistic(parseStatistic('p90'), [7])).toBe(7);
  });

  it('gives the minimum for p0 and the maximum for p100, whatever the order', () => {
    const shuffled = [5, 3, 9, 1, 7, 2, 8];
    expect(computeStatistic(parseStatistic('p0'), shuffled)).toBe(1);
    expect(computeStatistic(parseStatistic('p100'), shuffled)).toBe(9);
  });

  it('selects in place over a prefix of a scratch array, ignoring what lies beyond it', () => {
    // Prepare
    const scratch = Float64Array.from([9, 1, 8, 2, 7, 3, 1000, 1000]);

    // Act
    const median = percentileInPlace(scratch, 6, 50);

    // Assess
    expect(median).toBe(3);
    expect(percentileInPlace(scratch, 0, 50)).toBeUndefined();
  });

  it('agrees with sorting on many random inputs', () => {
    for (let round = 0; round < 50; round++) {
      const values = Array.from({ length: 1 + Math.floor(Math.random() * 500) }, () => Math.round(Math.random() * 100));
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [1, 50, 90, 99, 99.9]) {
        expect(computeStatistic(parseStatistic(`p${p}`), values)).toBe(sorted[Math.max(0, Math.ceil((p / 100) * values.length) - 1)]);
      }
    }
  });

  it('counts a value published with a count as that many samples', () => {
    // 10 × 1 and 90 × 100: the 10th sample is 1, the 11th is 100.
    expect(weightedPercentile([100, 1], [90, 10], 2, 10)).toBe(1);
    expect(weightedPercentile([100, 1], [90, 10], 2, 11)).toBe(100);
    expect(weightedPercentile([], [], 0, 50)).toBeUndefined();
  });
});

describe('the simple statistics', () => {
  it('computes SampleCount, Sum, Average, Minimum and Maximum, and nothing for no values', () => {
    const values = [4, 1, 7];
    expect(computeStatistic(parseStatistic('SampleCount'), values)).toBe(3);
    expect(computeStatistic(parseStatistic('Sum'), values)).toBe(12);
    expect(computeStatistic(parseStatistic('Average'), values)).toBe(4);
    expect(computeStatistic(parseStatistic('Minimum'), values)).toBe(1);
    expect(computeStatistic(parseStatistic('Maximum'), values)).toBe(7);
    expect(computeStatistic(parseStatistic('Sum'), [])).toBeUndefined();
  });
});

describe('significantSampleCount', () => {
  it('asks for enough samples that the tail holds one', () => {
    expect(significantSampleCount(99)).toBe(100);
    expect(significantSampleCount(99.9)).toBe(1000);
    expect(significantSampleCount(50)).toBe(2);
    expect(significantSampleCount(100)).toBe(1);
  });
});
