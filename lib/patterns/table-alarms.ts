import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ALARM_EVALUATION, ALARM_PERIOD, type AlarmEvaluation, alarmEvaluationProblems, createPatternAlarm, describeEvaluation } from './alarm-defaults';
import { sideBySide } from './health-dashboard';
import { PropsError } from './problems-error';

/**
 * The operations whose SystemErrors the alarm sums by default: the DynamoDB calls this shop's handlers make (test/infra
 * reads them from the handlers' imports). Each is one alarm metric, billed like an alarm, so operations nobody calls
 * are left out; a handler that starts calling another one adds it here.
 */
export const TABLE_ALARM_OPERATIONS: readonly dynamodb.Operation[] = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.SCAN,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** CloudWatch's hard limit on the metrics one metric-math alarm reads. */
const MAX_METRICS_PER_ALARM = 10;

export interface TableAlarmsProps {
  /** The table to watch. */
  readonly table: dynamodb.ITable;
  /**
   * The throttles alarm fires when ReadThrottleEvents + WriteThrottleEvents per 5 minutes reach this.
   *
   * @default 1
   */
  readonly throttleEventsThreshold?: number;
  /**
   * How many 5-minute periods with throttling, out of how many, fire the throttles alarm.
   *
   * @default ALARM_EVALUATION.throttles (3 of 5)
   */
  readonly throttlesAlarmEvaluation?: AlarmEvaluation;
  /**
   * The operations whose SystemErrors the system errors alarm sums (at most 10, CloudWatch's limit per alarm).
   *
   * @default TABLE_ALARM_OPERATIONS
   */
  readonly operations?: readonly dynamodb.Operation[];
  /**
   * How many 5-minute periods with a DynamoDB system error, out of how many, fire the system errors alarm.
   *
   * @default ALARM_EVALUATION.errors (3 of 5)
   */
  readonly systemErrorsAlarmEvaluation?: AlarmEvaluation;
  /**
   * Where the alarms go.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/**
 * The two alarms an on-call engineer wants on a DynamoDB table, with the project's defaults: throttling (read and
 * write throttle events, whatever the cause: on-demand, partition or account limits) and DynamoDB's own 5XX errors
 * (SystemErrors of the operations the handlers call), each missing datapoint filled with 0 so an operation nobody
 * called in a period does not hide the others.
 */
export class TableAlarms extends Construct {
  /** FILL(ReadThrottleEvents, 0) + FILL(WriteThrottleEvents, 0) (Sum) ≥ `throttleEventsThreshold`. */
  public readonly throttles: cloudwatch.Alarm;
  /** Σ FILL(SystemErrors of each operation, 0) (Sum) ≥ 1. */
  public readonly systemErrors: cloudwatch.Alarm;
  /** The metric the throttles alarm watches, for dashboards. */
  public readonly throttleEventsMetric: cloudwatch.MathExpression;
  /** The metric the system errors alarm watches, for dashboards. */
  public readonly systemErrorsMetric: cloudwatch.MathExpression;
  private readonly table: dynamodb.ITable;
  private readonly operations: readonly dynamodb.Operation[];

  public constructor(scope: Construct, id: string, props: TableAlarmsProps) {
    super(scope, id);
    const threshold = props.throttleEventsThreshold ?? 1;
    const throttlesEvaluation = props.throttlesAlarmEvaluation ?? ALARM_EVALUATION.throttles;
    const systemErrorsEvaluation = props.systemErrorsAlarmEvaluation ?? ALARM_EVALUATION.errors;
    const operations = props.operations ?? TABLE_ALARM_OPERATIONS;
    validate(this.node.path, { threshold, throttlesEvaluation, systemErrorsEvaluation, operations });

    this.table = props.table;
    this.operations = operations;
    this.throttleEventsMetric = this.throttleEventSum('');
    this.systemErrorsMetric = this.systemErrorSum('');

    const name = this.node.scope?.node.path ?? this.node.path;
    this.throttles = createPatternAlarm(this, 'Throttles', {
      metric: this.throttleEventsMetric,
      threshold,
      evaluation: throttlesEvaluation,
      description:
        `${name}: requests were throttled (${threshold} or more per 5 minutes) ${describeEvaluation(throttlesEvaluation)} ` +
        '(a partition, the on-demand maximum or an account limit reached); the SDK retried them, callers waited.',
      alarmAction: props.alarmAction,
    });
    this.systemErrors = createPatternAlarm(this, 'SystemErrors', {
      metric: this.systemErrorsMetric,
      threshold: 1,
      evaluation: systemErrorsEvaluation,
      description:
        `${name}: DynamoDB answered with its own errors (HTTP 500) ${describeEvaluation(systemErrorsEvaluation)}; ` +
        'the SDK retried them; check the AWS Health Dashboard.',
      alarmAction: props.alarmAction,
    });
  }

  /** One row for many tables: each table's throttle events beside its system errors, against the alarms. */
  public static dashboardWidgets(tables: readonly { readonly title: string; readonly alarms: TableAlarms }[]): cloudwatch.IWidget[] {
    // One graph holds every table's expression, so each table's metric ids get a prefix of their own.
    return sideBySide(
      {
        title: 'DynamoDB: throttle events per table',
        left: tables.map(({ title, alarms }, index) => alarms.throttleEventSum(`t${index}_`).with({ label: title })),
      },
      {
        title: 'DynamoDB: system errors per table',
        left: tables.map(({ title, alarms }, index) => alarms.systemErrorSum(`t${index}_`).with({ label: title })),
      },
    );
  }

  /** FILL(ReadThrottleEvents, 0) + FILL(WriteThrottleEvents, 0), with metric ids `<idPrefix>reads` and `<idPrefix>writes`. */
  private throttleEventSum(idPrefix: string): cloudwatch.MathExpression {
    return sumOf(
      {
        [`${idPrefix}reads`]: tableMetric('ReadThrottleEvents', { TableName: this.table.tableName }),
        [`${idPrefix}writes`]: tableMetric('WriteThrottleEvents', { TableName: this.table.tableName }),
      },
      'throttle events',
    );
  }

  /** Σ FILL(SystemErrors of each operation, 0), with metric ids `<idPrefix><operation>` (`getItem`, …). */
  private systemErrorSum(idPrefix: string): cloudwatch.MathExpression {
    return sumOf(
      Object.fromEntries(
        this.operations.map((operation) => [
          `${idPrefix}${metricId(operation)}`,
          tableMetric('SystemErrors', { TableName: this.table.tableName, Operation: operation }),
        ]),
      ),
      'system errors',
    );
  }
}

/** An AWS/DynamoDB metric, summed per 5 minutes. */
function tableMetric(metricName: string, dimensionsMap: Record<string, string>): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic: 'Sum', period: ALARM_PERIOD });
}

/** The sum of `metrics`, each period a metric has no datapoint counted as 0 (without FILL, one missing hides all). */
function sumOf(metrics: Record<string, cloudwatch.IMetric>, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: Object.keys(metrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics: metrics,
    period: ALARM_PERIOD,
    label,
  });
}

/** A metric-math id for an operation: `GetItem` → `getItem` (ids start with a lower-case letter). */
function metricId(operation: string): string {
  return operation.charAt(0).toLowerCase() + operation.slice(1);
}

interface ResolvedProps {
  readonly threshold: number;
  readonly throttlesEvaluation: AlarmEvaluation;
  readonly systemErrorsEvaluation: AlarmEvaluation;
  readonly operations: readonly dynamodb.Operation[];
}

function validate(constructPath: string, resolved: ResolvedProps): void {
  const problems: string[] = [];
  const { threshold, operations } = resolved;
  if (!(Number.isInteger(threshold) && threshold >= 1)) {
    problems.push(`throttleEventsThreshold is ${threshold}: use a whole number of throttled requests ≥ 1, e.g. 1.`);
  }
  if (operations.length === 0 || operations.length > MAX_METRICS_PER_ALARM) {
    problems.push(
      `operations lists ${operations.length}: give 1 to ${MAX_METRICS_PER_ALARM} operations (CloudWatch's limit of metrics per alarm), ` +
        'or leave it unset for TABLE_ALARM_OPERATIONS.',
    );
  }
  const repeated = operations.filter((operation, index) => operations.indexOf(operation) !== index);
  if (repeated.length > 0) problems.push(`operations repeats ${[...new Set(repeated)].join(', ')}: list each operation once.`);
  problems.push(
    ...alarmEvaluationProblems('throttlesAlarmEvaluation', resolved.throttlesEvaluation),
    ...alarmEvaluationProblems('systemErrorsAlarmEvaluation', resolved.systemErrorsEvaluation),
  );
  if (problems.length > 0) throw new PropsError('TableAlarms', constructPath, problems);
}
