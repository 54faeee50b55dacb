/**
 * A Kinesis event source mapping: one `ShardConsumer` per open shard of the stream, each reading its shard in order
 * with one batch in flight (see `kinesis-shard-consumer.ts` for batching, retries, bisecting and discarding).
 */
import { ShardConsumer, type RetryBackoff, type ShardReadingOptions } from './kinesis-shard-consumer';
import type { KinesisMappingConfig } from './mapping-config';
import { MappingEventSource } from './mapping-event-source';

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

export class KinesisEventSource extends MappingEventSource<KinesisMappingConfig> {
  private readonly running: Promise<void>[] = [];

  constructor(private readonly options: KinesisEventSourceOptions) {
    super(options.config);
  }

  /** The shards being read. */
  get shardCount(): number {
    return this.running.length;
  }

  /** Lists the stream's open shards, takes an iterator on each (at StartingPosition), and starts reading them. */
  protected async begin(): Promise<void> {
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

  protected underWay(): Iterable<Promise<void>> {
    return this.running;
  }
}
