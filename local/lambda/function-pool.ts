import { randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { EnvironmentInvocation, EnvironmentOutcome, ExecutionEnvironment, ExecutionEnvironmentHooks, InitOutcome, InvocationTiming } from './execution-environment';
import { LambdaFunctionConfig } from './function-config';
import { drawFault, FunctionFault, INJECTED_ERROR } from './function-fault';
import { LambdaErrorPayload, ThrottleReason, TooManyRequestsError } from './lambda-errors';
import { randomHex } from './random-ids';

/**
 * Execution environments (worker threads) one function runs at once locally. Invocations beyond it wait, first come
 * first served, for one to be free, but only briefly (SHED_AFTER_MS): then they are throttled, as Lambda throttles an
 * invocation it has no concurrency for.
 */
export const DEFAULT_MAX_ENVIRONMENTS = 10;

/**
 * How long an invocation may wait while every environment the function may run locally is busy (the pool is at its
 * concurrency: `maxEnvironments`, or a lower reservation) before it is throttled with TooManyRequestsException.
 * Lambda does not queue synchronous invocations: past the function's concurrency it throttles at once, and its
 * caller (API Gateway, an event source mapping, the asynchronous invoker) decides what to do. Locally the machine's
 * environment cap stands in for that concurrency; the short wait only smooths over an environment that is about to
 * come free (most invocations take a few milliseconds), so that a machine pushed past what it can run sheds load in
 * milliseconds instead of holding callers for seconds. See docs/decisions/0012-shed-sync-load-at-once.md.
 */
export const SHED_AFTER_MS = 50;

/**
 * How long an invocation that finds every environment busy waits for one to come free before another starts; and
 * environments start one at a time. A cold start costs a few hundred milliseconds of CPU, and every new environment
 * compiles the function's code from scratch (an environment that serves few invocations runs them unoptimized,
 * several times slower): a burst of short invocations is better served by the environments there are, and cold
 * starts in parallel only slow each other down.
 */
export const NEW_ENVIRONMENT_AFTER_MS = 25;

/**
 * Lambda's default account concurrency. A function that reserves no concurrency draws on the account's pool, so
 * Lambda throttles it only past this many invocations in flight; locally that is running plus waiting ones.
 */
export const ACCOUNT_CONCURRENCY = 1000;

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
      /** Set when the invocation waited for a free local execution environment: for how long (ms). */
      readonly queuedMs?: number;
    }
  | {
      readonly ok: false;
      readonly requestId: string;
      /** Lambda's `{ errorType, errorMessage, trace }`; `Sandbox.Timedout` past the timeout. */
      readonly error: LambdaErrorPayload;
      readonly durationMs: number;
      readonly initDurationMs?: number;
      readonly queuedMs?: number;
    };

/**
 * The diagnostics channel each invocation that ran in an environment is published on (an `EnvironmentChoice`), for
 * in-process tools (the bench) that need to know which environment served it and how warm it was. Nothing is
 * published, and nothing of it computed, while no one subscribes.
 */
export const INVOCATION_CHANNEL = 'hybrid-shop:local:lambda:invocation';
const invocationChannel = channel(INVOCATION_CHANNEL);

/** Which environment an invocation ran in, and what the pool looked like when it was picked. */
export interface EnvironmentChoice {
  readonly logicalId: string;
  readonly requestId: string;
  readonly traceId: string;
  /** Its environment: a number the pool gives each environment it starts, from 1. */
  readonly environment: number;
  /** Invocations the environment had run before this one (0 on a cold start). */
  readonly environmentInvocations: number;
  /** How long the environment had been idle when picked (ms); absent on a cold start. */
  readonly idleMs?: number;
  /** Idle environments when it was picked, itself included (0 on a cold start). */
  readonly idleEnvironments: number;
  /** Invocations running when it was picked, itself included. */
  readonly busyEnvironments: number;
  /** Live environments when it was picked (a cold start's own included). */
  readonly environments: number;
  /** How long the invocation waited for a slot (ms). */
  readonly queuedMs: number;
  /** Set on a cold start: how long the init phase took (ms). */
  readonly initDurationMs?: number;
  /** `performance.now()` when the invocation was handed to the environment, and when its outcome came back. */
  readonly invokedAt: number;
  readonly answeredAt: number;
  /** Where the time went inside the environment, when it ran the handler (not on a timeout or crash). */
  readonly timing?: InvocationTiming;
}

/** One line per invocation for the log: what ran, how it ended, how long it took. */
export interface InvocationReport {
  readonly logicalId: string;
  readonly shortName: string;
  readonly requestId: string;
  readonly outcome: 'success' | 'error' | 'timeout' | 'crash' | 'throttled';
  readonly errorType?: string;
  /** The handler's run (init excluded); 0 for a throttle. */
  readonly durationMs: number;
  readonly initDurationMs?: number;
  /** Epoch ms when Lambda accepted the invocation: when AWS would have started it. */
  readonly startedAt: number;
  /**
   * The function's invocations in flight (running, or waiting for a local environment) when this one was accepted,
   * itself included: what CloudWatch's `ConcurrentExecutions` counts. For a throttle, the ones in flight without it.
   */
  readonly concurrentExecutions: number;
  /** How long it waited for a free local execution environment (0 when one was free; AWS would not have waited). */
  readonly queuedMs: number;
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

/** What the pool needs of an execution environment (ExecutionEnvironment: a worker thread). */
export interface PoolEnvironment {
  readonly config: LambdaFunctionConfig;
  readonly ready: Promise<InitOutcome>;
  readonly alive: boolean;
  invoke(invocation: EnvironmentInvocation): Promise<EnvironmentOutcome>;
  cpuMicros(): Promise<number>;
  terminate(): Promise<void>;
}

/** Starts an execution environment for `config`; `hooks.onExit` gets the environment returned. */
export type EnvironmentStarter = (config: LambdaFunctionConfig, hooks: PoolEnvironmentHooks) => PoolEnvironment;

export interface PoolEnvironmentHooks extends Omit<ExecutionEnvironmentHooks, 'onExit'> {
  readonly onExit?: (environment: PoolEnvironment) => void;
}

export interface FunctionPoolOptions {
  /**
   * Most execution environments (worker threads) of one function at once; further invocations wait for one, up to
   * `shedAfterMs`.
   *
   * @default DEFAULT_MAX_ENVIRONMENTS
   */
  readonly maxEnvironments?: number;
  /**
   * How long an invocation waits while every environment the function may run is busy, before it is throttled
   * (TooManyRequestsError). Below that cap, an invocation waiting for a new environment to start waits up to the
   * function's timeout.
   *
   * @default SHED_AFTER_MS
   */
  readonly shedAfterMs?: number;
  /**
   * Invocations in flight (running or waiting) past which a function that reserves no concurrency is throttled.
   *
   * @default ACCOUNT_CONCURRENCY
   */
  readonly accountConcurrency?: number;
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
  /**
   * Starts an execution environment.
   *
   * @default - a worker thread (ExecutionEnvironment)
   */
  readonly startEnvironment?: EnvironmentStarter;
}

/** An invocation waiting for a free execution environment. */
interface Waiter {
  readonly grant: () => void;
  readonly refuse: (error: Error) => void;
  /** `performance.now()` when it started waiting. */
  readonly since: number;
  /** Throttles the waiter once it has waited `shedAfterMs` at the cap, or the function's timeout. */
  timeout?: NodeJS.Timeout;
}

/**
 * The execution environments of one function. An invocation reuses the most recently used idle environment (a warm
 * start). When every environment is busy it waits, first come first served, for one to be free; below
 * `maxEnvironments`, once the first waiter has waited `NEW_ENVIRONMENT_AFTER_MS` and no environment is starting, a new
 * one starts for it. The first invocation starts the first environment at once.
 *
 * Throttling is Lambda's: a function with ReservedConcurrentExecutions is throttled (TooManyRequestsError) past its
 * reservation, at once; one without is throttled past the account's concurrency (`accountConcurrency` invocations
 * in flight, running or waiting). The wait for an environment is bounded too, since Lambda queues no synchronous
 * invocation: one that has waited `shedAfterMs` while every environment the function may run is busy is throttled,
 * so that a runtime pushed past what the machine can run sheds load at once instead of holding its callers; and one
 * waiting below that cap (for an environment starting) is throttled at the function's timeout at the latest.
 */
export class FunctionPool {
  private readonly idle: PoolEnvironment[] = [];
  private readonly environments = new Set<PoolEnvironment>();
  /** Every environment started, gone ones included: their CPU time still counts. */
  private readonly started: PoolEnvironment[] = [];
  /** Per live environment: its number, how many invocations it ran, and since when it is idle (`performance.now()`). */
  private readonly usage = new WeakMap<PoolEnvironment, { readonly number: number; invocations: number; idleSince: number }>();
  private readonly waiting: Waiter[] = [];
  private running = 0;
  /** Environments in their init phase. */
  private starting = 0;
  private scaleTimer?: NodeJS.Timeout;
  private invocations = 0;
  private currentFault?: FunctionFault;
  private stopped = false;
  /** The version new environments start with (`update`). */
  private current: LambdaFunctionConfig;

  public constructor(
    config: LambdaFunctionConfig,
    private readonly options: FunctionPoolOptions = {},
  ) {
    this.current = config;
  }

  /** Most invocations that run at once locally: the reserved concurrency when lower than `maxEnvironments`. */
  public get concurrencyLimit(): number {
    return Math.min(Math.max(1, this.options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS), this.throttleLimit);
  }

  /** Invocations in flight (running or waiting) past which Lambda throttles: the reservation, else the account's. */
  public get throttleLimit(): number {
    return this.current.reservedConcurrency ?? this.options.accountConcurrency ?? ACCOUNT_CONCURRENCY;
  }

  /** The function as it runs now: new environments start with it. */
  public get config(): LambdaFunctionConfig {
    return this.current;
  }

  /**
   * Runs `config` from now on (new code, new settings), as a function update does on Lambda: idle environments are
   * terminated, busy ones finish the invocation they run on the version they loaded and are terminated then; waiting
   * and later invocations start environments of the new version. The invocation count and the fault stay.
   */
  public update(config: LambdaFunctionConfig): void {
    this.current = config;
    const outdated = this.idle.splice(0);
    for (const environment of outdated) this.environments.delete(environment);
    void Promise.all(outdated.map((environment) => environment.terminate()));
  }

  /** Invocations that reached the function (throttled ones excluded, failed ones included), as Lambda counts them. */
  public get invocationCount(): number {
    return this.invocations;
  }

  /** CPU time (user + system, ms) of every execution environment this function has started, gone ones included. */
  async cpuMs(): Promise<number> {
    const micros = await Promise.all(this.started.map((environment) => environment.cpuMicros()));
    return micros.reduce((sum, m) => sum + m, 0) / 1000;
  }

  /** Live execution environments, busy or idle. */
  public get environmentCount(): number {
    return this.environments.size;
  }

  /** Invocations running now (each in an environment). */
  public get busyCount(): number {
    return this.running;
  }

  /** Invocations waiting for a free environment. */
  public get waitingCount(): number {
    return this.waiting.length;
  }

  public get fault(): FunctionFault | undefined {
    return this.currentFault;
  }

  /** Injects a fault into the following invocations; undefined clears it. */
  public setFault(fault: FunctionFault | undefined): void {
    this.currentFault = fault;
  }

  /**
   * Invokes the function synchronously with `event` (serialized to JSON, as Lambda does). Waits for a free
   * environment when all are busy; throws TooManyRequestsError when Lambda would throttle, or once stopped.
   */
  public async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvocationResult> {
    const requestId = options.requestId ?? randomUUID();
    const startedAt = Date.now();
    const inFlight = this.running + this.waiting.length;
    if (this.stopped || inFlight >= this.throttleLimit) {
      this.report({ requestId, outcome: 'throttled', durationMs: 0, errorType: 'TooManyRequestsException', startedAt, concurrentExecutions: inFlight, queuedMs: 0 });
      throw this.stopped ? this.stoppedError() : new TooManyRequestsError(this.config.functionName, this.throttleLimit, this.throttleReason);
    }
    // Serialized now, as Lambda does on accepting the invocation: a caller that changes the event later changes nothing.
    const payload = JSON.stringify(event ?? null);
    const admission: Admission = { requestId, startedAt, concurrentExecutions: inFlight + 1, queuedMs: 0 };
    if (this.waiting.length === 0 && this.running < this.concurrencyLimit && (this.idle.length > 0 || this.environments.size === 0)) {
      this.running++;
    } else {
      const waitStarted = performance.now();
      try {
        await this.waitForEnvironment();
      } catch (error) {
        const queuedMs = Math.round(performance.now() - waitStarted);
        if (!this.stopped) {
          this.report({ requestId, outcome: 'throttled', durationMs: 0, errorType: 'TooManyRequestsException', startedAt, concurrentExecutions: inFlight + 1, queuedMs });
        }
        throw error;
      }
      admission.queuedMs = Math.round(performance.now() - waitStarted);
    }
    this.invocations++;
    try {
      return await this.run(payload, options, admission);
    } finally {
      this.release();
    }
  }

  /** Terminates every environment, busy ones included; waiting and later invocations are refused (throttled). */
  public async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.scaleTimer);
    for (const waiter of this.waiting.splice(0)) {
      clearTimeout(waiter.timeout);
      waiter.refuse(this.stoppedError());
    }
    const all = [...this.environments];
    this.idle.length = 0;
    this.environments.clear();
    await Promise.all(all.map((environment) => environment.terminate()));
  }

  /** Runs one admitted invocation in an idle environment, or a new one. */
  private async run(payload: string, options: InvokeOptions, admission: Admission): Promise<InvocationResult> {
    const { requestId } = admission;
    const started = performance.now();
    const idleEnvironments = this.idle.length;
    let environment = this.idle.pop();
    let initDurationMs: number | undefined;
    if (!environment) {
      environment = this.startEnvironment();
      this.starting++;
      const init = await environment.ready.finally(() => {
        this.starting--;
        this.planScaleUp();
      });
      initDurationMs = init.initDurationMs;
      if (!init.ok) {
        this.environments.delete(environment);
        const durationMs = Math.round(performance.now() - started);
        return this.finish({ ok: false, requestId, error: init.error, durationMs, initDurationMs, ...queued(admission) }, 'error', admission);
      }
    }
    const draw = drawFault(this.currentFault, this.options.random);
    const traceId = options.traceId ?? newTraceId(this.config.tracingActive);
    const usage = this.usage.get(environment);
    const diagnosed = usage !== undefined && invocationChannel.hasSubscribers;
    // What the pool looked like when the environment was picked: read now, published after the invocation.
    const picked = diagnosed ? { idleEnvironments, busyEnvironments: this.running, environments: this.environments.size } : undefined;
    const invokeStarted = performance.now();
    const outcome: EnvironmentOutcome = await environment.invoke({
      requestId,
      event: payload,
      traceId,
      delayMs: draw.delayMs,
      ...(draw.error ? { injectError: INJECTED_ERROR } : {}),
      ...(diagnosed ? { timing: true } : {}),
    });
    const answeredAt = performance.now();
    const durationMs = Math.round(answeredAt - invokeStarted);
    if (usage && picked && invocationChannel.hasSubscribers) {
      const choice: EnvironmentChoice = {
        logicalId: this.config.logicalId,
        requestId,
        traceId,
        environment: usage.number,
        environmentInvocations: usage.invocations,
        ...(initDurationMs === undefined ? { idleMs: invokeStarted - usage.idleSince } : { initDurationMs }),
        ...picked,
        queuedMs: admission.queuedMs,
        invokedAt: invokeStarted,
        answeredAt,
        ...((outcome.kind === 'success' || outcome.kind === 'error') && outcome.timing ? { timing: outcome.timing } : {}),
      };
      invocationChannel.publish(choice);
    }
    if (usage) {
      usage.invocations++;
      usage.idleSince = answeredAt;
    }
    if (environment.alive && (outcome.kind === 'success' || outcome.kind === 'error') && !this.stopped && environment.config === this.current) {
      this.idle.push(environment);
    } else {
      this.environments.delete(environment);
      // An environment of a version replaced meanwhile (`update`) ends with the invocation it ran.
      if (environment.alive && environment.config !== this.current) void environment.terminate();
    }
    const timing = { durationMs, ...(initDurationMs !== undefined ? { initDurationMs } : {}), ...queued(admission) };
    return outcome.kind === 'success'
      ? this.finish({ ok: true, requestId, payload: outcome.payload, ...timing }, 'success', admission)
      : this.finish({ ok: false, requestId, error: outcome.error, ...timing }, outcome.kind, admission);
  }

  private get throttleReason(): ThrottleReason {
    return this.config.reservedConcurrency !== undefined ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded';
  }

  /** What an invocation gets once the pool is stopped: a throttle, so that callers retry rather than fail. */
  private stoppedError(): TooManyRequestsError {
    const detail = `Rate Exceeded. ${this.config.functionName} is stopping with the local runtime and takes no more invocations.`;
    return new TooManyRequestsError(this.config.functionName, this.throttleLimit, this.throttleReason, detail);
  }

  /** How long a waiter may wait while every environment the function may run is busy. */
  private get shedAfterMs(): number {
    return Math.max(0, this.options.shedAfterMs ?? SHED_AFTER_MS);
  }

  /**
   * Waits for a slot: `release` hands one over when an invocation ends, `planScaleUp` when a new environment may
   * start. Throttles once the wait reaches `shedAfterMs` with every environment busy, or the function's timeout.
   */
  private waitForEnvironment(): Promise<void> {
    return new Promise<void>((grant, refuse) => {
      const waiter: Waiter = { grant, refuse, since: performance.now() };
      this.waiting.push(waiter);
      this.armShed(waiter);
      this.planScaleUp();
    });
  }

  /**
   * Throttles `waiter` after `shedAfterMs` if every environment the function may run is busy then, or taken by the
   * waiters ahead of it; otherwise (a new environment is on its way for it) checks again `shedAfterMs` later, and
   * throttles at the function's timeout at the latest.
   */
  private armShed(waiter: Waiter): void {
    const timeoutAt = waiter.since + this.config.timeoutSeconds * 1000;
    const checkAt = Math.min(performance.now() + Math.max(1, this.shedAfterMs), timeoutAt);
    waiter.timeout = setTimeout(() => {
      const index = this.waiting.indexOf(waiter);
      if (index < 0) return;
      // The waiters ahead of this one take the environments the pool may still start: past those, this one can only
      // wait for a busy one, which is an invocation beyond the function's concurrency: Lambda throttles it.
      const atCapacity = this.running + index >= this.concurrencyLimit;
      const waitedMs = Math.round(performance.now() - waiter.since);
      if (!atCapacity && performance.now() < timeoutAt) {
        this.armShed(waiter);
        return;
      }
      this.waiting.splice(index, 1);
      const detail = atCapacity
        ? `Rate Exceeded. ${this.config.functionName} runs ${this.concurrencyLimit} invocations at once locally (its concurrency on this machine), ` +
          `all busy${index > 0 ? ' or taken by invocations waiting ahead of this one' : ''} for ${waitedMs} ms: ` +
          `the machine runs fewer invocations at once than are sent.`
        : `Rate Exceeded. ${this.config.functionName} waited ${this.config.timeoutSeconds} s (its timeout) for one of its ` +
          `${this.concurrencyLimit} local execution environments to start.`;
      waiter.refuse(new TooManyRequestsError(this.config.functionName, this.throttleLimit, this.throttleReason, detail));
    }, Math.max(0, checkAt - performance.now()));
  }

  /**
   * Starts a new environment for the first waiter once it has waited NEW_ENVIRONMENT_AFTER_MS, if the pool may grow
   * and no environment is starting (then again when that one is ready).
   */
  private planScaleUp(): void {
    if (this.scaleTimer || this.stopped || this.starting > 0 || this.running >= this.concurrencyLimit) return;
    const first = this.waiting[0];
    if (!first) return;
    this.scaleTimer = setTimeout(() => {
      this.scaleTimer = undefined;
      if (this.stopped || this.starting > 0 || this.running >= this.concurrencyLimit) return;
      const head = this.waiting[0];
      if (head && performance.now() - head.since >= NEW_ENVIRONMENT_AFTER_MS - 1) {
        this.waiting.shift();
        clearTimeout(head.timeout);
        this.running++;
        head.grant();
      } else {
        this.planScaleUp();
      }
    }, Math.max(1, first.since + NEW_ENVIRONMENT_AFTER_MS - performance.now()));
  }

  /** Hands the finished invocation's slot to the first waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timeout);
      next.grant();
    } else {
      this.running--;
    }
  }

  private startEnvironment(): PoolEnvironment {
    const config = this.current;
    const start: EnvironmentStarter = this.options.startEnvironment ?? ((c, hooks) => new ExecutionEnvironment(c, hooks));
    const environment = start(config, {
      onOutput: (stream, line) => this.options.onOutput?.(config, stream, line),
      onExit: (gone) => {
        // A crash while idle (e.g. a timer that throws after the response) also removes the environment.
        this.environments.delete(gone);
        const index = this.idle.indexOf(gone);
        if (index >= 0) this.idle.splice(index, 1);
      },
    });
    this.environments.add(environment);
    this.started.push(environment);
    this.usage.set(environment, { number: this.started.length, invocations: 0, idleSince: performance.now() });
    return environment;
  }

  private finish(result: InvocationResult, outcome: InvocationReport['outcome'], admission: Admission): InvocationResult {
    if (this.options.onInvocation) {
      this.report({
        requestId: result.requestId,
        outcome,
        durationMs: result.durationMs,
        ...(result.ok ? {} : { errorType: result.error.errorType }),
        ...(result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
        startedAt: admission.startedAt,
        concurrentExecutions: admission.concurrentExecutions,
        queuedMs: admission.queuedMs,
      });
    }
    return result;
  }

  private report(report: Omit<InvocationReport, 'logicalId' | 'shortName'>): void {
    this.options.onInvocation?.({ logicalId: this.config.logicalId, shortName: this.config.shortName, ...report });
  }
}

/** What the pool knows of an invocation it accepted. */
interface Admission {
  readonly requestId: string;
  readonly startedAt: number;
  readonly concurrentExecutions: number;
  queuedMs: number;
}

function queued(admission: Admission): { queuedMs?: number } {
  return admission.queuedMs > 0 ? { queuedMs: admission.queuedMs } : {};
}

/** An X-Ray trace header for a new root trace: `Root=1-{epoch hex}-{96-bit id};Parent={64-bit id};Sampled={0|1}`. */
export function newTraceId(sampled: boolean): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomHex(12)};Parent=${randomHex(8)};Sampled=${sampled ? 1 : 0}`;
}
