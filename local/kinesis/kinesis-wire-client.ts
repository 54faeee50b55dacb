/**
 * A small client that calls Kinesis JSON 1.1 operations for the runtime's own hot path (EventBridge deliveries, the
 * shard consumers' reads): on the in-process shard log, as function calls on JSON objects; on kinesis-local, posted
 * straight to it over a keep-alive connection. Either way without the edge in between and without the SDK's
 * middleware, signing and parsing, which cost the runtime's one event loop about as much as kinesis-local takes to
 * answer. Requests to kinesis-local go one at a time by default (see the constructor). Answers are decoded as the SDK
 * decodes them: `Data` to bytes, `ApproximateArrivalTimestamp` (epoch seconds) to a Date.
 */
import type { _Record, Shard } from '@aws-sdk/client-kinesis';
import { awsErrorOf, EmulatorClient, type JsonProtocol } from '../shared/emulator-client';
import { isJsonObject, type JsonObject } from '../shared/json';

/** Kinesis's JSON protocol as kinesis-local speaks it. */
export const KINESIS_JSON: JsonProtocol = {
  targetPrefix: 'Kinesis_20131202.',
  contentType: 'application/x-amz-json-1.1',
  // kinesis-local refuses unsigned requests and never checks the signature; `local` selects its default account.
  headers: {
    'x-amz-date': '20000101T000000Z',
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
  },
  unreadableAnswer: (text) => ({ __type: 'InternalFailure', message: `kinesis-local answered: ${text.slice(0, 200)}` }),
};

/** An error kinesis-local answered: `name` is its type without namespace (`ResourceNotFoundException`, `ExpiredIteratorException`…). */
export class KinesisServiceError extends Error {
  constructor(
    name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = name;
  }
}

export type ShardIteratorPosition =
  | { readonly ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly ShardIteratorType: 'AT_TIMESTAMP'; readonly Timestamp: Date }
  | { readonly ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; readonly StartingSequenceNumber: string };

export interface GetRecordsAnswer {
  readonly records: _Record[];
  /** Undefined once the shard is closed and read to its end. */
  readonly nextShardIterator?: string;
  /** How far behind the tip of the shard the answer is (0: it reached the tip). */
  readonly millisBehindLatest?: number;
}

type Json = Record<string, unknown>;

/** What the client calls operations on: kinesis-local over HTTP (an EmulatorClient), or the in-process shard log. */
export type KinesisCaller = Pick<EmulatorClient, 'call' | 'close'>;

export class KinesisWireClient {
  private readonly client: KinesisCaller;

  /**
   * Requests to kinesis-local go one at a time by default: it works through them on one thread, and interleaving two
   * (a delivery's PutRecord with the read of the event before) only finishes both later.
   * @param target kinesis-local's plain-HTTP endpoint (`LocalKinesis.endpoint`), or the in-process shard log.
   * @param options.maxSockets most requests to kinesis-local under way at once; the others wait their turn. @default 1
   */
  constructor(target: string | KinesisCaller, options: { readonly maxSockets?: number } = {}) {
    this.client = typeof target === 'string' ? new EmulatorClient(target, { protocol: KINESIS_JSON, maxSockets: options.maxSockets ?? 1 }) : target;
  }

  async putRecord(streamName: string, data: Buffer, partitionKey: string): Promise<{ readonly shardId: string; readonly sequenceNumber: string }> {
    const output = await this.call('PutRecord', { StreamName: streamName, Data: data.toString('base64'), PartitionKey: partitionKey });
    return { shardId: String(output.ShardId ?? ''), sequenceNumber: String(output.SequenceNumber ?? '') };
  }

  async getShardIterator(streamName: string, shardId: string, position: ShardIteratorPosition, signal?: AbortSignal): Promise<string | undefined> {
    const input: Json = { StreamName: streamName, ShardId: shardId, ShardIteratorType: position.ShardIteratorType };
    if ('Timestamp' in position) input.Timestamp = position.Timestamp.getTime() / 1000;
    if ('StartingSequenceNumber' in position) input.StartingSequenceNumber = position.StartingSequenceNumber;
    const output = await this.call('GetShardIterator', input, signal);
    return typeof output.ShardIterator === 'string' ? output.ShardIterator : undefined;
  }

  async getRecords(shardIterator: string, limit: number, signal?: AbortSignal): Promise<GetRecordsAnswer> {
    const output = await this.call('GetRecords', { ShardIterator: shardIterator, Limit: limit }, signal);
    const records = Array.isArray(output.Records) ? output.Records.filter(isJsonObject).map(toRecord) : [];
    return {
      records,
      ...(typeof output.NextShardIterator === 'string' ? { nextShardIterator: output.NextShardIterator } : {}),
      ...(typeof output.MillisBehindLatest === 'number' ? { millisBehindLatest: output.MillisBehindLatest } : {}),
    };
  }

  /** Every shard of the stream (all pages). */
  async listShards(streamName: string, signal?: AbortSignal): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('ListShards', nextToken ? { NextToken: nextToken } : { StreamName: streamName }, signal);
      if (Array.isArray(page.Shards)) shards.push(...(page.Shards as Shard[]));
      nextToken = typeof page.NextToken === 'string' ? page.NextToken : undefined;
    } while (nextToken);
    return shards;
  }

  /** One operation; throws KinesisServiceError for an error answer, EmulatorRequestAbortedError once `signal` fires. */
  async call(operation: string, input: Json, signal?: AbortSignal): Promise<Json> {
    const answer = await this.client.call(operation, input, signal ? { signal } : {});
    if (answer.status < 300) return answer.body;
    const { type, message } = awsErrorOf(answer.body, 'InternalFailure');
    throw new KinesisServiceError(type, message, answer.status);
  }

  /** Closes the pooled connections (none in process). */
  close(): void {
    this.client.close();
  }
}

function toRecord(raw: JsonObject): _Record {
  const arrival = raw.ApproximateArrivalTimestamp;
  return {
    SequenceNumber: String(raw.SequenceNumber ?? ''),
    Data: new Uint8Array(Buffer.from(typeof raw.Data === 'string' ? raw.Data : '', 'base64')),
    PartitionKey: String(raw.PartitionKey ?? ''),
    ...(typeof arrival === 'number' ? { ApproximateArrivalTimestamp: new Date(arrival * 1000) } : {}),
    ...(typeof raw.EncryptionType === 'string' ? { EncryptionType: raw.EncryptionType as _Record['EncryptionType'] } : {}),
  };
}
