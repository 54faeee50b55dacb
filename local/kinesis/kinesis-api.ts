/**
 * Kinesis's JSON 1.1 API (`X-Amz-Target: Kinesis_20131202.*`) on the in-process shard log (`shard-log.ts`): checks a
 * request as AWS does, calls the log, and renders its answer or its error in AWS's shapes (timestamps in epoch
 * seconds, data in base64). `call` takes and gives JSON objects, for the runtime's own clients; `handle` takes and gives
 * HTTP-shaped requests and answers, for the edge and SDK clients, and tells the stream activity of each of their puts
 * (records written wake the shard consumers; throttled ones are counted for CloudWatch). As with kinesis-local, the
 * runtime's own clients tell the activity of their puts themselves (EventBridge's Kinesis targets do).
 *
 * Served: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams, ListShards,
 * IncreaseStreamRetentionPeriod, DecreaseStreamRetentionPeriod, PutRecord, PutRecords, GetShardIterator, GetRecords.
 * Anything else (resharding, enhanced fan-out, encryption, tags) is refused with UnknownOperationException, and a CBOR
 * request (what the Java SDK sends unless told otherwise) with a 400 that says to use JSON.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse } from '../shared/emulator-client';
import { isJsonObject, type JsonObject, type JsonValue } from '../shared/json';
import { KINESIS_JSON, KinesisServiceError } from './kinesis-wire-client';
import { type IteratorPosition, type PutEntry, type PutResult, type ShardLog, type StreamDescription, decodedLength, MAX_GET_RECORDS } from './shard-log';
import { streamNameOf, type StreamActivity } from './stream-activity';

/** An answer of the API: its HTTP status and its JSON body. */
export interface KinesisApiAnswer {
  readonly status: number;
  readonly body: JsonObject;
}

const TARGET_PREFIX = KINESIS_JSON.targetPrefix;
const CONTENT_TYPE = KINESIS_JSON.contentType;
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_PUT_RECORDS = 500;
const MAX_PUT_BYTES = 5 * 1024 * 1024;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const validation = (message: string) => new KinesisServiceError('ValidationException', message, 400);
const invalidArgument = (message: string) => new KinesisServiceError('InvalidArgumentException', message, 400);

function requiredString(input: JsonObject, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function optionalNumber(input: JsonObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new KinesisServiceError('SerializationException', `${field} must be a number`, 400);
  return value;
}

/** The stream a request names by `StreamName` or `StreamARN`. */
function streamOf(input: JsonObject): string {
  const name = typeof input.StreamName === 'string' ? input.StreamName : typeof input.StreamARN === 'string' ? streamNameOf(input.StreamARN) : undefined;
  if (name === undefined) throw invalidArgument('Either StreamName or StreamARN should be provided.');
  if (!STREAM_NAME.test(name)) throw validation(`1 validation error detected: Value '${name}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
  return name;
}

/** One record of a put, checked as AWS checks it. */
function entryOf(raw: JsonValue, where: string): PutEntry {
  if (!isJsonObject(raw)) throw new KinesisServiceError('SerializationException', `${where} is not an object`, 400);
  const data = requiredString(raw, 'Data');
  const partitionKey = requiredString(raw, 'PartitionKey');
  if (!BASE64.test(data) || data.length % 4 !== 0) throw new KinesisServiceError('SerializationException', `${where}.Data is not base64`, 400);
  if (decodedLength(data) > MAX_RECORD_BYTES) throw validation(`1 validation error detected: Value at '${where}.data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`);
  if (partitionKey.length < 1 || partitionKey.length > 256) throw validation(`1 validation error detected: Value at '${where}.partitionKey' failed to satisfy constraint: Member must have length between 1 and 256`);
  const explicit = raw.ExplicitHashKey;
  if (explicit !== undefined && explicit !== null && typeof explicit !== 'string') throw new KinesisServiceError('SerializationException', `${where}.ExplicitHashKey must be a string`, 400);
  return { data, partitionKey, ...(typeof explicit === 'string' ? { explicitHashKey: explicit } : {}) };
}

function positionOf(input: JsonObject): IteratorPosition {
  const type = requiredString(input, 'ShardIteratorType');
  switch (type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      return { type };
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      const sequenceNumber = input.StartingSequenceNumber;
      if (typeof sequenceNumber !== 'string') throw invalidArgument(`StartingSequenceNumber must be given with ShardIteratorType ${type}`);
      return { type, sequenceNumber };
    }
    case 'AT_TIMESTAMP': {
      const timestamp = input.Timestamp;
      const ms = typeof timestamp === 'number' ? timestamp * 1000 : typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
      if (!Number.isFinite(ms)) throw invalidArgument('Timestamp must be given with ShardIteratorType AT_TIMESTAMP');
      return { type, timestampMs: ms };
    }
    default:
      throw validation(`1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]`);
  }
}

function shardsOf(stream: StreamDescription): JsonObject[] {
  return stream.shards.map((shard) => ({
    ShardId: shard.shardId,
    HashKeyRange: { StartingHashKey: shard.startingHashKey, EndingHashKey: shard.endingHashKey },
    SequenceNumberRange: { StartingSequenceNumber: shard.startingSequenceNumber },
  }));
}

/** The shards from the one after `exclusiveStart` on (all when undefined), at most `limit`. */
function pageOf(shards: JsonObject[], exclusiveStart: string | undefined, limit: number): { page: JsonObject[]; more: boolean } {
  const from = exclusiveStart === undefined ? 0 : shards.findIndex((shard) => String(shard.ShardId) > exclusiveStart);
  const rest = from === -1 ? [] : shards.slice(from);
  return { page: rest.slice(0, limit), more: rest.length > limit };
}

function summaryOf(stream: StreamDescription): JsonObject {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.mode },
    RetentionPeriodHours: stream.retentionHours,
    StreamCreationTimestamp: stream.createdMs / 1000,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
  };
}

export class KinesisApi {
  private readonly operations: Readonly<Record<string, (input: JsonObject, activity?: StreamActivity) => JsonObject>> = {
    CreateStream: (input) => this.createStream(input),
    DeleteStream: (input) => {
      this.log.deleteStream(streamOf(input));
      return {};
    },
    DescribeStream: (input) => this.describeStream(input),
    DescribeStreamSummary: (input) => {
      const stream = this.log.describe(streamOf(input));
      return { StreamDescriptionSummary: { ...summaryOf(stream), OpenShardCount: stream.shards.length, ConsumerCount: 0 } };
    },
    ListStreams: (input) => this.listStreams(input),
    ListShards: (input) => this.listShards(input),
    IncreaseStreamRetentionPeriod: (input) => this.setRetention(input, 'increase'),
    DecreaseStreamRetentionPeriod: (input) => this.setRetention(input, 'decrease'),
    PutRecord: (input, activity) => this.putRecord(input, activity),
    PutRecords: (input, activity) => this.putRecords(input, activity),
    GetShardIterator: (input) => ({ ShardIterator: this.log.getShardIterator(streamOf(input), requiredString(input, 'ShardId'), positionOf(input)) }),
    GetRecords: (input) => this.getRecords(input),
  };

  /**
   * @param activity told of the puts that come through `handle` (records written, records throttled)
   */
  constructor(
    private readonly log: ShardLog,
    private readonly activity?: StreamActivity,
  ) {}

  /**
   * One operation on JSON objects; an AWS error is an answer too (status 400, `__type` and `message`). The caller
   * tells the activity of its puts.
   */
  call(operation: string, input: JsonObject): KinesisApiAnswer {
    return this.run(operation, input);
  }

  /** One HTTP-shaped request, as the edge or an SDK client sends it; its puts are told to the activity. */
  handle(request: Pick<EmulatorRequest, 'headers' | 'body'>): EmulatorResponse {
    const target = String(request.headers['x-amz-target'] ?? '');
    const contentType = String(request.headers['content-type'] ?? '');
    let answer: KinesisApiAnswer;
    if (contentType.startsWith('application/x-amz-cbor')) {
      answer = {
        status: 400,
        body: { __type: 'SerializationException', message: 'The local Kinesis (in-process shard log) speaks JSON 1.1 only: turn CBOR off in the client (e.g. AWS_CBOR_DISABLE=true)' },
      };
    } else if (!target.startsWith(TARGET_PREFIX)) {
      answer = { status: 400, body: { __type: 'UnknownOperationException', message: `X-Amz-Target ${target} is not a Kinesis operation` } };
    } else {
      const input = parseBody(request.body);
      answer = input === undefined ? { status: 400, body: { __type: 'SerializationException', message: 'The request body is not a JSON object' } } : this.run(target.slice(TARGET_PREFIX.length), input, this.activity);
    }
    return {
      status: answer.status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
      body: Buffer.from(JSON.stringify(answer.body)),
    };
  }

  private run(operation: string, input: JsonObject, activity?: StreamActivity): KinesisApiAnswer {
    const run = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    try {
      if (run === undefined) throw new KinesisServiceError('UnknownOperationException', `The local Kinesis (in-process shard log) does not serve ${operation}`, 400);
      return { status: 200, body: run(input, activity) };
    } catch (error) {
      if (error instanceof KinesisServiceError) return { status: error.status, body: { __type: error.name, message: error.message } };
      return { status: 500, body: { __type: 'InternalFailure', message: (error as Error).message } };
    }
  }

  private createStream(input: JsonObject): JsonObject {
    const name = streamOf(input);
    const details = input.StreamModeDetails;
    const mode = isJsonObject(details) && details.StreamMode === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED';
    const shardCount = optionalNumber(input, 'ShardCount');
    this.log.createStream(name, { mode, ...(shardCount !== undefined ? { shardCount } : {}) });
    return {};
  }

  private describeStream(input: JsonObject): JsonObject {
    const stream = this.log.describe(streamOf(input));
    const exclusiveStart = typeof input.ExclusiveStartShardId === 'string' ? input.ExclusiveStartShardId : undefined;
    const { page, more } = pageOf(shardsOf(stream), exclusiveStart, optionalNumber(input, 'Limit') ?? 100);
    return { StreamDescription: { ...summaryOf(stream), Shards: page, HasMoreShards: more } };
  }

  private listStreams(input: JsonObject): JsonObject {
    const names = this.log.streamNames();
    const after = typeof input.ExclusiveStartStreamName === 'string' ? input.ExclusiveStartStreamName : typeof input.NextToken === 'string' ? input.NextToken : undefined;
    const rest = after === undefined ? names : names.filter((name) => name > after);
    const page = rest.slice(0, optionalNumber(input, 'Limit') ?? 100);
    const more = rest.length > page.length;
    return {
      StreamNames: page,
      HasMoreStreams: more,
      StreamSummaries: page.map((name) => {
        const stream = this.log.describe(name);
        return { StreamName: name, StreamARN: stream.arn, StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: stream.mode }, StreamCreationTimestamp: stream.createdMs / 1000 };
      }),
      ...(more ? { NextToken: page[page.length - 1] } : {}),
    };
  }

  /** ListShards: by stream, or by the NextToken of an earlier page (`{stream}|{last shard id}`). */
  private listShards(input: JsonObject): JsonObject {
    let name: string;
    let exclusiveStart = typeof input.ExclusiveStartShardId === 'string' ? input.ExclusiveStartShardId : undefined;
    if (typeof input.NextToken === 'string') {
      if (input.StreamName !== undefined || input.StreamARN !== undefined) throw invalidArgument('NextToken and StreamName or StreamARN cannot be provided together.');
      const [tokenStream, last] = Buffer.from(input.NextToken, 'base64').toString('utf8').split('|');
      if (!tokenStream || !last) throw invalidArgument('Invalid NextToken.');
      name = tokenStream;
      exclusiveStart = last;
    } else {
      name = streamOf(input);
    }
    const { page, more } = pageOf(shardsOf(this.log.describe(name)), exclusiveStart, optionalNumber(input, 'MaxResults') ?? 1_000);
    const last = page[page.length - 1];
    return { Shards: page, ...(more && last !== undefined ? { NextToken: Buffer.from(`${name}|${String(last.ShardId)}`).toString('base64') } : {}) };
  }

  private setRetention(input: JsonObject, change: 'increase' | 'decrease'): JsonObject {
    const hours = optionalNumber(input, 'RetentionPeriodHours');
    if (hours === undefined) throw validation("1 validation error detected: Value null at 'retentionPeriodHours' failed to satisfy constraint: Member must not be null");
    this.log.setRetention(streamOf(input), hours, change);
    return {};
  }

  private putRecord(input: JsonObject, activity?: StreamActivity): JsonObject {
    const name = streamOf(input);
    const [result] = this.put(name, [entryOf(input, 'record')], activity);
    if ('errorCode' in result) throw new KinesisServiceError(result.errorCode, result.errorMessage, 400);
    return { ShardId: result.shardId, SequenceNumber: result.sequenceNumber, EncryptionType: 'NONE' };
  }

  private putRecords(input: JsonObject, activity?: StreamActivity): JsonObject {
    const name = streamOf(input);
    const raw = input.Records;
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_PUT_RECORDS) {
      throw validation(`1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and ${MAX_PUT_RECORDS}`);
    }
    const entries = raw.map((record, i) => entryOf(record, `records.${i + 1}.member`));
    const bytes = entries.reduce((sum, entry) => sum + decodedLength(entry.data) + Buffer.byteLength(entry.partitionKey, 'utf8'), 0);
    if (bytes > MAX_PUT_BYTES) throw invalidArgument(`Records size exceeds ${MAX_PUT_BYTES / 1024 / 1024} MB limit`);
    const results = this.put(name, entries, activity);
    return {
      FailedRecordCount: results.filter((result) => 'errorCode' in result).length,
      Records: results.map((result): JsonObject => ('errorCode' in result ? { ErrorCode: result.errorCode, ErrorMessage: result.errorMessage } : { ShardId: result.shardId, SequenceNumber: result.sequenceNumber })),
      EncryptionType: 'NONE',
    };
  }

  /** Puts into the log and tells `activity` what was written and what was throttled. */
  private put(name: string, entries: readonly PutEntry[], activity: StreamActivity | undefined): PutResult[] {
    const results = this.log.put(name, entries);
    const throttled = results.filter((result) => 'errorCode' in result).length;
    if (throttled > 0) activity?.writesThrottled(name, throttled);
    if (throttled < results.length) activity?.recordsPut(name, results.length - throttled);
    return results;
  }

  private getRecords(input: JsonObject): JsonObject {
    const limit = optionalNumber(input, 'Limit');
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_GET_RECORDS)) {
      throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_GET_RECORDS}`);
    }
    const read = this.log.getRecords(requiredString(input, 'ShardIterator'), limit);
    return {
      Records: read.records.map((record) => ({
        SequenceNumber: record.sequenceNumber,
        ApproximateArrivalTimestamp: record.arrivalMs / 1000,
        Data: record.data,
        PartitionKey: record.partitionKey,
        EncryptionType: 'NONE',
      })),
      NextShardIterator: read.nextShardIterator,
      MillisBehindLatest: read.millisBehindLatest,
    };
  }
}

function parseBody(body: Buffer): JsonObject | undefined {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
