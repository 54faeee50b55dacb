/**
 * The delivery ports of the running runtime: SQS and Kinesis through the AWS SDK clients pointed at the edge (which
 * routes them to fauxqs and kinesis-local) with the admin credentials; Lambda through the runtime's asynchronous
 * invoker. A queue's URL and a stream's name are read from its ARN, as the local physical ids make them
 * (`{edge}/{account}/{queueName}`, `stream/{name}`).
 */
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { SendMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { TargetDeliveryError } from './eventbridge-errors';
import type { SendMessageOptions, TargetPorts } from './target-delivery';
import { parseArn } from './target-delivery';

export interface SdkTargetPortsOptions {
  /** The edge URL. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Lambda's asynchronous invocation (the runtime's AsyncInvoker). */
  readonly invokeAsync: (functionArn: string, payload: string) => Promise<void>;
}

const NOT_FOUND = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'ResourceNotFoundException']);
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestThrottled', 'KMSThrottlingException']);

/** Ports backed by SDK clients; `close()` releases their sockets. */
export function sdkTargetPorts(options: SdkTargetPortsOptions): TargetPorts & { close(): void } {
  const config = {
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey },
    maxAttempts: 1,
  };
  const sqs = new SQSClient(config);
  const kinesis = new KinesisClient(config);

  return {
    async sendMessage(queueArn: string, body: string, send: SendMessageOptions = {}) {
      const arn = parseArn(queueArn);
      if (!arn || arn.service !== 'sqs') throw new TargetDeliveryError('RESOURCE_NOT_FOUND', `${queueArn} is not an SQS queue ARN`, false);
      const attributes: Record<string, MessageAttributeValue> = {};
      for (const [name, value] of Object.entries(send.attributes ?? {})) attributes[name] = { DataType: 'String', StringValue: value };
      await call(() =>
        sqs.send(
          new SendMessageCommand({
            QueueUrl: `${options.endpoint.replace(/\/+$/, '')}/${arn.account}/${arn.resource}`,
            MessageBody: body,
            ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
            ...(send.messageGroupId !== undefined ? { MessageGroupId: send.messageGroupId } : {}),
            ...(send.deduplicationId !== undefined ? { MessageDeduplicationId: send.deduplicationId } : {}),
          }),
        ),
      );
    },
    async putRecord(streamArn: string, data: string, partitionKey: string) {
      const arn = parseArn(streamArn);
      if (!arn || arn.service !== 'kinesis' || !arn.resource.startsWith('stream/')) {
        throw new TargetDeliveryError('RESOURCE_NOT_FOUND', `${streamArn} is not a Kinesis stream ARN`, false);
      }
      await call(() =>
        kinesis.send(new PutRecordCommand({ StreamName: arn.resource.slice('stream/'.length), Data: Buffer.from(data, 'utf8'), PartitionKey: partitionKey })),
      );
    },
    invokeAsync: (functionArn, payload) => options.invokeAsync(functionArn, payload),
    close() {
      sqs.destroy();
      kinesis.destroy();
    },
  };
}

async function call(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (NOT_FOUND.has(name)) throw new TargetDeliveryError('RESOURCE_NOT_FOUND', `${name}: ${message}`, false);
    if (THROTTLED.has(name)) throw new TargetDeliveryError('THROTTLING', `${name}: ${message}`, true);
    throw new TargetDeliveryError('SDK_CLIENT_ERROR', name ? `${name}: ${message}` : message, true);
  }
}
