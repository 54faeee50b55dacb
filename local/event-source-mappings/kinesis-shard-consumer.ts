/**
 * One shard of a Kinesis event source mapping: reads the shard in order and invokes the function with one batch at
 * a time (ParallelizationFactor 1), following the Lambda developer guide ("Using Lambda with Kinesis Data Streams",
 * "Configuring partial batch response with Kinesis Data Streams", "Retain discarded batch records").
 *
 * - Reading: GetShardIterator at StartingPosition (TRIM_HORIZON, LATEST, AT_TIMESTAMP) when the mapping starts, then
 *   GetRecords (straight to kinesis-local) for up to BatchSize records; an idle shard is read again after a second
 *   (Lambda's base rate), or at once when records are put into the stream (through the edge or by an EventBridge
 *   target). While the function processes a batch, what is put meanwhile is read ahead (up to BatchSize), as
 *   Lambda's poller does, so the next batch is ready. A consumer that has read to the tip of the shard, with nothing
 *   put since, waits instead of reading again, and mappings of the stream at the same place share one read
 *   (`shared-shard-reads.ts`): kinesis-local spends milliseconds of CPU on every call. With
 *   MaximumBatchingWindowInSeconds, records are gathered until BatchSize or the window (from the first record read)
 *   has passed.
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
import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisWireClient, ShardIteratorPosition } from '../kinesis/kinesis-wire-client';
import type { StreamActivity } from '../kinesis/stream-activity';
import { sleep } from './abortable-sleep';
import { parseBatchResponse } from './batch-response';
import type { DeliveryReport } from './delivery-report';
import { epochSeconds, failureRecord, kinesisRecord, type DiscardCondition, type KinesisFailureRecord, type StreamSource } from './kinesis-records';
import type { KinesisMappingConfig } from './mapping-config';
import { invokeWithBackoff, type InvokeOutcome, type MappedFunction, type MappingInvoker } from './mapping-invoker';
import { SharedShardReads, type SharedRead } from './shared-shard-reads';

/**
 * Why a batch's read-ahead stops. Aborting with no reason builds a DOMException, stack trace included, on every batch;
 * the reason is never read.
 */
const BATCH_DONE = Symbol('batch processed');

export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** What a Kinesis mapping is given and hands on, as it is, to the consumer of each of its shards. */
export interface ShardReadingOptions {
  readonly config: KinesisMappingConfig;
  /** A client on kinesis-local. */
  readonly kinesis: KinesisWireClient;
  readonly invoker: MappingInvoker;
  /** Sends an on-failure record to a destination ARN (an SQS queue). */
  readonly sendFailureRecord: (destinationArn: string, record: KinesisFailureRecord) => Promise<void>;
  /**
   * Wakes idle shards when records are put.
   *
   * @default - idle shards are read every `idlePollMs`
   */
  readonly activity?: StreamActivity;
  /**
   * Reads shared with the other mappings of the stream that read a shard from the same place (see
   * `shared-shard-reads.ts`).
   *
   * @default - this mapping's reads are its own
   */
  readonly sharedReads?: SharedShardReads;
  /**
   * Receives one report per delivery.
   *
   * @default - no reports
   */
  readonly onDelivery?: (report: DeliveryReport) => void;
  /**
   * Receives problems that do not stop the mapping.
   *
   * @default - problems are dropped
   */
  readonly onWarning?: (message: string) => void;
}

export interface ShardConsumerOptions extends ShardReadingOptions {
  readonly shardId: string;
  readonly fn: MappedFunction;
  /** Aborts when the mapping stops. */
  readonly signal: AbortSignal;
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
  private readonly sharedReads: SharedShardReads;
  private iterator?: string;
  private lastSequence?: string;
  private shardClosed = false;
  private firstBufferedAt = 0;
  private lastWarning = '';
  /** The stream's put count when the last read was sent: a put counted after it may not have been read. */
  private putsBeforeRead = 0;
  /** Whether the last read reached the tip of the shard (fewer records than asked for, nothing behind). */
  private readToTip = false;

  constructor(private readonly options: ShardConsumerOptions) {
    const { config, shardId } = options;
    this.source = { shardId, streamArn: config.streamArn, region: config.region, invokeIdentityArn: config.invokeIdentityArn };
    this.sharedReads = options.sharedReads ?? new SharedShardReads();
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
    let caughtUp = false;
    while (!this.stopped) {
      // Caught up (the last read reached the tip and nothing was put since): another read now would find nothing.
      if (this.buffer.length < batchSize && !caughtUp) await this.fetch(batchSize - this.buffer.length);
      caughtUp = false;
      if (this.buffer.length === 0) {
        if (this.shardClosed) return;
        await this.idle(this.options.idlePollMs, this.putsBeforeRead);
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
      await this.processReadingAhead(batch);
      caughtUp = activity !== undefined && this.buffer.length === 0 && this.readToTip && activity.putCount(streamName) === this.putsBeforeRead;
    }
  }

  /**
   * Processes a batch while reading ahead, as Lambda's poller reads while its invoker waits: records put in the
   * meantime are read into the buffer (up to BatchSize), so the next batch is ready when this one is done. The
   * batches still go to the function one at a time, in order.
   */
  private async processReadingAhead(batch: _Record[]): Promise<void> {
    const { activity, signal } = this.options;
    const { batchSize, streamName } = this.config;
    if (activity === undefined) return this.process(batch);
    const processed = new AbortController();
    const onStop = () => processed.abort(BATCH_DONE);
    signal.addEventListener('abort', onStop, { once: true });
    const readAhead = async () => {
      while (!processed.signal.aborted && this.buffer.length < batchSize && !this.shardClosed) {
        if (this.readToTip && activity.putCount(streamName) === this.putsBeforeRead) {
          await activity.waitForRecords(streamName, this.options.idlePollMs, { signal: processed.signal, seenPuts: this.putsBeforeRead });
          if (processed.signal.aborted) return;
        }
        await this.fetch(batchSize - this.buffer.length);
      }
    };
    const reading = readAhead();
    try {
      await this.process(batch);
    } finally {
      signal.removeEventListener('abort', onStop);
      processed.abort(BATCH_DONE);
      await reading;
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
    const position: ShardIteratorPosition =
      this.lastSequence !== undefined
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: this.lastSequence }
        : config.startingPosition === 'AT_TIMESTAMP'
          ? { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date((config.startingPositionTimestamp ?? 0) * 1000) }
          : { ShardIteratorType: config.startingPosition };
    return kinesis.getShardIterator(config.streamName, shardId, position, this.options.signal);
  }

  /**
   * Reads up to `limit` records into the buffer. Once the consumer has read a record, its reads are shared with the
   * other mappings of the stream at the same place (the answer may then hold more than `limit` records: the buffer
   * keeps them for the next batch).
   */
  private async fetch(limit: number): Promise<void> {
    const { activity, kinesis, shardId } = this.options;
    const { streamName } = this.config;
    this.putsBeforeRead = activity?.putCount(streamName) ?? 0;
    try {
      this.iterator ??= await this.newIterator();
      const iterator = this.iterator;
      if (iterator === undefined) return;
      const wanted = Math.max(1, Math.min(MAX_GET_RECORDS, limit));
      const send = async (signal?: AbortSignal): Promise<SharedRead> => {
        const putsBefore = activity?.putCount(streamName) ?? 0;
        return { answer: await kinesis.getRecords(iterator, wanted, signal), putsBefore, limit: wanted };
      };
      // A shared read is not aborted by one consumer's mapping stopping: it ends in a few milliseconds anyway.
      const read =
        this.lastSequence === undefined ? await send(this.options.signal) : await this.sharedReads.read(streamName, shardId, this.lastSequence, () => send());
      const { records, nextShardIterator, millisBehindLatest } = read.answer;
      this.putsBeforeRead = read.putsBefore;
      this.readToTip = records.length < read.limit && (millisBehindLatest === undefined || millisBehindLatest === 0);
      if (records.length > 0) {
        if (this.buffer.length === 0) this.firstBufferedAt = Date.now();
        this.buffer.push(...records);
        this.lastSequence = records[records.length - 1].SequenceNumber;
      }
      this.iterator = nextShardIterator;
      if (nextShardIterator === undefined) this.shardClosed = true;
      this.lastWarning = '';
    } catch (error) {
      this.readToTip = false;
      if (this.stopped) return;
      if ((error as Error).name === 'ExpiredIteratorException') {
        this.iterator = undefined;
        return;
      }
      this.warn(`reading ${streamName}/${shardId} failed: ${(error as Error).message}`);
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
        if (!this.stopped) this.warn(`invoking ${config.functionRef} failed: ${(error as Error).message}`);
        await sleep(ERROR_BACKOFF_MS, signal);
        continue;
      }
      if (outcome.kind === 'throttled') {
        if (!this.stopped) this.report(records.length, { outcome: 'throttled', note: `${outcome.throttles} throttles` });
        continue;
      }
      const { result, handlerStartedAt, handlerStartedMonotonic } = outcome;
      segment.invokeCount++;
      const timing = {
        latencyMs: Math.max(0, Math.round(handlerStartedAt - arrivedAt)),
        handlerMs: result.durationMs,
        handlerStartedAt,
        handlerStartedMonotonic,
        items: records.map((record) => ({
          data: Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'),
          sentAt: record.ApproximateArrivalTimestamp?.getTime() ?? handlerStartedAt,
        })),
      };
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
