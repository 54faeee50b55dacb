/**
 * A Kinesis event source mapping: one `ShardConsumer` per open shard of the stream, each reading its shard in order
 * with one batch in flight (see `kinesis-shard-consumer.ts` for batching, retries, bisecting and discarding).
 */
import { ShardConsumer, type RetryBackoff, type ShardReadingOptions } from './kinesis-shard-consumer';
import type { KinesisMappingConfig } from './mapping-config';

export interface KinesisEventSourceOptions extends ShardReadingOptions {
  /**
   * How long an idle shard waits before it is read again (Lambda polls each shard once a second).
   *
   * @default 1000
   */
  readonly idlePollMs?: number;
  /**
   * Backoff between retries of a failed batch.
   *
   * @default { initialMs: 100, maxMs: 2000 }
   */
  readonly retryBackoff?: RetryBackoff;
}

/** The longest `stop()` waits for deliveries under way. */
const STOP_GRACE_MS = 2_000;

export class KinesisEventSource {
  private readonly abort = new AbortController();
  private readonly running: Promise<void>[] = [];
  private started = false;

  constructor(private readonly options: KinesisEventSourceOptions) {}

  get config(): KinesisMappingConfig {
    return this.options.config;
  }

  /** The shards being read. */
  get shardCount(): number {
    return this.running.length;
  }

  /** Lists the stream's open shards, takes an iterator on each (at StartingPosition), and starts reading them. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { config, kinesis, invoker } = this.options;
    const fn = invoker.describe(config.functionRef);
    const shards = await kinesis.listShards(config.streamName);
    const open = shards.filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined || shard.SequenceNumberRange.EndingSequenceNumber === null);
    const consumers = open.map(
      (shard) =>
        new ShardConsumer({
          ...this.options,
          shardId: shard.ShardId ?? '',
          fn,
          signal: this.abort.signal,
          idlePollMs: this.options.idlePollMs ?? 1_000,
          retryBackoff: this.options.retryBackoff ?? { initialMs: 100, maxMs: 2_000 },
        }),
    );
    await Promise.all(consumers.map((consumer) => consumer.initialize()));
    for (const consumer of consumers) {
      this.running.push(
        consumer.run().catch((error: unknown) => {
          this.options.onWarning?.(`a consumer of ${config.streamName} stopped: ${(error as Error).message}`);
        }),
      );
    }
  }

  /** Stops reading at once and waits, up to STOP_GRACE_MS, for deliveries under way to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    await Promise.race([Promise.all(this.running), grace]);
    clearTimeout(timer);
  }
}
