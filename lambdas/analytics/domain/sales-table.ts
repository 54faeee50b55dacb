/** What one event adds to its minute's bucket. */
export interface SalesCounts {
  /** Orders placed. */
  readonly orders: number;
  /** Revenue of the orders placed, integer cents. */
  readonly revenueCents: number;
  /** Orders cancelled. */
  readonly cancelled: number;
}

/** One minute's bucket. */
export interface SalesMinute extends SalesCounts {
  /** `YYYY-MM-DDTHH:MM`, UTC. */
  readonly minute: string;
}

/** Where an event is counted: its minute, in one of the minute's shards (salesShardOf). */
export interface SalesBucket {
  /** `YYYY-MM-DDTHH:MM`, UTC. */
  readonly minute: string;
  /** 0 to the shard count − 1. */
  readonly shard: number;
}

/**
 * The analytics table: per-minute buckets, each minute write-sharded over the stack's shard count so no one item takes
 * every order's write, and a marker per counted event.
 */
export interface SalesTable {
  /**
   * Add `counts` to `bucket` and mark `eventId` counted, atomically; 'duplicate' when `eventId` was counted before
   * (nothing was added).
   */
  add(eventId: string, bucket: SalesBucket, counts: SalesCounts): Promise<'added' | 'duplicate'>;
  /**
   * The buckets of `shard` from `fromMinute` to `toMinute`, both included, in time order; minutes without sales in
   * that shard have none.
   */
  minutes(shard: number, fromMinute: string, toMinute: string): Promise<SalesMinute[]>;
}
