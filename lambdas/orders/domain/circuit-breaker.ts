/**
 * A circuit breaker: a pure state machine around calls to one dependency, driven by an injected clock.
 *
 * - CLOSED: calls go through. Failures are counted in a **sliding window**: the breaker keeps the time of each
 *   failure and forgets those older than `windowMs`; when `failureThreshold` failures fall inside the window it
 *   opens. Successes do not erase earlier failures — the window does.
 * - OPEN: calls are refused at once, without running them, with a `CircuitOpenError` carrying `retryAfterMs`.
 * - HALF_OPEN: once `openMs` has passed, the first call to arrive becomes the one probe (the transition happens
 *   lazily, on that call); calls arriving while it runs are refused. The probe's success closes the breaker, its
 *   failure opens it again for another `openMs`.
 *
 * A call fails when the operation rejects; an operation that resolves is a success, whatever it resolved to, so
 * callers resolve with answers that say nothing about the dependency's health (a 409, say) and reject otherwise.
 */

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitStateChange {
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Clock time of the change, in milliseconds. */
  readonly at: number;
}

export type CircuitStateListener = (change: CircuitStateChange) => void;

export interface Clock {
  /** Milliseconds since any fixed origin (`Date.now` in production, a fake in tests). */
  now(): number;
}

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the breaker. */
  readonly failureThreshold: number;
  /** Length of the sliding window in which failures are counted, in milliseconds. */
  readonly windowMs: number;
  /** How long the breaker stays open before it lets one probe through, in milliseconds. */
  readonly openMs: number;
  /** @default Date */
  readonly clock?: Clock;
}

/** The breaker refused the call without running it. */
export class CircuitOpenError extends Error {
  constructor(
    /** How long until the breaker may let a call through again. */
    readonly retryAfterMs: number,
  ) {
    super(`circuit breaker is open; retry in ${retryAfterMs} ms`);
    this.name = 'CircuitOpenError';
  }
}

export class CircuitBreaker {
  private current: CircuitState = 'CLOSED';
  /** Times of the failures still inside the window (CLOSED only), oldest first. */
  private failures: number[] = [];
  private openedAt = 0;
  private probeInFlight = false;
  private readonly listeners: CircuitStateListener[] = [];
  private readonly clock: Clock;

  constructor(private readonly options: CircuitBreakerOptions) {
    const { failureThreshold, windowMs, openMs } = options;
    const problems = [
      ...(Number.isInteger(failureThreshold) && failureThreshold >= 1 ? [] : [`failureThreshold ${failureThreshold}: give an integer ≥ 1`]),
      ...(windowMs > 0 ? [] : [`windowMs ${windowMs}: give a duration > 0`]),
      ...(openMs > 0 ? [] : [`openMs ${openMs}: give a duration > 0`]),
    ];
    if (problems.length > 0) throw new RangeError(`CircuitBreaker: ${problems.join('; ')}`);
    this.clock = options.clock ?? Date;
  }

  /** The state as of the last call; OPEN turns HALF_OPEN only when a call arrives after `openMs`. */
  get state(): CircuitState {
    return this.current;
  }

  /** Call `listener` on every state change. Returns a function that removes it. */
  onStateChange(listener: CircuitStateListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /**
   * Throw `CircuitOpenError` if a call made now would be refused (OPEN within its open period, or a half-open probe
   * already in flight), changing no state. Lets a caller shed its own work before it starts, not only the call.
   */
  rejectIfOpen(): void {
    if (this.current === 'CLOSED') return;
    if (this.current === 'OPEN') {
      const reopensAt = this.openedAt + this.options.openMs;
      const now = this.clock.now();
      if (now < reopensAt) throw new CircuitOpenError(reopensAt - now);
      return;
    }
    if (this.probeInFlight) throw new CircuitOpenError(this.options.openMs);
  }

  /** Run `operation` if the breaker allows it and record how it went; otherwise reject with `CircuitOpenError`. */
  async execute<T>(operation: () => Promise<T>): Promise<T> {
    const isProbe = this.admit();
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      this.recordFailure(isProbe);
      throw error;
    }
    this.recordSuccess(isProbe);
    return result;
  }

  /** Throws `CircuitOpenError` when the call may not run; returns whether it is the half-open probe. */
  private admit(): boolean {
    if (this.current === 'CLOSED') return false;
    const now = this.clock.now();
    if (this.current === 'OPEN') {
      const reopensAt = this.openedAt + this.options.openMs;
      if (now < reopensAt) throw new CircuitOpenError(reopensAt - now);
      this.transition('HALF_OPEN', now);
    }
    if (this.probeInFlight) {
      // The probe decides; until it does, assume the worst: a failed probe keeps the breaker open for openMs.
      throw new CircuitOpenError(this.options.openMs);
    }
    this.probeInFlight = true;
    return true;
  }

  private recordSuccess(isProbe: boolean): void {
    if (!isProbe) return;
    this.probeInFlight = false;
    this.failures = [];
    this.transition('CLOSED', this.clock.now());
  }

  private recordFailure(isProbe: boolean): void {
    const now = this.clock.now();
    if (isProbe) {
      this.probeInFlight = false;
      this.open(now);
      return;
    }
    // A call admitted while CLOSED may finish after the breaker opened; its failure is already accounted for.
    if (this.current !== 'CLOSED') return;
    const windowStart = now - this.options.windowMs;
    this.failures = this.failures.filter((at) => at > windowStart);
    this.failures.push(now);
    if (this.failures.length >= this.options.failureThreshold) this.open(now);
  }

  private open(now: number): void {
    this.openedAt = now;
    this.failures = [];
    this.transition('OPEN', now);
  }

  private transition(to: CircuitState, at: number): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    for (const listener of [...this.listeners]) listener({ from, to, at });
  }
}
