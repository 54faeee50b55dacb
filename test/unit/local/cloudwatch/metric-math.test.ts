import { evaluateExpression, MetricMathError, parseExpression, type MathContext, type TimeSeries } from '../../../../local/cloudwatch/metric-math';

const P = 60_000;
const GRID = [0, P, 2 * P, 3 * P];

function series(points: Record<number, number>): TimeSeries {
  const timestamps = Object.keys(points)
    .map(Number)
    .sort((a, b) => a - b);
  return { timestamps: timestamps.map((k) => k * P), values: timestamps.map((k) => points[k]) };
}

function contextOf(named: Record<string, TimeSeries>, labels: Record<string, string> = {}): MathContext {
  return {
    series: new Map(Object.entries(named)),
    metricLabels: new Map(Object.keys(named).map((id) => [id, labels[id] ?? id])),
    grid: GRID,
    periodSeconds: 60,
  };
}

function run(text: string, named: Record<string, TimeSeries>, labels?: Record<string, string>): TimeSeries {
  return evaluateExpression(parseExpression(text), contextOf(named, labels));
}

describe('parseExpression', () => {
  it('names the ids an expression uses', () => {
    expect([...parseExpression('100 * errors / requests').references]).toEqual(['errors', 'requests']);
    expect(parseExpression('SUM(METRICS())').usesAllMetrics).toBe(true);
  });

  it('names the column of a syntax error', () => {
    expect(() => parseExpression('100 * (errors / requests')).toThrow(/Expected "\)" at column 25/);
    expect(() => parseExpression('errors requests')).toThrow(/column 8/);
    expect(() => parseExpression('errors # 2')).toThrow(/Unexpected character "#" at column 8/);
  });

  it('rejects unknown functions, naming the ones it has', () => {
    expect(() => parseExpression('STDDEV(m1)')).toThrow(MetricMathError);
    expect(() => parseExpression('STDDEV(m1)')).toThrow(/Unknown function STDDEV at column 1.*ABS, AVG/);
    expect(() => parseExpression('sum(m1)')).toThrow(/function names are upper case: SUM/);
  });

  it('says why SEARCH, Metrics Insights and anomaly bands are not supported locally', () => {
    expect(() => parseExpression("SEARCH('{AWS/Lambda,FunctionName} Errors', 'Sum', 300)")).toThrow(/SEARCH at column 1 is not supported locally/);
    expect(() => parseExpression('SELECT AVG(CPUUtilization) FROM "AWS/EC2"')).toThrow(/Metrics Insights .* not supported locally/);
    expect(() => parseExpression('ANOMALY_DETECTION_BAND(m1, 2)')).toThrow(/anomaly detection/);
  });

  it('rejects an id that does not start with a lower-case letter', () => {
    expect(() => parseExpression('Errors / 2')).toThrow(/is not a query id/);
  });
});

describe('evaluateExpression', () => {
  it('computes per timestamp, only where both series have a datapoint', () => {
    // Act
    const rate = run('100 * errors / requests', { errors: series({ 0: 1, 1: 0, 3: 5 }), requests: series({ 0: 50, 1: 10, 2: 7 }) });

    // Assess
    expect(rate).toEqual(series({ 0: 2, 1: 0 }));
  });

  it('leaves out the datapoints where it divides by zero', () => {
    expect(run('errors / requests', { errors: series({ 0: 1, 1: 2 }), requests: series({ 0: 0, 1: 4 }) })).toEqual(series({ 1: 0.5 }));
  });

  it('follows arithmetic precedence, unary minus and exponents', () => {
    const m = { m1: series({ 0: 2 }) };
    expect(run('1 + 2 * m1 ^ 2', m).values).toEqual([9]);
    expect(run('-m1 ^ 2', m).values).toEqual([-4]);
    expect(run('(1 + 2) * m1', m).values).toEqual([6]);
    expect(run('10 - 4 - m1', m).values).toEqual([4]);
    expect(run('2 ^ 3 ^ 2', m).values).toEqual([512, 512, 512, 512]);
  });

  it('puts a constant at every period of the grid', () => {
    expect(run('42', {})).toEqual({ timestamps: GRID, values: [42, 42, 42, 42] });
  });

  it('sums an array per timestamp, and a single series to a number', () => {
    const named = { a: series({ 0: 1, 1: 2 }), b: series({ 1: 10, 2: 20 }) };
    expect(run('SUM([a, b])', named)).toEqual(series({ 0: 1, 1: 12, 2: 20 }));
    expect(run('MAX(METRICS())', named)).toEqual(series({ 0: 1, 1: 10, 2: 20 }));
    expect(run('a / SUM(a)', named)).toEqual(series({ 0: 1 / 3, 1: 2 / 3 }));
  });

  it('fills the gaps of the grid with a value, the previous value, or a line', () => {
    const named = { m1: series({ 1: 10, 3: 30 }) };
    expect(run('FILL(m1, 0)', named)).toEqual(series({ 0: 0, 1: 10, 2: 0, 3: 30 }));
    expect(run('FILL(m1, REPEAT)', named)).toEqual(series({ 0: 10, 1: 10, 2: 10, 3: 30 }));
    expect(run('FILL(m1, LINEAR)', named)).toEqual(series({ 0: 10, 1: 10, 2: 20, 3: 30 }));
  });

  it('chooses per timestamp with IF and comparisons', () => {
    const named = { m1: series({ 0: 1, 1: 5, 2: 9 }) };
    expect(run('IF(m1 > 4 AND m1 < 9, 1, 0)', named)).toEqual(series({ 0: 0, 1: 1, 2: 0 }));
    expect(run('IF(m1 >= 5, m1)', named)).toEqual(series({ 1: 5, 2: 9 }));
  });

  it('takes differences and rates between consecutive datapoints', () => {
    const named = { m1: series({ 0: 10, 1: 70, 2: 40 }) };
    expect(run('DIFF(m1)', named)).toEqual(series({ 1: 60, 2: -30 }));
    expect(run('RATE(m1)', named)).toEqual(series({ 1: 1, 2: -0.5 }));
    expect(run('m1 / PERIOD(m1)', named).values).toEqual([10 / 60, 70 / 60, 40 / 60]);
  });

  it('filters METRICS() by a string found in the id or the label', () => {
    const named = { errors: series({ 0: 1 }), faults: series({ 0: 2 }), requests: series({ 0: 100 }) };
    expect(run('SUM(METRICS("5XX"))', named, { errors: '5XXError', faults: '5XXError faults' }).values).toEqual([3]);
  });

  it('rejects an id that is not another query, and an expression that yields several series', () => {
    expect(() => run('m9 * 2', { m1: series({}) })).toThrow(/uses m9 \(column 1\), which is not the id of another query/);
    expect(() => run('[a, b] * 2', { a: series({ 0: 1 }), b: series({ 0: 2 }) })).toThrow(/returns 2 time series/);
  });
});
