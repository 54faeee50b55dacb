/**
 * SQS messages as Lambda hands them to a function (`event.Records[]`, the SQS event of the Lambda developer guide):
 * messageId, receiptHandle, body, attributes (ApproximateReceiveCount, SentTimestamp, SenderId,
 * ApproximateFirstReceiveTimestamp, and for FIFO queues SequenceNumber, MessageGroupId, MessageDeduplicationId),
 * messageAttributes (camel-cased values with empty list members), md5OfBody, md5OfMessageAttributes when the message
 * has attributes, eventSource `aws:sqs`, eventSourceARN and awsRegion.
 */
import type { SQSRecord, SQSRecordAttributes, SQSMessageAttributes } from 'aws-lambda';

/** The system attributes in the order Lambda's events list them. */
const ATTRIBUTE_ORDER = [
  'ApproximateReceiveCount',
  'AWSTraceHeader',
  'SentTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'SenderId',
  'MessageDeduplicationId',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
];

/** A message attribute as ReceiveMessage's JSON protocol carries it: binary values already base64. */
export interface ReceivedAttributeValue {
  readonly DataType?: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
  readonly StringListValues?: readonly string[];
  readonly BinaryListValues?: readonly string[];
}

/** A message as ReceiveMessage's JSON protocol answers it (fauxqs, the event source mappings' poll). */
export interface ReceivedMessage {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly MD5OfBody?: string;
  readonly Body?: string;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly MessageAttributes?: Readonly<Record<string, ReceivedAttributeValue>>;
  readonly MD5OfMessageAttributes?: string;
}

function messageAttributes(attributes: ReceivedMessage['MessageAttributes']): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    result[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      stringListValues: [...(value.StringListValues ?? [])],
      binaryListValues: [...(value.BinaryListValues ?? [])],
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
}

/** One received message as a record of Lambda's SQS event. */
export function sqsRecord(message: ReceivedMessage, queueArn: string, region: string): SQSRecord {
  const received = message.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const name of ATTRIBUTE_ORDER) {
    if (received[name] !== undefined) attributes[name] = received[name];
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: attributes as unknown as SQSRecordAttributes,
    messageAttributes: messageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes !== undefined ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
