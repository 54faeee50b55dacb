/**
 * The delivery ports of the running runtime, straight to the emulators: SQS targets are sent to fauxqs and Kinesis
 * targets put into kinesis-local over pooled keep-alive connections (concurrent puts into one stream coalesced into
 * PutRecords calls: `kinesis-put-batcher.ts`), without the edge and the SDK in between (which
 * cost more than the emulators' own work and share the runtime's one event loop with every function's calls);
 * Lambda targets go to the runtime's asynchronous invoker. A queue is found by the name at the end of its ARN
 * (fauxqs keeps every queue in one account), a stream by the name in its ARN. A record put here wakes the stream's
 * shard consumers, as a put through the edge does.
 */
import type { StreamActivity } from '../kinesis/stream-activity';
import { KinesisServiceError, type KinesisWireClient } from '../kinesis/kinesis-wire-client';
import { KinesisPutBatcher } from './kinesis-put-batcher';
import { fauxqsQueueUrl } from '../sqs/fauxqs-client';
import type { JsonObject } from '../shared/json';
import { FauxqsWireClient } from '../sqs/sqs-json';
import { TargetDeliveryError } from './eventbridge-errors';
import type { SendMessageOptions, TargetPorts } from './target-delivery';
import { parseArn } from './target-delivery';

export interface EmulatorTargetPortsOptions {
  /** fauxqs's endpoint (`LocalSqs.endpoint`). */
  readonly fauxqsEndpoint: string;
  /** A client on kinesis-local (shared with the shard consumers, so their requests take turns; not closed here). */
  readonly kinesis: KinesisWireClient;
  /**
   * Told of each record put, so idle shard consumers read at once.
   *
   * @default - consumers find the records at their next idle poll
   */
  readonly activity?: StreamActivity;
  /** Lambda's asynchronous invocation (the runtime's AsyncInvoker). */
  readonly invokeAsync: (functionArn: string, payload: string) => Promise<void>;
}

const NOT_FOUND = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'ResourceNotFoundException']);
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestThrottled', 'KMSThrottlingException', 'LimitExceededException']);

/** Ports on fauxqs and kinesis-local; `close()` releases the connections to fauxqs. */
export function emulatorTargetPorts(options: EmulatorTargetPortsOptions): TargetPorts & { close(): void } {
  const sqs = new FauxqsWireClient(options.fauxqsEndpoint);
  // One PutRecords call per stream at a time, carrying every record handed over meanwhile (see the batcher).
  const puts = new KinesisPutBatcher(options.kinesis);

  return {
    async sendMessage(queueArn: string, body: string, send: SendMessageOptions = {}) {
      const arn = parseArn(queueArn);
      if (!arn || arn.service !== 'sqs') throw new TargetDeliveryError('RESOURCE_NOT_FOUND', `${queueArn} is not an SQS queue ARN`, false);
      const attributes: JsonObject = {};
      for (const [name, value] of Object.entries(send.attributes ?? {})) attributes[name] = { DataType: 'String', StringValue: value };
      const input: JsonObject = {
        QueueUrl: fauxqsQueueUrl(options.fauxqsEndpoint, arn.resource),
        MessageBody: body,
        ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
        ...(send.messageGroupId !== undefined ? { MessageGroupId: send.messageGroupId } : {}),
        ...(send.deduplicationId !== undefined ? { MessageDeduplicationId: send.deduplicationId } : {}),
      };
      let answer;
      try {
        answer = await sqs.call('SendMessage', input);
      } catch (error) {
        throw new TargetDeliveryError('SDK_CLIENT_ERROR', `fauxqs did not answer: ${(error as Error).message}`, true);
      }
      if (!answer.ok) {
        const { errorType, queryCode, message } = answer.error;
        throw deliveryError(NOT_FOUND.has(queryCode) ? queryCode : errorType, message);
      }
    },
    async putRecord(streamArn: string, data: string, partitionKey: string) {
      const arn = parseArn(streamArn);
      if (!arn || arn.service !== 'kinesis' || !arn.resource.startsWith('stream/')) {
        throw new TargetDeliveryError('RESOURCE_NOT_FOUND', `${streamArn} is not a Kinesis stream ARN`, false);
      }
      const streamName = arn.resource.slice('stream/'.length);
      try {
        await puts.put(streamName, Buffer.from(data, 'utf8'), partitionKey);
      } catch (error) {
        if (error instanceof KinesisServiceError) {
          if (error.name === 'ProvisionedThroughputExceededException') options.activity?.writesThrottled(streamName, 1);
          throw deliveryError(error.name, error.message);
        }
        throw new TargetDeliveryError('SDK_CLIENT_ERROR', `kinesis-local did not answer: ${(error as Error).message}`, true);
      }
      options.activity?.recordsPut(streamName);
    },
    invokeAsync: (functionArn, payload) => options.invokeAsync(functionArn, payload),
    close() {
      sqs.close();
    },
  };
}

/** An emulator's error answer as EventBridge reports it: a missing target is final, anything else is retried. */
function deliveryError(type: string, message: string): TargetDeliveryError {
  if (NOT_FOUND.has(type)) return new TargetDeliveryError('RESOURCE_NOT_FOUND', `${type}: ${message}`, false);
  if (THROTTLED.has(type)) return new TargetDeliveryError('THROTTLING', `${type}: ${message}`, true);
  return new TargetDeliveryError('SDK_CLIENT_ERROR', `${type}: ${message}`, true);
}
