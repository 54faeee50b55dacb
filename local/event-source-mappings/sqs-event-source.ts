/**
 * An SQS event source mapping: pollers long-poll the queue (on fauxqs) and invoke the function with batches, as
 * Lambda's SQS pollers do (Lambda developer guide, "Using Lambda with Amazon SQS").
 *
 * - Polling: ReceiveMessage with WaitTimeSeconds 1 (so `stop()` is quick; a message that arrives during the wait is
 *   returned at once), up to 10 messages, every system and message attribute.
 * - Batching: with MaximumBatchingWindowInSeconds, the poller keeps receiving until BatchSize messages or the window
 *   (from the first message) has passed; without one, a batch is what one receive returned.
 * - Scaling: one poller while the queue is idle; each poller that receives messages starts another, up to
 *   ScalingConfig.MaximumConcurrency or the function's concurrency limit (each poller has at most one invocation in
 *   flight); a poller that finds the queue empty stops, down to one.
 * - The machine's budget (`BackgroundBudget`, shared by every mapping): a poller takes a slot before it receives, so
 *   that messages it could not deliver now stay visible in the queue, and gives it back once the batch is delivered.
 *   A poller whose last receive found nothing waits only for room, and takes a slot if it receives something: its long
 *   poll of an idle queue holds no slot (and a poller holding one receives without waiting). Over the cap by at most
 *   one batch per mapping whose queue was idle, for that batch.
 * - Results: success → every message deleted; with ReportBatchItemFailures, a valid partial response → every
 *   message deleted but the reported ones, an invalid one → nothing deleted; a function error → nothing deleted. What
 *   is not deleted reappears after the queue's visibility timeout, and fauxqs moves a message to the dead-letter
 *   queue once it has been received more than maxReceiveCount times. FIFO queues keep group order: fauxqs hands out
 *   a group's next message only once the one in flight is deleted or visible again.
 * - Throttles (the function's concurrency exhausted by other callers) are retried with backoff while the batch's
 *   visibility timeout lasts; then the messages are left to reappear, as with Lambda.
 *
 * How it differs from Lambda: fauxqs returns at most one message per FIFO message group per receive, so a FIFO batch
 * holds one message of each group; SenderId is fauxqs's account id.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../shared/json';
import type { FauxqsWireClient } from '../sqs/sqs-json';
import { sleep } from './abortable-sleep';
import { BackgroundBudget, type ReleaseSlot } from './background-budget';
import { parseBatchResponse } from './batch-response';
import type { DeliveryReport } from './delivery-report';
import type { SqsMappingConfig } from './mapping-config';
import { MappingEventSource } from './mapping-event-source';
import { invokeWithBackoff, type InvokeOutcome, type MappedFunction, type MappingInvoker } from './mapping-invoker';
import { type ReceivedAttributeValue, type ReceivedMessage, sqsRecord } from './sqs-records';

export interface SqsEventSourceOptions {
  readonly config: SqsMappingConfig;
  /** The queue's URL on fauxqs. */
  readonly queueUrl: string;
  /**
   * fauxqs's JSON protocol. Not an SDK client: the pollers run on the runtime's main thread, and the SDK's
   * middleware, signing and parsing were a large part of that thread's time under load.
   */
  readonly sqs: Pick<FauxqsWireClient, 'call'>;
  readonly invoker: MappingInvoker;
  /**
   * Receives one report per delivery.
   *
   * @default - no reports
   */
  readonly onDelivery?: (report: DeliveryReport) => void;
  /**
   * Receives problems that do not stop the mapping (the queue is gone, fauxqs does not answer…).
   *
   * @default - problems are dropped
   */
  readonly onWarning?: (message: string) => void;
  /**
   * WaitTimeSeconds of each receive.
   *
   * @default 1
   */
  readonly waitTimeSeconds?: number;
  /**
   * The machine's cap on batches in flight, shared with the other mappings.
   *
   * @default - no cap beyond the mapping's own
   */
  readonly budget?: BackgroundBudget;
}

const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const ERROR_BACKOFF_MS = 1_000;
/** Receives during a batching window that found nothing wait this long before the next one. */
const WINDOW_POLL_MS = 20;
/** Throttle retries end this long before the batch's visibility timeout. */
const VISIBILITY_MARGIN_MS = 500;
export class SqsEventSource extends MappingEventSource<SqsMappingConfig> {
  private readonly pollers = new Set<Promise<void>>();
  private fn!: MappedFunction;
  private visibilityTimeoutMs = DEFAULT_VISIBILITY_TIMEOUT_SECONDS * 1000;
  private cap = 1;
  private pausing = false;
  /** Aborts the waits for the budget when the source stops or pauses (a receive under way is not abandoned). */
  private readonly pauseAbort = new AbortController();
  private readonly gateSignal = AbortSignal.any([this.abort.signal, this.pauseAbort.signal]);
  private readonly budget: BackgroundBudget;

  constructor(private readonly options: SqsEventSourceOptions) {
    super(options.config);
    this.budget = options.budget ?? new BackgroundBudget({ limit: Number.POSITIVE_INFINITY });
  }

  /** Pollers running now. */
  get pollerCount(): number {
    return this.pollers.size;
  }

  /** Reads the queue's visibility timeout and starts the first poller. */
  protected async begin(): Promise<void> {
    const { config, invoker, sqs, queueUrl } = this.options;
    this.fn = invoker.describe(config.functionRef);
    this.cap = Math.max(1, Math.min(config.maximumConcurrency ?? Number.POSITIVE_INFINITY, this.fn.concurrencyLimit));
    const { Attributes: attributes } = await call(sqs, 'GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] });
    const visibility = isJsonObject(attributes) ? attributes.VisibilityTimeout : undefined;
    this.visibilityTimeoutMs = Number(visibility ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS) * 1000;
    this.spawnPoller(true);
  }

  protected underWay(): Iterable<Promise<void>> {
    return [...this.pollers];
  }

  /**
   * Stops polling without abandoning anything: the receive under way completes (at most WaitTimeSeconds) and what it
   * got is delivered, then the pollers end. (An abandoned long poll would still take a message sent during its wait,
   * leaving it invisible for a visibility timeout.) A paused source is not started again: make a new one.
   */
  async pause(): Promise<void> {
    this.pausing = true;
    this.pauseAbort.abort();
    await Promise.all([...this.pollers]);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** @param idle whether the queue was last found empty (the first poller), or the poller scales out a busy one */
  private spawnPoller(idle: boolean): void {
    const poller: Promise<void> = this.poll(idle).finally(() => this.pollers.delete(poller));
    this.pollers.add(poller);
  }

  private async poll(idle: boolean): Promise<void> {
    while (!this.stopped && !this.pausing) {
      let slot: ReleaseSlot | undefined;
      try {
        if (idle) await this.budget.whenRoom(this.gateSignal);
        else slot = await this.budget.acquire(this.gateSignal);
      } catch {
        return; // the source stops or pauses, or the mappings' budget closed
      }
      let messages: ReceivedMessage[];
      try {
        // Holding a slot, a receive does not wait for messages: the slot is not kept from the other mappings through
        // a long poll of a queue that has just run dry.
        messages = await this.receiveBatch(slot === undefined ? undefined : 0);
      } catch (error) {
        slot?.();
        if (this.stopped) return;
        this.options.onWarning?.(`polling ${this.config.queueName} failed: ${(error as Error).message}`);
        await sleep(ERROR_BACKOFF_MS, this.abort.signal);
        continue;
      }
      idle = messages.length === 0;
      if (idle) {
        slot?.();
        if (this.pollers.size > 1) return;
        continue;
      }
      slot ??= this.budget.take();
      if (this.pollers.size < this.cap && !this.stopped) this.spawnPoller(false);
      try {
        await this.deliver(messages);
      } finally {
        slot();
      }
    }
  }

  private async receive(max: number, waitTimeSeconds: number): Promise<ReceivedMessage[]> {
    const { Messages: messages } = await call(
      this.options.sqs,
      'ReceiveMessage',
      {
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      },
      this.abort.signal,
    );
    return Array.isArray(messages) ? messages.filter(isJsonObject).map(messageOf) : [];
  }

  /** One receive (long poll, unless `waitTimeSeconds` is 0); then, within the batching window, more until BatchSize. */
  private async receiveBatch(waitTimeSeconds = this.options.waitTimeSeconds ?? 1): Promise<ReceivedMessage[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.config;
    const batch = await this.receive(batchSize, waitTimeSeconds);
    if (batch.length === 0 || maximumBatchingWindowSeconds <= 0) return batch;
    const deadline = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (batch.length < batchSize && Date.now() < deadline && !this.stopped) {
      const more = await this.receive(batchSize - batch.length, 0);
      batch.push(...more);
      if (more.length === 0) await sleep(Math.min(WINDOW_POLL_MS, deadline - Date.now()), this.abort.signal);
    }
    return batch;
  }

  private async deliver(messages: ReceivedMessage[]): Promise<void> {
    const { config, invoker } = this.options;
    const receivedAt = Date.now();
    const event = { Records: messages.map((message) => sqsRecord(message, config.queueArn, config.region)) };
    const sentAt = Math.min(...messages.map((message) => Number(message.Attributes?.SentTimestamp ?? receivedAt)));
    const report = (fields: Omit<DeliveryReport, 'source' | 'sourceName' | 'functionName' | 'count'>) =>
      this.options.onDelivery?.({ source: 'sqs', sourceName: config.queueName, functionName: this.fn.shortName, count: messages.length, ...fields });

    let outcome: InvokeOutcome;
    try {
      outcome = await invokeWithBackoff(invoker, config.functionRef, event, {
        signal: this.abort.signal,
        giveUp: () => this.stopped || Date.now() > receivedAt + this.visibilityTimeoutMs - VISIBILITY_MARGIN_MS,
      });
    } catch (error) {
      report({ outcome: 'error', errorType: (error as Error).name, note: `not invoked: ${(error as Error).message}` });
      return;
    }
    if (outcome.kind === 'throttled') {
      report({ outcome: 'throttled', note: `${outcome.throttles} throttles; redelivered after the visibility timeout` });
      return;
    }
    const { result, handlerStartedAt, handlerStartedMonotonic } = outcome;
    const timing = {
      latencyMs: Math.max(0, handlerStartedAt - sentAt),
      handlerMs: result.durationMs,
      handlerStartedAt,
      handlerStartedMonotonic,
      items: messages.map((message) => ({ data: message.Body ?? '', sentAt: Number(message.Attributes?.SentTimestamp ?? receivedAt) })),
    };
    if (!result.ok) {
      report({ ...timing, outcome: 'error', errorType: result.error.errorType, note: 'redelivered after the visibility timeout' });
      return;
    }
    if (!config.reportBatchItemFailures) {
      await this.delete(messages);
      report({ ...timing, outcome: 'ok' });
      return;
    }
    const response = parseBatchResponse(result.payload, new Set(messages.map((message) => message.MessageId ?? '')));
    if (response.kind === 'invalid') {
      report({ ...timing, outcome: 'error', errorType: 'InvalidBatchResponse', note: `${response.reason}; the whole batch is redelivered after the visibility timeout` });
      return;
    }
    const failed = new Set(response.kind === 'partial' ? response.failedIds : []);
    await this.delete(messages.filter((message) => !failed.has(message.MessageId ?? '')));
    report(failed.size === 0 ? { ...timing, outcome: 'ok' } : { ...timing, outcome: 'partial', failed: failed.size, note: 'failed messages redelivered after the visibility timeout' });
  }

  private async delete(messages: readonly ReceivedMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      try {
        const { Failed: failed } = await call(this.options.sqs, 'DeleteMessageBatch', {
          QueueUrl: this.options.queueUrl,
          Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
        });
        for (const failure of Array.isArray(failed) ? failed.filter(isJsonObject) : []) {
          this.options.onWarning?.(`deleting a message from ${this.config.queueName} failed: ${String(failure.Message ?? failure.Code)}`);
        }
      } catch (error) {
        if (!this.stopped) this.options.onWarning?.(`deleting messages from ${this.config.queueName} failed: ${(error as Error).message}`);
      }
    }
  }
}

/** One call to fauxqs; an error answer is thrown (the queue is gone, fauxqs refused…). */
async function call(sqs: Pick<FauxqsWireClient, 'call'>, action: string, input: JsonObject, signal?: AbortSignal): Promise<JsonObject> {
  const answer = await sqs.call(action, input, undefined, signal);
  if (!answer.ok) throw answer.error;
  return answer.output;
}

const text = (value: JsonValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const texts = (value: JsonValue | undefined): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);

/** A received message of the JSON protocol, its fields checked for their types (anything else is left out). */
function messageOf(message: JsonObject): ReceivedMessage {
  const attributes: Record<string, string> = {};
  if (isJsonObject(message.Attributes)) for (const [name, value] of Object.entries(message.Attributes)) if (typeof value === 'string') attributes[name] = value;
  const messageAttributes: Record<string, ReceivedAttributeValue> = {};
  if (isJsonObject(message.MessageAttributes)) {
    for (const [name, value] of Object.entries(message.MessageAttributes)) {
      if (!isJsonObject(value)) continue;
      messageAttributes[name] = {
        DataType: text(value.DataType),
        StringValue: text(value.StringValue),
        BinaryValue: text(value.BinaryValue),
        StringListValues: texts(value.StringListValues),
        BinaryListValues: texts(value.BinaryListValues),
      };
    }
  }
  return {
    MessageId: text(message.MessageId),
    ReceiptHandle: text(message.ReceiptHandle),
    MD5OfBody: text(message.MD5OfBody),
    Body: text(message.Body),
    Attributes: attributes,
    MessageAttributes: messageAttributes,
    MD5OfMessageAttributes: text(message.MD5OfMessageAttributes),
  };
}
