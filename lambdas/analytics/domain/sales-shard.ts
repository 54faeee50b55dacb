import { createHash } from 'node:crypto';

/**
 * The shard of the minute buckets an order's events are counted in, of `shardCount` (0 to `shardCount` − 1): the
 * first 32 bits of the SHA-256 of its id, modulo the count. Every event of one order lands in one shard, and orders
 * spread evenly over the shards, so each minute's writes are spread over `shardCount` partition keys instead of one.
 * The same order always lands in the same shard for the same count: a replayed event names the bucket it named before.
 */
export function salesShardOf(orderId: string, shardCount: number): number {
  if (!(Number.isSafeInteger(shardCount) && shardCount >= 1)) throw new RangeError(`shardCount is ${shardCount}: give an integer of at least 1`);
  return createHash('sha256').update(orderId).digest().readUInt32BE(0) % shardCount;
}
