/**
 * What every stage of the start-up shares: where lines go, the time scale, the hop trace and the metric store every
 * service reports into, and what to stop again.
 */
import { MetricStore } from '../cloudwatch/metric-store';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import { TimeScale } from '../shared/time-scale';
import { mainThreadCpuMs } from './cpu-usage';
import { HopTrace } from './hop-trace';

export class Startup {
  readonly log: (line: string) => void;
  readonly timeScale: TimeScale;
  /** CloudWatch's: alarm periods, evaluation and sampling intervals, published ages (`timeScale` unless given). */
  readonly alarmTimeScale: TimeScale;
  readonly trace: HopTrace;
  /** Every producer writes its metrics here; CloudWatch serves them and evaluates the alarms against them. */
  readonly store: MetricStore;
  /** The services' reports as the metrics AWS publishes, into `store`. */
  readonly metrics: RuntimeMetrics;
  /** The main thread's CPU time when the start-up began (see `cpu-usage.ts`). */
  readonly mainThreadCpuAtStartMs = mainThreadCpuMs();
  private readonly cleanups: (() => Promise<void>)[] = [];
  private lastStep = performance.now();

  /** @throws InvalidTimeScaleError for a time scale that is not a positive number */
  constructor(options: { readonly log: (line: string) => void; readonly timeScale: number; readonly alarmTimeScale?: number }) {
    this.log = options.log;
    this.timeScale = new TimeScale(options.timeScale);
    this.alarmTimeScale = options.alarmTimeScale === undefined ? this.timeScale : new TimeScale(options.alarmTimeScale);
    this.trace = new HopTrace({ log: this.log });
    this.store = new MetricStore({ onWarning: (message) => this.log(`  ! CloudWatch: ${message}`) });
    this.metrics = new RuntimeMetrics(this.store, this.alarmTimeScale);
  }

  /** Logs a finished step: `✓ {message} ({ms since the previous step} ms)`. */
  step(message: string): void {
    const now = performance.now();
    this.log(`✓ ${message} (${Math.round(now - this.lastStep)} ms)`);
    this.lastStep = now;
  }

  /** Remembers how to stop what was just started. */
  onStop(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Stops everything started so far, the last started first; a cleanup that fails does not keep the others from running. */
  async stopAll(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  }
}
