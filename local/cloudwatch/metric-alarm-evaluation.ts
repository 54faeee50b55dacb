/**
 * One evaluation of a metric alarm, as CloudWatch does it: the alarm's last EvaluationPeriods datapoints (some may be
 * missing), DatapointsToAlarm of them breaching → ALARM, else OK, with TreatMissingData deciding what missing
 * datapoints mean, and the state reason CloudWatch would write.
 *
 * Missing data (CloudWatch's "How alarm state is evaluated when data is missing"), with N = EvaluationPeriods and
 * M = DatapointsToAlarm:
 * - all N datapoints present: ALARM when M or more breach, else OK; TreatMissingData plays no part.
 * - none present: `missing` → INSUFFICIENT_DATA, `ignore` → the state is kept, `breaching` → ALARM,
 *   `notBreaching` → OK.
 * - some present: `breaching` / `notBreaching` fill the gaps as breaching / not breaching; `missing` judges the present
 *   datapoints alone (ALARM when min(M, present) of them breach: one breaching datapoint out of one present alarms an
 *   alarm that needs 3 of 3); `ignore` keeps the state unless the present datapoints decide it whatever the gaps hold.
 *
 * Difference from CloudWatch: CloudWatch looks back further than N periods (an unpublished "evaluation range") to find
 * N real datapoints before it fills gaps; locally the range is exactly N periods, so an alarm on a metric that stops
 * reporting follows its TreatMissingData after N periods instead of a few more.
 *
 * Percentile alarms with EvaluateLowSampleCountPercentile `ignore` keep their state while a datapoint has fewer
 * samples than `significantSampleCount` (100 for p99).
 */
import type { MetricAlarmDefinition } from './alarm-model';
import type { AlarmStateValue } from './composite-rule';
import { significantSampleCount } from './statistics';

/** One period of the evaluation range; `value` undefined when the period has no datapoint. */
export interface EvaluatedPeriod {
  /** Start of the period, epoch ms. */
  readonly timestamp: number;
  readonly value?: number;
  readonly sampleCount?: number;
}

export interface MetricAlarmOutcome {
  /** The new state, or `undefined` to keep the current one (TreatMissingData `ignore`, low sample counts). */
  readonly state: AlarmStateValue | undefined;
  readonly reason: string;
  /** CloudWatch's StateReasonData (JSON). */
  readonly reasonData: string;
}

export interface EvaluationTimes {
  /** When the evaluation ran (epoch ms). */
  readonly queryDate: number;
  /** Start of the evaluation range (epoch ms). */
  readonly startDate: number;
}

const OPERATOR_TEXT: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** Whether `value` breaches the alarm's threshold. */
export function breaches(alarm: Pick<MetricAlarmDefinition, 'comparisonOperator' | 'threshold'>, value: number): boolean {
  switch (alarm.comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
  }
}

/** A number as CloudWatch's reasons print it (Java's Double.toString: `2512.0`, `0.5`, `1.0E7`). */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e7 || magnitude < 1e-3)) {
    const [mantissa, exponent] = value.toExponential().split('e');
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `dd/MM/yy HH:mm:ss` in UTC, as datapoints appear in CloudWatch's reasons. */
export function formatReasonDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** ISO 8601 with a `+0000` offset, as CloudWatch's StateReasonData writes dates. */
export function formatReasonDataDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Evaluates the alarm over its evaluation range (`periods`, oldest first, one per evaluation period). */
export function evaluateMetricAlarm(alarm: MetricAlarmDefinition, periods: readonly EvaluatedPeriod[], times: EvaluationTimes): MetricAlarmOutcome {
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm;
  const present = periods.filter((period): period is EvaluatedPeriod & { value: number } => period.value !== undefined);
  const breaching = present.filter((period) => breaches(alarm, period.value));
  const missing = n - present.length;
  const reasonData = reasonDataOf(alarm, present, times);
  const operator = OPERATOR_TEXT[alarm.comparisonOperator];
  const threshold = formatNumber(alarm.threshold);

  if (alarm.statistic?.kind === 'percentile' && alarm.evaluateLowSampleCountPercentile === 'ignore') {
    const needed = significantSampleCount(alarm.statistic.percentile);
    if (present.some((period) => (period.sampleCount ?? 0) < needed)) {
      return { state: undefined, reason: `Low sample count: fewer than ${needed} samples in a period; ${alarm.statistic.name} is not evaluated.`, reasonData };
    }
  }

  const listed = (list: readonly (EvaluatedPeriod & { value: number })[]) =>
    `[${[...list]
      .reverse()
      .map((period) => `${formatNumber(period.value)} (${formatReasonDate(period.timestamp)})`)
      .join(', ')}]`;
  const crossed = (alarmed: boolean, counted: readonly (EvaluatedPeriod & { value: number })[], treated?: string): string => {
    const count = counted.length + (treated === undefined ? 0 : missing);
    const subject = n === 1 ? plural(count, 'datapoint', 'datapoints') : `${count} out of the last ${n} datapoints`;
    const verb = `${count === 1 ? 'was' : 'were'} ${alarmed ? '' : 'not '}${operator}`;
    const minimum = n === 1 ? '' : alarmed ? ` (minimum ${plural(m, 'datapoint', 'datapoints')} for OK -> ALARM transition)` : ` (minimum ${plural(n - m + 1, 'datapoint', 'datapoints')} for ALARM -> OK transition)`;
    const treatedText = treated === undefined || missing === 0 ? '' : ` and ${plural(missing, 'missing datapoint was', 'missing datapoints were')} treated as [${treated}]`;
    return `Threshold Crossed: ${subject} ${listed(counted)} ${verb} the threshold (${threshold})${minimum}${treatedText}.`;
  };
  const noData = (treated: string) =>
    `Threshold Crossed: no datapoints were received for ${plural(n, 'period', 'periods')} and ${plural(n, 'missing datapoint was', 'missing datapoints were')} treated as [${treated}].`;

  if (missing === 0) {
    const alarmed = breaching.length >= m;
    return { state: alarmed ? 'ALARM' : 'OK', reason: crossed(alarmed, alarmed ? breaching : present.filter((p) => !breaches(alarm, p.value))), reasonData };
  }
  const treatment = alarm.effectiveTreatMissingData;
  if (present.length === 0) {
    switch (treatment) {
      case 'missing':
        return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${plural(n, 'datapoint was', 'datapoints were')} unknown.`, reasonData };
      case 'ignore':
        return { state: undefined, reason: `No datapoints were received for ${plural(n, 'period', 'periods')}; the state is kept (TreatMissingData ignore).`, reasonData };
      case 'breaching':
        return { state: 'ALARM', reason: noData('Breaching'), reasonData };
      case 'notBreaching':
        return { state: 'OK', reason: noData('NonBreaching'), reasonData };
    }
  }
  const calm = present.filter((p) => !breaches(alarm, p.value));
  switch (treatment) {
    case 'breaching': {
      const alarmed = breaching.length + missing >= m;
      return { state: alarmed ? 'ALARM' : 'OK', reason: crossed(alarmed, alarmed ? breaching : calm, alarmed ? 'Breaching' : undefined), reasonData };
    }
    case 'notBreaching': {
      const alarmed = breaching.length >= m;
      return { state: alarmed ? 'ALARM' : 'OK', reason: crossed(alarmed, alarmed ? breaching : calm, alarmed ? undefined : 'NonBreaching'), reasonData };
    }
    case 'missing': {
      const alarmed = breaching.length >= Math.min(m, present.length);
      return { state: alarmed ? 'ALARM' : 'OK', reason: crossed(alarmed, alarmed ? breaching : calm), reasonData };
    }
    case 'ignore': {
      if (breaching.length >= m) return { state: 'ALARM', reason: crossed(true, breaching), reasonData };
      if (breaching.length + missing < m) return { state: 'OK', reason: crossed(false, calm), reasonData };
      return { state: undefined, reason: `${plural(missing, 'missing datapoint', 'missing datapoints')} could decide the state; it is kept (TreatMissingData ignore).`, reasonData };
    }
  }
}

function reasonDataOf(alarm: MetricAlarmDefinition, present: readonly (EvaluatedPeriod & { value: number })[], times: EvaluationTimes): string {
  const newestFirst = [...present].reverse();
  return JSON.stringify({
    version: '1.0',
    queryDate: formatReasonDataDate(times.queryDate),
    startDate: formatReasonDataDate(times.startDate),
    ...(alarm.statistic !== undefined ? { statistic: alarm.statistic.name } : {}),
    ...(alarm.unit !== undefined ? { unit: alarm.unit } : {}),
    period: alarm.periodSeconds,
    recentDatapoints: newestFirst.map((period) => period.value),
    threshold: alarm.threshold,
    evaluatedDatapoints: newestFirst.map((period) => ({
      timestamp: formatReasonDataDate(period.timestamp),
      ...(period.sampleCount !== undefined ? { sampleCount: period.sampleCount } : {}),
      value: period.value,
    })),
  });
}
