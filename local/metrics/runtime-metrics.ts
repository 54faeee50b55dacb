/**
 * The metrics AWS publishes about the services the local runtime emulates, made from the reports its parts already
 * give (an API request, an invocation, a delivery, a put) and from a sampler of the queues, with AWS's namespaces,
 * metric names, units and dimensions, so the template's alarms can be evaluated against them unchanged:
 *
 * | namespace      | metrics                                                                     | dimensions               |
 * |----------------|-----------------------------------------------------------------------------|--------------------------|
 * | AWS/ApiGateway | Count, Latency, IntegrationLatency, 4XXError, 5XXError                       | ApiName, Stage           |
 * | AWS/Lambda     | Invocations, Errors, Throttles, Duration, ConcurrentExecutions, IteratorAge | FunctionName             |
 * | AWS/SQS        | ApproximateNumberOfMessages{Visible,NotVisible,Delayed}, ApproximateAgeOfOldestMessage, NumberOfMessagesSent | QueueName |
 * | AWS/Kinesis    | IncomingRecords, GetRecords.IteratorAgeMilliseconds, WriteProvisionedThroughputExceeded | StreamName |
 * | AWS/Events     | Invocations, FailedInvocations, InvocationsSentToDlq, InvocationsFailedToBeSentToDlq | RuleName; EventBusName + RuleName |
 *
 * Ages (the queues' oldest message, the iterator ages) are divided by the time scale: at 0.01 a message one real
 * second old is 100 s old as the alarms see it, just as their periods are a hundredth of the template's. Durations and
 * latencies are what they measured: a slow downstream is slow in real milliseconds.
 *
 * Lambda's Errors counts function errors, timeouts and crashes; a throttled invocation counts in Throttles only, as
 * in AWS. EventBridge's Invocations counts a target's final outcome (a delivery that is being retried counts once it
 * succeeds or is given up on), FailedInvocations the ones given up on.
 */
import type { ApiRequestReport } from '../apigateway/rest-api-gateway';
import type { DeliveryReport as MappingDeliveryReport } from '../event-source-mappings/delivery-report';
import type { RuleModel } from '../eventbridge/event-bus-model';
import type { DeliveryReport as TargetDeliveryReport } from '../eventbridge/target-delivery';
import type { InvocationReport } from '../lambda/function-pool';
import type { QueueStats } from '../sqs/sqs-local';
import type { TimeScale } from '../shared/time-scale';
import type { MetricDatum, MetricSink } from '../cloudwatch/metric-types';

/** What this module reads of an API request report. */
export type ApiRequestFacts = Pick<ApiRequestReport, 'apiName' | 'path' | 'status' | 'durationMs' | 'integrationLatencyMs'>;

/** What this module reads of an invocation report. */
export type InvocationFacts = Pick<InvocationReport, 'outcome' | 'durationMs' | 'concurrentExecutions'>;

/** What this module reads of an event source mapping's delivery report. */
export type MappingDeliveryFacts = Pick<MappingDeliveryReport, 'source' | 'sourceName' | 'latencyMs' | 'handlerStartedAt'>;

/** What this module reads of an EventBridge target delivery report: its outcome and its rule. */
export interface EventDeliveryFacts {
  readonly kind: TargetDeliveryReport['kind'];
  readonly job: { readonly rule: Pick<RuleModel, 'name' | 'busName'> };
}

export class RuntimeMetrics {
  /** One frozen dimensions object per resource: the store caches a series key per object, so a put skips sorting. */
  private readonly dimensionSets = new Map<string, Readonly<Record<string, string>>>();

  constructor(
    private readonly sink: MetricSink,
    private readonly timeScale: TimeScale,
    private readonly now: () => number = Date.now,
  ) {}

  private dims(...pairs: string[]): Readonly<Record<string, string>> {
    const key = pairs.join('\u0000');
    let dims = this.dimensionSets.get(key);
    if (dims === undefined) {
      const built: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) built[pairs[i]] = pairs[i + 1];
      dims = Object.freeze(built);
      this.dimensionSets.set(key, dims);
    }
    return dims;
  }

  /** An age measured in real milliseconds, as the time-scaled alarms see it. */
  private scaledAge(ms: number): number {
    return Math.max(0, ms) / this.timeScale.factor;
  }

  private put(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>, value: number, unit: string, timestamp: number): void {
    const datum: MetricDatum = { namespace, metricName, dimensions, value, unit, timestamp };
    this.sink.put(datum);
  }

  /** An API Gateway request: AWS/ApiGateway by ApiName and Stage. */
  apiRequest(report: ApiRequestFacts): void {
    const stage = report.path.split('/')[1] ?? '';
    const dims = this.dims('ApiName', report.apiName, 'Stage', stage);
    const at = this.now();
    this.put('AWS/ApiGateway', 'Count', dims, 1, 'Count', at);
    this.put('AWS/ApiGateway', 'Latency', dims, report.durationMs, 'Milliseconds', at);
    if (report.integrationLatencyMs !== undefined) this.put('AWS/ApiGateway', 'IntegrationLatency', dims, report.integrationLatencyMs, 'Milliseconds', at);
    this.put('AWS/ApiGateway', '4XXError', dims, report.status >= 400 && report.status < 500 ? 1 : 0, 'Count', at);
    this.put('AWS/ApiGateway', '5XXError', dims, report.status >= 500 ? 1 : 0, 'Count', at);
  }

  /** A Lambda invocation of `functionName` (the physical name): AWS/Lambda by FunctionName. */
  invocation(functionName: string, report: InvocationFacts): void {
    const dims = this.dims('FunctionName', functionName);
    const at = this.now();
    if (report.outcome === 'throttled') {
      this.put('AWS/Lambda', 'Throttles', dims, 1, 'Count', at);
      return;
    }
    this.put('AWS/Lambda', 'Invocations', dims, 1, 'Count', at);
    this.put('AWS/Lambda', 'Errors', dims, report.outcome === 'success' ? 0 : 1, 'Count', at);
    this.put('AWS/Lambda', 'Throttles', dims, 0, 'Count', at);
    this.put('AWS/Lambda', 'Duration', dims, report.durationMs, 'Milliseconds', at);
    this.put('AWS/Lambda', 'ConcurrentExecutions', dims, report.concurrentExecutions, 'Count', at);
  }

  /**
   * A Kinesis mapping's batch handed to `functionName`: AWS/Lambda IteratorAge (by FunctionName) and AWS/Kinesis
   * GetRecords.IteratorAgeMilliseconds (by StreamName), both from the batch's oldest record. SQS deliveries publish
   * nothing here: their queue's metrics come from the sampler.
   */
  mappingDelivery(functionName: string, report: MappingDeliveryFacts): void {
    if (report.source !== 'kinesis' || report.latencyMs === undefined || report.handlerStartedAt === undefined) return;
    const age = this.scaledAge(report.latencyMs);
    const stream = report.sourceName.slice(0, report.sourceName.lastIndexOf('/'));
    this.put('AWS/Lambda', 'IteratorAge', this.dims('FunctionName', functionName), age, 'Milliseconds', report.handlerStartedAt);
    this.put('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', this.dims('StreamName', stream), age, 'Milliseconds', report.handlerStartedAt);
  }

  /** A put into a stream: AWS/Kinesis IncomingRecords and WriteProvisionedThroughputExceeded by StreamName. */
  streamPut(put: { readonly stream: string; readonly records: number; readonly throttled: number }): void {
    const dims = this.dims('StreamName', put.stream);
    const at = this.now();
    if (put.records > 0) this.put('AWS/Kinesis', 'IncomingRecords', dims, put.records, 'Count', at);
    this.put('AWS/Kinesis', 'WriteProvisionedThroughputExceeded', dims, put.throttled, 'Count', at);
  }

  /** A target delivery's outcome: AWS/Events by RuleName, and by EventBusName and RuleName. */
  eventDelivery(report: EventDeliveryFacts): void {
    if (report.kind === 'retrying') return;
    const { name, busName } = report.job.rule;
    const failed = report.kind === 'delivered' ? 0 : 1;
    const values: [string, number][] = [
      ['Invocations', 1],
      ['FailedInvocations', failed],
      ['InvocationsSentToDlq', report.kind === 'dead-lettered' ? 1 : 0],
      ['InvocationsFailedToBeSentToDlq', report.kind === 'dead-letter-failed' ? 1 : 0],
    ];
    const at = this.now();
    for (const dims of [this.dims('RuleName', name), this.dims('EventBusName', busName, 'RuleName', name)]) {
      for (const [metric, value] of values) this.put('AWS/Events', metric, dims, value, 'Count', at);
    }
  }

  /** One sample of every queue: AWS/SQS by QueueName. */
  queues(samples: readonly QueueStats[]): void {
    const at = this.now();
    for (const q of samples) {
      const dims = this.dims('QueueName', q.name);
      this.put('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dims, q.visible, 'Count', at);
      this.put('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', dims, q.notVisible, 'Count', at);
      this.put('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', dims, q.delayed, 'Count', at);
      const age = q.oldestSentTimestamp === undefined ? 0 : this.scaledAge(at - q.oldestSentTimestamp) / 1000;
      this.put('AWS/SQS', 'ApproximateAgeOfOldestMessage', dims, Math.floor(age), 'Seconds', at);
      this.put('AWS/SQS', 'NumberOfMessagesSent', dims, q.sent, 'Count', at);
    }
  }
}

/**
 * Samples the queues every `intervalMs` (AWS publishes SQS metrics once a minute; the runtime samples every minute of
 * scaled time, within [250 ms, 10 s]) until stopped. A failed sample is reported once per failure streak.
 */
export class QueueSampler {
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly options: {
      readonly stats: () => Promise<readonly QueueStats[]>;
      readonly metrics: RuntimeMetrics;
      readonly intervalMs: number;
      readonly onError?: (message: string) => void;
    },
  ) {}

  /** The interval for a time scale: one scaled minute, kept within [250 ms, 10 s]. */
  static intervalFor(timeScale: TimeScale): number {
    return Math.min(10_000, Math.max(250, Math.round(timeScale.ms(60_000))));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sampleNow(), this.options.intervalMs);
    this.timer.unref();
    void this.sampleNow();
  }

  /** Takes one sample now (a sample under way is awaited instead of starting another). */
  sampleNow(): Promise<void> {
    this.sampling ??= this.options
      .stats()
      .then((samples) => {
        this.failing = false;
        this.options.metrics.queues(samples);
      })
      .catch((error: unknown) => {
        if (!this.failing) this.options.onError?.(`sampling the queues for CloudWatch failed: ${(error as Error).message}`);
        this.failing = true;
      })
      .finally(() => {
        this.sampling = undefined;
      });
    return this.sampling;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }
}
