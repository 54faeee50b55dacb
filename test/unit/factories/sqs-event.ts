import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { ShopEvent } from '../../../lambdas/shared/events/contracts';
import { eventBridgeDelivery } from './events';

export interface SqsRecordOptions {
  readonly messageId?: string;
  /** FIFO queues only. @default - a standard queue's record, without a message group */
  readonly messageGroupId?: string;
  /** @default 1 */
  readonly receiveCount?: number;
  /** @default - a standard queue's ARN, or a `.fifo` one when `messageGroupId` is given */
  readonly queueArn?: string;
}

let records = 0;

/** An SQS record carrying `body` (serialized unless a string), as Lambda's event source mapping passes it. */
export function sqsRecord(body: unknown, options: SqsRecordOptions = {}): SQSRecord {
  records += 1;
  const messageId = options.messageId ?? `9b2f0000-0000-4000-8000-${String(records).padStart(12, '0')}`;
  const fifo = options.messageGroupId !== undefined;
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1714564800000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1714564800001',
      ...(fifo ? { MessageGroupId: options.messageGroupId, MessageDeduplicationId: messageId, SequenceNumber: String(records) } : {}),
    },
    messageAttributes: {},
    md5OfBody: '0'.repeat(32),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn ?? `arn:aws:sqs:us-east-1:123456789012:unit-test-queue${fifo ? '.fifo' : ''}`,
    awsRegion: 'us-east-1',
  };
}

/** An SQS record whose body is `event` as the EventBridge rule's SQS target delivers it. */
export function sqsRecordOf(event: ShopEvent, options: SqsRecordOptions = {}): SQSRecord {
  return sqsRecord(eventBridgeDelivery(event), options);
}

/** An SQS batch of `records`. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
