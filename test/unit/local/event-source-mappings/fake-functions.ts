/**
 * Test support: functions run in-process behind the MappingInvoker contract of `LambdaService` — a handler's result
 * becomes the JSON payload, a throw a function error, and beyond the concurrency limit an invocation is throttled
 * with TooManyRequestsError. Every invocation's event is recorded.
 */
import { randomUUID } from 'node:crypto';
import type { MappedFunction, MappingInvoker } from '../../../../local/event-source-mappings/mapping-invoker';
import type { InvocationResult } from '../../../../local/lambda/function-pool';
import { TooManyRequestsError } from '../../../../local/lambda/lambda-errors';

export type FakeHandler = (event: unknown) => unknown;

export interface RecordedInvocation {
  readonly functionRef: string;
  readonly event: unknown;
  readonly startedAt: number;
}

export class FakeFunctions implements MappingInvoker {
  readonly invocations: RecordedInvocation[] = [];
  /** Most invocations that ran at the same time. */
  maxInFlight = 0;
  private inFlight = 0;
  /** Throttles to answer before the next invocations run. */
  throttleNext = 0;

  constructor(
    private readonly handlers: Readonly<Record<string, FakeHandler>>,
    private readonly concurrencyLimit = 10,
  ) {}

  describe(functionRef: string): MappedFunction {
    if (this.handlers[functionRef] === undefined) throw new Error(`no function ${functionRef}`);
    return { shortName: functionRef, arn: `arn:aws:lambda:us-east-1:000000000000:function:${functionRef}`, concurrencyLimit: this.concurrencyLimit };
  }

  async invoke(functionRef: string, event: unknown): Promise<InvocationResult> {
    if (this.throttleNext > 0 || this.inFlight >= this.concurrencyLimit) {
      this.throttleNext = Math.max(0, this.throttleNext - 1);
      throw new TooManyRequestsError(functionRef, this.concurrencyLimit);
    }
    const requestId = randomUUID();
    const startedAt = Date.now();
    this.invocations.push({ functionRef, event: JSON.parse(JSON.stringify(event)), startedAt });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const result = await this.handlers[functionRef](event);
      return { ok: true, requestId, payload: JSON.stringify(result ?? null), durationMs: Date.now() - startedAt };
    } catch (error) {
      return { ok: false, requestId, error: { errorType: (error as Error).name, errorMessage: (error as Error).message }, durationMs: Date.now() - startedAt };
    } finally {
      this.inFlight--;
    }
  }

  /** The events `functionRef` received, in order. */
  eventsOf<T>(functionRef: string): T[] {
    return this.invocations.filter((invocation) => invocation.functionRef === functionRef).map((invocation) => invocation.event as T);
  }
}
