import { LambdaFunctionConfig } from './function-config';
import { FunctionFault, parseFault } from './function-fault';
import { FunctionPool, FunctionPoolOptions, InvocationResult, InvokeOptions } from './function-pool';
import { UnknownFunctionError } from './lambda-errors';

/** One function as `/_local/functions` lists it. */
export interface FunctionSummary {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  readonly timeoutSeconds: number;
  /** Invocations that run at once locally; more wait for a free environment. */
  readonly concurrencyLimit: number;
  /** Invocations in flight (running or waiting) past which Lambda throttles. */
  readonly throttleLimit: number;
  readonly environments: number;
  readonly busy: number;
  /** Invocations waiting for a free environment. */
  readonly waiting: number;
  readonly invocations: number;
  readonly fault?: FunctionFault;
}

/**
 * The functions of the local runtime, one pool each. A function is found by logical id, function name, short name
 * (logical id without CDK's hash), ARN, or a prefix of exactly one logical id. No worker starts until a function is
 * first invoked.
 */
export class LambdaService {
  private readonly pools: FunctionPool[];
  /** Refs already resolved: every invocation and trace line looks its function up by ref. */
  private readonly byRef = new Map<string, FunctionPool>();

  public constructor(functions: readonly LambdaFunctionConfig[], options: FunctionPoolOptions = {}) {
    this.pools = functions.map((config) => new FunctionPool(config, options));
  }

  public get functions(): readonly LambdaFunctionConfig[] {
    return this.pools.map((pool) => pool.config);
  }

  /** CPU time (user + system, ms) of each function's execution environments so far, by short name. */
  public async cpuMsByFunction(): Promise<Map<string, number>> {
    return new Map(await Promise.all(this.pools.map(async (pool) => [pool.config.shortName, await pool.cpuMs()] as const)));
  }

  /** The pool of a function; throws UnknownFunctionError. */
  public pool(ref: string): FunctionPool {
    const pool = this.find(ref);
    if (!pool) throw new UnknownFunctionError(ref, this.pools.map((p) => p.config.logicalId));
    return pool;
  }

  /**
   * The pool of a function, or undefined when no function has that ref. Labelling a delivery asks this of every
   * target ARN, queues and streams included, so a miss builds no error.
   */
  public find(ref: string): FunctionPool | undefined {
    const known = this.byRef.get(ref);
    if (known) return known;
    const pool =
      this.pools.find((p) => p.config.logicalId === ref || p.config.functionName === ref || p.config.arn === ref) ??
      this.pools.find((p) => p.config.shortName === ref || (ref.startsWith('arn:') && ref.startsWith(`${p.config.arn}:`))) ??
      this.uniquePrefixMatch(ref);
    if (pool) this.byRef.set(ref, pool);
    return pool;
  }

  /** A ref that starts exactly one logical id (`InventoryCreateReservation`), for hand-typed curl commands. */
  private uniquePrefixMatch(ref: string): FunctionPool | undefined {
    const candidates = ref.length > 0 ? this.pools.filter((p) => p.config.logicalId.startsWith(ref)) : [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /**
   * Invokes a function synchronously, waiting for a free execution environment when all are busy; throws
   * TooManyRequestsError when Lambda would throttle it (past its reserved concurrency, or the account's).
   */
  public invoke(ref: string, event: unknown, options?: InvokeOptions): Promise<InvocationResult> {
    return this.pool(ref).invoke(event, options);
  }

  /**
   * Runs `config` for the function with its logical id from now on: a function update (see `FunctionPool.update`).
   * Throws UnknownFunctionError for a function the service does not run.
   */
  public update(config: LambdaFunctionConfig): void {
    this.pool(config.logicalId).update(config);
    // Its name or ARN may have changed.
    this.byRef.clear();
  }

  /** Sets (after checking it) or, with undefined, clears the fault of a function. */
  public setFault(ref: string, fault: FunctionFault | undefined): void {
    this.pool(ref).setFault(fault === undefined ? undefined : parseFault(fault));
  }

  /** Active faults by logical id. */
  public faults(): Record<string, FunctionFault> {
    const faults: Record<string, FunctionFault> = {};
    for (const pool of this.pools) {
      if (pool.fault) faults[pool.config.logicalId] = pool.fault;
    }
    return faults;
  }

  public invocationCount(ref: string): number {
    return this.pool(ref).invocationCount;
  }

  public summaries(): FunctionSummary[] {
    return this.pools.map((pool) => ({
      logicalId: pool.config.logicalId,
      functionName: pool.config.functionName,
      arn: pool.config.arn,
      timeoutSeconds: pool.config.timeoutSeconds,
      concurrencyLimit: pool.concurrencyLimit,
      throttleLimit: pool.throttleLimit,
      environments: pool.environmentCount,
      busy: pool.busyCount,
      waiting: pool.waitingCount,
      invocations: pool.invocationCount,
      ...(pool.fault ? { fault: pool.fault } : {}),
    }));
  }

  /** Terminates every execution environment of every function. */
  public async stop(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.stop()));
  }
}
