import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_EVALUATION, ALARM_PERIOD, type AlarmEvaluation, alarmEvaluationProblems, createPatternAlarm, createQueueNotEmptyAlarm, describeEvaluation } from './alarm-defaults';
import { sideBySide } from './health-dashboard';
import { createLastStopQueue } from './last-stop-queue';
import { ProblemsError, PropsError } from './problems-error';
import type { ServiceFunction } from './service-function';

export interface EventLogProps {
  /**
   * Shards of the PROVISIONED stream; each takes 1 MB/s or 1,000 records/s in and serves 2 MB/s out. Provisioned
   * because of the bill at rest: one shard costs about $11/month, while an idle ON_DEMAND stream costs about $29/month.
   *
   * @default 1
   */
  readonly shardCount?: number;
  /**
   * How long the stream keeps records, so a consumer can replay them (24 hours to 365 days).
   *
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;
  /**
   * The iterator age alarms (the stream's, and each consumer's) fire when the oldest unread record is this old.
   *
   * @default Duration.minutes(1)
   */
  readonly iteratorAgeThreshold?: Duration;
  /**
   * How many 5-minute periods at or above the iterator age threshold, out of how many, fire the iterator age alarms
   * (the stream's, and each consumer's).
   *
   * @default ALARM_EVALUATION.backlog (2 of 3)
   */
  readonly iteratorAgeAlarmEvaluation?: AlarmEvaluation;
  /**
   * How many 5-minute periods with a throttled read or write, out of how many, fire the read and write throttle
   * alarms. A failure queue alarm always fires on its first message (ALARM_EVALUATION.lostWork, 1 of 1).
   *
   * @default ALARM_EVALUATION.throttles (3 of 5)
   */
  readonly throttlesAlarmEvaluation?: AlarmEvaluation;
  /**
   * Where the stream's and its consumers' alarms go.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** How one consumer reads the log. */
export interface EventLogConsumerOptions {
  /**
   * Most records handed to one invocation (1 to 10,000).
   *
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers records before invoking with a batch smaller than `batchSize` (at most 5 minutes).
   *
   * @default - none: each batch is delivered as soon as records arrive; lowest latency
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Retries of a failing batch (after bisecting it) before its failed records go to the failure queue (0 to 10,000).
   *
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Records older than this are not retried but sent to the failure queue, so one poison record never stalls the
   * shard longer than this (60 seconds to 7 days).
   *
   * @default Duration.hours(1)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Batches processed concurrently per shard (1 to 10); records of one partition key stay in order at any value.
   *
   * @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Where a new consumer starts reading: TRIM_HORIZON (the oldest record kept) or LATEST (only new records).
   *
   * @default lambda.StartingPosition.TRIM_HORIZON
   */
  readonly startingPosition?: lambda.StartingPosition;
}

/** The alarms every EventLog consumer owns. */
export interface EventLogConsumerAlarms {
  /**
   * AWS/Lambda IteratorAge (Maximum) of the consuming function ≥ `iteratorAgeThreshold` in `iteratorAgeAlarmEvaluation`
   * of the periods: the consumer falls behind.
   */
  readonly iteratorAge: cloudwatch.Alarm;
  /** The failure queue's ApproximateNumberOfMessagesVisible (Maximum) ≥ 1 in one period: records were given up on. */
  readonly failedRecords: cloudwatch.Alarm;
}

/** What `addConsumer` created for one consumer. */
export interface EventLogConsumer {
  /** The consuming function. */
  readonly handler: ServiceFunction;
  /** The Lambda event source; its `eventSourceMappingId` names the mapping. */
  readonly eventSource: KinesisEventSource;
  /**
   * The on-failure destination: Lambda sends it a record of each batch it gave up on (shard, sequence numbers, the
   * error), not the records themselves; they stay in the stream until its retention ends.
   */
  readonly failureQueue: sqs.Queue;
  readonly alarms: EventLogConsumerAlarms;
}

/** The alarms every EventLog owns on its stream. */
export interface EventLogAlarms {
  /**
   * WriteProvisionedThroughputExceeded (Sum) ≥ 1 per 5 minutes in `throttlesAlarmEvaluation` of the periods: producers
   * were throttled; add shards.
   */
  readonly writeThrottles: cloudwatch.Alarm;
  /**
   * ReadProvisionedThroughputExceeded (Sum) ≥ 1 per 5 minutes in `throttlesAlarmEvaluation` of the periods: the
   * consumers, which share each shard's 5 reads/s and 2 MB/s, were throttled; add shards or fewer consumers.
   */
  readonly readThrottles: cloudwatch.Alarm;
  /**
   * GetRecords.IteratorAgeMilliseconds (Maximum) ≥ `iteratorAgeThreshold` in `iteratorAgeAlarmEvaluation` of the
   * periods: the slowest reader falls behind.
   */
  readonly iteratorAge: cloudwatch.Alarm;
}

/** Thrown by `addConsumer` with every invalid option at once. */
export class EventLogConsumerError extends ProblemsError {
  public constructor(
    public readonly constructPath: string,
    public readonly consumerId: string,
    problems: readonly string[],
  ) {
    super(`Invalid consumer '${consumerId}' of EventLog ${constructPath}`, problems);
  }
}

const MIN_RETENTION = Duration.hours(24);
const MAX_RETENTION = Duration.days(365);
const MAX_BATCHING_WINDOW = Duration.minutes(5);
const MIN_RECORD_AGE = Duration.seconds(60);
const MAX_RECORD_AGE = Duration.days(7);

/**
 * A Kinesis data stream read in order by ServiceFunctions, with the project's defaults: one PROVISIONED shard,
 * AWS-managed encryption, 24 hours of retention, and per consumer: partial batch responses, bisect on error, 3 retries,
 * records older than 1 hour given up, an encrypted TLS-only SQS on-failure destination, and alarms on iterator age,
 * write and read throttling and failed records.
 */
export class EventLog extends Construct {
  public readonly stream: kinesis.Stream;
  public readonly alarms: EventLogAlarms;
  private readonly consumers: EventLogConsumer[] = [];
  private readonly iteratorAgeThreshold: Duration;
  private readonly iteratorAgeEvaluation: AlarmEvaluation;
  private readonly alarmAction?: cloudwatch.IAlarmAction;

  public constructor(scope: Construct, id: string, props: EventLogProps = {}) {
    super(scope, id);
    const shardCount = props.shardCount ?? 1;
    const retentionPeriod = props.retentionPeriod ?? Duration.hours(24);
    this.iteratorAgeThreshold = props.iteratorAgeThreshold ?? Duration.minutes(1);
    this.iteratorAgeEvaluation = props.iteratorAgeAlarmEvaluation ?? ALARM_EVALUATION.backlog;
    const throttlesEvaluation = props.throttlesAlarmEvaluation ?? ALARM_EVALUATION.throttles;
    this.alarmAction = props.alarmAction;
    validateProps(this.node.path, {
      shardCount,
      retentionPeriod,
      iteratorAgeThreshold: this.iteratorAgeThreshold,
      iteratorAgeEvaluation: this.iteratorAgeEvaluation,
      throttlesEvaluation,
    });

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount,
      retentionPeriod,
      encryption: kinesis.StreamEncryption.MANAGED,
      // Like the tables: the stack owns its data. The log holds 24 hours of events that the bus's archive also keeps.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const group = new Construct(this, 'Alarms');
    const name = this.node.path;
    this.alarms = {
      writeThrottles: createPatternAlarm(group, 'WriteThrottles', {
        metric: this.stream.metricWriteProvisionedThroughputExceeded({ statistic: 'Sum', period: ALARM_PERIOD }),
        threshold: 1,
        evaluation: throttlesEvaluation,
        description:
          `${name}: writes were throttled ${describeEvaluation(throttlesEvaluation)} ` +
          "(a shard's 1 MB/s or 1,000 records/s exceeded); add shards.",
        alarmAction: this.alarmAction,
      }),
      readThrottles: createPatternAlarm(group, 'ReadThrottles', {
        metric: this.stream.metricReadProvisionedThroughputExceeded({ statistic: 'Sum', period: ALARM_PERIOD }),
        threshold: 1,
        evaluation: throttlesEvaluation,
        description:
          `${name}: reads were throttled ${describeEvaluation(throttlesEvaluation)} (the consumers share each shard's ` +
          '5 reads/s and 2 MB/s); add shards, or move a consumer to enhanced fan-out.',
        alarmAction: this.alarmAction,
      }),
      iteratorAge: createPatternAlarm(group, 'IteratorAge', {
        metric: this.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: ALARM_PERIOD }),
        threshold: this.iteratorAgeThreshold.toMilliseconds(),
        evaluation: this.iteratorAgeEvaluation,
        description:
          `${name}: the slowest reader was ${this.iteratorAgeThreshold.toHumanString()} or more behind the stream ` +
          `${describeEvaluation(this.iteratorAgeEvaluation)}.`,
        alarmAction: this.alarmAction,
      }),
    };
  }

  /**
   * Lets `handler` read the stream in order, shard by shard: partial batch responses, bisect on error, bounded retries
   * and record age, and an on-failure SQS queue. The consumer's resources live under a child construct named `id`.
   */
  public addConsumer(id: string, handler: ServiceFunction, options: EventLogConsumerOptions = {}): EventLogConsumer {
    const batchSize = options.batchSize ?? 100;
    const retryAttempts = options.retryAttempts ?? 3;
    const maxRecordAge = options.maxRecordAge ?? Duration.hours(1);
    const parallelizationFactor = options.parallelizationFactor ?? 1;
    const startingPosition = options.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON;
    this.validateConsumer(id, handler, options, { batchSize, retryAttempts, maxRecordAge, parallelizationFactor, startingPosition });

    const scope = new Construct(this, id);
    const failureQueue = createLastStopQueue(scope, 'FailureQueue', "a Kinesis consumer's on-failure destination");

    const eventSource = new KinesisEventSource(this.stream, {
      startingPosition,
      batchSize,
      maxBatchingWindow: options.maxBatchingWindow,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts,
      maxRecordAge,
      parallelizationFactor,
      onFailure: new SqsDlq(failureQueue),
    });
    handler.function.addEventSource(eventSource);

    const group = new Construct(scope, 'Alarms');
    const name = scope.node.path;
    const consumer: EventLogConsumer = {
      handler,
      eventSource,
      failureQueue,
      alarms: {
        iteratorAge: createPatternAlarm(group, 'IteratorAge', {
          metric: handler.function.metric('IteratorAge', { statistic: 'Maximum', period: ALARM_PERIOD }),
          threshold: this.iteratorAgeThreshold.toMilliseconds(),
          evaluation: this.iteratorAgeEvaluation,
          description:
            `${name}: the consumer was ${this.iteratorAgeThreshold.toHumanString()} or more behind the stream ` +
            `${describeEvaluation(this.iteratorAgeEvaluation)}.`,
          alarmAction: this.alarmAction,
        }),
        failedRecords: createQueueNotEmptyAlarm(group, 'FailedRecords', failureQueue, {
          description: `${name}: records were given up after retries or by age; the failure queue names their shard and sequence numbers.`,
          alarmAction: this.alarmAction,
        }),
      },
    };
    this.consumers.push(consumer);
    return consumer;
  }

  /** Allows `grantee` to put records on the stream (AWS-managed encryption needs no KMS grant). */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.stream.grantWrite(grantee);
  }

  /** The log's latency (iterator age of the stream and of each consumer) and congestion (records in, throttles, failures). */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    const name = this.node.id;
    return sideBySide(
      {
        title: `${name}: iterator age (ms)`,
        left: [
          this.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: ALARM_PERIOD, label: 'stream' }),
          ...this.consumers.map((consumer) =>
            consumer.handler.function.metric('IteratorAge', {
              statistic: 'Maximum',
              period: ALARM_PERIOD,
              label: consumer.handler.node.id,
            }),
          ),
        ],
        leftAnnotations: [this.alarms.iteratorAge.toAnnotation()],
      },
      {
        title: `${name}: records`,
        left: [
          this.stream.metricIncomingRecords({ statistic: 'Sum', period: ALARM_PERIOD, label: 'incoming' }),
          this.stream.metricWriteProvisionedThroughputExceeded({ statistic: 'Sum', period: ALARM_PERIOD, label: 'write throttled' }),
          this.stream.metricReadProvisionedThroughputExceeded({ statistic: 'Sum', period: ALARM_PERIOD, label: 'read throttled' }),
        ],
        right: this.consumers.map((consumer) =>
          consumer.failureQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: ALARM_PERIOD,
            label: `${consumer.handler.node.id} failed batches`,
          }),
        ),
      },
    );
  }

  private validateConsumer(
    id: string,
    handler: ServiceFunction,
    options: EventLogConsumerOptions,
    resolved: {
      readonly batchSize: number;
      readonly retryAttempts: number;
      readonly maxRecordAge: Duration;
      readonly parallelizationFactor: number;
      readonly startingPosition: lambda.StartingPosition;
    },
  ): void {
    const problems: string[] = [];
    const { batchSize, retryAttempts, maxRecordAge, parallelizationFactor, startingPosition } = resolved;
    if (id.trim() === '') problems.push(`id is empty: name the consumer, e.g. 'Analytics'.`);
    else if (this.node.tryFindChild(id)) problems.push(`id '${id}' is taken: each consumer needs its own id.`);
    if (this.consumers.some((consumer) => consumer.handler === handler)) {
      problems.push(`${handler.node.path} already consumes this log: one event source mapping per function and stream.`);
    }
    if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
      problems.push(`batchSize is ${batchSize}: use a whole number from 1 to 10000, e.g. 100.`);
    }
    const window = options.maxBatchingWindow;
    if (window !== undefined) {
      const seconds = window.toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds > MAX_BATCHING_WINDOW.toSeconds()) {
        problems.push(`maxBatchingWindow is ${window.toHumanString()}: Lambda takes whole seconds up to 5 minutes.`);
      }
    }
    if (!(Number.isInteger(retryAttempts) && retryAttempts >= 0 && retryAttempts <= 10_000)) {
      problems.push(`retryAttempts is ${retryAttempts}: use a whole number from 0 to 10000, e.g. 3.`);
    }
    const ageSeconds = maxRecordAge.toSeconds({ integral: false });
    if (!Number.isInteger(ageSeconds) || ageSeconds < MIN_RECORD_AGE.toSeconds() || ageSeconds > MAX_RECORD_AGE.toSeconds()) {
      problems.push(`maxRecordAge is ${maxRecordAge.toHumanString()}: Lambda takes whole seconds from 60 seconds to 7 days, e.g. Duration.hours(1).`);
    }
    if (!(Number.isInteger(parallelizationFactor) && parallelizationFactor >= 1 && parallelizationFactor <= 10)) {
      problems.push(`parallelizationFactor is ${parallelizationFactor}: use a whole number from 1 to 10, e.g. 1.`);
    }
    if (startingPosition !== lambda.StartingPosition.TRIM_HORIZON && startingPosition !== lambda.StartingPosition.LATEST) {
      problems.push(`startingPosition is ${String(startingPosition)}: use TRIM_HORIZON or LATEST.`);
    }
    if (problems.length > 0) throw new EventLogConsumerError(this.node.path, id, problems);
  }
}

interface ResolvedProps {
  readonly shardCount: number;
  readonly retentionPeriod: Duration;
  readonly iteratorAgeThreshold: Duration;
  readonly iteratorAgeEvaluation: AlarmEvaluation;
  readonly throttlesEvaluation: AlarmEvaluation;
}

function validateProps(constructPath: string, resolved: ResolvedProps): void {
  const problems: string[] = [];
  const { shardCount, retentionPeriod, iteratorAgeThreshold } = resolved;
  if (!(Number.isInteger(shardCount) && shardCount >= 1)) {
    problems.push(`shardCount is ${shardCount}: use a whole number of shards ≥ 1, e.g. 1.`);
  }
  const hours = retentionPeriod.toHours({ integral: false });
  if (!Number.isInteger(hours) || hours < MIN_RETENTION.toHours() || hours > MAX_RETENTION.toHours()) {
    problems.push(`retentionPeriod is ${retentionPeriod.toHumanString()}: Kinesis keeps whole hours from 24 hours to 365 days.`);
  }
  if (iteratorAgeThreshold.toMilliseconds({ integral: false }) < 1) {
    problems.push(`iteratorAgeThreshold is ${iteratorAgeThreshold.toHumanString()}: use a duration above 0, e.g. Duration.minutes(1).`);
  }
  problems.push(
    ...alarmEvaluationProblems('iteratorAgeAlarmEvaluation', resolved.iteratorAgeEvaluation),
    ...alarmEvaluationProblems('throttlesAlarmEvaluation', resolved.throttlesEvaluation),
  );
  if (problems.length > 0) throw new PropsError('EventLog', constructPath, problems);
}
