/**
 * Tells the Kinesis event source mappings that a stream has new records, so a consumer polling an idle shard every
 * second wakes up at once instead. The edge signals every successful PutRecord / PutRecords it forwards; anything
 * that writes to kinesis-local another way can call `recordsPut` itself.
 */
export class StreamActivity {
  private readonly puts = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly listeners = new Set<StreamPutListener>();

  /**
   * Calls `listener` with every put from now on (for CloudWatch's AWS/Kinesis metrics); the returned function stops it.
   */
  onPut(listener: StreamPutListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Kinesis refused `count` records of a put into `stream` with ProvisionedThroughputExceededException (no consumer
   * wakes up; listeners hear of it).
   */
  writesThrottled(stream: string, count: number): void {
    const name = streamNameOf(stream);
    for (const listener of this.listeners) listener({ stream: name, records: 0, throttled: count });
  }

  /** `records` records (1 unless said) were put into `stream` (a stream name or ARN). */
  recordsPut(stream: string, records = 1): void {
    const name = streamNameOf(stream);
    for (const listener of this.listeners) listener({ stream: name, records, throttled: 0 });
    this.puts.set(name, this.putCount(name) + 1);
    const waiters = this.waiters.get(name);
    if (waiters === undefined) return;
    this.waiters.delete(name);
    for (const wake of waiters) wake();
  }

  /** How many puts the stream has seen: read it before a GetRecords, pass it to `waitForRecords` after. */
  putCount(stream: string): number {
    return this.puts.get(streamNameOf(stream)) ?? 0;
  }

  /**
   * Resolves after `timeoutMs`, when records are put into the stream, or when `signal` aborts, whichever is first;
   * at once when the stream has seen more than `seenPuts` puts (records put since the caller last looked).
   */
  waitForRecords(stream: string, timeoutMs: number, options: { readonly signal?: AbortSignal; readonly seenPuts?: number } = {}): Promise<void> {
    const name = streamNameOf(stream);
    const { signal, seenPuts } = options;
    return new Promise((resolve) => {
      if (signal?.aborted || (seenPuts !== undefined && this.putCount(name) > seenPuts)) {
        resolve();
        return;
      }
      const waiters = this.waiters.get(name) ?? new Set<() => void>();
      this.waiters.set(name, waiters);
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, timeoutMs));
      waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}

/** One put into a stream: records written, and records refused for throughput. */
export type StreamPutListener = (put: { readonly stream: string; readonly records: number; readonly throttled: number }) => void;

/** `arn:aws:kinesis:us-east-1:000000000000:stream/orders` → `orders`. */
export function streamNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.indexOf(':stream/') + ':stream/'.length) : nameOrArn;
}
