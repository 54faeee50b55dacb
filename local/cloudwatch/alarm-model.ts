/**
 * The alarms of a CloudFormation template, read for the local evaluator: every AWS::CloudWatch::Alarm (one metric with
 * a statistic, or metric math over `Metrics`) and AWS::CloudWatch::CompositeAlarm, with their properties resolved
 * against the local physical ids (a dimension `{ Ref: Stage }` becomes `prod`, a queue's `Fn::GetAtt QueueName` its
 * local name, a composite rule's `Fn::GetAtt Alarm.Arn` the alarm's local ARN).
 *
 * Nothing is skipped silently: an alarm the local runtime cannot evaluate (anomaly detection, a Metrics Insights
 * query, a trimmed mean, a rule naming an alarm that is not in the template…) is still returned, with `unsupported`
 * saying why, and a warning; the evaluator keeps it in INSUFFICIENT_DATA with that reason.
 *
 * Names: a metric alarm's name and ARN are its local physical id (`physical-ids.ts`: AlarmName, else
 * `${stack}-${logicalId}`). A composite alarm is named the same way here; its ARN is an alarm ARN, and whatever the
 * physical ids gave it (`Fn::GetAtt Composite.Arn` in another composite's rule) is accepted as another name for it.
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import { UnresolvableError, type IntrinsicResolver, type PhysicalResource } from '../assembly/intrinsics';
import { AlarmRuleSyntaxError, mapReferences, parseAlarmRule, ruleReferences, type RuleNode } from './composite-rule';
import { cycleOf, dependencyOrder } from './dependency-order';
import type { MetricIdentity } from './metric-store';
import { MetricMathError, parseExpression, type MathExpression } from './metric-math';
import { InvalidStatisticError, isExtendedStatistic, parseStatistic, UnsupportedStatisticError, type Statistic } from './statistics';
import { isRecord } from '../shared/json';

export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

/** One query of a metric-math alarm's `Metrics`. */
export interface AlarmQuery {
  readonly id: string;
  readonly label?: string;
  readonly returnData: boolean;
  /** Set for a MetricStat query. */
  readonly metricStat?: { readonly metric: MetricIdentity; readonly periodSeconds: number; readonly stat: Statistic; readonly unit?: string };
  /** Set for an Expression query. */
  readonly expression?: MathExpression;
  readonly periodSeconds?: number;
}

interface AlarmCommon {
  readonly logicalId?: string;
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  /** Why the local runtime does not evaluate this alarm; it then stays INSUFFICIENT_DATA. */
  readonly unsupported?: string;
}

export interface MetricAlarmDefinition extends AlarmCommon {
  readonly kind: 'metric';
  /** The one metric of a single-metric alarm. */
  readonly metric?: MetricIdentity;
  /** Its statistic (from `Statistic` or, for a percentile, `ExtendedStatistic`). */
  readonly statistic?: Statistic;
  readonly unit?: string;
  /** The queries of a metric-math alarm; exactly one has `returnData`. */
  readonly queries?: readonly AlarmQuery[];
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** As configured (what DescribeAlarms shows). */
  readonly treatMissingData: TreatMissingData;
  /** As evaluated: alarms on AWS/DynamoDB metrics always ignore missing data, as in CloudWatch. */
  readonly effectiveTreatMissingData: TreatMissingData;
  readonly evaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
}

export interface CompositeAlarmDefinition extends AlarmCommon {
  readonly kind: 'composite';
  /** The rule as written (resolved), for DescribeAlarms. */
  readonly alarmRule: string;
  /** The parsed rule, its references resolved to alarm names; absent when `unsupported`. */
  readonly rule?: RuleNode;
}

export type AlarmDefinition = MetricAlarmDefinition | CompositeAlarmDefinition;

export interface AlarmWarning {
  readonly logicalId: string;
  readonly alarmName: string;
  readonly message: string;
}

export interface AlarmModel {
  readonly metricAlarms: readonly MetricAlarmDefinition[];
  readonly compositeAlarms: readonly CompositeAlarmDefinition[];
  /** One per alarm that has `unsupported` set. */
  readonly warnings: readonly AlarmWarning[];
}

export interface ReadAlarmsOptions {
  readonly template: CfnTemplate;
  readonly resolver: IntrinsicResolver;
  /** The local physical ids (`assignPhysicalIds`); an alarm without one does not exist (its Condition is false). */
  readonly physical: ReadonlyMap<string, PhysicalResource>;
}

const SUPPORTED_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);
const ANOMALY_OPERATORS: ReadonlySet<string> = new Set(['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold']);
const MISSING_DATA: ReadonlySet<string> = new Set<TreatMissingData>(['breaching', 'notBreaching', 'ignore', 'missing']);

/** A property the evaluator cannot use; becomes the alarm's `unsupported` reason. */
class AlarmProblem extends Error {}

function optionalString(properties: Record<string, unknown>, name: string): string | undefined {
  const value = properties[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AlarmProblem(`${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function stringList(properties: Record<string, unknown>, name: string): string[] {
  const value = properties[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new AlarmProblem(`${name} must be a list of strings`);
  return value;
}

function numberOf(value: unknown, name: string): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new AlarmProblem(`${name} must be a number, got ${JSON.stringify(value)}`);
  return number;
}

function positiveInteger(value: unknown, name: string): number {
  const number = numberOf(value, name);
  if (!Number.isInteger(number) || number < 1) throw new AlarmProblem(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return number;
}

/** CloudWatch alarm periods: 10, 20, 30 or a multiple of 60 seconds. */
function alarmPeriod(value: unknown, name: string): number {
  const period = positiveInteger(value, name);
  if (![10, 20, 30].includes(period) && period % 60 !== 0) throw new AlarmProblem(`${name} ${period} is not 10, 20, 30 or a multiple of 60 seconds`);
  return period;
}

function booleanOf(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === true || value === 'true';
}

function statisticOf(text: string, name: string): Statistic {
  try {
    return parseStatistic(text);
  } catch (error) {
    if (error instanceof UnsupportedStatisticError || error instanceof InvalidStatisticError) throw new AlarmProblem(`${name}: ${error.message}`);
    throw error;
  }
}

function dimensionsOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw new AlarmProblem(`${where}Dimensions must be a list of { Name, Value }`);
  const dimensions: Record<string, string> = {};
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.Name !== 'string' || (typeof entry.Value !== 'string' && typeof entry.Value !== 'number')) {
      throw new AlarmProblem(`${where}Dimensions must be a list of { Name, Value } strings, got ${JSON.stringify(entry)}`);
    }
    if (Object.prototype.hasOwnProperty.call(dimensions, entry.Name)) throw new AlarmProblem(`${where}Dimensions names ${entry.Name} twice`);
    dimensions[entry.Name] = String(entry.Value);
  }
  if (Object.keys(dimensions).length > 30) throw new AlarmProblem(`${where}Dimensions has more than 30 dimensions`);
  return dimensions;
}

function metricOf(properties: Record<string, unknown>, where = ''): MetricIdentity {
  const namespace = properties.Namespace;
  const metricName = properties.MetricName;
  if (typeof namespace !== 'string' || namespace === '') throw new AlarmProblem(`${where}Namespace is missing`);
  if (typeof metricName !== 'string' || metricName === '') throw new AlarmProblem(`${where}MetricName is missing`);
  return { namespace, metricName, dimensions: dimensionsOf(properties.Dimensions, where) };
}

/** The queries of a metric-math alarm, checked as PutMetricAlarm would. */
function queriesOf(value: unknown): AlarmQuery[] {
  if (!Array.isArray(value) || value.length === 0) throw new AlarmProblem('Metrics must be a non-empty list');
  const queries: AlarmQuery[] = value.map((entry, index) => {
    const where = `Metrics[${index}]`;
    if (!isRecord(entry) || typeof entry.Id !== 'string' || !/^[a-z][A-Za-z0-9_]*$/.test(entry.Id)) {
      throw new AlarmProblem(`${where} needs an Id that starts with a lower-case letter`);
    }
    if (entry.AccountId !== undefined) throw new AlarmProblem(`${where} (${entry.Id}) reads another account (AccountId), which is not supported locally`);
    const common = {
      id: entry.Id,
      returnData: booleanOf(entry.ReturnData, true),
      ...(typeof entry.Label === 'string' ? { label: entry.Label } : {}),
      ...(entry.Period !== undefined ? { periodSeconds: alarmPeriod(entry.Period, `${where}.Period`) } : {}),
    };
    if (isRecord(entry.MetricStat) === (typeof entry.Expression === 'string')) {
      throw new AlarmProblem(`${where} (${entry.Id}) needs exactly one of MetricStat and Expression`);
    }
    if (isRecord(entry.MetricStat)) {
      const stat = entry.MetricStat;
      if (!isRecord(stat.Metric)) throw new AlarmProblem(`${where}.MetricStat.Metric is missing`);
      if (typeof stat.Stat !== 'string') throw new AlarmProblem(`${where}.MetricStat.Stat is missing`);
      return {
        ...common,
        metricStat: {
          metric: metricOf(stat.Metric, `${where}.MetricStat.Metric.`),
          periodSeconds: alarmPeriod(stat.Period, `${where}.MetricStat.Period`),
          stat: statisticOf(stat.Stat, `${where}.MetricStat.Stat`),
          ...(typeof stat.Unit === 'string' ? { unit: stat.Unit } : {}),
        },
      };
    }
    try {
      return { ...common, expression: parseExpression(entry.Expression as string) };
    } catch (error) {
      if (error instanceof MetricMathError) throw new AlarmProblem(`${where} (${entry.Id}): ${error.message}`);
      throw error;
    }
  });
  const ids = new Set<string>();
  for (const query of queries) {
    if (ids.has(query.id)) throw new AlarmProblem(`Metrics has the Id ${query.id} twice`);
    ids.add(query.id);
  }
  for (const query of queries) {
    for (const reference of query.expression?.references ?? []) {
      if (!ids.has(reference)) throw new AlarmProblem(`Metrics ${query.id}'s expression uses ${reference}, which is not an Id of Metrics`);
    }
  }
  const returning = queries.filter((query) => query.returnData);
  if (returning.length !== 1) throw new AlarmProblem(`exactly one of Metrics must have ReturnData true; ${returning.length} do`);
  const periods = new Set(queries.flatMap((query) => (query.metricStat ? [query.metricStat.periodSeconds] : [])));
  if (periods.size > 1) throw new AlarmProblem(`the MetricStat periods differ (${[...periods].join(', ')} s), which the local evaluator does not align`);
  expressionOrder(queries);
  return queries;
}

/** The expression queries in an order where each comes after those it uses. @throws AlarmProblem on a cycle */
export function expressionOrder(queries: readonly AlarmQuery[]): AlarmQuery[] {
  // The MetricStat queries are no expression's dependency here: METRICS() reads them only, and they come first anyway.
  return dependencyOrder(
    queries.filter((query) => query.expression !== undefined),
    (query) => query.id,
    (query) => query.expression?.references ?? [],
    (walk) => {
      throw new AlarmProblem(`the expressions use each other in a cycle: ${walk.join(' → ')}`);
    },
  );
}

interface Naming {
  readonly name: string;
  readonly arn: string;
  /** Other strings that mean this alarm in a composite rule (what the physical ids gave a composite). */
  readonly aliases: readonly string[];
}

function pseudo(resolver: IntrinsicResolver, name: string): string {
  return resolver.resolveString({ Ref: name });
}

function alarmArn(resolver: IntrinsicResolver, name: string): string {
  return `arn:${pseudo(resolver, 'AWS::Partition')}:cloudwatch:${pseudo(resolver, 'AWS::Region')}:${pseudo(resolver, 'AWS::AccountId')}:alarm:${name}`;
}

function namingOf(logicalId: string, properties: unknown, options: ReadAlarmsOptions): Naming {
  const physical = options.physical.get(logicalId);
  const physicalArn = physical?.attributes.Arn;
  if (physical !== undefined && physicalArn !== undefined && physicalArn.includes(':alarm:')) {
    return { name: physical.ref, arn: physicalArn, aliases: [] };
  }
  // A type the physical ids do not name as an alarm (AWS::CloudWatch::CompositeAlarm): name it as CloudFormation does.
  let name: string | undefined;
  if (isRecord(properties) && properties.AlarmName !== undefined) {
    try {
      name = options.resolver.resolveString(properties.AlarmName);
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error;
    }
  }
  name ??= `${pseudo(options.resolver, 'AWS::StackName')}-${logicalId}`.slice(0, 255);
  const aliases = [physical?.ref, physicalArn].filter((alias): alias is string => alias !== undefined && alias !== name);
  return { name, arn: alarmArn(options.resolver, name), aliases };
}

function common(logicalId: string, naming: Naming, properties: Record<string, unknown>): Omit<AlarmCommon, 'unsupported'> {
  const description = optionalString(properties, 'AlarmDescription');
  return {
    logicalId,
    name: naming.name,
    arn: naming.arn,
    ...(description !== undefined ? { description } : {}),
    actionsEnabled: booleanOf(properties.ActionsEnabled, true),
    alarmActions: stringList(properties, 'AlarmActions'),
    okActions: stringList(properties, 'OKActions'),
    insufficientDataActions: stringList(properties, 'InsufficientDataActions'),
  };
}

/** A metric alarm's definition from its resolved properties. @throws AlarmProblem */
function metricAlarmOf(base: Omit<AlarmCommon, 'unsupported'>, properties: Record<string, unknown>): MetricAlarmDefinition {
  const operator = properties.ComparisonOperator;
  if (typeof operator === 'string' && ANOMALY_OPERATORS.has(operator)) {
    throw new AlarmProblem(`ComparisonOperator ${operator} compares with an anomaly detection band, which is not supported locally`);
  }
  if (typeof operator !== 'string' || !SUPPORTED_OPERATORS.has(operator)) {
    throw new AlarmProblem(`ComparisonOperator ${JSON.stringify(operator)} is not one of ${[...SUPPORTED_OPERATORS].join(', ')}`);
  }
  if (properties.ThresholdMetricId !== undefined) throw new AlarmProblem('ThresholdMetricId (an anomaly detection band) is not supported locally');
  const evaluationPeriods = positiveInteger(properties.EvaluationPeriods, 'EvaluationPeriods');
  const datapointsToAlarm = properties.DatapointsToAlarm === undefined ? evaluationPeriods : positiveInteger(properties.DatapointsToAlarm, 'DatapointsToAlarm');
  if (datapointsToAlarm > evaluationPeriods) throw new AlarmProblem(`DatapointsToAlarm ${datapointsToAlarm} is more than EvaluationPeriods ${evaluationPeriods}`);
  if (properties.Threshold === undefined) throw new AlarmProblem('Threshold is missing');
  const threshold = numberOf(properties.Threshold, 'Threshold');
  const treatMissingData = (properties.TreatMissingData ?? 'missing') as TreatMissingData;
  if (!MISSING_DATA.has(treatMissingData)) throw new AlarmProblem(`TreatMissingData ${JSON.stringify(treatMissingData)} is not one of ${[...MISSING_DATA].join(', ')}`);
  const lowSample = properties.EvaluateLowSampleCountPercentile;
  if (lowSample !== undefined && lowSample !== 'evaluate' && lowSample !== 'ignore') {
    throw new AlarmProblem(`EvaluateLowSampleCountPercentile ${JSON.stringify(lowSample)} is not evaluate or ignore`);
  }
  const evaluation = {
    evaluationPeriods,
    datapointsToAlarm,
    threshold,
    comparisonOperator: operator as ComparisonOperator,
    treatMissingData,
    ...(lowSample !== undefined ? { evaluateLowSampleCountPercentile: lowSample as 'evaluate' | 'ignore' } : {}),
  };

  if (properties.Metrics !== undefined) {
    for (const single of ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period', 'Unit']) {
      if (properties[single] !== undefined) throw new AlarmProblem(`Metrics and ${single} are mutually exclusive`);
    }
    const queries = queriesOf(properties.Metrics);
    const returned = queries.find((query) => query.returnData)!;
    const periodSeconds = returned.metricStat?.periodSeconds ?? returned.periodSeconds ?? queries.find((query) => query.metricStat)?.metricStat?.periodSeconds;
    if (periodSeconds === undefined) throw new AlarmProblem('no query of Metrics has a Period');
    const dynamo = queries.some((query) => query.metricStat?.metric.namespace === 'AWS/DynamoDB');
    return { ...base, kind: 'metric', queries, periodSeconds, ...evaluation, effectiveTreatMissingData: dynamo ? 'ignore' : treatMissingData };
  }

  const metric = metricOf(properties);
  const statisticText = properties.Statistic;
  const extendedText = properties.ExtendedStatistic;
  if ((statisticText === undefined) === (extendedText === undefined)) throw new AlarmProblem('exactly one of Statistic and ExtendedStatistic is required');
  const statistic = statisticOf(String(statisticText ?? extendedText), statisticText !== undefined ? 'Statistic' : 'ExtendedStatistic');
  if (statisticText !== undefined && isExtendedStatistic(statistic)) throw new AlarmProblem(`Statistic ${String(statisticText)} belongs in ExtendedStatistic`);
  if (extendedText !== undefined && !isExtendedStatistic(statistic)) throw new AlarmProblem(`ExtendedStatistic ${String(extendedText)} belongs in Statistic`);
  const unit = optionalString(properties, 'Unit');
  return {
    ...base,
    kind: 'metric',
    metric,
    statistic,
    ...(unit !== undefined ? { unit } : {}),
    periodSeconds: alarmPeriod(properties.Period, 'Period'),
    ...evaluation,
    effectiveTreatMissingData: metric.namespace === 'AWS/DynamoDB' ? 'ignore' : treatMissingData,
  };
}

/** A metric alarm that cannot be evaluated: what can be read of it, with the reason. */
function unsupportedMetricAlarm(base: Omit<AlarmCommon, 'unsupported'>, properties: Record<string, unknown>, reason: string): MetricAlarmDefinition {
  const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : Number.isFinite(Number(value)) && value !== undefined ? Number(value) : fallback);
  return {
    ...base,
    kind: 'metric',
    ...(typeof properties.Namespace === 'string' && typeof properties.MetricName === 'string'
      ? { metric: { namespace: properties.Namespace, metricName: properties.MetricName, dimensions: {} } }
      : {}),
    periodSeconds: number(properties.Period, 0),
    evaluationPeriods: number(properties.EvaluationPeriods, 0),
    datapointsToAlarm: number(properties.DatapointsToAlarm ?? properties.EvaluationPeriods, 0),
    threshold: number(properties.Threshold, 0),
    comparisonOperator: String(properties.ComparisonOperator ?? '') as ComparisonOperator,
    treatMissingData: (properties.TreatMissingData ?? 'missing') as TreatMissingData,
    effectiveTreatMissingData: 'missing',
    unsupported: reason,
  };
}

function describeError(error: unknown): string {
  if (error instanceof AlarmProblem || error instanceof UnresolvableError) return error.message;
  throw error;
}

/** Marks the composites that depend on themselves through other composites; returns their cycle per name. */
function compositeCycles(composites: readonly CompositeAlarmDefinition[]): Map<string, string> {
  const cycles = new Map<string, string>();
  dependencyOrder(
    composites.filter((composite) => composite.rule !== undefined),
    (composite) => composite.name,
    (composite) => (composite.rule === undefined ? [] : ruleReferences(composite.rule)),
    (walk) => {
      const cycle = cycleOf(walk);
      for (const member of cycle) cycles.set(member, cycle.join(' → '));
    },
  );
  return cycles;
}

/** Reads every alarm and composite alarm of the template (see the module comment). */
export function readAlarms(options: ReadAlarmsOptions): AlarmModel {
  const metricAlarms: MetricAlarmDefinition[] = [];
  const pendingComposites: { logicalId: string; base: Omit<AlarmCommon, 'unsupported'>; rule?: string; problem?: string }[] = [];
  const lookup = new Map<string, string>();

  for (const [logicalId, resource] of Object.entries(options.template.Resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm') continue;
    if (!options.physical.has(logicalId)) continue;
    const naming = namingOf(logicalId, resource.Properties, options);
    for (const key of [naming.name, naming.arn, ...naming.aliases]) lookup.set(key, naming.name);
    let properties: Record<string, unknown> = {};
    let base: Omit<AlarmCommon, 'unsupported'> = { logicalId, name: naming.name, arn: naming.arn, actionsEnabled: true, alarmActions: [], okActions: [], insufficientDataActions: [] };
    let problem: string | undefined;
    try {
      const resolved = options.resolver.resolve(resource.Properties ?? {});
      properties = isRecord(resolved) ? resolved : {};
      base = common(logicalId, naming, properties);
    } catch (error) {
      problem = describeError(error);
    }
    if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') {
      const rule = properties.AlarmRule;
      pendingComposites.push({
        logicalId,
        base,
        ...(typeof rule === 'string' ? { rule } : {}),
        ...(problem !== undefined ? { problem } : typeof rule !== 'string' ? { problem: 'AlarmRule is missing' } : {}),
      });
      continue;
    }
    if (problem === undefined) {
      try {
        metricAlarms.push(metricAlarmOf(base, properties));
        continue;
      } catch (error) {
        problem = describeError(error);
      }
    }
    metricAlarms.push(unsupportedMetricAlarm(base, properties, problem));
  }

  let compositeAlarms: CompositeAlarmDefinition[] = pendingComposites.map(({ base, rule, problem }) => {
    const alarmRule = rule ?? '';
    if (problem !== undefined) return { ...base, kind: 'composite', alarmRule, unsupported: problem };
    try {
      const parsed = parseAlarmRule(alarmRule);
      const unknown = ruleReferences(parsed).filter((reference) => !lookup.has(reference));
      if (unknown.length > 0) {
        return { ...base, kind: 'composite', alarmRule, unsupported: `AlarmRule names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not an alarm' : 'are not alarms'} of the template` };
      }
      return { ...base, kind: 'composite', alarmRule, rule: mapReferences(parsed, (reference) => lookup.get(reference)!) };
    } catch (error) {
      if (error instanceof AlarmRuleSyntaxError) return { ...base, kind: 'composite', alarmRule, unsupported: error.message };
      throw error;
    }
  });
  const cycles = compositeCycles(compositeAlarms);
  compositeAlarms = compositeAlarms.map((composite) => {
    const cycle = cycles.get(composite.name);
    if (cycle === undefined) return composite;
    return { ...composite, rule: undefined, unsupported: `its AlarmRule depends on itself through other composite alarms: ${cycle}` };
  });

  const warnings: AlarmWarning[] = [...metricAlarms, ...compositeAlarms].flatMap((alarm) =>
    alarm.unsupported === undefined ? [] : [{ logicalId: alarm.logicalId ?? alarm.name, alarmName: alarm.name, message: `not evaluated locally: ${alarm.unsupported}` }],
  );
  return { metricAlarms, compositeAlarms, warnings };
}
