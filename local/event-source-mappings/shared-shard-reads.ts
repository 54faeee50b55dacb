/**
 * Lets the Kinesis mappings of one stream share a GetRecords when they read the same shard from the same place.
 *
 * Several functions read the order-event log; once they have caught up they all wait at the tip of each shard, a put
 * wakes them together, and each would ask kinesis-local for the same records. kinesis-local spends several
 * milliseconds of CPU on every call, so the reads queue behind each other (and behind the next puts). Here the
 * first consumer's read is the one sent, and a consumer that asks for the records after the same sequence number
 * while it is under way gets its answer too: every consumer still reads its records from kinesis-local, in order,
 * with their real sequence numbers and arrival times, and checkpoints, retries and bisects on its own.
 */
import type { GetRecordsAnswer } from '../kinesis/kinesis-wire-client';

/** A GetRecords answer, with how many puts the stream had seen when the read was sent. */
export interface SharedRead {
  readonly answer: GetRecordsAnswer;
  /** `StreamActivity.putCount` just before the read was sent: puts counted after it may not be in the answer. */
  readonly putsBefore: number;
  /** The Limit the read was sent with. */
  readonly limit: number;
}

export class SharedShardReads {
  private readonly inFlight = new Map<string, Promise<SharedRead>>();

  /**
   * The read under way for the records after `afterSequence` of the shard, or a new one sent by `send`. A failed read
   * fails every consumer that shared it.
   */
  read(streamName: string, shardId: string, afterSequence: string, send: () => Promise<SharedRead>): Promise<SharedRead> {
    const key = `${streamName}/${shardId}/${afterSequence}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const read = send().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, read);
    return read;
  }

  /** Reads under way. */
  get size(): number {
    return this.inFlight.size;
  }
}
