import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';

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
  /**
   * The numbers that grow with the rate of orders the stack is sized for: the queues' consumer caps, the reserved
   * concurrency, the log consumers' parallelization, the payments queue's FIFO mode, the sales bucket's write shards
   * (lib/capacity/capacity-plan.ts).
   *
   * @default DEFAULT_CAPACITY_PLAN: today's sizing (lib/services/concurrency-budget.ts)
   */
  readonly capacity?: CapacityPlan;
}

/** The capacity plan a service is built with: the stack's, or today's sizing. */
export function capacityOf(props: ServiceProps): CapacityPlan {
  return props.capacity ?? DEFAULT_CAPACITY_PLAN;
}
