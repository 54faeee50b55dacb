/**
 * SQS messages as Lambda hands them to a function (`event.Records[]`, the SQS event of the Lambda developer guide):
 * messageId, receiptHandle, body, attributes (ApproximateReceiveCount, SentTimestamp, SenderId,
 * ApproximateFirstReceiveTimestamp, and for FIFO queues SequenceNumber, MessageGroupId, MessageDeduplicationId),
 * messageAttributes (camel-cased values with empty list members), md5OfBody, md5OfMessageAttributes when the message
 * has attributes, eventSource `aws:sqs`, eventSourceARN and awsRegion.
 */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
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

function base64(value: Uint8Array | undefined): string | undefined {
  return value === undefined ? undefined : Buffer.from(value).toString('base64');
}

function messageAttributes(attributes: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const binary = base64(value.BinaryValue);
    result[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(binary !== undefined ? { binaryValue: binary } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
}

/** One received message as a record of Lambda's SQS event. */
export function sqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const received = (message.Attributes ?? {}) as Record<string, string>;
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
