import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The window every pattern alarm evaluates: long enough to smooth a single slow request, short enough to page early. */
export const ALARM_PERIOD = Duration.minutes(5);

/**
 * "M out of N": the alarm fires when `datapointsToAlarm` of the last `evaluationPeriods` periods (each ALARM_PERIOD
 * long) breach its threshold, and returns to OK when fewer do.
 */
export interface AlarmEvaluation {
  /** M: breaching periods that fire the alarm, a whole number from 1 to `evaluationPeriods`. */
  readonly datapointsToAlarm: number;
  /** N: the periods the alarm looks back over, a whole number ≥ 1 (CloudWatch allows at most one day of them). */
  readonly evaluationPeriods: number;
}

/**
 * The project's M-of-N choice per alarm family (README, "Alarms"), each the default of the matching pattern prop.
 *
 * - `lostWork` (1 of 1): a dead-letter or failure queue holds a message, or EventBridge gave up on a delivery. A lost
 *   message is always actionable, and the level stays until someone redrives it, so waiting only delays the page.
 * - `breakerOpen` (1 of 1): the circuit breaker already debounces (it opens after several failures within its window),
 *   and while it is open checkout refuses orders; the alarm names the cause that the 5XX rate cannot.
 * - `errors` (3 of 5): failed invocations, 5XX responses, DynamoDB system errors. One is retried (queues, EventBridge,
 *   the SDK) or is one customer's 5XX; failures in 3 of the last 25 minutes are an incident. Work that is lost despite
 *   the retries pages at once through `lostWork`.
 * - `latency` (3 of 5): p99 latency, integration latency and duration. In a quiet period p99 is the slowest request,
 *   so one cold start or one slow call fills a period; three slow periods out of five are a trend.
 * - `throttles` (3 of 5): Lambda, Kinesis and DynamoDB throttling. Every throttled call is retried by the SDK, the
 *   poller or EventBridge, so a burst is absorbed; throttling in 3 of 5 periods means capacity is short.
 * - `backlog` (2 of 3): queue age, queue backlog, iterator age. These are levels, not counts: a burst the consumers
 *   drain within a period is the queue doing its job; a level above the threshold in 2 of 3 periods is not draining.
 */
export const ALARM_EVALUATION = {
  lostWork: { datapointsToAlarm: 1, evaluationPeriods: 1 },
  breakerOpen: { datapointsToAlarm: 1, evaluationPeriods: 1 },
  errors: { datapointsToAlarm: 3, evaluationPeriods: 5 },
  latency: { datapointsToAlarm: 3, evaluationPeriods: 5 },
  throttles: { datapointsToAlarm: 3, evaluationPeriods: 5 },
  backlog: { datapointsToAlarm: 2, evaluationPeriods: 3 },
} as const satisfies Record<string, AlarmEvaluation>;

/** CloudWatch caps an alarm's evaluation range (EvaluationPeriods × Period) at one day. */
const MAX_EVALUATION_RANGE = Duration.days(1);

/**
 * The problems of an `AlarmEvaluation` prop named `propName`, each naming the prop, the value and the fix; empty when
 * it is valid. Constructors add them to their one props error.
 */
export function alarmEvaluationProblems(propName: string, evaluation: AlarmEvaluation): string[] {
  const { datapointsToAlarm: m, evaluationPeriods: n } = evaluation;
  const given = `${propName} is ${m} of ${n}`;
  const maxPeriods = MAX_EVALUATION_RANGE.toSeconds() / ALARM_PERIOD.toSeconds();
  if (!(Number.isInteger(n) && n >= 1 && n <= maxPeriods)) {
    return [`${given}: evaluationPeriods must be a whole number from 1 to ${maxPeriods} (one day of 5-minute periods), e.g. 5.`];
  }
  if (!(Number.isInteger(m) && m >= 1 && m <= n)) {
    return [`${given}: datapointsToAlarm must be a whole number from 1 to evaluationPeriods (${n}), e.g. 3.`];
  }
  return [];
}

/**
 * How an alarm description says when the alarm fires: "in 5 minutes" for 1 of 1, else "in 3 of the last 5 periods of
 * 5 minutes".
 */
export function describeEvaluation(evaluation: AlarmEvaluation): string {
  const period = ALARM_PERIOD.toHumanString();
  if (evaluation.evaluationPeriods === 1) return `in ${period}`;
  return `in ${evaluation.datapointsToAlarm} of the last ${evaluation.evaluationPeriods} periods of ${period}`;
}

/** What a pattern needs to say to get an alarm with the project's defaults. */
export interface PatternAlarmProps {
  /** The metric to watch, already carrying its statistic and period. */
  readonly metric: cloudwatch.IMetric;
  /** The alarm fires when the metric is at or above this value. */
  readonly threshold: number;
  /** How many breaching periods out of how many fire the alarm: the family's entry in ALARM_EVALUATION, or a prop's. */
  readonly evaluation: AlarmEvaluation;
  /** One sentence an on-call engineer reads first: what breached and what it means. */
  readonly description: string;
  /**
   * Where the alarm goes when it fires.
   *
   * @default - the alarm is created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** CloudWatch's limit on an alarm name. */
const MAX_ALARM_NAME_LENGTH = 255;

/**
 * `<stack name>/<construct path below the stack>`, e.g. `HybridShop/Orders/PlaceOrder/Alarms/Errors`: what the alarm
 * watches, readable in a notification, and under one prefix per stack that no other stack's names start with (unlike
 * CloudFormation's generated `<stack name>-<logical id>-<suffix>`, where `HybridShop-*` also matches `HybridShop-dev-…`),
 * so a topic policy can admit exactly one stack's alarms. Undefined (a generated name) when the stack name is a token.
 */
export function patternAlarmName(scope: Construct, id: string): string | undefined {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.stackName)) return undefined;
  const below = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((construct) => construct.node.id);
  const name = [stack.stackName, ...below, id].join('/');
  if (name.length > MAX_ALARM_NAME_LENGTH) {
    throw new Error(`The alarm name ${name} is ${name.length} characters, above CloudWatch's ${MAX_ALARM_NAME_LENGTH}: shorten the construct ids on its path.`);
  }
  return name;
}

/**
 * An alarm with the defaults every pattern shares: named `patternAlarmName`, `evaluation.datapointsToAlarm` of the
 * last `evaluation.evaluationPeriods` 5-minute periods at or above the threshold, and missing data counted as healthy
 * (an idle service is not an incident).
 */
export function createPatternAlarm(scope: Construct, id: string, props: PatternAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: patternAlarmName(scope, id),
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: props.evaluation.evaluationPeriods,
    datapointsToAlarm: props.evaluation.datapointsToAlarm,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  if (props.alarmAction) alarm.addAlarmAction(props.alarmAction);
  return alarm;
}

/**
 * The alarm of a last-stop queue (a dead-letter or failure queue): ApproximateNumberOfMessagesVisible (Maximum) ≥ 1,
 * so it fires on the first message (ALARM_EVALUATION.lostWork), and stays in ALARM until the message is redriven.
 */
export function createQueueNotEmptyAlarm(
  scope: Construct,
  id: string,
  queue: sqs.IQueue,
  props: Pick<PatternAlarmProps, 'description' | 'alarmAction'>,
): cloudwatch.Alarm {
  return createPatternAlarm(scope, id, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD }),
    threshold: 1,
    evaluation: ALARM_EVALUATION.lostWork,
    ...props,
  });
}
