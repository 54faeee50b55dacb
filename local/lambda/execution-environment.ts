import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { LambdaFunctionConfig, lambdaEnvironment } from './function-config';
import { LambdaErrorPayload } from './lambda-errors';
import { randomHex } from './random-ids';
import { workerExecArgv } from './worker-exec-argv';

/** The plain-JavaScript program each worker runs (a sibling of this file). */
const BOOTSTRAP = path.join(__dirname, 'worker-bootstrap.mjs');

/** Lambda gives the init phase 10 seconds. */
export const INIT_TIMEOUT_MS = 10_000;

/**
 * How much lower than the main thread a worker runs (Linux nice value, per thread): under load the scheduler then
 * serves the main thread, which carries every request (API Gateway, the edge, DynamoDB), before the functions.
 */
export const WORKER_NICENESS = 5;

/** How long `cpuMicros()` waits for a thread's CPU reading. */
const CPU_READING_TIMEOUT_MS = 200;

/** Where an invocation's time went inside its environment (epoch ms, sub-millisecond), when it was asked for. */
export interface InvocationTiming {
  /** The worker took the invocation off its message port. */
  readonly receivedAt: number;
  /** The handler was called (after an injected delay, if any). */
  readonly handlerStartedAt: number;
  /** The handler's promise settled. */
  readonly handlerEndedAt: number;
  /** The worker's GC pauses reported during the invocation (ms; a pause is reported shortly after it ends). */
  readonly gcMs: number;
  /** The HTTP requests the handler sent (its AWS SDK calls): from creating each to its response's headers. */
  readonly calls: readonly { readonly startedAt: number; readonly answeredAt: number }[];
}

/** How one invocation in one environment ended. `timeout` and `crash` leave the environment dead. */
export type EnvironmentOutcome =
  | { readonly kind: 'success'; readonly payload: string; readonly timing?: InvocationTiming }
  | { readonly kind: 'error'; readonly error: LambdaErrorPayload; readonly timing?: InvocationTiming }
  | { readonly kind: 'timeout' | 'crash'; readonly error: LambdaErrorPayload };

/** How the init phase ended. On failure the environment is dead. */
export type InitOutcome = { readonly ok: true; readonly initDurationMs: number } | { readonly ok: false; readonly initDurationMs: number; readonly error: LambdaErrorPayload };

/** One invocation handed to an environment. */
export interface EnvironmentInvocation {
  readonly requestId: string;
  /** The event as JSON, as Lambda receives it. */
  readonly event: string;
  readonly traceId: string;
  /** Fault injection: milliseconds to wait before the handler runs (counted in the timeout). */
  readonly delayMs: number;
  /** Fault injection: fail with this error instead of running the handler. */
  readonly injectError?: LambdaErrorPayload;
  /** Send the invocation's `InvocationTiming` back with its outcome (diagnostics). */
  readonly timing?: boolean;
}

export interface ExecutionEnvironmentHooks {
  /** One complete line the function wrote to stdout or stderr. */
  readonly onOutput: (stream: 'stdout' | 'stderr', line: string) => void;
  /** The environment is gone (timed out, crashed, or terminated). */
  readonly onExit?: (environment: ExecutionEnvironment) => void;
}

type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: LambdaErrorPayload }
  | { readonly type: 'result'; readonly id: string; readonly ok: true; readonly payload: string; readonly timing?: InvocationTiming }
  | { readonly type: 'result'; readonly id: string; readonly ok: false; readonly error: LambdaErrorPayload; readonly timing?: InvocationTiming }
  | { readonly type: 'crash'; readonly error: LambdaErrorPayload };

interface PendingInvocation {
  readonly requestId: string;
  readonly resolve: (outcome: EnvironmentOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One Lambda execution environment: a worker thread with the function's environment that loads the bundle once
 * and then runs one invocation at a time. Past the function's timeout the worker is terminated, like a Lambda
 * sandbox: the environment is gone and the next invocation starts a fresh one.
 */
export class ExecutionEnvironment {
  private lastCpuMicros = 0;
  public readonly id = randomHex(16);
  public readonly logStreamName: string;
  /** Resolves when the init phase (loading the handler) ends. */
  public readonly ready: Promise<InitOutcome>;
  private readonly worker: Worker;
  private pending?: PendingInvocation;
  private crash?: LambdaErrorPayload;
  private exited = false;

  public constructor(
    public readonly config: LambdaFunctionConfig,
    private readonly hooks: ExecutionEnvironmentHooks,
  ) {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    this.logStreamName = `${day}/[$LATEST]${this.id}`;
    const started = performance.now();
    this.worker = new Worker(BOOTSTRAP, {
      env: lambdaEnvironment(config, this.logStreamName),
      execArgv: workerExecArgv(),
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, config.memorySizeMb) },
      workerData: {
        codeDir: config.codeDir,
        handler: config.handler,
        enableSourceMaps: /--enable-source-maps\b/.test(config.environment.NODE_OPTIONS ?? ''),
        functionName: config.functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: config.arn,
        memorySizeMb: config.memorySizeMb,
        logGroupName: config.logGroupName,
        logStreamName: this.logStreamName,
        niceness: WORKER_NICENESS,
      },
    });
    forwardLines(this.worker.stdout, (line) => hooks.onOutput('stdout', line));
    forwardLines(this.worker.stderr, (line) => hooks.onOutput('stderr', line));

    this.ready = new Promise<InitOutcome>((resolve) => {
      const elapsed = () => Math.round(performance.now() - started);
      let settled = false;
      const fail = (error: LambdaErrorPayload) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void this.terminate();
        resolve({ ok: false, initDurationMs: elapsed(), error });
      };
      const timer = setTimeout(
        () => fail({ errorType: 'Sandbox.Timedout', errorMessage: `Init phase timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds` }),
        INIT_TIMEOUT_MS,
      );
      const onInit = (message: WorkerMessage) => {
        if (message.type === 'ready') {
          settled = true;
          clearTimeout(timer);
          this.worker.off('message', onInit);
          resolve({ ok: true, initDurationMs: elapsed() });
        } else if (message.type === 'init-error' || message.type === 'crash') {
          this.worker.off('message', onInit);
          fail(message.error);
        }
      };
      this.worker.on('message', onInit);
      this.worker.once('exit', (code) => fail(this.crash ?? { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited during init with exit status ${code}` }));
    });

    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.crash ??=
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { errorType: 'Runtime.OutOfMemory', errorMessage: `Runtime exited: the function used more than its ${config.memorySizeMb} MB` }
          : { errorType: error.name || 'Error', errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
    });
    this.worker.once('exit', (code) => this.onExit(code));
  }

  /** False once the worker has exited or been terminated. */
  public get alive(): boolean {
    return !this.exited;
  }

  /** Runs one invocation; the caller must wait for `ready` first and never overlap invocations. */
  public invoke(invocation: EnvironmentInvocation): Promise<EnvironmentOutcome> {
    if (this.pending) throw new Error(`environment ${this.id} is busy with ${this.pending.requestId}`);
    if (this.exited) {
      return Promise.resolve({ kind: 'crash', error: { errorType: 'Runtime.ExitError', errorMessage: 'The execution environment has exited' } });
    }
    const timeoutMs = this.config.timeoutSeconds * 1000;
    return new Promise<EnvironmentOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.settle({
          kind: 'timeout',
          error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${this.config.timeoutSeconds.toFixed(2)} seconds` },
        });
        void this.terminate();
      }, timeoutMs);
      this.pending = { requestId: invocation.requestId, resolve, timer };
      this.worker.postMessage({
        type: 'invoke',
        id: invocation.requestId,
        event: invocation.event,
        deadline: Date.now() + timeoutMs,
        traceId: invocation.traceId,
        delayMs: invocation.delayMs,
        injectError: invocation.injectError ?? null,
        timing: invocation.timing === true,
      });
    });
  }

  /**
   * CPU time (user + system, µs) the environment's thread has used: read from the thread while it runs, and the
   * last reading after it has gone (`terminate()` takes one first; a worker that crashed keeps an older one).
   */
  public async cpuMicros(): Promise<number> {
    if (this.exited) return this.lastCpuMicros;
    const reading = this.worker.cpuUsage().then(
      ({ user, system }) => user + system,
      () => undefined,
    );
    // A thread stuck in native code may not answer: the last reading stands in.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), CPU_READING_TIMEOUT_MS);
    });
    const micros = await Promise.race([reading, late]);
    clearTimeout(timer);
    if (micros !== undefined) this.lastCpuMicros = Math.max(this.lastCpuMicros, micros);
    return this.lastCpuMicros;
  }

  /** Ends the environment now, whatever it is doing. */
  public async terminate(): Promise<void> {
    if (this.exited) return;
    await this.cpuMicros();
    await this.worker.terminate();
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'result' && this.pending?.requestId === message.id) {
      const timing = message.timing ? { timing: message.timing } : {};
      this.settle(message.ok ? { kind: 'success', payload: message.payload, ...timing } : { kind: 'error', error: message.error, ...timing });
    } else if (message.type === 'crash') {
      this.crash = message.error;
    }
  }

  private onExit(code: number): void {
    this.exited = true;
    this.settle({
      kind: 'crash',
      error: this.crash ?? {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${this.pending?.requestId ?? '-'} Error: Runtime exited with error: exit status ${code}`,
      },
    });
    this.hooks.onExit?.(this);
  }

  private settle(outcome: EnvironmentOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }
}

/** Calls `onLine` for each line of a worker's output stream, flushing a final unterminated line. */
function forwardLines(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered.length > 0) onLine(buffered);
    buffered = '';
  });
}
