import { randomBytes, randomUUID } from 'node:crypto';
import { EnvironmentOutcome, ExecutionEnvironment } from './execution-environment';
import { LambdaFunctionConfig } from './function-config';
import { drawFault, FunctionFault, INJECTED_ERROR } from './function-fault';
import { LambdaErrorPayload, TooManyRequestsError } from './lambda-errors';

/** Concurrency cap of a function that reserves none (Lambda's account pool is not modelled). */
export const DEFAULT_CONCURRENCY = 10;

/** What a synchronous invocation returns: the handler's result as JSON, or a function error. */
export type InvocationResult =
  | {
      readonly ok: true;
      readonly requestId: string;
      /** The handler's return value as JSON (`null` when it returned nothing), like the Invoke API's payload. */
      readonly payload: string;
      readonly durationMs: number;
      /** Set on a cold start: how long loading the bundle took. */
      readonly initDurationMs?: number;
    }
  | {
      readonly ok: false;
      readonly requestId: string;
      /** Lambda's `{ errorType, errorMessage, trace }`; `Sandbox.Timedout` past the timeout. */
      readonly error: LambdaErrorPayload;
      readonly durationMs: number;
      readonly initDurationMs?: number;
    };

/** One line per invocation for the log: what ran, how it ended, how long it took. */
export interface InvocationReport {
  readonly logicalId: string;
  readonly shortName: string;
  readonly requestId: string;
  readonly outcome: 'success' | 'error' | 'timeout' | 'crash' | 'throttled';
  readonly errorType?: string;
  readonly durationMs: number;
  readonly initDurationMs?: number;
}

export interface InvokeOptions {
  /**
   * The invocation's request id (context.awsRequestId).
   *
   * @default - a random UUID
   */
  readonly requestId?: string;
  /**
   * The X-Ray trace header (`_X_AMZN_TRACE_ID` during the invocation).
   *
   * @default - a new root trace id, sampled when the function has active tracing
   */
  readonly traceId?: string;
}

export interface FunctionPoolOptions {
  /**
   * Most concurrent invocations when the function reserves no concurrency.
   *
   * @default DEFAULT_CONCURRENCY
   */
  readonly defaultConcurrency?: number;
  /**
   * Receives each line a function prints.
   *
   * @default - output is dropped
   */
  readonly onOutput?: (config: LambdaFunctionConfig, stream: 'stdout' | 'stderr', line: string) => void;
  /**
   * Receives a report after each invocation, throttles included.
   *
   * @default - no reports
   */
  readonly onInvocation?: (report: InvocationReport) => void;
  /**
   * Source of randomness for fault percentages, returning [0, 1).
   *
   * @default Math.random
   */
  readonly random?: () => number;
}

/**
 * The execution environments of one function. An invocation reuses the most recently used idle environment
 * (a warm start) and starts a new one only when none is idle, up to the function's reserved concurrency (or the
 * default cap); beyond that it is throttled with TooManyRequestsError, as Lambda does.
 */
export class FunctionPool {
  public readonly concurrencyLimit: number;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly environments = new Set<ExecutionEnvironment>();
  private inFlight = 0;
  private invocations = 0;
  private currentFault?: FunctionFault;
  private stopped = false;

  public constructor(
    public readonly config: LambdaFunctionConfig,
    private readonly options: FunctionPoolOptions = {},
  ) {
    this.concurrencyLimit = config.reservedConcurrency ?? options.defaultConcurrency ?? DEFAULT_CONCURRENCY;
  }

  /** Invocations that reached the function (throttled ones excluded, failed ones included), as Lambda counts them. */
  public get invocationCount(): number {
    return this.invocations;
  }

  /** Live execution environments, busy or idle. */
  public get environmentCount(): number {
    return this.environments.size;
  }

  public get busyCount(): number {
    return this.inFlight;
  }

  public get fault(): FunctionFault | undefined {
    return this.currentFault;
  }

  /** Injects a fault into the following invocations; undefined clears it. */
  public setFault(fault: FunctionFault | undefined): void {
    this.currentFault = fault;
  }

  /** Invokes the function synchronously with `event` (serialized to JSON, as Lambda does). */
  public async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvocationResult> {
    const requestId = options.requestId ?? randomUUID();
    if (this.stopped || this.inFlight >= this.concurrencyLimit) {
      this.report({ requestId, outcome: 'throttled', durationMs: 0, errorType: 'TooManyRequestsException' });
      throw new TooManyRequestsError(this.config.functionName, this.concurrencyLimit);
    }
    this.inFlight++;
    this.invocations++;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      let environment = this.idle.pop();
      let initDurationMs: number | undefined;
      if (!environment) {
        environment = this.startEnvironment();
        const init = await environment.ready;
        initDurationMs = init.initDurationMs;
        if (!init.ok) {
          this.environments.delete(environment);
          return this.finish({ ok: false, requestId, error: init.error, durationMs: elapsed(), initDurationMs }, 'error');
        }
      }
      const draw = drawFault(this.currentFault, this.options.random);
      const invokeStarted = performance.now();
      const outcome: EnvironmentOutcome = await environment.invoke({
        requestId,
        event: JSON.stringify(event ?? null),
        traceId: options.traceId ?? newTraceId(this.config.tracingActive),
        delayMs: draw.delayMs,
        ...(draw.error ? { injectError: INJECTED_ERROR } : {}),
      });
      const durationMs = Math.round(performance.now() - invokeStarted);
      if (environment.alive && (outcome.kind === 'success' || outcome.kind === 'error') && !this.stopped) {
        this.idle.push(environment);
      } else {
        this.environments.delete(environment);
      }
      const timing = { durationMs, ...(initDurationMs !== undefined ? { initDurationMs } : {}) };
      return outcome.kind === 'success'
        ? this.finish({ ok: true, requestId, payload: outcome.payload, ...timing }, 'success')
        : this.finish({ ok: false, requestId, error: outcome.error, ...timing }, outcome.kind);
    } finally {
      this.inFlight--;
    }
  }

  /** Terminates every environment, busy ones included; later invocations are refused. */
  public async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.environments];
    this.idle.length = 0;
    this.environments.clear();
    await Promise.all(all.map((environment) => environment.terminate()));
  }

  private startEnvironment(): ExecutionEnvironment {
    const environment = new ExecutionEnvironment(this.config, {
      onOutput: (stream, line) => this.options.onOutput?.(this.config, stream, line),
      onExit: (gone) => {
        // A crash while idle (e.g. a timer that throws after the response) also removes the environment.
        this.environments.delete(gone);
        const index = this.idle.indexOf(gone);
        if (index >= 0) this.idle.splice(index, 1);
      },
    });
    this.environments.add(environment);
    return environment;
  }

  private finish(result: InvocationResult, outcome: InvocationReport['outcome']): InvocationResult {
    this.report({
      requestId: result.requestId,
      outcome,
      durationMs: result.durationMs,
      ...(result.ok ? {} : { errorType: result.error.errorType }),
      ...(result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
    });
    return result;
  }

  private report(report: Omit<InvocationReport, 'logicalId' | 'shortName'>): void {
    this.options.onInvocation?.({ logicalId: this.config.logicalId, shortName: this.config.shortName, ...report });
  }
}

/** An X-Ray trace header for a new root trace: `Root=1-{epoch hex}-{96-bit id};Parent={64-bit id};Sampled={0|1}`. */
export function newTraceId(sampled: boolean): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=${sampled ? 1 : 0}`;
}
