/**
 * How busy the bench's process was during a phase: the main thread's event-loop utilization (the share of the time
 * it was running code rather than waiting: the local runtime's gateway, edge, pollers and EventBridge all
 * run there, so near 100 % the runtime itself is the bottleneck) and the process's CPU time over the wall time, in
 * cores (every thread: the main thread, the Lambda workers, the load client; not kinesis-local, a child process).
 */
import { performance } from 'node:perf_hooks';

export interface Usage {
  /** Main-thread event-loop utilization, 0 to 1. */
  readonly mainThreadBusy: number;
  /** CPU seconds per wall second over all the process's threads (2 = both cores of this machine). */
  readonly processCores: number;
}

/** Starts measuring; the returned function gives the usage since then. */
export function startUsage(): () => Usage {
  const loop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const elapsedMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      mainThreadBusy: performance.eventLoopUtilization(loop).utilization,
      processCores: elapsedMs > 0 ? (used.user + used.system) / 1000 / elapsedMs : 0,
    };
  };
}
