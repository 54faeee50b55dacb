import type { MetricAlarmDefinition, TreatMissingData } from '../../../../local/cloudwatch/alarm-model';
import {
  breaches,
  evaluateMetricAlarm,
  formatNumber,
  formatReasonDate,
  type EvaluatedPeriod,
} from '../../../../local/cloudwatch/metric-alarm-evaluation';
import { parseStatistic } from '../../../../local/cloudwatch/statistics';

const T0 = Date.UTC(2026, 10, 21, 23, 0, 0);
const PERIOD = 300_000;

function alarmOf(overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition {
  return {
    kind: 'metric',
    name: 'errors',
    arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:errors',
    actionsEnabled: true,
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
    metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: {} },
    statistic: parseStatistic('Sum'),
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'missing',
    effectiveTreatMissingData: 'missing',
    ...overrides,
  };
}

/** Periods from a picture, oldest first: `X` breaching (5), `0` not breaching (0), `-` missing. */
function periodsOf(picture: string): EvaluatedPeriod[] {
  return [...picture.replace(/\s/g, '')].map((c, i) => {
    const timestamp = T0 + i * PERIOD;
    if (c === '-') return { timestamp };
    return { timestamp, value: c === 'X' ? 5 : 0, sampleCount: 1 };
  });
}

function stateFor(picture: string, treatment: TreatMissingData, m: number): string | undefined {
  const periods = periodsOf(picture);
  const alarm = alarmOf({ evaluationPeriods: periods.length, datapointsToAlarm: m, treatMissingData: treatment, effectiveTreatMissingData: treatment });
  return evaluateMetricAlarm(alarm, periods, { queryDate: T0 + periods.length * PERIOD, startDate: T0 }).state ?? 'kept';
}

describe('evaluateMetricAlarm: M out of N', () => {
  it.each([
    ['XXX', 3, 'ALARM'],
    ['0XX', 3, 'OK'],
    ['0XX', 2, 'ALARM'],
    ['X0X', 2, 'ALARM'],
    ['X00', 2, 'OK'],
  ])('%s with %i to alarm is %s', (picture, m, state) => {
    expect(stateFor(picture, 'missing', m)).toBe(state);
  });
});

describe('evaluateMetricAlarm: missing data, as CloudWatch documents it', () => {
  // Columns: missing, ignore, breaching, notBreaching. N = 3, M = 3 unless said.
  it.each([
    ['0X-', 3, ['OK', 'OK', 'OK', 'OK']],
    ['0--', 3, ['OK', 'OK', 'OK', 'OK']],
    ['---', 3, ['INSUFFICIENT_DATA', 'kept', 'ALARM', 'OK']],
    ['-X-', 3, ['ALARM', 'kept', 'ALARM', 'OK']],
    ['XX-', 2, ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['X--', 2, ['ALARM', 'kept', 'ALARM', 'OK']],
  ])('%s (M = %i) is %j', (picture, m, expected) => {
    const treatments: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
    expect(treatments.map((treatment) => stateFor(picture, treatment, m))).toEqual(expected);
  });
});

describe('evaluateMetricAlarm: the reasons CloudWatch writes', () => {
  it('names the breaching datapoint, its time, the comparison and the threshold', () => {
    // Prepare
    const alarm = alarmOf({ threshold: 2000, statistic: parseStatistic('p99') });

    // Act
    const outcome = evaluateMetricAlarm(alarm, [{ timestamp: Date.UTC(2026, 10, 21, 23, 10, 0), value: 2512, sampleCount: 4 }], { queryDate: T0, startDate: T0 });

    // Assess
    expect(outcome.state).toBe('ALARM');
    expect(outcome.reason).toBe('Threshold Crossed: 1 datapoint [2512.0 (21/11/26 23:10:00)] was greater than or equal to the threshold (2000.0).');
    expect(JSON.parse(outcome.reasonData)).toEqual({
      version: '1.0',
      queryDate: '2026-11-21T23:00:00.000+0000',
      startDate: '2026-11-21T23:00:00.000+0000',
      statistic: 'p99',
      period: 300,
      recentDatapoints: [2512],
      threshold: 2000,
      evaluatedDatapoints: [{ timestamp: '2026-11-21T23:10:00.000+0000', sampleCount: 4, value: 2512 }],
    });
  });

  it('counts M out of N, newest first, with the minimum for the transition', () => {
    // Prepare
    const alarm = alarmOf({ evaluationPeriods: 3, datapointsToAlarm: 2, comparisonOperator: 'GreaterThanThreshold', threshold: 3 });

    // Act
    const outcome = evaluateMetricAlarm(alarm, periodsOf('X0X'), { queryDate: T0, startDate: T0 });

    // Assess
    expect(outcome.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [5.0 (21/11/26 23:10:00), 5.0 (21/11/26 23:00:00)] were greater than the threshold (3.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
  });

  it('says how missing datapoints were treated', () => {
    const notBreaching = alarmOf({ treatMissingData: 'notBreaching', effectiveTreatMissingData: 'notBreaching' });
    expect(evaluateMetricAlarm(notBreaching, periodsOf('-'), { queryDate: T0, startDate: T0 }).reason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    );
    expect(evaluateMetricAlarm(alarmOf(), periodsOf('-'), { queryDate: T0, startDate: T0 }).reason).toBe('Insufficient Data: 1 datapoint was unknown.');
    const ok = evaluateMetricAlarm(alarmOf(), periodsOf('0'), { queryDate: T0, startDate: T0 });
    expect(ok.reason).toBe('Threshold Crossed: 1 datapoint [0.0 (21/11/26 23:00:00)] was not greater than or equal to the threshold (1.0).');
  });

  it('keeps the state of a p99 alarm that ignores low sample counts while a period has too few samples', () => {
    // Prepare
    const alarm = alarmOf({ statistic: parseStatistic('p99'), evaluateLowSampleCountPercentile: 'ignore', threshold: 100 });

    // Act
    const few = evaluateMetricAlarm(alarm, [{ timestamp: T0, value: 500, sampleCount: 99 }], { queryDate: T0, startDate: T0 });
    const enough = evaluateMetricAlarm(alarm, [{ timestamp: T0, value: 500, sampleCount: 100 }], { queryDate: T0, startDate: T0 });

    // Assess
    expect(few.state).toBeUndefined();
    expect(few.reason).toMatch(/fewer than 100 samples/);
    expect(enough.state).toBe('ALARM');
  });
});

describe('comparisons and formatting', () => {
  it('compares with each operator', () => {
    const at = (comparisonOperator: MetricAlarmDefinition['comparisonOperator'], value: number) => breaches({ comparisonOperator, threshold: 1 }, value);
    expect([at('GreaterThanOrEqualToThreshold', 1), at('GreaterThanThreshold', 1), at('LessThanThreshold', 0), at('LessThanOrEqualToThreshold', 1)]).toEqual([true, false, true, true]);
  });

  it('prints numbers and dates as CloudWatch does', () => {
    expect([formatNumber(1), formatNumber(0.5), formatNumber(-3), formatNumber(12345678), formatNumber(0.0001)]).toEqual(['1.0', '0.5', '-3.0', '1.2345678E7', '1.0E-4']);
    expect(formatReasonDate(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('02/01/26 03:04:05');
  });
});
