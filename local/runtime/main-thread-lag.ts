/**
 * Whether the runtime's main thread lags: the front door's signal for the event source mappings' budget
 * (`BackgroundBudget`). The gateway, the authorizer, DynamoDB, EventBridge and fauxqs answer on that one thread, so a
 * request waits as long as the event loop is late. Every `intervalMs` the longest event-loop delay of the interval
 * (`perf_hooks.monitorEventLoopDelay`) is compared with `thresholdMs`: over it, the thread lags until an interval
 * under it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FrontDoorSignal } from '../event-source-mappings/background-budget';

/** What MainThreadLag reads: an `IntervalHistogram`'s largest delay (ns) since its last reset. */
export interface DelayHistogram {
  readonly max: number;
  reset(): void;
  enable(): boolean;
  disable(): boolean;
}

export interface MainThreadLagOptions {
  /**
   * A longer delay in an interval is a lag.
   *
   * @default 20
   */
  readonly thresholdMs?: number;
  /**
   * How often the delay is read.
   *
   * @default 100
   */
  readonly intervalMs?: number;
  /**
   * Where the delays are recorded.
   *
   * @default - `monitorEventLoopDelay({ resolution: 10 })`
   */
  readonly histogram?: DelayHistogram;
}

const DEFAULT_THRESHOLD_MS = 20;
const DEFAULT_INTERVAL_MS = 100;
const MONITOR_RESOLUTION_MS = 10;

export class MainThreadLag implements FrontDoorSignal {
  private readonly thresholdNs: number;
  private readonly intervalMs: number;
  private readonly histogram: DelayHistogram;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lagging = false;
  private lagIntervals = 0;
  private intervals = 0;

  constructor(options: MainThreadLagOptions = {}) {
    this.thresholdNs = (options.thresholdMs ?? DEFAULT_THRESHOLD_MS) * 1e6;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.histogram = options.histogram ?? monitorEventLoopDelay({ resolution: MONITOR_RESOLUTION_MS });
  }

  get busy(): boolean {
    return this.lagging;
  }

  /** The share of the intervals read so far that lagged (0 before the first). */
  get lagShare(): number {
    return this.intervals === 0 ? 0 : this.lagIntervals / this.intervals;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts recording and reading; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.histogram.enable();
    this.timer = setInterval(() => this.read(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.histogram.disable();
    this.setLagging(false);
  }

  /** Reads the interval's largest delay and starts the next interval (the timer calls it; tests call it too). */
  read(): void {
    const lagging = this.histogram.max > this.thresholdNs;
    this.histogram.reset();
    this.intervals++;
    if (lagging) this.lagIntervals++;
    this.setLagging(lagging);
  }

  private setLagging(lagging: boolean): void {
    if (lagging === this.lagging) return;
    this.lagging = lagging;
    for (const listener of [...this.listeners]) listener();
  }
}
