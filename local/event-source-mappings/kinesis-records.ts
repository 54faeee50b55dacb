/**
 * Kinesis records as Lambda hands them to a function (`event.Records[]`, the Kinesis event of the Lambda developer
 * guide), and the invocation record Lambda sends to a mapping's on-failure destination when it gives up on records
 * ("Retain discarded batch records for a Kinesis Data Streams event source").
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';

export interface StreamSource {
  readonly shardId: string;
  readonly streamArn: string;
  readonly region: string;
  /** The function's execution role. */
  readonly invokeIdentityArn: string;
}

/** Seconds since the epoch, with milliseconds, as Lambda's events carry timestamps. */
export function epochSeconds(date: Date | undefined): number {
  return (date ?? new Date()).getTime() / 1000;
}

/** One record as a record of Lambda's Kinesis event. */
export function kinesisRecord(record: _Record, source: StreamSource): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber: record.SequenceNumber ?? '',
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: epochSeconds(record.ApproximateArrivalTimestamp),
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${source.shardId}:${record.SequenceNumber ?? ''}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.region,
    eventSourceARN: source.streamArn,
  };
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** What Lambda sends to the on-failure destination for discarded records (it names them; it does not carry them). */
export interface KinesisFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: DiscardCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

/**
 * The on-failure record for `records` (in order). `lastInvocation` is the last invocation that included them: its
 * request id, and whether it ended in a function error (`functionError: 'Unhandled'`) or a partial batch response.
 */
export function failureRecord(options: {
  readonly records: readonly _Record[];
  readonly source: StreamSource;
  readonly functionArn: string;
  readonly condition: DiscardCondition;
  readonly approximateInvokeCount: number;
  readonly lastInvocation?: { readonly requestId: string; readonly functionError: boolean };
  readonly now?: Date;
}): KinesisFailureRecord {
  const { records, source, lastInvocation } = options;
  const first = records[0];
  const last = records[records.length - 1];
  return {
    requestContext: {
      requestId: lastInvocation?.requestId ?? '',
      functionArn: options.functionArn,
      condition: options.condition,
      approximateInvokeCount: options.approximateInvokeCount,
    },
    responseContext: {
      statusCode: lastInvocation ? 200 : 0,
      executedVersion: '$LATEST',
      ...(lastInvocation?.functionError ? { functionError: 'Unhandled' } : {}),
    },
    version: '1.0',
    timestamp: (options.now ?? new Date()).toISOString(),
    KinesisBatchInfo: {
      shardId: source.shardId,
      startSequenceNumber: first?.SequenceNumber ?? '',
      endSequenceNumber: last?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: (first?.ApproximateArrivalTimestamp ?? new Date(0)).toISOString(),
      approximateArrivalOfLastRecord: (last?.ApproximateArrivalTimestamp ?? new Date(0)).toISOString(),
      batchSize: records.length,
      streamArn: source.streamArn,
    },
  };
}
