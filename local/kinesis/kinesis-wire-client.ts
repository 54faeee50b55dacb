/**
 * A small client that posts Kinesis JSON 1.1 requests straight to kinesis-local over a keep-alive connection: the
 * runtime's own hot path (EventBridge deliveries, the shard consumers' reads), without the edge in between and
 * without the SDK's middleware, signing and parsing, which cost the runtime's one event loop about as much as
 * kinesis-local takes to answer. Requests go one at a time by default (see the constructor). Answers are decoded as
 * the SDK decodes them: `Data` to bytes, `ApproximateArrivalTimestamp` (epoch seconds) to a Date.
 */
import { Agent, request } from 'node:http';
import type { _Record, Shard } from '@aws-sdk/client-kinesis';

const TARGET_PREFIX = 'Kinesis_20131202.';
/** kinesis-local refuses unsigned requests and never checks the signature; `local` selects its default account. */
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=local';

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

/** The request was aborted (its signal fired) before kinesis-local answered. */
export class KinesisRequestAbortedError extends Error {
  constructor() {
    super('Request aborted');
    this.name = 'AbortError';
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

export class KinesisWireClient {
  private readonly endpoint: URL;
  private readonly agent: Agent;

  /**
   * Requests go one at a time by default: kinesis-local works through them on one thread, and interleaving two
   * (a delivery's PutRecord with the read of the event before) only finishes both later.
   * @param endpoint kinesis-local's plain-HTTP endpoint (`LocalKinesis.endpoint`).
   * @param options.maxSockets most requests under way at once; the others wait their turn. @default 1
   */
  constructor(endpoint: string, options: { readonly maxSockets?: number } = {}) {
    this.endpoint = new URL(endpoint);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 1 });
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
    const records = Array.isArray(output.Records) ? (output.Records as Json[]).map(toRecord) : [];
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

  /** One operation; throws KinesisServiceError for an error answer. */
  call(operation: string, input: Json, signal?: AbortSignal): Promise<Json> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new KinesisRequestAbortedError());
        return;
      }
      const payload = Buffer.from(JSON.stringify(input));
      const outgoing = request(
        {
          agent: this.agent,
          hostname: this.endpoint.hostname,
          port: this.endpoint.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `${TARGET_PREFIX}${operation}`,
            'x-amz-date': '20000101T000000Z',
            authorization: AUTHORIZATION,
            'content-length': payload.length,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 500;
            const body = parse(Buffer.concat(chunks));
            if (status < 300) resolve(body);
            else reject(errorOf(status, body));
          });
        },
      );
      const onAbort = () => outgoing.destroy(new KinesisRequestAbortedError());
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('close', () => signal?.removeEventListener('abort', onAbort));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Closes the pooled connections. */
  close(): void {
    this.agent.destroy();
  }
}

function parse(body: Buffer): Json {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // reported below
  }
  return { __type: 'InternalFailure', message: `kinesis-local answered: ${body.toString('utf8').slice(0, 200)}` };
}

function errorOf(status: number, body: Json): KinesisServiceError {
  const type = typeof body.__type === 'string' ? body.__type.slice(body.__type.lastIndexOf('#') + 1) : 'InternalFailure';
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : type;
  return new KinesisServiceError(type, message, status);
}

function toRecord(raw: Json): _Record {
  const arrival = raw.ApproximateArrivalTimestamp;
  return {
    SequenceNumber: String(raw.SequenceNumber ?? ''),
    Data: new Uint8Array(Buffer.from(typeof raw.Data === 'string' ? raw.Data : '', 'base64')),
    PartitionKey: String(raw.PartitionKey ?? ''),
    ...(typeof arrival === 'number' ? { ApproximateArrivalTimestamp: new Date(arrival * 1000) } : {}),
    ...(typeof raw.EncryptionType === 'string' ? { EncryptionType: raw.EncryptionType as _Record['EncryptionType'] } : {}),
  };
}
