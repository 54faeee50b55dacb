import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** The window every pattern alarm evaluates: long enough to smooth a single slow request, short enough to page early. */
export const ALARM_PERIOD = Duration.minutes(5);

/** What a pattern needs to say to get an alarm with the project's defaults. */
export interface PatternAlarmProps {
  /** The metric to watch, already carrying its statistic and period. */
  readonly metric: cloudwatch.IMetric;
  /** The alarm fires when the metric is at or above this value. */
  readonly threshold: number;
  /** One sentence an on-call engineer reads first: what breached and what it means. */
  readonly description: string;
  /**
   * Where the alarm goes when it fires.
   *
   * @default - the alarm is created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/**
 * An alarm with the defaults every pattern shares: one 5-minute period at or above the threshold,
 * and missing data counted as healthy (an idle service is not an incident).
 */
export function createPatternAlarm(scope: Construct, id: string, props: PatternAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  if (props.alarmAction) alarm.addAlarmAction(props.alarmAction);
  return alarm;
}
