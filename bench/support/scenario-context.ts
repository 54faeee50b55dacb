/**
 * What every scenario family gets from the bench: where the assembly is, whether this is a quick run, how to print
 * progress, and how to wrap up its invocation counts. Also the small waits the families share.
 */
import type { BenchShop } from './bench-shop';
import type { InvocationProblems } from './results';

export interface ScenarioContext {
  /** The repository root (commit, cdk.out). */
  readonly root: string;
  readonly assemblyDir: string;
  readonly quick: boolean;
  /** The command line the report names. */
  readonly command: string;
  /** Prints one progress line, prefixed with the time since the bench started. */
  readonly progress: (line: string) => void;
}

/** A progress printer: `[  73 s] line`. */
export function progressPrinter(write: (line: string) => void = (line) => console.log(line)): (line: string) => void {
  const started = performance.now();
  return (line) => write(`[${String(Math.round((performance.now() - started) / 1000)).padStart(4)} s] ${line}`);
}

export function problemsOf(shops: readonly BenchShop[]): InvocationProblems {
  const byFunction: Record<string, { throttled: number; timedOut: number; failed: number }> = {};
  for (const shop of shops) {
    for (const [fn, counts] of shop.invocationProblems) {
      const sum = (byFunction[fn] ??= { throttled: 0, timedOut: 0, failed: 0 });
      sum.throttled += counts.throttled;
      sum.timedOut += counts.timedOut;
      sum.failed += counts.failed;
    }
  }
  const total = (key: 'throttled' | 'timedOut' | 'failed') => Object.values(byFunction).reduce((n, c) => n + c[key], 0);
  return { throttled: total('throttled'), timedOut: total('timedOut'), failed: total('failed'), byFunction };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A queue's logical id without CDK's hash: `InventoryReservationsQueue`. */
export const queueShortName = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

/** Dead-letter and failure queues: messages there were given up on. */
export const isDeadLetterQueue = (logicalId: string) => /DeadLetterQueue|FailureQueue|FunctionFailures/.test(logicalId);

/** Polls `probe` every `intervalMs` until it returns true or `deadlineMs` passes; resolves to whether it did. */
export async function waitUntil(probe: () => Promise<boolean>, options: { deadlineMs: number; intervalMs: number; onTick?: () => void }): Promise<boolean> {
  const deadline = performance.now() + options.deadlineMs;
  for (;;) {
    if (await probe()) return true;
    if (performance.now() > deadline) return false;
    options.onTick?.();
    await sleep(options.intervalMs);
  }
}
