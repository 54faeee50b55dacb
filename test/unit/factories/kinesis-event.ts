import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { ShopEvent } from '../../../lambdas/shared/events/contracts';
import { eventBridgeDelivery } from './events';

let sequence = 0;

export interface KinesisRecordOptions {
  /** @default - the next of an increasing sequence */
  readonly sequenceNumber?: string;
  /** @default 'unit-test-key' */
  readonly partitionKey?: string;
}

/** A Kinesis record whose data is `payload` (serialized unless a string, then base64), as Lambda passes it. */
export function kinesisRecord(payload: unknown, options: KinesisRecordOptions = {}): KinesisStreamRecord {
  sequence += 1;
  const sequenceNumber = options.sequenceNumber ?? `4963${String(sequence).padStart(52, '0')}`;
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? 'unit-test-key',
      sequenceNumber,
      data: Buffer.from(text, 'utf8').toString('base64'),
      approximateArrivalTimestamp: 1_714_564_800,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/unit-test',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/unit-test-stream',
  };
}

/** A Kinesis record carrying `event` as the EventBridge rule's Kinesis target writes it (partition key = orderId). */
export function kinesisRecordOf(event: ShopEvent, options: KinesisRecordOptions = {}): KinesisStreamRecord {
  return kinesisRecord(eventBridgeDelivery(event), { partitionKey: event.detail.orderId, ...options });
}

/** A Kinesis batch of `records`. */
export function kinesisEvent(...records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}
