/**
 * Evaluates the template's alarms against the metric store, as CloudWatch does, and tells listeners when one changes
 * state; DescribeAlarms and SetAlarmState read and write the states kept here.
 *
 * Every alarm starts INSUFFICIENT_DATA ("Unchecked: Initial alarm creation"). Each evaluation (every
 * `evaluationIntervalMs`, or `evaluateNow()`) evaluates every metric alarm (`metric-alarm-evaluation.ts`), then every
 * composite alarm in dependency order (a composite after the composites its rule names), so a nested composite sees
 * its parts' new states in the same evaluation. A composite is ALARM while its rule holds, else OK.
 *
 * Periods are windows that end now, not periods aligned to the clock: the evaluation range is the last
 * EvaluationPeriods × Period, cut into EvaluationPeriods consecutive windows ending at the evaluation time. CloudWatch
 * does much the same (its evaluation range ends at the latest minute, not at a multiple of the period), and it is
 * what makes a scaled alarm predictable: a breaching value turns the alarm ALARM at the next evaluation, and the alarm
 * turns OK one Period after the value (with notBreaching, or as soon as a calm value outweighs it) instead of
 * somewhere up to two periods later; and a steady breach never flickers to OK at a period boundary.
 *
 * Time scale: Period and the evaluation interval (CloudWatch evaluates every minute) are multiplied by the factor,
 * so Period 300 at 0.01 is a 3 s window evaluated every 600 ms. Datapoint timestamps stay real epoch times, and the
 * alarm's configuration (DescribeAlarms) keeps its unscaled Period.
 *
 * Cost: one store query per metric (one per MetricStat of a math alarm) over the alarm's window, plus a rule walk per
 * composite; ~110 alarms take well under a millisecond when the windows are small.
 */
import { TimeScale } from '../shared/time-scale';
import { expressionOrder, type AlarmDefinition, type AlarmModel, type CompositeAlarmDefinition, type MetricAlarmDefinition } from './alarm-model';
import { evaluateRule, holdingReferences, ruleReferences, type AlarmStateValue } from './composite-rule';
import { cycleOf, dependencyOrder } from './dependency-order';
import { evaluateMetricAlarm, formatReasonDataDate, type EvaluatedPeriod } from './metric-alarm-evaluation';
import { evaluateExpression, MetricMathError, type TimeSeries } from './metric-math';
import type { Datapoints, MetricIdentity, QueryOptions } from './metric-store';
import type { Statistic } from './statistics';

/** What the evaluator reads: the metric store's query. */
export interface MetricReader {
  query(metric: MetricIdentity, statistic: Statistic | string, periodMs: number, startMs: number, endMs: number, options?: QueryOptions): Datapoints;
}

export interface AlarmEvaluatorOptions {
  /** The alarms (`readAlarms`); alarms with `unsupported` stay INSUFFICIENT_DATA with that reason. */
  readonly alarms: Pick<AlarmModel, 'metricAlarms' | 'compositeAlarms'>;
  readonly store: MetricReader;
  /** Scales Period and the evaluation interval. @default TimeScale.REAL_TIME */
  readonly timeScale?: TimeScale;
  /** Epoch milliseconds now. @default Date.now */
  readonly clock?: () => number;
  /** How often `start()` evaluates. @default - CloudWatch's minute × the time scale, at least 50 ms */
  readonly evaluationIntervalMs?: number;
  /** Where a failing listener or evaluation is reported. @default console.error */
  readonly onError?: (message: string) => void;
}

/** A state change, as a listener sees it. */
export interface AlarmStateChange {
  readonly name: string;
  readonly arn: string;
  readonly kind: 'metric' | 'composite';
  readonly from: AlarmStateValue;
  readonly to: AlarmStateValue;
  /** CloudWatch's StateReason ("Threshold Crossed: 1 datapoint [2512.0 (21/11/26 23:10:00)] was greater than…"). */
  readonly reason: string;
  /** CloudWatch's StateReasonData (JSON), when the evaluation has one. */
  readonly reasonData?: string;
  /** Epoch ms. */
  readonly timestamp: number;
  /** The actions CloudWatch would run (AlarmActions, OKActions or InsufficientDataActions); none when actions are disabled. */
  readonly actions: readonly string[];
  readonly description?: string;
}

/** An alarm and its current state, for DescribeAlarms. */
export interface AlarmStatus {
  readonly alarm: AlarmDefinition;
  readonly state: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string;
  /** When the state last changed (epoch ms). */
  readonly updatedTimestamp: number;
}

/** SetAlarmState or a lookup named an alarm that does not exist. */
export class AlarmNotFoundError extends Error {
  constructor(readonly alarmName: string) {
    super(`No alarm is named ${JSON.stringify(alarmName)}: the local runtime has the alarms of the template (see DescribeAlarms)`);
    this.name = 'AlarmNotFoundError';
  }
}

/** Composite alarms whose rules depend on each other in a cycle (CloudWatch rejects them). */
export class CompositeAlarmCycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`Composite alarms depend on each other in a cycle: ${cycle.join(' → ')}; break it (readAlarms marks such alarms unsupported)`);
    this.name = 'CompositeAlarmCycleError';
  }
}

const STATES: ReadonlySet<string> = new Set<AlarmStateValue>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const MINUTE_MS = 60_000;

interface MutableStatus {
  readonly alarm: AlarmDefinition;
  state: AlarmStateValue;
  reason: string;
  reasonData?: string;
  updatedTimestamp: number;
}

/** The composites, each after the composites its rule names. @throws CompositeAlarmCycleError */
function compositeOrder(composites: readonly CompositeAlarmDefinition[]): CompositeAlarmDefinition[] {
  return dependencyOrder(
    composites,
    (composite) => composite.name,
    (composite) => (composite.rule === undefined ? [] : ruleReferences(composite.rule)),
    (walk) => {
      throw new CompositeAlarmCycleError(cycleOf(walk));
    },
  );
}

function actionsFor(alarm: AlarmDefinition, state: AlarmStateValue): readonly string[] {
  if (!alarm.actionsEnabled) return [];
  if (state === 'ALARM') return alarm.alarmActions;
  return state === 'OK' ? alarm.okActions : alarm.insufficientDataActions;
}

/** `Friday 21 November, 2025 23:10:00 UTC`, as composite alarm reasons write a child's transition. */
function longDate(epochMs: number): string {
  const d = new Date(epochMs);
  const weekday = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const month = d.toLocaleDateString('en-US', { month: 'long', timeZone: 'UTC' });
  const time = d.toISOString().slice(11, 19);
  return `${weekday} ${String(d.getUTCDate()).padStart(2, '0')} ${month}, ${d.getUTCFullYear()} ${time} UTC`;
}

export class AlarmEvaluator {
  readonly evaluationIntervalMs: number;
  private readonly statuses = new Map<string, MutableStatus>();
  private readonly metricAlarms: readonly MetricAlarmDefinition[];
  private readonly composites: readonly CompositeAlarmDefinition[];
  private readonly listeners = new Set<(change: AlarmStateChange) => void>();
  private readonly store: MetricReader;
  private readonly timeScale: TimeScale;
  private readonly clock: () => number;
  private readonly onError: (message: string) => void;
  private timer: NodeJS.Timeout | undefined;

  /** @throws CompositeAlarmCycleError when composite rules depend on each other in a cycle */
  constructor(options: AlarmEvaluatorOptions) {
    this.store = options.store;
    this.timeScale = options.timeScale ?? TimeScale.REAL_TIME;
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? ((message) => console.error(`[cloudwatch] ${message}`));
    this.evaluationIntervalMs = options.evaluationIntervalMs ?? Math.max(50, this.timeScale.ms(MINUTE_MS));
    this.metricAlarms = options.alarms.metricAlarms;
    this.composites = compositeOrder(options.alarms.compositeAlarms);
    const now = this.clock();
    for (const alarm of [...this.metricAlarms, ...this.composites]) {
      const reason = alarm.unsupported === undefined ? 'Unchecked: Initial alarm creation' : `Not evaluated locally: ${alarm.unsupported}`;
      this.statuses.set(alarm.name, { alarm, state: 'INSUFFICIENT_DATA', reason, updatedTimestamp: now });
    }
  }

  /** Evaluates every `evaluationIntervalMs` until `stop()`; the timer does not keep the process alive. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      try {
        this.evaluateNow();
      } catch (error) {
        this.onError(`alarm evaluation failed: ${(error as Error).message}`);
      }
    }, this.evaluationIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Listens to state changes; returns the function that stops listening. */
  onStateChange(listener: (change: AlarmStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Evaluates every alarm now; returns the state changes (also given to the listeners). */
  evaluateNow(): AlarmStateChange[] {
    const now = this.clock();
    const changes: AlarmStateChange[] = [];
    for (const alarm of this.metricAlarms) {
      if (alarm.unsupported !== undefined) continue;
      let outcome: { state: AlarmStateValue | undefined; reason: string; reasonData?: string };
      try {
        outcome = this.evaluateMetric(alarm, now);
      } catch (error) {
        if (!(error instanceof MetricMathError)) throw error;
        outcome = { state: 'INSUFFICIENT_DATA', reason: `Evaluation error: ${error.message}` };
      }
      if (outcome.state !== undefined) this.transition(alarm, outcome.state, outcome.reason, outcome.reasonData, now, changes);
    }
    this.evaluateComposites(now, changes);
    this.emit(changes);
    return changes;
  }

  /** Every alarm with its current state: the metric alarms in template order, then the composites in dependency order. */
  describe(): AlarmStatus[] {
    return [...this.statuses.values()].map((status) => ({ ...status }));
  }

  /** One alarm's current state. */
  status(name: string): AlarmStatus | undefined {
    const status = this.statuses.get(name);
    return status === undefined ? undefined : { ...status };
  }

  /**
   * Sets an alarm's state as SetAlarmState does: it holds until the alarm's next evaluation. Composite alarms over it
   * are re-evaluated at once.
   * @throws AlarmNotFoundError for an unknown alarm; Error for a state that is not OK, ALARM or INSUFFICIENT_DATA
   */
  setAlarmState(name: string, state: AlarmStateValue, reason: string, reasonData?: string): AlarmStateChange[] {
    const status = this.statuses.get(name);
    if (status === undefined) throw new AlarmNotFoundError(name);
    if (!STATES.has(state)) throw new Error(`StateValue ${JSON.stringify(state)} is not OK, ALARM or INSUFFICIENT_DATA`);
    const now = this.clock();
    const changes: AlarmStateChange[] = [];
    this.transition(status.alarm, state, reason, reasonData, now, changes, true);
    this.evaluateComposites(now, changes, name);
    this.emit(changes);
    return changes;
  }

  private evaluateMetric(alarm: MetricAlarmDefinition, now: number): { state: AlarmStateValue | undefined; reason: string; reasonData: string } {
    const n = alarm.evaluationPeriods;
    const periodMs = this.timeScale.ms(alarm.periodSeconds * 1000);
    const startMs = now - n * periodMs;
    const grid = Array.from({ length: n }, (_, k) => now + (k - n) * periodMs);
    const periods: EvaluatedPeriod[] = [];
    if (alarm.metric !== undefined && alarm.statistic !== undefined) {
      const points = this.store.query(alarm.metric, alarm.statistic, periodMs, startMs, now, { origin: now, ...(alarm.unit !== undefined ? { unit: alarm.unit } : {}) });
      const byIndex = new Map<number, number>();
      points.timestamps.forEach((t, i) => byIndex.set(Math.round((t - now) / periodMs), i));
      for (let k = 0; k < n; k++) {
        const i = byIndex.get(k - n);
        periods.push(i === undefined ? { timestamp: grid[k] } : { timestamp: grid[k], value: points.values[i], sampleCount: points.sampleCounts[i] });
      }
    } else {
      const series = this.mathSeries(alarm, grid, periodMs, startMs, now);
      const byIndex = new Map<number, number>();
      series.timestamps.forEach((t, i) => byIndex.set(Math.round((t - now) / periodMs), i));
      for (let k = 0; k < n; k++) {
        const i = byIndex.get(k - n);
        periods.push(i === undefined ? { timestamp: grid[k] } : { timestamp: grid[k], value: series.values[i] });
      }
    }
    return evaluateMetricAlarm(alarm, periods, { queryDate: now, startDate: startMs });
  }

  /** The series of a metric-math alarm's ReturnData query over the window. */
  private mathSeries(alarm: MetricAlarmDefinition, grid: readonly number[], periodMs: number, startMs: number, now: number): TimeSeries {
    const queries = alarm.queries ?? [];
    const series = new Map<string, TimeSeries>();
    const metricLabels = new Map<string, string>();
    for (const query of queries) {
      if (query.metricStat === undefined) continue;
      const { metric, stat, unit } = query.metricStat;
      // Every MetricStat of an alarm has the alarm's period (readAlarms checks it).
      const points = this.store.query(metric, stat, periodMs, startMs, now, { origin: now, ...(unit !== undefined ? { unit } : {}) });
      series.set(query.id, { timestamps: points.timestamps.map((t) => now + Math.round((t - now) / periodMs) * periodMs), values: points.values });
      metricLabels.set(query.id, query.label ?? metric.metricName);
    }
    const context = { series, metricLabels, grid, periodSeconds: alarm.periodSeconds };
    for (const query of expressionOrder(queries)) {
      if (query.expression !== undefined) series.set(query.id, evaluateExpression(query.expression, context));
    }
    const returned = queries.find((query) => query.returnData);
    return (returned && series.get(returned.id)) ?? { timestamps: [], values: [] };
  }

  /** Re-evaluates the composites in dependency order; `kept` is an alarm whose state SetAlarmState just set. */
  private evaluateComposites(now: number, changes: AlarmStateChange[], kept?: string): void {
    const stateOf = (name: string): AlarmStateValue => this.statuses.get(name)?.state ?? 'INSUFFICIENT_DATA';
    for (const composite of this.composites) {
      if (composite.rule === undefined || composite.name === kept) continue;
      const holds = evaluateRule(composite.rule, stateOf);
      const to: AlarmStateValue = holds ? 'ALARM' : 'OK';
      if (this.statuses.get(composite.name)!.state === to) continue;
      const candidates = holds ? holdingReferences(composite.rule, stateOf) : ruleReferences(composite.rule);
      const latest = candidates
        .map((name) => this.statuses.get(name))
        .filter((status): status is MutableStatus => status !== undefined)
        .sort((a, b) => b.updatedTimestamp - a.updatedTimestamp)[0];
      const reason = latest === undefined ? `AlarmRule ${composite.alarmRule} ${holds ? 'holds' : 'does not hold'}` : `${latest.alarm.arn} transitioned to ${latest.state} at ${longDate(latest.updatedTimestamp)}`;
      const reasonData = JSON.stringify({
        triggeringAlarms: (holds ? candidates : latest ? [latest.alarm.name] : []).map((name) => {
          const status = this.statuses.get(name)!;
          return { arn: status.alarm.arn, state: { value: status.state, timestamp: formatReasonDataDate(status.updatedTimestamp) } };
        }),
      });
      this.transition(composite, to, reason, reasonData, now, changes);
    }
  }

  private transition(
    alarm: AlarmDefinition,
    to: AlarmStateValue,
    reason: string,
    reasonData: string | undefined,
    now: number,
    changes: AlarmStateChange[],
    force = false,
  ): void {
    const status = this.statuses.get(alarm.name)!;
    const from = status.state;
    if (from === to && !force) return;
    status.state = to;
    status.reason = reason;
    status.reasonData = reasonData;
    status.updatedTimestamp = now;
    if (from === to) return;
    changes.push({
      name: alarm.name,
      arn: alarm.arn,
      kind: alarm.kind,
      from,
      to,
      reason,
      ...(reasonData !== undefined ? { reasonData } : {}),
      timestamp: now,
      actions: actionsFor(alarm, to),
      ...(alarm.description !== undefined ? { description: alarm.description } : {}),
    });
  }

  private emit(changes: readonly AlarmStateChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.onError(`a listener of alarm ${change.name} failed: ${(error as Error).message}`);
        }
      }
    }
  }
}
