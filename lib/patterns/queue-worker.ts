import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_EVALUATION, ALARM_PERIOD, type AlarmEvaluation, alarmEvaluationProblems, createPatternAlarm, createQueueNotEmptyAlarm, describeEvaluation } from './alarm-defaults';
import { sideBySide } from './health-dashboard';
import { PropsError } from './problems-error';
import type { ServiceFunction } from './service-function';

export interface QueueWorkerProps {
  /** The function that consumes the queue; it must answer with an SQS partial batch response. */
  readonly handler: ServiceFunction;
  /**
   * A FIFO queue (and a FIFO dead-letter queue): messages of one message group are delivered in order, one batch at a
   * time. Content-based deduplication stays off: producers set `MessageDeduplicationId` themselves.
   *
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * With `fifo`: high-throughput FIFO (FifoThroughputLimit `perMessageGroupId`, DeduplicationScope `messageGroup`), whose
   * call quota is per message group instead of 300 calls a second per action for the whole queue. Needs many message groups.
   *
   * @default false
   */
  readonly highThroughput?: boolean;
  /**
   * How long a received message stays invisible to other consumers. AWS's guidance for an SQS event source is at least
   * six times the function's timeout, so a batch retried after a throttle is not received twice; less is rejected.
   *
   * @default - 6 × the handler's timeout
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives of one message before SQS moves it to the dead-letter queue.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Most messages handed to one invocation. Up to 10 without a batching window (and always for FIFO), up to 10,000 with one.
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers messages before invoking with a batch smaller than `batchSize`. Not supported for FIFO queues.
   *
   * @default - none: each batch is delivered as soon as messages arrive; lowest latency
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * How long the queue keeps a message nobody consumed. The dead-letter queue always keeps its messages 14 days, the
   * SQS maximum, so a message moved there is never older than its retention allows.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Most concurrent invocations the event source mapping starts for this queue (`ScalingConfig.MaximumConcurrency`, 2 to
   * 1000). Without a cap, Lambda's SQS pollers scale a backlog up to the account's whole unreserved concurrency, and a
   * burst on one queue throttles every other function that draws on it, the synchronous API's included. A throttled
   * poller invocation is retried and only delays the queue, so a low cap costs latency under a backlog, never messages.
   * With a handler that has reserved concurrency, keep this at or below the reservation.
   *
   * @default 10: up to 100 messages in flight at the default batch size
   */
  readonly maxConcurrency?: number;
  /**
   * The age-of-oldest-message alarm fires when the oldest message waited this long.
   *
   * @default Duration.minutes(5)
   */
  readonly ageOfOldestMessageThreshold?: Duration;
  /**
   * The backlog alarm fires when this many messages are visible (waiting for a consumer).
   *
   * @default 100
   */
  readonly backlogThreshold?: number;
  /**
   * How many 5-minute periods at or above a threshold, out of how many, fire the age-of-oldest-message and the backlog
   * alarms. The dead-letter queue alarm always fires on its first message (ALARM_EVALUATION.lostWork, 1 of 1).
   *
   * @default ALARM_EVALUATION.backlog (2 of 3)
   */
  readonly backlogAlarmEvaluation?: AlarmEvaluation;
  /**
   * Where the queue's alarms go.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** The alarms every QueueWorker owns. */
export interface QueueWorkerAlarms {
  /**
   * ApproximateAgeOfOldestMessage (Maximum) ≥ `ageOfOldestMessageThreshold` in `backlogAlarmEvaluation` of the periods:
   * consumers fall behind or a message keeps failing.
   */
  readonly ageOfOldestMessage: cloudwatch.Alarm;
  /**
   * ApproximateNumberOfMessagesVisible (Maximum) ≥ `backlogThreshold` in `backlogAlarmEvaluation` of the periods: work
   * arrives faster than it is done.
   */
  readonly backlog: cloudwatch.Alarm;
  /** The dead-letter queue's ApproximateNumberOfMessagesVisible (Maximum) ≥ 1 in one period: a message failed `maxReceiveCount` receives. */
  readonly deadLetterQueueNotEmpty: cloudwatch.Alarm;
}

/** AWS's guidance: the queue's visibility timeout is at least six times the consumer's timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;
const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);
const MIN_RETENTION = Duration.seconds(60);
const MAX_RETENTION = Duration.days(14);
const MAX_BATCHING_WINDOW = Duration.minutes(5);
/** Lambda's range for ScalingConfig.MaximumConcurrency. */
const MIN_MAX_CONCURRENCY = 2;
const MAX_MAX_CONCURRENCY = 1000;
/** A queue's consumer takes at most this many of the account's concurrent executions unless told otherwise. */
export const DEFAULT_MAX_CONCURRENCY = 10;

/**
 * An SQS queue consumed by a ServiceFunction, with the project's defaults: a dead-letter queue after 5 receives that
 * keeps messages 14 days and lets them be moved back (StartMessageMoveTask), SSE-SQS encryption and a TLS-only policy
 * on both queues, a visibility timeout of six times the function's timeout, partial batch responses, a cap on the
 * consumer's concurrency (10 by default), an optional FIFO pair, and alarms on the age of the oldest message, the backlog and a non-empty dead-letter queue.
 */
export class QueueWorker extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** The Lambda event source; its `eventSourceMappingId` names the mapping. */
  public readonly eventSource: SqsEventSource;
  public readonly handler: ServiceFunction;
  public readonly fifo: boolean;
  /** The mapping's ScalingConfig.MaximumConcurrency: the most invocations this queue's consumer runs at once. */
  public readonly maxConcurrency: number;
  public readonly alarms: QueueWorkerAlarms;

  public constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    this.handler = props.handler;
    this.fifo = props.fifo ?? false;
    const handlerTimeout = props.handler.function.timeout ?? Duration.seconds(3);
    const minVisibility = Duration.seconds(Math.ceil(VISIBILITY_TIMEOUT_FACTOR * secondsOf(handlerTimeout)));
    const resolved: ResolvedProps = {
      fifo: this.fifo,
      handlerTimeout,
      minVisibility,
      visibilityTimeout: props.visibilityTimeout ?? minVisibility,
      maxReceiveCount: props.maxReceiveCount ?? 5,
      batchSize: props.batchSize ?? 10,
      maxConcurrency: props.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      ageThreshold: props.ageOfOldestMessageThreshold ?? Duration.minutes(5),
      backlogThreshold: props.backlogThreshold ?? 100,
      backlogEvaluation: props.backlogAlarmEvaluation ?? ALARM_EVALUATION.backlog,
    };
    validate(this.node.path, props, resolved);
    this.maxConcurrency = resolved.maxConcurrency;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: this.fifo ? true : undefined,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: MAX_RETENTION,
      // Explicit, so redrive back to the source queue (StartMessageMoveTask) is allowed. BY_QUEUE would need the
      // source queue's ARN here while the source's redrive policy already needs this queue's: a circular reference.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: this.fifo ? true : undefined,
      ...(props.highThroughput === true
        ? { fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID, deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP }
        : {}),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: resolved.visibilityTimeout,
      retentionPeriod: resolved.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: resolved.maxReceiveCount },
    });

    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: resolved.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      reportBatchItemFailures: true,
      maxConcurrency: resolved.maxConcurrency,
    });
    props.handler.function.addEventSource(this.eventSource);

    this.alarms = this.createAlarms(props.alarmAction, resolved);
  }

  /** Allows `grantee` to send messages to the work queue (SSE-SQS needs no KMS grant). */
  public grantSend(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** The queue's latency (age of the oldest message) and congestion (visible, in flight, dead-lettered) side by side. */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    const name = this.node.id;
    return sideBySide(
      {
        title: `${name}: age of oldest message (s)`,
        left: [this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ALARM_PERIOD })],
        leftAnnotations: [this.alarms.ageOfOldestMessage.toAnnotation()],
      },
      {
        title: `${name}: messages`,
        left: [
          this.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD, label: 'visible' }),
          this.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: 'Maximum', period: ALARM_PERIOD, label: 'in flight' }),
          this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: ALARM_PERIOD,
            label: 'dead-lettered',
          }),
        ],
        leftAnnotations: [this.alarms.backlog.toAnnotation()],
      },
    );
  }

  private createAlarms(alarmAction: cloudwatch.IAlarmAction | undefined, resolved: ResolvedProps): QueueWorkerAlarms {
    const { ageThreshold, backlogThreshold, backlogEvaluation } = resolved;
    const group = new Construct(this, 'Alarms');
    const name = this.node.path;
    const when = describeEvaluation(backlogEvaluation);
    return {
      ageOfOldestMessage: createPatternAlarm(group, 'AgeOfOldestMessage', {
        metric: this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ALARM_PERIOD }),
        threshold: secondsOf(ageThreshold),
        evaluation: backlogEvaluation,
        description:
          `${name}: the oldest message waited ${ageThreshold.toHumanString()} or more ${when} ` +
          '(consumers behind, or a message keeps failing).',
        alarmAction,
      }),
      backlog: createPatternAlarm(group, 'Backlog', {
        metric: this.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD }),
        threshold: backlogThreshold,
        evaluation: backlogEvaluation,
        description: `${name}: ${backlogThreshold} or more messages were waiting ${when} (work arrives faster than it is done).`,
        alarmAction,
      }),
      deadLetterQueueNotEmpty: createQueueNotEmptyAlarm(group, 'DeadLetterQueueNotEmpty', this.deadLetterQueue, {
        description: `${name}: a message reached the dead-letter queue; inspect it, fix the cause, then redrive it.`,
        alarmAction,
      }),
    };
  }
}

interface ResolvedProps {
  readonly fifo: boolean;
  readonly handlerTimeout: Duration;
  readonly minVisibility: Duration;
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly retentionPeriod: Duration;
  readonly ageThreshold: Duration;
  readonly backlogThreshold: number;
  readonly backlogEvaluation: AlarmEvaluation;
}

function validate(constructPath: string, props: QueueWorkerProps, resolved: ResolvedProps): void {
  const problems: string[] = [];
  const { fifo, handlerTimeout, minVisibility, visibilityTimeout, maxReceiveCount, batchSize, retentionPeriod } = resolved;
  const visibilitySeconds = secondsOf(visibilityTimeout);
  if (!Number.isInteger(visibilitySeconds)) {
    problems.push(`visibilityTimeout is ${visibilityTimeout.toHumanString()}: SQS takes whole seconds.`);
  } else if (visibilitySeconds < minVisibility.toSeconds()) {
    problems.push(
      `visibilityTimeout is ${visibilityTimeout.toHumanString()}: AWS's guidance for an SQS event source is at least ` +
        `${VISIBILITY_TIMEOUT_FACTOR} × the handler's ${handlerTimeout.toHumanString()} timeout = ${minVisibility.toHumanString()}; ` +
        'raise it or leave it unset.',
    );
  } else if (visibilitySeconds > secondsOf(MAX_VISIBILITY_TIMEOUT)) {
    problems.push(`visibilityTimeout is ${visibilityTimeout.toHumanString()}: SQS allows at most 12 hours.`);
  }
  if (!(Number.isInteger(maxReceiveCount) && maxReceiveCount >= 1 && maxReceiveCount <= 1000)) {
    problems.push(`maxReceiveCount is ${maxReceiveCount}: use a whole number from 1 to 1000, e.g. 5.`);
  }
  if (props.highThroughput === true && !fifo) {
    problems.push('highThroughput is true for a standard queue: high throughput is a FIFO mode; set fifo too, or leave highThroughput unset.');
  }
  const window = props.maxBatchingWindow;
  if (window !== undefined) {
    if (fifo) {
      problems.push(`maxBatchingWindow is ${window.toHumanString()}: Lambda supports no batching window for FIFO queues; leave it unset.`);
    } else if (!Number.isInteger(secondsOf(window)) || secondsOf(window) > secondsOf(MAX_BATCHING_WINDOW)) {
      problems.push(`maxBatchingWindow is ${window.toHumanString()}: Lambda takes whole seconds up to 5 minutes.`);
    }
  }
  const maxBatch = fifo || window === undefined || secondsOf(window) === 0 ? 10 : 10_000;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= maxBatch)) {
    const why = fifo ? 'for a FIFO queue' : maxBatch === 10 ? 'without a maxBatchingWindow' : 'with a maxBatchingWindow';
    problems.push(`batchSize is ${batchSize}: use a whole number from 1 to ${maxBatch} ${why}, e.g. 10.`);
  }
  const retentionSeconds = secondsOf(retentionPeriod);
  const retentionInRange = retentionSeconds >= secondsOf(MIN_RETENTION) && retentionSeconds <= secondsOf(MAX_RETENTION);
  if (!Number.isInteger(retentionSeconds) || !retentionInRange) {
    problems.push(
      `retentionPeriod is ${retentionPeriod.toHumanString()}: SQS keeps messages from 60 seconds to 14 days, in whole seconds, e.g. Duration.days(4).`,
    );
  }
  const concurrency = resolved.maxConcurrency;
  if (!(Number.isInteger(concurrency) && concurrency >= MIN_MAX_CONCURRENCY && concurrency <= MAX_MAX_CONCURRENCY)) {
    problems.push(
      `maxConcurrency is ${concurrency}: Lambda accepts a whole number from ${MIN_MAX_CONCURRENCY} to ${MAX_MAX_CONCURRENCY}, ` +
        `or leave it unset for ${DEFAULT_MAX_CONCURRENCY}.`,
    );
  } else {
    const reserved = props.handler.reservedConcurrentExecutions;
    if (reserved !== undefined && concurrency > reserved) {
      problems.push(
        `maxConcurrency is ${concurrency}, above the handler's reserved concurrency of ${reserved}: the pollers' invocations past ` +
          `${reserved} would be throttled and retried; lower maxConcurrency to ${reserved} or less, or raise the reservation.`,
      );
    }
  }
  if (secondsOf(resolved.ageThreshold) < 1) {
    problems.push(`ageOfOldestMessageThreshold is ${resolved.ageThreshold.toHumanString()}: use at least 1 second, e.g. Duration.minutes(5).`);
  }
  if (!(Number.isInteger(resolved.backlogThreshold) && resolved.backlogThreshold >= 1)) {
    problems.push(`backlogThreshold is ${resolved.backlogThreshold}: use a whole number of messages ≥ 1, e.g. 100.`);
  }
  problems.push(...alarmEvaluationProblems('backlogAlarmEvaluation', resolved.backlogEvaluation));
  if (problems.length > 0) throw new PropsError('QueueWorker', constructPath, problems);
}

/** A duration in seconds, fractions kept (Duration.toSeconds() throws on a fraction). */
function secondsOf(duration: Duration): number {
  return duration.toSeconds({ integral: false });
}
