/**
 * Polling for an asynchronous result with a deadline, never a bare sleep. A test states the deadline that fits the
 * local runtime; on a deployed target every deadline is at least `SHOP_DEADLINE_MS` (default 60 s) and polls are
 * spaced by `SHOP_POLL_MS` (default 500 ms), see `shop-target.ts`.
 */
import { deadlineMs, deadlinesOf, runsDeployed } from './shop-target';

export interface EventuallyOptions {
  /** The deadline on the local runtime. @default 10_000 */
  readonly timeoutMs?: number;
  /** Time between polls. @default 100 (locally; at least SHOP_POLL_MS on a deployed target) */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout's message. */
  readonly what?: string;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = deadlineMs(options.timeoutMs ?? 10_000);
  const intervalMs = runsDeployed() ? Math.max(options.intervalMs ?? 0, deadlinesOf().pollIntervalMs) : (options.intervalMs ?? 100);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
