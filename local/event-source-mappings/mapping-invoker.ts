/**
 * How an event source mapping reaches its function: `LambdaService.invoke` (synchronous, as Lambda's pollers
 * invoke), with throttles (`TooManyRequestsError`, the function's concurrency exhausted) retried with backoff, never
 * dropped. Behind an interface so the pollers can be tested without worker threads.
 */
import type { InvocationResult } from '../lambda/function-pool';
import { TooManyRequestsError } from '../lambda/lambda-errors';
import type { LambdaService } from '../lambda/lambda-service';
import { sleep } from './abortable-sleep';

/** What a mapping needs to know about its function. */
export interface MappedFunction {
  /** The logical id without CDK's hash: the name in trace lines. */
  readonly shortName: string;
  readonly arn: string;
  /** Most concurrent invocations the function takes (its reserved concurrency, or the local default). */
  readonly concurrencyLimit: number;
}

export interface MappingInvoker {
  /** The function a ref names; throws (UnknownFunctionError) when there is none. */
  describe(functionRef: string): MappedFunction;
  /** Invokes synchronously; throws TooManyRequestsError when the function's concurrency is exhausted. */
  invoke(functionRef: string, event: unknown): Promise<InvocationResult>;
}

/** The local runtime's functions as a MappingInvoker. */
export function lambdaInvoker(lambda: LambdaService): MappingInvoker {
  return {
    describe: (ref) => {
      const pool = lambda.pool(ref);
      return { shortName: pool.config.shortName, arn: pool.config.arn, concurrencyLimit: pool.concurrencyLimit };
    },
    invoke: (ref, event) => lambda.invoke(ref, event),
  };
}

/** An invocation that ran (with when the handler started), or gave up on throttles. */
export type InvokeOutcome =
  | {
      readonly kind: 'invoked';
      readonly result: InvocationResult;
      /** Epoch ms. */
      readonly handlerStartedAt: number;
      /** `performance.now()`. */
      readonly handlerStartedMonotonic: number;
      readonly throttles: number;
    }
  | { readonly kind: 'throttled'; readonly throttles: number };

const FIRST_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 1_000;

/**
 * Invokes, retrying throttles with exponential backoff (10 ms doubling to 1 s, with jitter) until `giveUp()` says
 * stop (the mapping stops, the messages' visibility runs out…). `handlerStartedAt` (epoch ms) and
 * `handlerStartedMonotonic` (`performance.now()`) are when the invocation was handed over, plus the init phase on a
 * cold start.
 */
export async function invokeWithBackoff(
  invoker: MappingInvoker,
  functionRef: string,
  event: unknown,
  options: { readonly signal?: AbortSignal; readonly giveUp?: () => boolean } = {},
): Promise<InvokeOutcome> {
  let throttles = 0;
  let backoff = FIRST_BACKOFF_MS;
  for (;;) {
    const startedAt = Date.now();
    const startedMonotonic = performance.now();
    try {
      const result = await invoker.invoke(functionRef, event);
      const init = (result.queuedMs ?? 0) + (result.initDurationMs ?? 0);
      return { kind: 'invoked', result, handlerStartedAt: startedAt + init, handlerStartedMonotonic: startedMonotonic + init, throttles };
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      throttles++;
      if (options.signal?.aborted || options.giveUp?.()) return { kind: 'throttled', throttles };
      await sleep(backoff * (0.5 + Math.random() / 2), options.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      if (options.signal?.aborted || options.giveUp?.()) return { kind: 'throttled', throttles };
    }
  }
}
