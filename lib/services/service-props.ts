import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** What the stack gives every service that owns tables and functions. */
export interface ServiceProps {
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * Where the service's alarms notify: its tables', its functions' and its queues'.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}
