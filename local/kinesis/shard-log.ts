/**
 * Kinesis Data Streams in memory: the local runtime's own Kinesis (`--kinesis in-process`, the default). Each shard is
 * an append-only array of records; a record's place in it is its sequence number. Nothing here speaks a wire protocol
 * (`kinesis-api.ts` does) or starts anything; time is read from the clock it is given.
 *
 * As AWS documents it ("Amazon Kinesis Data Streams API Reference", "Quotas and limits"):
 * - Streams are ACTIVE as soon as they are created: PROVISIONED with their shard count, ON_DEMAND with 4 shards.
 *   Retention is 24 hours unless raised (up to 8,760); DeleteStream forgets the stream and its records at once.
 * - Shards split the 128-bit hash key space evenly. A record goes to the shard whose range holds its explicit hash
 *   key, or else the MD5 of its partition key read as an unsigned big-endian integer.
 * - Sequence numbers are 56 digits, increase within a shard and are unique in the stream (and across a stream deleted
 *   and created again under the same name): `49`, the stream's creation time (15 digits, ms), the shard's index (5),
 *   the record's place in the shard (34).
 * - Iterators: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP. They expire 5 minutes
 *   after they were handed out (ExpiredIteratorException); GetRecords hands out a fresh one with every answer.
 * - Records older than the retention period are trimmed: no iterator reads them any more (one that pointed at them
 *   reads from the oldest record kept).
 * - Writes: each shard takes 1,000 records and 1 MiB (data and partition keys) in any second (a sliding one); a record
 *   beyond that fails with ProvisionedThroughputExceededException. In a PutRecords, so that a shard's records stay in
 *   the order they were given, the records after a refused one that go to the same shard are refused too.
 * - GetRecords returns at most 10,000 records and 10 MiB; MillisBehindLatest is 0 once the answer reaches the tip.
 *
 * Not here: resharding (SplitShard, MergeShards, UpdateShardCount), enhanced fan-out consumers, encryption, tags,
 * the read limits (5 GetRecords and 2 MiB per shard per second).
 */
import { createHash } from 'node:crypto';
import { KinesisServiceError } from './kinesis-wire-client';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export type IteratorPosition =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** One record to put. */
export interface PutEntry {
  /** The data as the wire carries it: base64. */
  readonly data: string;
  readonly partitionKey: string;
  /** A decimal hash key that chooses the shard instead of the partition key's MD5. */
  readonly explicitHashKey?: string;
}

/** What became of one record of a put: its shard and sequence number, or why it was refused. */
export type PutResult =
  | { readonly shardId: string; readonly sequenceNumber: string }
  | { readonly errorCode: 'ProvisionedThroughputExceededException'; readonly errorMessage: string };

export interface LogRecord {
  readonly sequenceNumber: string;
  /** base64, as it was put. */
  readonly data: string;
  readonly partitionKey: string;
  /** When the shard took it (ms since the epoch). */
  readonly arrivalMs: number;
}

export interface ShardRead {
  readonly records: readonly LogRecord[];
  readonly nextShardIterator: string;
  /** 0 once the answer reaches the tip of the shard; otherwise how old (ms) the first record not returned is. */
  readonly millisBehindLatest: number;
}

export interface ShardDescription {
  readonly shardId: string;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  readonly startingSequenceNumber: string;
}

export interface StreamDescription {
  readonly name: string;
  readonly arn: string;
  readonly mode: StreamMode;
  readonly retentionHours: number;
  readonly createdMs: number;
  readonly shards: readonly ShardDescription[];
}

export interface ShardLogOptions {
  readonly accountId: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  /**
   * Milliseconds since the epoch, now.
   *
   * @default Date.now
   */
  readonly clock?: () => number;
}

export const ON_DEMAND_SHARDS = 4;
export const DEFAULT_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8_760;
/** How long an iterator may be used after it was handed out. */
export const ITERATOR_LIFETIME_MS = 5 * 60 * 1000;
/** Per shard and second. */
export const SHARD_WRITE_RECORDS = 1_000;
export const SHARD_WRITE_BYTES = 1024 * 1024;
export const MAX_GET_RECORDS = 10_000;
const MAX_GET_BYTES = 10 * 1024 * 1024;
/** Shards of the account, all streams together (AWS's default quota in most regions). */
const ACCOUNT_SHARD_LIMIT = 500;
const HASH_KEY_SPACE = 1n << 128n;
/** Trimmed records are dropped from a shard's array once there are this many and they are half of it. */
const COMPACT_AT = 1_024;

const pad = (value: number, digits: number) => String(value).padStart(digits, '0');
const shardIdOf = (index: number) => `shardId-${pad(index, 12)}`;

/** The sliding second of writes one shard has taken. */
class WriteWindow {
  private readonly writes: { at: number; records: number; bytes: number }[] = [];
  private first = 0;
  private records = 0;
  private bytes = 0;

  /** Takes one record of `bytes` at `now` if the last second leaves room for it. */
  take(now: number, bytes: number): boolean {
    while (this.first < this.writes.length && this.writes[this.first].at <= now - 1000) {
      const gone = this.writes[this.first++];
      this.records -= gone.records;
      this.bytes -= gone.bytes;
    }
    if (this.first > 64 && this.first * 2 > this.writes.length) {
      this.writes.splice(0, this.first);
      this.first = 0;
    }
    if (this.records + 1 > SHARD_WRITE_RECORDS || this.bytes + bytes > SHARD_WRITE_BYTES) return false;
    const last = this.writes[this.writes.length - 1];
    if (last !== undefined && last.at === now && this.first < this.writes.length) {
      last.records++;
      last.bytes += bytes;
    } else {
      this.writes.push({ at: now, records: 1, bytes });
    }
    this.records++;
    this.bytes += bytes;
    return true;
  }
}

interface StoredRecord {
  readonly data: string;
  readonly partitionKey: string;
  readonly arrivalMs: number;
}

class Shard {
  readonly id: string;
  /** `49`, the stream's creation time and the shard's index: every sequence number of the shard starts so. */
  readonly sequencePrefix: string;
  readonly writes = new WriteWindow();
  /** Records from `base` on (absolute places); those before `head` in the array are trimmed. */
  private records: StoredRecord[] = [];
  private base = 0;
  private head = 0;

  constructor(
    readonly index: number,
    readonly startingHashKey: bigint,
    readonly endingHashKey: bigint,
    streamCreatedMs: number,
  ) {
    this.id = shardIdOf(index);
    this.sequencePrefix = `49${pad(streamCreatedMs, 15)}${pad(index, 5)}`;
  }

  /** The place of the next record put. */
  get end(): number {
    return this.base + this.records.length;
  }

  /** The place of the oldest record kept. */
  get start(): number {
    return this.base + this.head;
  }

  sequenceNumberAt(place: number): string {
    return `${this.sequencePrefix}${pad(place, 34)}`;
  }

  /** The place a sequence number of this shard stands for; undefined when it is not one of this shard's. */
  placeOf(sequenceNumber: string): number | undefined {
    if (sequenceNumber.length !== 56 || !sequenceNumber.startsWith(this.sequencePrefix)) return undefined;
    const place = Number(sequenceNumber.slice(this.sequencePrefix.length));
    return Number.isSafeInteger(place) ? place : undefined;
  }

  append(record: StoredRecord): number {
    const last = this.records[this.records.length - 1];
    // Arrival times never go back within a shard, so AT_TIMESTAMP can search them.
    this.records.push(last !== undefined && last.arrivalMs > record.arrivalMs ? { ...record, arrivalMs: last.arrivalMs } : record);
    return this.end - 1;
  }

  at(place: number): StoredRecord {
    return this.records[place - this.base];
  }

  /** The place of the first record that arrived at `ms` or later (the end when none did). */
  firstArrivedFrom(ms: number): number {
    let low = this.head;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle].arrivalMs < ms) low = middle + 1;
      else high = middle;
    }
    return this.base + low;
  }

  /** Forgets the records that arrived before `cutoffMs`. */
  trim(cutoffMs: number): void {
    while (this.head < this.records.length && this.records[this.head].arrivalMs < cutoffMs) this.head++;
    if (this.head >= COMPACT_AT && this.head * 2 >= this.records.length) {
      this.records = this.records.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}

class Stream {
  readonly arn: string;
  readonly shards: Shard[];
  retentionHours = DEFAULT_RETENTION_HOURS;

  constructor(
    readonly name: string,
    readonly mode: StreamMode,
    shardCount: number,
    readonly createdMs: number,
    arnPrefix: string,
  ) {
    this.arn = `${arnPrefix}${name}`;
    const width = HASH_KEY_SPACE / BigInt(shardCount);
    this.shards = Array.from(
      { length: shardCount },
      (_, i) => new Shard(i, width * BigInt(i), i === shardCount - 1 ? HASH_KEY_SPACE - 1n : width * BigInt(i + 1) - 1n, createdMs),
    );
  }

  shardFor(hashKey: bigint): Shard {
    // The shards' ranges are even and in order: the one holding the key is found by division (the last one also
    // takes the remainder of the split).
    const width = HASH_KEY_SPACE / BigInt(this.shards.length);
    return this.shards[Math.min(this.shards.length - 1, Number(hashKey / width))];
  }
}

const notFound = (message: string) => new KinesisServiceError('ResourceNotFoundException', message, 400);
const invalid = (message: string) => new KinesisServiceError('InvalidArgumentException', message, 400);

/** The 128-bit hash key of a partition key: its MD5 as an unsigned big-endian integer. */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** An ExplicitHashKey: a decimal number from 0 to 2^128 - 1. */
function explicitHashKey(text: string): bigint {
  if (!/^\d{1,39}$/.test(text) || BigInt(text) >= HASH_KEY_SPACE) throw invalid(`ExplicitHashKey ${text} is not a whole number from 0 to 2^128 - 1`);
  return BigInt(text);
}

/** Bytes of base64 `data` once decoded. */
export function decodedLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

export class ShardLog {
  private readonly streams = new Map<string, Stream>();
  private readonly clock: () => number;
  private readonly arnPrefix: string;
  private lastCreatedMs = 0;

  constructor(private readonly options: ShardLogOptions) {
    this.clock = options.clock ?? Date.now;
    this.arnPrefix = `arn:${options.partition ?? 'aws'}:kinesis:${options.region}:${options.accountId}:stream/`;
  }

  /** A PROVISIONED stream of `shardCount` shards, or an ON_DEMAND one (4 shards). */
  createStream(name: string, options: { readonly mode?: StreamMode; readonly shardCount?: number } = {}): void {
    const mode = options.mode ?? 'PROVISIONED';
    const shardCount = mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : options.shardCount;
    if (shardCount === undefined || !Number.isInteger(shardCount) || shardCount < 1) {
      throw invalid(`ShardCount must be a whole number of at least 1 for a PROVISIONED stream, got ${String(shardCount)}`);
    }
    if (this.streams.has(name)) throw new KinesisServiceError('ResourceInUseException', `Stream ${name} under account ${this.options.accountId} already exists.`, 400);
    const used = [...this.streams.values()].reduce((sum, stream) => sum + stream.shards.length, 0);
    if (used + shardCount > ACCOUNT_SHARD_LIMIT) {
      throw new KinesisServiceError('LimitExceededException', `This request would exceed the shard limit for the account ${this.options.accountId} (${ACCOUNT_SHARD_LIMIT} shards).`, 400);
    }
    // Creation times differ by at least a millisecond, so a stream created again under the same name has new sequence numbers.
    this.lastCreatedMs = Math.max(this.clock(), this.lastCreatedMs + 1);
    this.streams.set(name, new Stream(name, mode, shardCount, this.lastCreatedMs, this.arnPrefix));
  }

  deleteStream(name: string): void {
    this.stream(name);
    this.streams.delete(name);
  }

  streamNames(): string[] {
    return [...this.streams.keys()].sort();
  }

  describe(name: string): StreamDescription {
    const stream = this.stream(name);
    return {
      name: stream.name,
      arn: stream.arn,
      mode: stream.mode,
      retentionHours: stream.retentionHours,
      createdMs: stream.createdMs,
      shards: stream.shards.map((shard) => ({
        shardId: shard.id,
        startingHashKey: String(shard.startingHashKey),
        endingHashKey: String(shard.endingHashKey),
        startingSequenceNumber: shard.sequenceNumberAt(0),
      })),
    };
  }

  /** Raises (`increase`) or lowers (`decrease`) the retention period, as the two API operations do. */
  setRetention(name: string, hours: number, change: 'increase' | 'decrease'): void {
    const stream = this.stream(name);
    if (!Number.isInteger(hours) || hours < DEFAULT_RETENTION_HOURS || hours > MAX_RETENTION_HOURS) {
      throw invalid(`Minimum allowed retention period is ${DEFAULT_RETENTION_HOURS} hours and maximum is ${MAX_RETENTION_HOURS} hours, got ${hours}.`);
    }
    if (change === 'increase' ? hours < stream.retentionHours : hours > stream.retentionHours) {
      throw invalid(
        `Requested retention period (${hours} hours) for stream ${name} can not be ${change === 'increase' ? 'shorter' : 'longer'} than existing retention period (${stream.retentionHours} hours).` +
          ` Use ${change === 'increase' ? 'DecreaseStreamRetentionPeriod' : 'IncreaseStreamRetentionPeriod'} API.`,
      );
    }
    stream.retentionHours = hours;
  }

  /** Puts records in the order given; each one is written or refused on its own (see the write limits above). */
  put(name: string, entries: readonly PutEntry[]): PutResult[] {
    const stream = this.stream(name);
    const now = this.clock();
    const refusedShards = new Set<Shard>();
    const hashKeys = entries.map((entry) => (entry.explicitHashKey !== undefined ? explicitHashKey(entry.explicitHashKey) : hashKeyOf(entry.partitionKey)));
    return entries.map((entry, i) => {
      const shard = stream.shardFor(hashKeys[i]);
      const bytes = decodedLength(entry.data) + Buffer.byteLength(entry.partitionKey, 'utf8');
      if (refusedShards.has(shard) || !shard.writes.take(now, bytes)) {
        refusedShards.add(shard);
        return {
          errorCode: 'ProvisionedThroughputExceededException',
          errorMessage: `Rate exceeded for shard ${shard.id} in stream ${name} under account ${this.options.accountId}.`,
        };
      }
      const place = shard.append({ data: entry.data, partitionKey: entry.partitionKey, arrivalMs: now });
      return { shardId: shard.id, sequenceNumber: shard.sequenceNumberAt(place) };
    });
  }

  getShardIterator(name: string, shardId: string, position: IteratorPosition): string {
    const stream = this.stream(name);
    const shard = this.shard(stream, shardId);
    const now = this.clock();
    shard.trim(now - stream.retentionHours * 3_600_000);
    let place: number;
    if ('sequenceNumber' in position) {
      const at = shard.placeOf(position.sequenceNumber);
      const refused = at === undefined ? 'it did not come from this shard' : at >= shard.end ? 'no record of the shard has it yet' : undefined;
      if (refused !== undefined || at === undefined) {
        throw invalid(`StartingSequenceNumber ${position.sequenceNumber} used in GetShardIterator on shard ${shard.id} in stream ${name} under account ${this.options.accountId} is invalid: ${refused}.`);
      }
      place = position.type === 'AT_SEQUENCE_NUMBER' ? at : at + 1;
    } else if ('timestampMs' in position) {
      place = shard.firstArrivedFrom(position.timestampMs);
    } else {
      place = position.type === 'TRIM_HORIZON' ? shard.start : shard.end;
    }
    return this.iterator(stream, shard, place, now);
  }

  /** Up to `limit` records (at most MAX_GET_RECORDS and 10 MiB) from where the iterator points. */
  getRecords(shardIterator: string, limit = MAX_GET_RECORDS): ShardRead {
    const { stream, shard, place, issuedMs } = this.readIterator(shardIterator);
    const now = this.clock();
    if (now - issuedMs > ITERATOR_LIFETIME_MS) {
      throw new KinesisServiceError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(issuedMs).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
        400,
      );
    }
    shard.trim(now - stream.retentionHours * 3_600_000);
    const records: LogRecord[] = [];
    let next = Math.max(place, shard.start);
    let bytes = 0;
    const most = Math.max(1, Math.min(MAX_GET_RECORDS, limit));
    while (next < shard.end && records.length < most) {
      const stored = shard.at(next);
      bytes += decodedLength(stored.data);
      if (records.length > 0 && bytes > MAX_GET_BYTES) break;
      records.push({ sequenceNumber: shard.sequenceNumberAt(next), data: stored.data, partitionKey: stored.partitionKey, arrivalMs: stored.arrivalMs });
      next++;
    }
    return {
      records,
      nextShardIterator: this.iterator(stream, shard, next, now),
      millisBehindLatest: next < shard.end ? Math.max(1, now - shard.at(next).arrivalMs) : 0,
    };
  }

  private stream(name: string): Stream {
    const stream = this.streams.get(name);
    if (stream === undefined) throw notFound(`Stream ${name} under account ${this.options.accountId} not found.`);
    return stream;
  }

  private shard(stream: Stream, shardId: string): Shard {
    const match = /^(?:shardId-)?(\d{1,12})$/.exec(shardId);
    const shard = match ? stream.shards[Number(match[1])] : undefined;
    if (shard === undefined) throw notFound(`Shard ${shardId} in stream ${stream.name} under account ${this.options.accountId} does not exist`);
    return shard;
  }

  /** An iterator: where to read next, and when it was handed out (base64 of `name|created|shard|place|issued`). */
  private iterator(stream: Stream, shard: Shard, place: number, issuedMs: number): string {
    return Buffer.from(`${stream.name}|${stream.createdMs}|${shard.index}|${place}|${issuedMs}`).toString('base64');
  }

  private readIterator(iterator: string): { stream: Stream; shard: Shard; place: number; issuedMs: number } {
    const parts = Buffer.from(iterator, 'base64').toString('utf8').split('|');
    const [name, created, index, place, issued] = parts;
    const numbers = [created, index, place, issued].map(Number);
    if (parts.length !== 5 || !name || numbers.some((n) => !Number.isSafeInteger(n) || n < 0)) throw invalid(`Invalid ShardIterator: ${iterator.slice(0, 64)}`);
    const stream = this.streams.get(name);
    if (stream === undefined || stream.createdMs !== numbers[0]) throw notFound(`Stream ${name} under account ${this.options.accountId} not found.`);
    const shard = stream.shards[numbers[1]];
    if (shard === undefined) throw invalid(`Invalid ShardIterator: ${iterator.slice(0, 64)}`);
    return { stream, shard, place: numbers[2], issuedMs: numbers[3] };
  }
}
