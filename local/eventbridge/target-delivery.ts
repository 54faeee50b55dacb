/**
 * Delivers matched events to rule targets, asynchronously, as EventBridge does ("Event retry policy and using
 * dead-letter queues"): SQS → SendMessage (a FIFO queue gets SqsParameters.MessageGroupId and the event id as
 * deduplication id), Kinesis → PutRecord (partition key from KinesisParameters.PartitionKeyPath, else the event id),
 * Lambda → an asynchronous invoke, another event bus → PutEvents on it.
 *
 * A failed delivery is retried with exponential backoff and full jitter until the target's RetryPolicy runs out
 * (MaximumRetryAttempts, or MaximumEventAgeInSeconds measured from when the bus received the event); then the event
 * goes to the target's DeadLetterConfig queue with EventBridge's message attributes (ERROR_CODE, ERROR_MESSAGE,
 * EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, RULE_ARN, TARGET_ARN), or is dropped when there is none. A failure
 * that cannot heal (the target does not exist) is not retried.
 *
 * Locally the backoff is scaled down: AWS retries over up to 24 hours, starting around a second apart; here the
 * first retry waits at most `baseDelayMs` (100 ms) and the wait doubles up to `maxDelayMs` (2 s), so EventBridge's
 * default 185 retries take about six minutes. Event ages are real seconds.
 */
import { BackgroundService } from '../shared/background-work';
import type { EventBridgeEvent } from './event-envelope';
import type { RuleModel, RuleTargetModel } from './event-bus-model';
import { TargetDeliveryError } from './eventbridge-errors';
import { targetInput } from './input-transformer';
import { evaluateJsonPath } from './json-path';

export interface SendMessageOptions {
  /** FIFO queues only. */
  readonly messageGroupId?: string;
  /** FIFO queues only. */
  readonly deduplicationId?: string;
  /** String message attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * How deliveries reach the other local services. An implementation throws TargetDeliveryError to say what went wrong
 * (any other error counts as a retryable SDK_CLIENT_ERROR).
 */
export interface TargetPorts {
  sendMessage(queueArn: string, body: string, options?: SendMessageOptions): Promise<void>;
  putRecord(streamArn: string, data: string, partitionKey: string): Promise<void>;
  /** Hands the payload to Lambda's asynchronous invocation (Invoke with InvocationType Event). */
  invokeAsync(functionArn: string, payload: string): Promise<void>;
}

export interface DeliveryTiming {
  /**
   * Upper bound of the wait before the first retry; each later retry doubles it (full jitter: the wait is random
   * below the bound).
   *
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * Cap of the backoff bound.
   *
   * @default 2000
   */
  readonly maxDelayMs?: number;
  /**
   * Randomness for the jitter, returning [0, 1).
   *
   * @default Math.random
   */
  readonly random?: () => number;
}

/** One event for one target of one rule. */
export interface DeliveryJob {
  readonly event: EventBridgeEvent;
  readonly rule: RuleModel;
  readonly target: RuleTargetModel;
  /** performance.now() when PutEvents (or the replay) handed the event over: trace lines count from it. */
  readonly putAt: number;
  /** Epoch ms when the bus received the event: MaximumEventAgeInSeconds counts from it. */
  readonly receivedAt: number;
}

/** What happened to a delivery, for the trace. */
export type DeliveryReport =
  | (ReportBase & { readonly kind: 'delivered' })
  | (ReportBase & { readonly kind: 'retrying'; readonly error: TargetDeliveryError; readonly delayMs: number })
  | (ReportBase & { readonly kind: 'dead-lettered' | 'dropped'; readonly error: TargetDeliveryError; readonly condition?: ExhaustedCondition })
  | (ReportBase & { readonly kind: 'dead-letter-failed'; readonly error: TargetDeliveryError; readonly dlqError: string });

interface ReportBase {
  readonly job: DeliveryJob;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Milliseconds since the event was put. */
  readonly sincePutMs: number;
}

export type ExhaustedCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

export interface TargetDelivererOptions {
  readonly timing?: DeliveryTiming;
  /**
   * Receives a report per attempt outcome.
   *
   * @default - no reports
   */
  readonly onReport?: (report: DeliveryReport) => void;
  /** Puts an event on another bus of this EventBridge (a bus target). */
  readonly putToBus: (busArn: string, event: EventBridgeEvent) => Promise<void>;
  /**
   * The clock for event ages, in epoch ms.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** Runs deliveries in the background and keeps count of them, so a test (or `stop()`) can wait for or cancel them. */
export class TargetDeliverer extends BackgroundService {
  public constructor(
    private readonly ports: TargetPorts,
    private readonly options: TargetDelivererOptions,
  ) {
    super();
  }

  /** Starts delivering (after the current call returns: PutEvents answers first). */
  public deliver(job: DeliveryJob): void {
    if (this.work.isStopped) return;
    this.work.begin();
    this.work.schedule(0, () => void this.attempt(job, 1));
  }

  private async attempt(job: DeliveryJob, attempt: number): Promise<void> {
    const now = this.options.now ?? Date.now;
    let failure: TargetDeliveryError;
    try {
      await this.send(job);
      this.report({ kind: 'delivered', job, attempt, sincePutMs: sincePut(job) });
      this.work.end();
      return;
    } catch (error) {
      failure = asDeliveryError(error);
    }
    if (this.work.isStopped) return;
    const { maximumRetryAttempts, maximumEventAgeSeconds } = job.target.retryPolicy;
    const delayMs = this.backoff(attempt);
    let condition: ExhaustedCondition | undefined;
    if (failure.retryable) {
      if (attempt > maximumRetryAttempts) condition = 'MaximumRetryAttempts';
      else if (now() + delayMs - job.receivedAt > maximumEventAgeSeconds * 1000) condition = 'MaximumEventAgeInSeconds';
      if (condition === undefined) {
        this.report({ kind: 'retrying', job, attempt, sincePutMs: sincePut(job), error: failure, delayMs });
        this.work.schedule(delayMs, () => void this.attempt(job, attempt + 1));
        return;
      }
    }
    await this.giveUp(job, attempt, failure, condition);
    this.work.end();
  }

  private async giveUp(job: DeliveryJob, attempt: number, error: TargetDeliveryError, condition: ExhaustedCondition | undefined): Promise<void> {
    const dlq = job.target.deadLetterArn;
    const base = { job, attempt, error, ...(condition ? { condition } : {}) };
    if (!dlq) {
      this.report({ kind: 'dropped', ...base, sincePutMs: sincePut(job) });
      return;
    }
    const attributes: Record<string, string> = {
      ERROR_CODE: error.code,
      ERROR_MESSAGE: error.message,
      RULE_ARN: job.rule.arn,
      TARGET_ARN: job.target.arn,
      RETRY_ATTEMPTS: String(attempt - 1),
      ...(condition ? { EXHAUSTED_RETRY_CONDITION: condition } : {}),
    };
    try {
      await this.ports.sendMessage(dlq, JSON.stringify(job.event), { attributes });
      this.report({ kind: 'dead-lettered', ...base, sincePutMs: sincePut(job) });
    } catch (dlqError) {
      this.report({ kind: 'dead-letter-failed', job, attempt, error, dlqError: (dlqError as Error).message, sincePutMs: sincePut(job) });
    }
  }

  private async send(job: DeliveryJob): Promise<void> {
    const { event, rule, target } = job;
    const arn = parseArn(target.arn);
    const payload = () =>
      targetInput(target, event, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime: new Date(job.receivedAt).toISOString() });
    switch (arn?.service) {
      case 'sqs': {
        const fifo = arn.resource.endsWith('.fifo');
        const options: SendMessageOptions = fifo
          ? { deduplicationId: event.id, ...(target.messageGroupId !== undefined ? { messageGroupId: target.messageGroupId } : {}) }
          : {};
        return this.ports.sendMessage(target.arn, payload(), options);
      }
      case 'kinesis':
        return this.ports.putRecord(target.arn, payload(), partitionKeyOf(target, event));
      case 'lambda':
        return this.ports.invokeAsync(target.arn, payload());
      case 'events':
        if (arn.resource.startsWith('event-bus/')) return this.options.putToBus(target.arn, event);
        break;
      default:
        break;
    }
    throw new TargetDeliveryError('UNSUPPORTED_TARGET', `Targets like ${target.arn} are not run by the local runtime`, false);
  }

  private backoff(attempt: number): number {
    const base = this.options.timing?.baseDelayMs ?? 100;
    const cap = this.options.timing?.maxDelayMs ?? 2000;
    const bound = Math.min(cap, base * 2 ** (attempt - 1));
    return Math.round(bound * (this.options.timing?.random ?? Math.random)());
  }

  private report(report: DeliveryReport): void {
    this.options.onReport?.(report);
  }
}

/** The partition key of a Kinesis target: what PartitionKeyPath selects (as text), else the event id. */
export function partitionKeyOf(target: RuleTargetModel, event: EventBridgeEvent): string {
  if (target.partitionKeyPath === undefined) return event.id;
  const selected = evaluateJsonPath(target.partitionKeyPath, event);
  if (!selected.found || selected.value === null || selected.value === undefined) return event.id;
  return typeof selected.value === 'string' ? selected.value : JSON.stringify(selected.value);
}

/** `arn:partition:service:region:account:resource`, or undefined. */
export function parseArn(arn: string): { service: string; region: string; account: string; resource: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

function asDeliveryError(error: unknown): TargetDeliveryError {
  if (error instanceof TargetDeliveryError) return error;
  return new TargetDeliveryError('SDK_CLIENT_ERROR', error instanceof Error ? error.message : String(error), true);
}

function sincePut(job: DeliveryJob): number {
  return Math.round(performance.now() - job.putAt);
}
