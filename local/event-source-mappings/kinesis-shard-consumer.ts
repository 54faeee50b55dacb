/**
 * One shard of a Kinesis event source mapping: reads the shard in order and invokes the function with one batch at
 * a time (ParallelizationFactor 1), following the Lambda developer guide ("Using Lambda with Kinesis Data Streams",
 * "Configuring partial batch response with Kinesis Data Streams", "Retain discarded batch records").
 *
 * - Reading: GetShardIterator at StartingPosition (TRIM_HORIZON, LATEST, AT_TIMESTAMP) when the mapping starts, then
 *   GetRecords for up to BatchSize records; an idle shard is read again after a second (Lambda's base rate), or at
 *   once when the edge sees records put into the stream. With MaximumBatchingWindowInSeconds, records are gathered
 *   until BatchSize or the window (from the first record read) has passed.
 * - Success (or an empty / null partial response): the batch is checkpointed and the next one follows.
 * - Function error, or an invalid partial response: the batch failed. A valid partial response checkpoints before
 *   the lowest reported sequence number; the records from there on failed. Failed records are retried: with
 *   BisectBatchOnFunctionError they are split in two halves, each retried in order (splitting does not use a retry);
 *   a batch that cannot be split is retried up to MaximumRetryAttempts times (-1: until the records expire), with
 *   backoff (100 ms doubling up to 2 s).
 * - Before each invocation, records older than MaximumRecordAgeInSeconds are discarded (they are in arrival order,
 *   so they lead the batch).
 * - Discarded records (RetryAttemptsExhausted, RecordAgeExceeded) are described to the OnFailure destination
 *   (an SQS queue: the invocation record names the shard and sequence numbers, it does not carry the data) and the
 *   shard moves past them: the records behind a poison record keep flowing.
 * - Throttles are retried with backoff, never counted as retries (they only end when the records expire).
 *
 * Where this simplifies Lambda: with both BisectBatchOnFunctionError and ReportBatchItemFailures, Lambda "bisects at
 * the returned sequence number"; here that checkpoints before it and the failed remainder is halved like a failed
 * batch. Resharding is not followed (the shards open when the mapping starts are read); an SNS or S3 on-failure
 * destination is reported as a warning and the records are dropped.
 */
import { ExpiredIteratorException, GetRecordsCommand, GetShardIteratorCommand, type _Record, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { StreamActivity } from '../kinesis/stream-activity';
import { sleep } from './abortable-sleep';
import { parseBatchResponse } from './batch-response';
import type { DeliveryReport } from './delivery-report';
import { epochSeconds, failureRecord, kinesisRecord, type DiscardCondition, type KinesisFailureRecord, type StreamSource } from './kinesis-records';
import type { KinesisMappingConfig } from './mapping-config';
import { invokeWithBackoff, type InvokeOutcome, type MappedFunction, type MappingInvoker } from './mapping-invoker';

export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export interface ShardConsumerOptions {
  readonly config: KinesisMappingConfig;
  readonly shardId: string;
  /** An SDK client on kinesis-local. */
  readonly kinesis: KinesisClient;
  readonly invoker: MappingInvoker;
  readonly fn: MappedFunction;
  /** Aborts when the mapping stops. */
  readonly signal: AbortSignal;
  /** Sends an on-failure record to a destination ARN. */
  readonly sendFailureRecord: (destinationArn: string, record: KinesisFailureRecord) => Promise<void>;
  readonly activity?: StreamActivity;
  readonly onDelivery?: (report: DeliveryReport) => void;
  readonly onWarning?: (message: string) => void;
  readonly idlePollMs: number;
  readonly retryBackoff: RetryBackoff;
}

/** Failed records still to be retried, with what they have been through. */
interface Segment {
  records: _Record[];
  retries: number;
  invokeCount: number;
  lastInvocation?: { readonly requestId: string; readonly functionError: boolean };
}

const ERROR_BACKOFF_MS = 1_000;
/** During a batching window, the shard is read again at least this often. */
const WINDOW_POLL_MS = 100;
const MAX_GET_RECORDS = 10_000;

/** `shardId-000000000003` → `shard-3`, for trace lines. */
export function shortShardId(shardId: string): string {
  const match = /^shardId-0*(\d+)$/.exec(shardId);
  return match ? `shard-${match[1]}` : shardId;
}

export class ShardConsumer {
  private readonly buffer: _Record[] = [];
  private readonly source: StreamSource;
  private iterator?: string;
  private lastSequence?: string;
  private shardClosed = false;
  private firstBufferedAt = 0;
  private lastWarning = '';

  constructor(private readonly options: ShardConsumerOptions) {
    const { config, shardId } = options;
    this.source = { shardId, streamArn: config.streamArn, region: config.region, invokeIdentityArn: config.invokeIdentityArn };
  }

  private get config(): KinesisMappingConfig {
    return this.options.config;
  }

  private get stopped(): boolean {
    return this.options.signal.aborted;
  }

  /** Takes the shard iterator at the starting position (so LATEST means "after the mapping started"). */
  async initialize(): Promise<void> {
    this.iterator = await this.newIterator();
  }

  /** Reads and delivers until the mapping stops (or the shard is closed and drained). */
  async run(): Promise<void> {
    const { activity, signal } = this.options;
    const { batchSize, maximumBatchingWindowSeconds, streamName } = this.config;
    while (!this.stopped) {
      const seenPuts = activity?.putCount(streamName) ?? 0;
      if (this.buffer.length < batchSize) await this.fetch(batchSize - this.buffer.length);
      if (this.buffer.length === 0) {
        if (this.shardClosed) return;
        await this.idle(this.options.idlePollMs, seenPuts);
        continue;
      }
      const deadline = this.firstBufferedAt + maximumBatchingWindowSeconds * 1000;
      while (this.buffer.length < batchSize && Date.now() < deadline && !this.stopped && !this.shardClosed) {
        const seen = activity?.putCount(streamName) ?? 0;
        await this.idle(Math.min(WINDOW_POLL_MS, deadline - Date.now()), seen);
        await this.fetch(batchSize - this.buffer.length);
      }
      if (signal.aborted) return;
      const batch = this.buffer.splice(0, batchSize);
      if (this.buffer.length > 0) this.firstBufferedAt = Date.now();
      await this.process(batch);
    }
  }

  private idle(ms: number, seenPuts: number): Promise<void> {
    const { activity, signal } = this.options;
    return activity ? activity.waitForRecords(this.config.streamName, ms, { signal, seenPuts }) : sleep(ms, signal);
  }

  private warn(message: string): void {
    if (message === this.lastWarning) return;
    this.lastWarning = message;
    this.options.onWarning?.(message);
  }

  private async newIterator(): Promise<string | undefined> {
    const { config, shardId, kinesis } = this.options;
    const position =
      this.lastSequence !== undefined
        ? ({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: this.lastSequence } as const)
        : config.startingPosition === 'AT_TIMESTAMP'
          ? ({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date((config.startingPositionTimestamp ?? 0) * 1000) } as const)
          : ({ ShardIteratorType: config.startingPosition } as const);
    const { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: config.streamName, ShardId: shardId, ...position }), {
      abortSignal: this.options.signal,
    });
    return iterator;
  }

  private async fetch(limit: number): Promise<void> {
    try {
      this.iterator ??= await this.newIterator();
      if (this.iterator === undefined) return;
      const output = await this.options.kinesis.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: Math.max(1, Math.min(MAX_GET_RECORDS, limit)) }), {
        abortSignal: this.options.signal,
      });
      const records = output.Records ?? [];
      if (records.length > 0) {
        if (this.buffer.length === 0) this.firstBufferedAt = Date.now();
        this.buffer.push(...records);
        this.lastSequence = records[records.length - 1].SequenceNumber;
      }
      this.iterator = output.NextShardIterator ?? undefined;
      if (output.NextShardIterator === undefined || output.NextShardIterator === null) this.shardClosed = true;
      this.lastWarning = '';
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof ExpiredIteratorException) {
        this.iterator = undefined;
        return;
      }
      this.warn(`reading ${this.config.streamName}/${this.options.shardId} failed: ${(error as Error).message}`);
      await sleep(ERROR_BACKOFF_MS, this.options.signal);
    }
  }

  /** How many records lead `records` that are older than MaximumRecordAgeInSeconds. */
  private expiredPrefix(records: readonly _Record[]): number {
    const maxAge = this.config.maximumRecordAgeSeconds;
    if (maxAge < 0) return 0;
    const oldestAllowed = Date.now() - maxAge * 1000;
    const index = records.findIndex((record) => (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) >= oldestAllowed);
    return index === -1 ? records.length : index;
  }

  private report(count: number, fields: Omit<DeliveryReport, 'source' | 'sourceName' | 'functionName' | 'count'>): void {
    this.options.onDelivery?.({
      source: 'kinesis',
      sourceName: `${this.config.streamName}/${shortShardId(this.options.shardId)}`,
      functionName: this.options.fn.shortName,
      count,
      ...fields,
    });
  }

  /** Delivers one batch until every record is checkpointed or discarded. */
  private async process(batch: _Record[]): Promise<void> {
    const { config, invoker, signal, retryBackoff } = this.options;
    const work: Segment[] = [{ records: batch, retries: 0, invokeCount: 0 }];
    let backoff = retryBackoff.initialMs;
    while (work.length > 0 && !this.stopped) {
      const segment = work[0];
      const expired = this.expiredPrefix(segment.records);
      if (expired > 0) {
        await this.discard(segment, segment.records.slice(0, expired), 'RecordAgeExceeded');
        segment.records = segment.records.slice(expired);
        if (segment.records.length === 0) work.shift();
        continue;
      }
      const records = segment.records;
      const event = { Records: records.map((record) => kinesisRecord(record, this.source)) };
      const arrivedAt = records[0].ApproximateArrivalTimestamp?.getTime() ?? Date.now();
      let outcome: InvokeOutcome;
      try {
        outcome = await invokeWithBackoff(invoker, config.functionRef, event, { signal, giveUp: () => this.expiredPrefix(records) > 0 });
      } catch (error) {
        this.warn(`invoking ${config.functionRef} failed: ${(error as Error).message}`);
        await sleep(ERROR_BACKOFF_MS, signal);
        continue;
      }
      if (outcome.kind === 'throttled') {
        if (!this.stopped) this.report(records.length, { outcome: 'throttled', note: `${outcome.throttles} throttles` });
        continue;
      }
      const { result, handlerStartedAt } = outcome;
      segment.invokeCount++;
      const timing = { latencyMs: Math.max(0, Math.round(handlerStartedAt - arrivedAt)), handlerMs: result.durationMs };
      let failedFrom: number | undefined;
      let errorType: string | undefined;
      if (!result.ok) {
        failedFrom = 0;
        errorType = result.error.errorType;
      } else if (config.reportBatchItemFailures) {
        const response = parseBatchResponse(result.payload, new Set(records.map((record) => record.SequenceNumber ?? '')));
        if (response.kind === 'invalid') {
          failedFrom = 0;
          errorType = 'InvalidBatchResponse';
        } else if (response.kind === 'partial') {
          failedFrom = Math.min(...response.failedIds.map((id) => records.findIndex((record) => record.SequenceNumber === id)));
        }
      }
      segment.lastInvocation = { requestId: result.requestId, functionError: !result.ok };
      if (failedFrom === undefined) {
        this.report(records.length, { ...timing, outcome: 'ok' });
        work.shift();
        backoff = retryBackoff.initialMs;
        continue;
      }

      const failed = records.slice(failedFrom);
      segment.records = failed;
      const bisect = config.bisectBatchOnFunctionError && failed.length > 1;
      const retries = config.maximumRetryAttempts;
      const exhausted = !bisect && retries >= 0 && segment.retries + 1 > retries;
      const checkpoint = failedFrom > 0 ? `checkpointed ${failedFrom}, ` : '';
      const next = bisect
        ? `bisecting ${failed.length} into ${Math.ceil(failed.length / 2)} + ${Math.floor(failed.length / 2)}`
        : exhausted
          ? 'retries exhausted'
          : `retry ${segment.retries + 1}${retries >= 0 ? ` of ${retries}` : ''}`;
      this.report(records.length, {
        ...timing,
        outcome: errorType !== undefined ? 'error' : 'partial',
        ...(errorType !== undefined ? { errorType } : { failed: failed.length }),
        note: `${checkpoint}${next}`,
      });
      if (bisect) {
        const half = Math.ceil(failed.length / 2);
        work.splice(0, 1, { ...segment, records: failed.slice(0, half) }, { ...segment, records: failed.slice(half) });
        continue;
      }
      segment.retries++;
      if (exhausted) {
        await this.discard(segment, failed, 'RetryAttemptsExhausted');
        work.shift();
        backoff = retryBackoff.initialMs;
        continue;
      }
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, retryBackoff.maxMs);
    }
  }

  /** Gives up on `records`: describes them to the on-failure destination, and moves past them. */
  private async discard(segment: Segment, records: readonly _Record[], condition: DiscardCondition): Promise<void> {
    const destination = this.config.onFailureDestination;
    const arrivedAt = records[0]?.ApproximateArrivalTimestamp;
    const age = arrivedAt ? ` (${Math.round(Date.now() / 1000 - epochSeconds(arrivedAt))} s old)` : '';
    this.report(records.length, {
      outcome: 'discarded',
      note: `${condition}${condition === 'RecordAgeExceeded' ? age : ''}${destination ? `, sent to ${destination.slice(destination.lastIndexOf(':') + 1)}` : ', no on-failure destination'}`,
    });
    if (destination === undefined) return;
    const record = failureRecord({
      records,
      source: this.source,
      functionArn: this.options.fn.arn,
      condition,
      approximateInvokeCount: segment.invokeCount,
      ...(segment.lastInvocation ? { lastInvocation: segment.lastInvocation } : {}),
    });
    try {
      await this.options.sendFailureRecord(destination, record);
    } catch (error) {
      this.warn(`sending the on-failure record to ${destination} failed: ${(error as Error).message}`);
    }
  }
}
