/**
 * The CloudWatch operations the local runtime serves, independent of the wire protocol: PutMetricData,
 * GetMetricData, GetMetricStatistics, ListMetrics, DescribeAlarms, DescribeAlarmsForMetric and SetAlarmState. Inputs are the operation's
 * members as either protocol decodes them (JSON numbers and epoch-second timestamps, or query strings: every member is
 * coerced here); outputs use `Date` for timestamps and `Map` for maps, which each protocol renders its own way.
 *
 * Validation follows CloudWatch's where a client could rely on it: a namespace may not start with `AWS/`, at most
 * 1000 metrics per PutMetricData call, 30 dimensions per metric, 150 values per datum, timestamps from two weeks ago
 * to two hours ahead, 500 queries per GetMetricData call, 1440 datapoints per GetMetricStatistics call.
 *
 * PutMetricData's statistic sets (StatisticValues) answer SampleCount, Sum, Average, Minimum and Maximum; a percentile
 * over a period that holds one with Minimum ≠ Maximum has no datapoint, as in CloudWatch.
 */
import type { AlarmDefinition, AlarmQuery } from './alarm-model';
import { AlarmNotFoundError, type AlarmEvaluator, type AlarmStatus } from './alarm-evaluator';
import { CloudWatchApiError } from './cloudwatch-errors';
import { ruleReferences, type AlarmStateValue } from './composite-rule';
import { evaluateExpression, MetricMathError, parseExpression, type MathExpression, type TimeSeries } from './metric-math';
import { metricKey, type MetricIdentity, type MetricStore } from './metric-store';
import { InvalidStatisticError, parseStatistic, UnsupportedStatisticError, type Statistic } from './statistics';
import { isRecord } from '../shared/json';

/** An operation's input, as decoded from either protocol. */
export type ApiInput = Record<string, unknown>;
/** An operation's output: JSON-like, with `Date` timestamps and `Map` maps. */
export type ApiOutput = Record<string, unknown>;

export interface CloudWatchApiOptions {
  readonly store: MetricStore;
  /** The alarms. @default - no alarms */
  readonly evaluator?: AlarmEvaluator;
  /** Epoch milliseconds now (PutMetricData's timestamp window, ListMetrics' RecentlyActive). @default Date.now */
  readonly clock?: () => number;
}

const DAY_MS = 86_400_000;
const STANDARD_UNITS: ReadonlySet<string> = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits',
  'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);
const ALARM_STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

// ---------------------------------------------------------------------------------------------------------------
// Coercion of either protocol's members

function optionalString(input: ApiInput, name: string, path = name): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw CloudWatchApiError.invalidParameterValue(`The value ${JSON.stringify(value)} for parameter ${path} is not a string.`);
  return value;
}

function requiredString(input: ApiInput, name: string, path = name): string {
  const value = optionalString(input, name, path);
  if (value === undefined || value === '') throw CloudWatchApiError.missingParameter(path);
  return value;
}

function optionalNumber(input: ApiInput, name: string, path = name): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw CloudWatchApiError.invalidParameterValue(`The value ${String(value)} for parameter ${path} is not a finite number.`);
  return number;
}

function numberAt(item: unknown, path: string): number {
  const number = optionalNumber({ item }, 'item', path);
  if (number === undefined) throw CloudWatchApiError.invalidParameterValue(`The parameter ${path} is empty.`);
  return number;
}

function optionalBoolean(input: ApiInput, name: string, fallback: boolean): boolean {
  const value = input[name];
  if (value === undefined || value === null) return fallback;
  return value === true || value === 'true';
}

function list(input: ApiInput, name: string): unknown[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw CloudWatchApiError.invalidParameterValue(`The parameter ${name} must be a list.`);
  return value;
}

function stringList(input: ApiInput, name: string): string[] {
  return list(input, name).map((item, index) => {
    if (typeof item !== 'string') throw CloudWatchApiError.invalidParameterValue(`The value ${JSON.stringify(item)} for parameter ${name}.member.${index + 1} is not a string.`);
    return item;
  });
}

function record(value: unknown, path: string): ApiInput {
  if (!isRecord(value)) throw CloudWatchApiError.invalidParameterValue(`The parameter ${path} must be a structure.`);
  return value;
}

/** A timestamp: epoch seconds (JSON), or ISO 8601 / epoch seconds text (query). */
function timestampOf(value: unknown, path: string): number {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw CloudWatchApiError.invalidParameterValue(`The value ${String(value)} for parameter ${path} is not a valid timestamp.`);
  return ms;
}

function requiredTimestamp(input: ApiInput, name: string): number {
  if (input[name] === undefined || input[name] === null) throw CloudWatchApiError.missingParameter(name);
  return timestampOf(input[name], name);
}

function statisticOf(text: string, path: string): Statistic {
  try {
    return parseStatistic(text);
  } catch (error) {
    if (error instanceof InvalidStatisticError || error instanceof UnsupportedStatisticError) {
      throw CloudWatchApiError.invalidParameterValue(`The value ${text} for parameter ${path} is invalid: ${error.message}`);
    }
    throw error;
  }
}

/** `[{ Name, Value }]` → `{ Name: Value }`, checked as CloudWatch does. */
function dimensionsOf(value: unknown, path: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw CloudWatchApiError.invalidParameterValue(`The parameter ${path} must be a list.`);
  if (value.length > 30) throw CloudWatchApiError.invalidParameterValue(`The collection ${path} must not have a size greater than 30.`);
  const dimensions: Record<string, string> = {};
  value.forEach((entry, index) => {
    const where = `${path}.member.${index + 1}`;
    const dimension = record(entry, where);
    const name = requiredString(dimension, 'Name', `${where}.Name`);
    const dimensionValue = requiredString(dimension, 'Value', `${where}.Value`);
    if (Object.prototype.hasOwnProperty.call(dimensions, name)) throw CloudWatchApiError.invalidParameterValue(`The dimension ${name} appears more than once in ${path}.`);
    dimensions[name] = dimensionValue;
  });
  return dimensions;
}

function dimensionList(dimensions: Readonly<Record<string, string>>): { Name: string; Value: string }[] {
  return Object.keys(dimensions)
    .sort()
    .map((name) => ({ Name: name, Value: dimensions[name] }));
}

function metricOf(value: unknown, path: string): MetricIdentity {
  const metric = record(value, path);
  return {
    namespace: requiredString(metric, 'Namespace', `${path}.Namespace`),
    metricName: requiredString(metric, 'MetricName', `${path}.MetricName`),
    dimensions: dimensionsOf(metric.Dimensions, `${path}.Dimensions`),
  };
}

function unitOf(input: ApiInput, name: string, path: string): string | undefined {
  const unit = optionalString(input, name, path);
  if (unit !== undefined && !STANDARD_UNITS.has(unit)) throw CloudWatchApiError.invalidParameterValue(`The value ${unit} for parameter ${path} is not a CloudWatch unit.`);
  return unit;
}

/** A period in seconds: 1, 5, 10, 20, 30 or a multiple of 60. */
function periodOf(input: ApiInput, name: string, path: string, required: boolean): number | undefined {
  const period = optionalNumber(input, name, path);
  if (period === undefined) {
    if (required) throw CloudWatchApiError.missingParameter(path);
    return undefined;
  }
  if (!Number.isInteger(period) || period < 1 || (![1, 5, 10, 20, 30].includes(period) && period % 60 !== 0)) {
    throw CloudWatchApiError.invalidParameterValue(`The value ${period} for parameter ${path} is invalid: use 1, 5, 10, 20, 30 or a multiple of 60.`);
  }
  return period;
}

function encodeToken(offset: number): string {
  return Buffer.from(`local:${offset}`).toString('base64');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const match = /^local:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (match === null) throw CloudWatchApiError.invalidNextToken();
  return Number(match[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// The operations

export class CloudWatchApi {
  static readonly OPERATIONS = [
    'PutMetricData',
    'GetMetricData',
    'GetMetricStatistics',
    'ListMetrics',
    'DescribeAlarms',
    'DescribeAlarmsForMetric',
    'SetAlarmState',
  ] as const;

  private readonly store: MetricStore;
  private readonly alarms: AlarmEvaluator | undefined;
  private readonly clock: () => number;

  constructor(options: CloudWatchApiOptions) {
    this.store = options.store;
    this.alarms = options.evaluator;
    this.clock = options.clock ?? Date.now;
  }

  /** @throws CloudWatchApiError for anything CloudWatch would answer with an error */
  call(operation: string, input: ApiInput): ApiOutput {
    try {
      switch (operation) {
        case 'PutMetricData':
          return this.putMetricData(input);
        case 'GetMetricData':
          return this.getMetricData(input);
        case 'GetMetricStatistics':
          return this.getMetricStatistics(input);
        case 'ListMetrics':
          return this.listMetrics(input);
        case 'DescribeAlarms':
          return this.describeAlarms(input);
        case 'DescribeAlarmsForMetric':
          return this.describeAlarmsForMetric(input);
        case 'SetAlarmState':
          return this.setAlarmState(input);
        default:
          throw CloudWatchApiError.unknownOperation(operation, CloudWatchApi.OPERATIONS);
      }
    } catch (error) {
      if (error instanceof CloudWatchApiError) throw error;
      throw CloudWatchApiError.internal(`The local CloudWatch failed on ${operation}: ${(error as Error).message}`);
    }
  }

  private putMetricData(input: ApiInput): ApiOutput {
    const namespace = requiredString(input, 'Namespace');
    if (namespace.startsWith('AWS/')) throw CloudWatchApiError.invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved for AWS.`);
    if (namespace.length > 255) throw CloudWatchApiError.invalidParameterValue('The parameter Namespace must be at most 255 characters.');
    const data = list(input, 'MetricData');
    if (data.length === 0) throw CloudWatchApiError.missingParameter('MetricData');
    if (data.length > 1000) throw CloudWatchApiError.invalidParameterValue(`The collection MetricData must not have a size greater than 1000 (it has ${data.length}).`);
    const now = this.clock();
    // Check every datum before storing any, so a rejected call stores nothing.
    const puts = data.map((entry, index) => {
      const where = `MetricData.member.${index + 1}`;
      const datum = record(entry, where);
      const metricName = requiredString(datum, 'MetricName', `${where}.MetricName`);
      if (metricName.length > 255) throw CloudWatchApiError.invalidParameterValue(`The parameter ${where}.MetricName must be at most 255 characters.`);
      const dimensions = Object.freeze(dimensionsOf(datum.Dimensions, `${where}.Dimensions`));
      const unit = unitOf(datum, 'Unit', `${where}.Unit`);
      const timestamp = datum.Timestamp === undefined || datum.Timestamp === null ? now : timestampOf(datum.Timestamp, `${where}.Timestamp`);
      if (timestamp < now - 14 * DAY_MS || timestamp > now + 2 * 3_600_000) {
        throw CloudWatchApiError.invalidParameterValue(`The parameter ${where}.Timestamp must be within the last two weeks and at most two hours in the future.`);
      }
      const resolution = optionalNumber(datum, 'StorageResolution', `${where}.StorageResolution`);
      if (resolution !== undefined && resolution !== 1 && resolution !== 60) throw CloudWatchApiError.invalidParameterValue(`The value ${resolution} for parameter ${where}.StorageResolution must be 1 or 60.`);
      const head = { namespace, metricName, dimensions, timestamp, ...(unit !== undefined ? { unit } : {}) };
      const value = optionalNumber(datum, 'Value', `${where}.Value`);
      const values = list(datum, 'Values');
      const statistics = datum.StatisticValues === undefined || datum.StatisticValues === null ? undefined : record(datum.StatisticValues, `${where}.StatisticValues`);
      const given = [value !== undefined, values.length > 0, statistics !== undefined].filter(Boolean).length;
      if (given !== 1) {
        throw CloudWatchApiError.invalidParameterCombination(`The parameters ${where}.Value, ${where}.Values and ${where}.StatisticValues are mutually exclusive, and one of them is required.`);
      }
      if (value !== undefined) {
        checkMagnitude(value, `${where}.Value`);
        return () => this.store.put({ ...head, value });
      }
      if (statistics !== undefined) {
        const set = {
          sampleCount: optionalNumber(statistics, 'SampleCount', `${where}.StatisticValues.SampleCount`),
          sum: optionalNumber(statistics, 'Sum', `${where}.StatisticValues.Sum`),
          minimum: optionalNumber(statistics, 'Minimum', `${where}.StatisticValues.Minimum`),
          maximum: optionalNumber(statistics, 'Maximum', `${where}.StatisticValues.Maximum`),
        };
        for (const [name, member] of Object.entries(set)) if (member === undefined) throw CloudWatchApiError.missingParameter(`${where}.StatisticValues.${name[0].toUpperCase()}${name.slice(1)}`);
        const { sampleCount, sum, minimum, maximum } = set as Record<keyof typeof set, number>;
        if (sampleCount <= 0 || minimum > maximum) throw CloudWatchApiError.invalidParameterValue(`${where}.StatisticValues needs SampleCount > 0 and Minimum ≤ Maximum.`);
        return () => this.store.putStatisticSet(head, { sampleCount, sum, minimum, maximum });
      }
      if (values.length > 150) throw CloudWatchApiError.invalidParameterValue(`The collection ${where}.Values must not have a size greater than 150.`);
      const numbers = values.map((item, i) => numberAt(item, `${where}.Values.member.${i + 1}`));
      numbers.forEach((number, i) => checkMagnitude(number, `${where}.Values.member.${i + 1}`));
      const counts = list(datum, 'Counts').map((item, i) => numberAt(item, `${where}.Counts.member.${i + 1}`));
      if (counts.length > 0 && counts.length !== numbers.length) {
        throw CloudWatchApiError.invalidParameterValue(`${where}.Counts has ${counts.length} counts for ${numbers.length} values; give one count per value, or none.`);
      }
      if (counts.some((count) => count < 0)) throw CloudWatchApiError.invalidParameterValue(`${where}.Counts must not be negative.`);
      return () => {
        numbers.forEach((number, i) => {
          const count = counts.length === 0 ? 1 : counts[i];
          if (count === 1) this.store.put({ ...head, value: number });
          else if (count > 0) this.store.putCounted(head, number, count);
        });
      };
    });
    for (const put of puts) put();
    return {};
  }

  private getMetricData(input: ApiInput): ApiOutput {
    const start = requiredTimestamp(input, 'StartTime');
    const end = requiredTimestamp(input, 'EndTime');
    if (end <= start) throw CloudWatchApiError.invalidParameterValue('The parameter EndTime must be greater than StartTime.');
    const scanBy = optionalString(input, 'ScanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw CloudWatchApiError.invalidParameterValue(`The value ${scanBy} for parameter ScanBy is not TimestampDescending or TimestampAscending.`);
    const maxDatapoints = optionalNumber(input, 'MaxDatapoints') ?? 100_800;
    const entries = list(input, 'MetricDataQueries');
    if (entries.length === 0) throw CloudWatchApiError.missingParameter('MetricDataQueries');
    if (entries.length > 500) throw CloudWatchApiError.invalidParameterValue('The collection MetricDataQueries must not have a size greater than 500.');

    interface Query {
      readonly id: string;
      readonly label?: string;
      readonly returnData: boolean;
      readonly periodSeconds?: number;
      readonly metricStat?: { metric: MetricIdentity; periodSeconds: number; stat: Statistic; unit?: string };
      readonly expression?: MathExpression;
    }
    const queries: Query[] = entries.map((entry, index) => {
      const where = `MetricDataQueries.member.${index + 1}`;
      const query = record(entry, where);
      const id = requiredString(query, 'Id', `${where}.Id`);
      if (!/^[a-z][A-Za-z0-9_]*$/.test(id)) throw CloudWatchApiError.invalidParameterValue(`The value ${id} for parameter ${where}.Id must start with a lower-case letter and hold letters, digits and _.`);
      if (query.AccountId !== undefined) throw CloudWatchApiError.invalidParameterValue(`${where}.AccountId: cross-account queries are not supported locally.`);
      const label = optionalString(query, 'Label', `${where}.Label`);
      const periodSeconds = periodOf(query, 'Period', `${where}.Period`, false);
      const common = { id, returnData: optionalBoolean(query, 'ReturnData', true), ...(label !== undefined ? { label } : {}), ...(periodSeconds !== undefined ? { periodSeconds } : {}) };
      const hasStat = query.MetricStat !== undefined && query.MetricStat !== null;
      const expressionText = optionalString(query, 'Expression', `${where}.Expression`);
      if (hasStat === (expressionText !== undefined)) throw CloudWatchApiError.invalidParameterCombination(`${where} needs exactly one of MetricStat and Expression.`);
      if (hasStat) {
        const stat = record(query.MetricStat, `${where}.MetricStat`);
        const unit = unitOf(stat, 'Unit', `${where}.MetricStat.Unit`);
        return {
          ...common,
          metricStat: {
            metric: metricOf(stat.Metric, `${where}.MetricStat.Metric`),
            periodSeconds: periodOf(stat, 'Period', `${where}.MetricStat.Period`, true)!,
            stat: statisticOf(requiredString(stat, 'Stat', `${where}.MetricStat.Stat`), `${where}.MetricStat.Stat`),
            ...(unit !== undefined ? { unit } : {}),
          },
        };
      }
      try {
        return { ...common, expression: parseExpression(expressionText!) };
      } catch (error) {
        if (error instanceof MetricMathError) throw CloudWatchApiError.invalidParameterValue(`${where}.Expression: ${error.message}`);
        throw error;
      }
    });
    const byId = new Map<string, Query>();
    for (const query of queries) {
      if (byId.has(query.id)) throw CloudWatchApiError.invalidParameterValue(`The Id ${query.id} is used by more than one query of MetricDataQueries.`);
      byId.set(query.id, query);
    }

    const statPeriods = queries.flatMap((query) => (query.metricStat ? [query.metricStat.periodSeconds] : []));
    const defaultPeriod = statPeriods.length > 0 ? Math.min(...statPeriods) : 60;
    /** Every period start of the range, as the store aligns them; refuses more periods than CloudWatch returns. */
    const gridOf = (periodSeconds: number): number[] => {
      const periodMs = periodSeconds * 1000;
      const first = Math.floor(start / periodMs) * periodMs;
      const count = Math.ceil((end - first) / periodMs);
      if (count > 100_800) throw CloudWatchApiError.invalidParameterCombination(`The query covers ${count} periods of ${periodSeconds} s; at most 100800: use a longer period or a shorter range.`);
      return Array.from({ length: count }, (_, k) => first + k * periodMs);
    };
    const series = new Map<string, TimeSeries>();
    const metricLabels = new Map<string, string>();
    for (const query of queries) {
      if (query.metricStat === undefined) continue;
      const { metric, periodSeconds, stat, unit } = query.metricStat;
      gridOf(periodSeconds); // refuses a range of too many periods before querying it
      const points = this.store.query(metric, stat, periodSeconds * 1000, start, end, unit !== undefined ? { unit } : {});
      series.set(query.id, { timestamps: points.timestamps, values: points.values });
      metricLabels.set(query.id, query.label ?? metric.metricName);
    }
    const evaluating = new Set<string>();
    const evaluate = (query: Query): TimeSeries => {
      const known = series.get(query.id);
      if (known !== undefined) return known;
      if (evaluating.has(query.id)) throw CloudWatchApiError.invalidParameterValue(`The expression of ${query.id} depends on itself.`);
      evaluating.add(query.id);
      const expression = query.expression!;
      for (const reference of expression.references) {
        const used = byId.get(reference);
        if (used === undefined) throw CloudWatchApiError.invalidParameterValue(`The expression of ${query.id} uses ${reference}, which is not the Id of a query of MetricDataQueries.`);
        evaluate(used);
      }
      const periodSeconds = query.periodSeconds ?? defaultPeriod;
      try {
        const result = evaluateExpression(expression, { series, metricLabels, grid: gridOf(periodSeconds), periodSeconds });
        series.set(query.id, result);
        return result;
      } catch (error) {
        if (error instanceof MetricMathError) throw CloudWatchApiError.invalidParameterValue(`${query.id}: ${error.message}`);
        throw error;
      }
    };
    let budget = maxDatapoints;
    const results = queries
      .filter((query) => query.returnData)
      .map((query) => {
        const result = evaluate(query);
        const order = result.timestamps.map((_, i) => i);
        if (scanBy === 'TimestampDescending') order.reverse();
        const kept = order.slice(0, Math.max(0, budget));
        budget -= kept.length;
        return {
          Id: query.id,
          Label: query.label ?? query.metricStat?.metric.metricName ?? query.id,
          Timestamps: kept.map((i) => new Date(result.timestamps[i])),
          Values: kept.map((i) => result.values[i]),
          StatusCode: kept.length < order.length ? 'PartialData' : 'Complete',
          Messages: [],
        };
      });
    return { MetricDataResults: results, Messages: [] };
  }

  private getMetricStatistics(input: ApiInput): ApiOutput {
    const metric = metricOf({ Namespace: input.Namespace, MetricName: input.MetricName, Dimensions: input.Dimensions }, 'Metric');
    const start = requiredTimestamp(input, 'StartTime');
    const end = requiredTimestamp(input, 'EndTime');
    if (end <= start) throw CloudWatchApiError.invalidParameterValue('The parameter EndTime must be greater than StartTime.');
    const periodSeconds = periodOf(input, 'Period', 'Period', true)!;
    const simple = stringList(input, 'Statistics').map((name, i) => statisticOf(name, `Statistics.member.${i + 1}`));
    const extended = stringList(input, 'ExtendedStatistics').map((name, i) => statisticOf(name, `ExtendedStatistics.member.${i + 1}`));
    if (simple.length + extended.length === 0) throw CloudWatchApiError.missingParameter('Statistics or ExtendedStatistics');
    if (simple.some((stat) => stat.kind === 'percentile')) throw CloudWatchApiError.invalidParameterValue('Percentiles go in ExtendedStatistics, not Statistics.');
    if (extended.some((stat) => stat.kind !== 'percentile')) throw CloudWatchApiError.invalidParameterValue('ExtendedStatistics holds percentiles only (p99); the others go in Statistics.');
    const periods = Math.ceil((end - start) / (periodSeconds * 1000));
    if (periods > 1440) throw CloudWatchApiError.invalidParameterCombination(`You have requested up to ${periods} datapoints, which exceeds the limit of 1440.`);
    const unit = unitOf(input, 'Unit', 'Unit');
    const units = unit !== undefined ? [unit] : this.store.unitsOf(metric);
    const byTime = new Map<number, Record<string, unknown>>();
    const extendedValues = new Map<number, Map<string, number>>();
    for (const stat of [...simple, ...extended]) {
      const points = this.store.query(metric, stat, periodSeconds * 1000, start, end, unit !== undefined ? { unit } : {});
      points.timestamps.forEach((t, i) => {
        const datapoint = byTime.get(t) ?? { Timestamp: new Date(t), Unit: units.length === 1 ? units[0] : 'None' };
        byTime.set(t, datapoint);
        if (stat.kind === 'percentile') {
          const map = extendedValues.get(t) ?? new Map<string, number>();
          extendedValues.set(t, map);
          map.set(stat.name, points.values[i]);
        } else datapoint[stat.kind] = points.values[i];
      });
    }
    for (const [t, map] of extendedValues) byTime.get(t)!.ExtendedStatistics = map;
    return { Label: metric.metricName, Datapoints: [...byTime.keys()].sort((a, b) => a - b).map((t) => byTime.get(t)!) };
  }

  private listMetrics(input: ApiInput): ApiOutput {
    const filters = list(input, 'Dimensions').map((entry, index) => {
      const dimension = record(entry, `Dimensions.member.${index + 1}`);
      const value = optionalString(dimension, 'Value', `Dimensions.member.${index + 1}.Value`);
      return { name: requiredString(dimension, 'Name', `Dimensions.member.${index + 1}.Name`), ...(value !== undefined ? { value } : {}) };
    });
    const recentlyActive = optionalString(input, 'RecentlyActive');
    if (recentlyActive !== undefined && recentlyActive !== 'PT3H') throw CloudWatchApiError.invalidParameterValue(`The value ${recentlyActive} for parameter RecentlyActive must be PT3H.`);
    const namespace = optionalString(input, 'Namespace');
    const metricName = optionalString(input, 'MetricName');
    const metrics = this.store
      .listMetrics({
        ...(namespace !== undefined ? { namespace } : {}),
        ...(metricName !== undefined ? { metricName } : {}),
        dimensions: filters,
        ...(recentlyActive !== undefined ? { activeSinceMs: this.clock() - 3 * 3_600_000 } : {}),
      })
      .map((identity) => ({ identity, key: metricKey(identity) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const offset = decodeToken(optionalString(input, 'NextToken'));
    const page = metrics.slice(offset, offset + 500);
    return {
      Metrics: page.map(({ identity }) => ({ Namespace: identity.namespace, MetricName: identity.metricName, Dimensions: dimensionList(identity.dimensions) })),
      ...(offset + 500 < metrics.length ? { NextToken: encodeToken(offset + 500) } : {}),
    };
  }

  private describeAlarms(input: ApiInput): ApiOutput {
    const names = stringList(input, 'AlarmNames');
    const prefix = optionalString(input, 'AlarmNamePrefix');
    if (names.length > 0 && prefix !== undefined) throw CloudWatchApiError.invalidParameterCombination('AlarmNames and AlarmNamePrefix are mutually exclusive.');
    if (names.length > 100) throw CloudWatchApiError.invalidParameterValue('The collection AlarmNames must not have a size greater than 100.');
    const types = stringList(input, 'AlarmTypes');
    for (const type of types) if (type !== 'MetricAlarm' && type !== 'CompositeAlarm') throw CloudWatchApiError.invalidParameterValue(`The value ${type} for parameter AlarmTypes must be MetricAlarm or CompositeAlarm.`);
    // CloudWatch returns metric alarms only when AlarmTypes is not given.
    const wanted = new Set(types.length === 0 ? ['MetricAlarm'] : types);
    const stateValue = optionalString(input, 'StateValue');
    if (stateValue !== undefined && !ALARM_STATES.has(stateValue)) throw CloudWatchApiError.invalidParameterValue(`The value ${stateValue} for parameter StateValue must be OK, ALARM or INSUFFICIENT_DATA.`);
    const actionPrefix = optionalString(input, 'ActionPrefix');
    const childrenOf = optionalString(input, 'ChildrenOfAlarmName');
    const parentsOf = optionalString(input, 'ParentsOfAlarmName');
    const maxRecords = optionalNumber(input, 'MaxRecords') ?? 50;
    if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100) throw CloudWatchApiError.invalidParameterValue(`The value ${maxRecords} for parameter MaxRecords must be from 1 to 100.`);

    const statuses = this.alarms?.describe() ?? [];
    let children: Set<string> | undefined;
    if (childrenOf !== undefined) {
      const parent = statuses.find((status) => status.alarm.name === childrenOf && status.alarm.kind === 'composite');
      const rule = parent?.alarm.kind === 'composite' ? parent.alarm.rule : undefined;
      children = new Set(rule === undefined ? [] : ruleReferences(rule));
    }
    const parents =
      parentsOf === undefined
        ? undefined
        : new Set(statuses.filter((status) => status.alarm.kind === 'composite' && status.alarm.rule !== undefined && ruleReferences(status.alarm.rule).includes(parentsOf)).map((status) => status.alarm.name));
    const matching = statuses.filter(({ alarm, state }) => {
      if (!wanted.has(alarm.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm')) return false;
      if (names.length > 0 && !names.includes(alarm.name)) return false;
      if (prefix !== undefined && !alarm.name.startsWith(prefix)) return false;
      if (stateValue !== undefined && state !== stateValue) return false;
      if (actionPrefix !== undefined && ![...alarm.alarmActions, ...alarm.okActions, ...alarm.insufficientDataActions].some((action) => action.startsWith(actionPrefix))) return false;
      if (children !== undefined && !children.has(alarm.name)) return false;
      if (parents !== undefined && !parents.has(alarm.name)) return false;
      return true;
    });
    const offset = decodeToken(optionalString(input, 'NextToken'));
    const page = matching.slice(offset, offset + maxRecords);
    return {
      MetricAlarms: page.filter((status) => status.alarm.kind === 'metric').map(metricAlarmOutput),
      CompositeAlarms: page.filter((status) => status.alarm.kind === 'composite').map(compositeAlarmOutput),
      ...(offset + maxRecords < matching.length ? { NextToken: encodeToken(offset + maxRecords) } : {}),
    };
  }

  /** The single-metric alarms on one metric (exact dimensions), narrowed by statistic, period and unit when given. */
  private describeAlarmsForMetric(input: ApiInput): ApiOutput {
    const metric = metricOf({ Namespace: input.Namespace, MetricName: input.MetricName, Dimensions: input.Dimensions }, 'Metric');
    const statistic = optionalString(input, 'Statistic') ?? optionalString(input, 'ExtendedStatistic');
    const period = optionalNumber(input, 'Period');
    const unit = optionalString(input, 'Unit');
    const key = metricKey(metric);
    const statuses = (this.alarms?.describe() ?? []).filter(({ alarm }) => {
      if (alarm.kind !== 'metric' || alarm.metric === undefined || alarm.queries !== undefined) return false;
      if (metricKey(alarm.metric) !== key) return false;
      if (statistic !== undefined && alarm.statistic?.name !== statistic) return false;
      if (period !== undefined && alarm.periodSeconds !== period) return false;
      return unit === undefined || alarm.unit === unit;
    });
    return { MetricAlarms: statuses.map(metricAlarmOutput) };
  }

  private setAlarmState(input: ApiInput): ApiOutput {
    const name = requiredString(input, 'AlarmName');
    const state = requiredString(input, 'StateValue');
    if (!ALARM_STATES.has(state)) throw CloudWatchApiError.invalidParameterValue(`The value ${state} for parameter StateValue must be OK, ALARM or INSUFFICIENT_DATA.`);
    const reason = requiredString(input, 'StateReason');
    if (reason.length > 1023) throw CloudWatchApiError.invalidParameterValue('The parameter StateReason must be at most 1023 characters.');
    const reasonData = optionalString(input, 'StateReasonData');
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw CloudWatchApiError.invalidFormat('The parameter StateReasonData is not JSON.');
      }
    }
    const evaluator = this.alarms;
    if (evaluator === undefined) throw CloudWatchApiError.resourceNotFound(`Alarm ${name} not found`);
    try {
      evaluator.setAlarmState(name, state as AlarmStateValue, reason, reasonData);
    } catch (error) {
      if (error instanceof AlarmNotFoundError) throw CloudWatchApiError.resourceNotFound(`Alarm ${name} not found`);
      throw error;
    }
    return {};
  }
}

/** Values beyond CloudWatch's range (±2^360, or closer to zero than 2^-260) are rejected as it does. */
function checkMagnitude(value: number, path: string): void {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude > 2 ** 360 || magnitude < 2 ** -260)) {
    throw CloudWatchApiError.invalidParameterValue(`The value ${value} for parameter ${path} is out of CloudWatch's range (2^-260 to 2^360 in magnitude, or 0).`);
  }
}

function commonAlarmOutput(alarm: AlarmDefinition, status: AlarmStatus, configuredAt: Date): Record<string, unknown> {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    ...(alarm.description !== undefined ? { AlarmDescription: alarm.description } : {}),
    AlarmConfigurationUpdatedTimestamp: configuredAt,
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: [...alarm.okActions],
    AlarmActions: [...alarm.alarmActions],
    InsufficientDataActions: [...alarm.insufficientDataActions],
    StateValue: status.state,
    StateReason: status.reason,
    ...(status.reasonData !== undefined ? { StateReasonData: status.reasonData } : {}),
    StateUpdatedTimestamp: new Date(status.updatedTimestamp),
    StateTransitionedTimestamp: new Date(status.updatedTimestamp),
  };
}

const processStart = new Date();

function queryOutput(query: AlarmQuery): Record<string, unknown> {
  return {
    Id: query.id,
    ...(query.metricStat !== undefined
      ? {
          MetricStat: {
            Metric: { Namespace: query.metricStat.metric.namespace, MetricName: query.metricStat.metric.metricName, Dimensions: dimensionList(query.metricStat.metric.dimensions) },
            Period: query.metricStat.periodSeconds,
            Stat: query.metricStat.stat.name,
            ...(query.metricStat.unit !== undefined ? { Unit: query.metricStat.unit } : {}),
          },
        }
      : {}),
    ...(query.expression !== undefined ? { Expression: query.expression.text } : {}),
    ...(query.label !== undefined ? { Label: query.label } : {}),
    ReturnData: query.returnData,
    ...(query.periodSeconds !== undefined ? { Period: query.periodSeconds } : {}),
  };
}

function metricAlarmOutput(status: AlarmStatus): Record<string, unknown> {
  const alarm = status.alarm;
  if (alarm.kind !== 'metric') throw new Error('not a metric alarm');
  const statistic = alarm.statistic;
  return {
    ...commonAlarmOutput(alarm, status, processStart),
    ...(alarm.metric !== undefined
      ? { MetricName: alarm.metric.metricName, Namespace: alarm.metric.namespace, Dimensions: dimensionList(alarm.metric.dimensions) }
      : {}),
    ...(statistic !== undefined ? (statistic.kind === 'percentile' ? { ExtendedStatistic: statistic.name } : { Statistic: statistic.name }) : {}),
    ...(alarm.queries === undefined && alarm.periodSeconds > 0 ? { Period: alarm.periodSeconds } : {}),
    ...(alarm.unit !== undefined ? { Unit: alarm.unit } : {}),
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
    TreatMissingData: alarm.treatMissingData,
    ...(alarm.evaluateLowSampleCountPercentile !== undefined ? { EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile } : {}),
    ...(alarm.queries !== undefined ? { Metrics: alarm.queries.map(queryOutput) } : {}),
  };
}

function compositeAlarmOutput(status: AlarmStatus): Record<string, unknown> {
  const alarm = status.alarm;
  if (alarm.kind !== 'composite') throw new Error('not a composite alarm');
  return { ...commonAlarmOutput(alarm, status, processStart), AlarmRule: alarm.alarmRule };
}
