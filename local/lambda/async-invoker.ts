/**
 * Lambda's asynchronous invocation ("How Lambda handles asynchronous invocations"): an event is accepted at once
 * (the caller gets a request id, the Invoke API a 202) and waits in the function's own queue; the invoker runs up to
 * the function's concurrency of them at a time through `LambdaService.invoke`.
 *
 * - A function error (thrown, timed out, crashed) is retried MaximumRetryAttempts times (default 2), with the same
 *   request id; an event older than MaximumEventAgeInSeconds (default 6 h) is not tried again.
 * - A throttle (TooManyRequestsError: the function's reserved concurrency is taken, e.g. by synchronous calls) puts
 *   the event back in the queue with a backoff; it never counts as a function error, only the event age limits it.
 * - Then the event goes to the OnSuccess / OnFailure destination of AWS::Lambda::EventInvokeConfig (an SQS queue,
 *   another function or an event bus) as AWS's invocation record, or — failure without an on-failure destination — to
 *   the function's dead-letter queue (the event itself, with the RequestID, ErrorCode and ErrorMessage attributes),
 *   or it is dropped.
 *
 * Locally the waits are scaled down: AWS waits about 1 minute before the first retry and 2 minutes before the second;
 * here `retryBaseDelayMs` (100 ms) then twice that. Throttled events are retried after 50 ms doubling up to 1 s
 * (AWS: up to 5 minutes apart). Event ages are real seconds.
 */
import { randomUUID } from 'node:crypto';
import { BackgroundService } from '../shared/background-work';
import type { AsyncInvokeConfig } from './async-invoke-config';
import { DEFAULT_ASYNC_INVOKE_CONFIG } from './async-invoke-config';
import type { InvocationResult, InvokeOptions } from './function-pool';
import { TooManyRequestsError } from './lambda-errors';
import type { LambdaService } from './lambda-service';

/** What the invoker needs to know of a function. */
export interface AsyncFunctionIdentity {
  readonly logicalId: string;
  readonly shortName: string;
  readonly functionName: string;
  readonly arn: string;
  readonly concurrencyLimit: number;
}

/** The functions of the runtime (`lambdaFunctions(service)` adapts a LambdaService). */
export interface AsyncFunctions {
  /** The function a ref (name, ARN, logical id…) names; throws UnknownFunctionError. */
  identify(ref: string): AsyncFunctionIdentity;
  /** A synchronous invocation; throws TooManyRequestsError when throttled. */
  invoke(ref: string, event: unknown, options?: InvokeOptions): Promise<InvocationResult>;
}

/** The runtime's LambdaService as AsyncFunctions. */
export function lambdaFunctions(service: LambdaService): AsyncFunctions {
  return {
    identify: (ref) => {
      const pool = service.pool(ref);
      const { logicalId, shortName, functionName, arn } = pool.config;
      return { logicalId, shortName, functionName, arn, concurrencyLimit: pool.concurrencyLimit };
    },
    invoke: (ref, event, options) => service.invoke(ref, event, options),
  };
}

/** Where destination records and dead letters go (functions are invoked by the invoker itself). */
export interface AsyncDestinations {
  sendMessage(queueArn: string, body: string, attributes?: Readonly<Record<string, string>>): Promise<void>;
  putEvent(busArn: string, entry: { Source: string; DetailType: string; Detail: string; Resources: string[] }): Promise<void>;
}

export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** AWS's asynchronous invocation record, as destinations receive it. */
export interface InvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: DestinationCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext?: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly responsePayload?: unknown;
}

export interface AsyncTiming {
  /**
   * Wait before the first retry after a function error; the second waits twice as long.
   *
   * @default 100
   */
  readonly retryBaseDelayMs?: number;
  /**
   * First wait after a throttle; it doubles per throttle up to `throttleMaxDelayMs`.
   *
   * @default 50
   */
  readonly throttleBaseDelayMs?: number;
  /**
   * Longest wait after a throttle.
   *
   * @default 1000
   */
  readonly throttleMaxDelayMs?: number;
}

/** One step of an event's life, for the trace. */
export type AsyncReport =
  | (AsyncReportBase & {
      readonly kind: 'invoked';
      /** How the invocation ended: undefined when it succeeded. */
      readonly errorType?: string;
      /** From the event's acceptance (the asynchronous Invoke) to the handler's start. */
      readonly latencyMs: number;
      readonly handlerMs: number;
      /** `performance.now()` when the handler started. */
      readonly handlerStartedMonotonic: number;
      /** The event, as the function received it. */
      readonly payload: unknown;
    })
  | (AsyncReportBase & { readonly kind: 'retry'; readonly errorType: string; readonly delayMs: number; readonly maxRetries: number })
  | (AsyncReportBase & { readonly kind: 'throttled'; readonly delayMs: number })
  | (AsyncReportBase & { readonly kind: 'destination'; readonly condition: DestinationCondition; readonly destinationArn: string; readonly which: 'on-success' | 'on-failure' | 'dead-letter' })
  | (AsyncReportBase & { readonly kind: 'destination-failed'; readonly destinationArn: string; readonly error: string })
  | (AsyncReportBase & { readonly kind: 'dropped'; readonly condition: DestinationCondition });

interface AsyncReportBase {
  readonly shortName: string;
  readonly requestId: string;
  /** Invocations that ran so far. */
  readonly attempts: number;
}

export interface AsyncInvokerOptions {
  readonly functions: AsyncFunctions;
  readonly destinations: AsyncDestinations;
  /**
   * EventInvokeConfig and dead-letter queue by logical id.
   *
   * @default - Lambda's defaults for every function (2 retries, 6 hours, no destination)
   */
  readonly configs?: ReadonlyMap<string, AsyncInvokeConfig>;
  /**
   * Local waits (scaled down from AWS's).
   *
   * @default - see AsyncTiming
   */
  readonly timing?: AsyncTiming;
  /**
   * Receives each invocation, retry, throttle, destination and drop.
   *
   * @default - no reports
   */
  readonly onReport?: (report: AsyncReport) => void;
  /**
   * The clock, in epoch ms.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

interface QueuedEvent {
  readonly requestId: string;
  readonly payload: unknown;
  readonly fn: AsyncFunctionIdentity;
  readonly enqueuedAt: number;
  /** `performance.now()` when the event was accepted. */
  readonly acceptedMonotonic: number;
  attempts: number;
  throttles: number;
  lastResult?: InvocationResult;
}

interface FunctionQueue {
  readonly ready: QueuedEvent[];
  running: number;
}

/** The asynchronous invocation queues of every function. */
export class AsyncInvoker extends BackgroundService {
  private readonly queues = new Map<string, FunctionQueue>();

  public constructor(private readonly options: AsyncInvokerOptions) {
    super();
  }

  /**
   * Accepts an event for asynchronous invocation and answers its request id; the function runs later. Throws
   * UnknownFunctionError for a function the runtime does not have (the Invoke API's 404).
   */
  public invokeAsync(ref: string, payload: unknown): { readonly requestId: string } {
    const fn = this.options.functions.identify(ref);
    const requestId = randomUUID();
    if (this.work.isStopped) return { requestId };
    this.work.begin();
    this.enqueue({ requestId, payload, fn, enqueuedAt: this.now(), acceptedMonotonic: performance.now(), attempts: 0, throttles: 0 }, 0);
    return { requestId };
  }

  /** Drops every waiting event and cancels every timer; events accepted afterwards are ignored. */
  public override stop(): void {
    super.stop();
    this.queues.clear();
  }

  private config(fn: AsyncFunctionIdentity): AsyncInvokeConfig {
    return this.options.configs?.get(fn.logicalId) ?? DEFAULT_ASYNC_INVOKE_CONFIG;
  }

  private queueOf(fn: AsyncFunctionIdentity): FunctionQueue {
    let queue = this.queues.get(fn.logicalId);
    if (!queue) this.queues.set(fn.logicalId, (queue = { ready: [], running: 0 }));
    return queue;
  }

  /** Puts the event in its function's queue after `delayMs`; with no delay, once the caller's I/O callback is done. */
  private enqueue(event: QueuedEvent, delayMs: number): void {
    this.work.schedule(delayMs, () => {
      this.queueOf(event.fn).ready.push(event);
      this.pump(event.fn);
    });
  }

  private pump(fn: AsyncFunctionIdentity): void {
    const queue = this.queueOf(fn);
    while (!this.work.isStopped && queue.running < Math.max(1, fn.concurrencyLimit) && queue.ready.length > 0) {
      const event = queue.ready.shift() as QueuedEvent;
      queue.running++;
      void this.run(event).finally(() => {
        queue.running--;
        this.pump(fn);
      });
    }
  }

  private async run(event: QueuedEvent): Promise<void> {
    const config = this.config(event.fn);
    if (this.aged(event, config, 0)) return this.finish(event, 'EventAgeExceeded');
    let result: InvocationResult;
    const invokedMonotonic = performance.now();
    try {
      result = await this.options.functions.invoke(event.fn.arn, event.payload, { requestId: event.requestId });
    } catch (error) {
      if (this.work.isStopped) return;
      if (!(error instanceof TooManyRequestsError)) {
        // The function cannot run at all (it was removed…): nothing a retry can fix.
        event.lastResult = undefined;
        return this.finish(event, 'RetriesExhausted');
      }
      event.throttles++;
      const timing = this.options.timing ?? {};
      const delayMs = Math.min(timing.throttleMaxDelayMs ?? 1000, (timing.throttleBaseDelayMs ?? 50) * 2 ** (event.throttles - 1));
      if (this.aged(event, config, delayMs)) return this.finish(event, 'EventAgeExceeded');
      this.report({ kind: 'throttled', ...this.base(event), delayMs });
      this.enqueue(event, delayMs);
      return;
    }
    if (this.work.isStopped) return;
    event.attempts++;
    event.lastResult = result;
    const handlerStartedMonotonic = invokedMonotonic + (result.queuedMs ?? 0) + (result.initDurationMs ?? 0);
    this.report({
      kind: 'invoked',
      ...this.base(event),
      ...(result.ok ? {} : { errorType: result.error.errorType }),
      latencyMs: handlerStartedMonotonic - event.acceptedMonotonic,
      handlerMs: result.durationMs,
      handlerStartedMonotonic,
      payload: event.payload,
    });
    if (result.ok) return this.finish(event, 'Success');
    if (event.attempts > config.maximumRetryAttempts) return this.finish(event, 'RetriesExhausted');
    const delayMs = (this.options.timing?.retryBaseDelayMs ?? 100) * 2 ** (event.attempts - 1);
    if (this.aged(event, config, delayMs)) return this.finish(event, 'EventAgeExceeded');
    this.report({ kind: 'retry', ...this.base(event), errorType: result.error.errorType, delayMs, maxRetries: config.maximumRetryAttempts });
    this.enqueue(event, delayMs);
  }

  /** Sends the event where its outcome says, then lets it go. */
  private async finish(event: QueuedEvent, condition: DestinationCondition): Promise<void> {
    const config = this.config(event.fn);
    try {
      const destination = condition === 'Success' ? config.onSuccess : config.onFailure;
      if (destination) {
        await this.sendRecord(destination, invocationRecord(event, condition, new Date(this.now())), condition);
        this.report({ kind: 'destination', ...this.base(event), condition, destinationArn: destination, which: condition === 'Success' ? 'on-success' : 'on-failure' });
      } else if (condition !== 'Success' && config.deadLetterArn) {
        await this.sendDeadLetter(config.deadLetterArn, event);
        this.report({ kind: 'destination', ...this.base(event), condition, destinationArn: config.deadLetterArn, which: 'dead-letter' });
      } else if (condition !== 'Success') {
        this.report({ kind: 'dropped', ...this.base(event), condition });
      }
    } catch (error) {
      const destinationArn = (condition === 'Success' ? config.onSuccess : (config.onFailure ?? config.deadLetterArn)) ?? '';
      this.report({ kind: 'destination-failed', ...this.base(event), destinationArn, error: (error as Error).message });
    } finally {
      this.work.end();
    }
  }

  private async sendRecord(destination: string, record: InvocationRecord, condition: DestinationCondition): Promise<void> {
    const service = destination.split(':')[2];
    if (service === 'sqs') return this.options.destinations.sendMessage(destination, JSON.stringify(record));
    if (service === 'lambda') {
      this.invokeAsync(destination, record);
      return;
    }
    if (service === 'events') {
      return this.options.destinations.putEvent(destination, {
        Source: 'lambda',
        DetailType: `Lambda Function Invocation Result - ${condition === 'Success' ? 'Success' : 'Failure'}`,
        Detail: JSON.stringify(record),
        Resources: [destination, record.requestContext.functionArn],
      });
    }
    throw new Error(`destination ${destination} is not an SQS queue, a function or an event bus (SNS topics are not run locally)`);
  }

  /** The function's DLQ gets the event itself, with Lambda's attributes. */
  private async sendDeadLetter(queueArn: string, event: QueuedEvent): Promise<void> {
    const last = event.lastResult;
    const attributes: Record<string, string> = {
      RequestID: event.requestId,
      ErrorCode: '200',
      ErrorMessage: last && !last.ok ? last.error.errorMessage : 'Event age exceeded',
    };
    await this.options.destinations.sendMessage(queueArn, JSON.stringify(event.payload ?? null), attributes);
  }

  private aged(event: QueuedEvent, config: AsyncInvokeConfig, delayMs: number): boolean {
    return this.now() + delayMs - event.enqueuedAt > config.maximumEventAgeSeconds * 1000;
  }

  private base(event: QueuedEvent): AsyncReportBase {
    return { shortName: event.fn.shortName, requestId: event.requestId, attempts: event.attempts };
  }

  private report(report: AsyncReport): void {
    this.options.onReport?.(report);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** AWS's invocation record for a destination. */
export function invocationRecord(
  event: { readonly requestId: string; readonly payload: unknown; readonly fn: { readonly arn: string }; readonly attempts: number; readonly lastResult?: InvocationResult },
  condition: DestinationCondition,
  now: Date,
): InvocationRecord {
  const last = event.lastResult;
  return {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId: event.requestId,
      functionArn: `${event.fn.arn}:$LATEST`,
      condition,
      approximateInvokeCount: event.attempts,
    },
    requestPayload: event.payload ?? null,
    ...(last
      ? {
          responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(last.ok ? {} : { functionError: 'Unhandled' }) },
          responsePayload: last.ok ? parsePayload(last.payload) : last.error,
        }
      : {}),
  };
}

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
