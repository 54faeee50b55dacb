/**
 * Work a local service runs in the background (EventBridge deliveries, asynchronous invocations): it counts the
 * jobs begun and not yet ended, so a test can wait for them (`settled`), runs callbacks after a delay, and cancels
 * every pending callback on `stop()` so nothing keeps the process alive.
 */
export class BackgroundWork {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private stopped = false;

  /** True once `stop()` ran: callers drop new work. */
  public get isStopped(): boolean {
    return this.stopped;
  }

  /** Jobs begun and not yet ended. */
  public get pendingCount(): number {
    return this.pending;
  }

  /** Counts one more job until `end()`. */
  public begin(): void {
    this.pending++;
  }

  /** A job finished; wakes `settled()` waiters when none is left. */
  public end(): void {
    if (this.pending > 0) this.pending--;
    if (this.pending === 0) this.release();
  }

  /** Resolves once no job is pending. */
  public settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Runs `work` after `delayMs`; with no delay, as soon as the current I/O callbacks are done (not a timer's 1 ms). Never after `stop()`. */
  public schedule(delayMs: number, work: () => void): void {
    if (delayMs <= 0) {
      const immediate = setImmediate(() => {
        this.immediates.delete(immediate);
        if (!this.stopped) work();
      });
      this.immediates.add(immediate);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) work();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Cancels every scheduled callback, forgets the pending jobs and releases the waiters. */
  public stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.immediates.clear();
    this.pending = 0;
    this.release();
  }

  private release(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/**
 * A service whose work runs in the background (`TargetDeliverer`, `AsyncInvoker`): how much of it is pending,
 * waiting for it to end, and stopping it.
 */
export abstract class BackgroundService {
  protected readonly work = new BackgroundWork();

  /** Jobs accepted and not yet finished: waiting, running, or scheduled for a retry. */
  public get pendingCount(): number {
    return this.work.pendingCount;
  }

  /** Resolves once no job is pending (retries included). */
  public settled(): Promise<void> {
    return this.work.settled();
  }

  /** Cancels every scheduled job and timer; jobs accepted afterwards are ignored. */
  public stop(): void {
    this.work.stop();
  }
}
