/**
 * StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask, which fauxqs lacks, served by the edge:
 * a task moves the messages of a dead-letter queue (SourceArn) back to a queue, at MaxNumberOfMessagesPerSecond
 * when given, and answers as SQS does (an opaque TaskHandle; task statuses RUNNING, CANCELLING, CANCELLED,
 * COMPLETED, FAILED; the number of messages moved and to move).
 *
 * How it differs from SQS:
 * - Without DestinationArn, SQS sends each message back to the queue it came from. fauxqs does not record that, so
 *   the destination is the queue whose RedrivePolicy names the dead-letter queue; with several such queues the
 *   task is refused (pass DestinationArn).
 * - The number to move is the dead-letter queue's visible messages when the task starts; the task ends when it has
 *   moved that many, or finds the queue empty.
 * - A message moved to a FIFO queue keeps its MessageGroupId; its MessageDeduplicationId becomes its MessageId,
 *   because fauxqs would drop a resend of the original id inside the 5-minute deduplication window.
 */
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { fauxqsQueueUrl } from './fauxqs-client';
import { parseArn, queueNameOf } from './queue-addressing';
import type { JsonObject } from '../shared/json';
import { SqsServiceError } from './sqs-json';

export type MoveTaskStatus = 'RUNNING' | 'CANCELLING' | 'CANCELLED' | 'COMPLETED' | 'FAILED';

interface MoveTask {
  readonly taskHandle: string;
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxPerSecond?: number;
  readonly startedTimestamp: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  failureReason?: string;
  /** Aborts when the task is cancelled (or the edge closes). */
  readonly cancel: AbortController;
  done: Promise<void>;
}

interface QueueFacts {
  readonly name: string;
  readonly url: string;
  readonly fifo: boolean;
  readonly visibleMessages: number;
  readonly deadLetterTargetName?: string;
}

/** Most tasks remembered per source queue (ListMessageMoveTasks returns at most 10). */
const HISTORY = 10;
const RECEIVE_VISIBILITY_SECONDS = 30;

export class MessageMoveTasks {
  private readonly tasks = new Map<string, MoveTask[]>();

  constructor(
    private readonly options: {
      /** An SDK client on fauxqs itself. */
      readonly sqs: SQSClient;
      readonly fauxqsEndpoint: string;
    },
  ) {}

  /** StartMessageMoveTask: `{ SourceArn, DestinationArn?, MaxNumberOfMessagesPerSecond? }` → `{ TaskHandle }`. */
  async start(input: JsonObject): Promise<JsonObject> {
    const sourceArn = requiredString(input, 'SourceArn');
    const destinationArn = optionalString(input, 'DestinationArn');
    const maxPerSecond = input.MaxNumberOfMessagesPerSecond;
    if (maxPerSecond !== undefined && (typeof maxPerSecond !== 'number' || !Number.isInteger(maxPerSecond) || maxPerSecond < 1 || maxPerSecond > 500)) {
      throw SqsServiceError.invalidParameter('Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.');
    }
    const source = await this.queueFacts(sourceArn, 'SourceArn');
    const destination = destinationArn !== undefined ? await this.queueFacts(destinationArn, 'DestinationArn') : await this.soleRedriveSource(source);
    if (source.fifo !== destination.fifo) {
      throw SqsServiceError.invalidParameter('The source queue and the destination queue must both be standard queues or both be FIFO queues.');
    }
    if (this.history(sourceArn).some((task) => task.status === 'RUNNING' || task.status === 'CANCELLING')) {
      throw SqsServiceError.unsupportedOperation('There is already a task running. Only one active task is allowed for a source queue at a time.');
    }
    const taskId = randomUUID();
    const task: MoveTask = {
      taskHandle: Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64'),
      sourceArn,
      ...(destinationArn !== undefined ? { destinationArn } : {}),
      ...(typeof maxPerSecond === 'number' ? { maxPerSecond } : {}),
      startedTimestamp: Date.now(),
      status: 'RUNNING',
      moved: 0,
      toMove: source.visibleMessages,
      cancel: new AbortController(),
      done: Promise.resolve(),
    };
    task.done = this.run(task, source, destination);
    const history = this.history(sourceArn);
    history.unshift(task);
    history.splice(HISTORY);
    this.tasks.set(sourceArn, history);
    return { TaskHandle: task.taskHandle };
  }

  /** CancelMessageMoveTask: `{ TaskHandle }` → `{ ApproximateNumberOfMessagesMoved }`. */
  async cancel(input: JsonObject): Promise<JsonObject> {
    const handle = requiredString(input, 'TaskHandle');
    const task = [...this.tasks.values()].flat().find((candidate) => candidate.taskHandle === handle);
    if (task === undefined) throw SqsServiceError.resourceNotFound('The task handle does not name a message move task.');
    if (task.status !== 'RUNNING') {
      throw SqsServiceError.unsupportedOperation(`The message move task is ${task.status}; only a RUNNING task can be cancelled.`);
    }
    task.cancel.abort();
    task.status = 'CANCELLING';
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  /** ListMessageMoveTasks: `{ SourceArn, MaxResults? }` → `{ Results }`, the most recent first. */
  async list(input: JsonObject): Promise<JsonObject> {
    const sourceArn = requiredString(input, 'SourceArn');
    const maxResults = input.MaxResults ?? 1;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10) {
      throw SqsServiceError.invalidParameter('Value for parameter MaxResults is invalid. Reason: Must be between 1 and 10.');
    }
    await this.queueFacts(sourceArn, 'SourceArn');
    return {
      Results: this.history(sourceArn)
        .slice(0, maxResults)
        .map((task) => ({
          ...(task.status === 'RUNNING' ? { TaskHandle: task.taskHandle } : {}),
          Status: task.status,
          SourceArn: task.sourceArn,
          ...(task.destinationArn !== undefined ? { DestinationArn: task.destinationArn } : {}),
          ...(task.maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: task.maxPerSecond } : {}),
          ApproximateNumberOfMessagesMoved: task.moved,
          ApproximateNumberOfMessagesToMove: task.toMove,
          ...(task.failureReason !== undefined ? { FailureReason: task.failureReason } : {}),
          StartedTimestamp: task.startedTimestamp,
        })),
    };
  }

  /** Cancels every running task and waits for them to stop. */
  async close(): Promise<void> {
    const running = [...this.tasks.values()].flat().filter((task) => task.status === 'RUNNING' || task.status === 'CANCELLING');
    for (const task of running) task.cancel.abort();
    await Promise.all(running.map((task) => task.done));
  }

  private history(sourceArn: string): MoveTask[] {
    return this.tasks.get(sourceArn) ?? [];
  }

  private async run(task: MoveTask, source: QueueFacts, destination: QueueFacts): Promise<void> {
    const { sqs } = this.options;
    const intervalMs = task.maxPerSecond !== undefined ? 1000 / task.maxPerSecond : 0;
    let nextSendAt = performance.now();
    try {
      while (!task.cancel.signal.aborted && task.moved < task.toMove) {
        const { Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: source.url,
            MaxNumberOfMessages: Math.min(10, task.toMove - task.moved),
            WaitTimeSeconds: 0,
            VisibilityTimeout: RECEIVE_VISIBILITY_SECONDS,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (messages.length === 0) break;
        for (const [index, message] of messages.entries()) {
          await pause(nextSendAt - performance.now(), task.cancel.signal);
          if (task.cancel.signal.aborted) {
            await this.release(source.url, messages.slice(index));
            break;
          }
          nextSendAt = Math.max(nextSendAt, performance.now()) + intervalMs;
          await this.move(message, source.url, destination);
          task.moved++;
        }
      }
      task.status = task.cancel.signal.aborted ? 'CANCELLED' : 'COMPLETED';
    } catch (error) {
      task.status = 'FAILED';
      task.failureReason = (error as Error).name === 'QueueDoesNotExist' ? 'AWS.SimpleQueueService.NonExistentQueue' : `InternalError: ${(error as Error).message}`;
    }
  }

  private async move(message: Message, sourceUrl: string, destination: QueueFacts): Promise<void> {
    const { sqs } = this.options;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: destination.url,
        MessageBody: message.Body ?? '',
        ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0 ? { MessageAttributes: message.MessageAttributes } : {}),
        ...(destination.fifo
          ? { MessageGroupId: message.Attributes?.MessageGroupId ?? 'default', MessageDeduplicationId: message.MessageId ?? randomUUID() }
          : {}),
      }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: sourceUrl, ReceiptHandle: message.ReceiptHandle }));
  }

  /** Makes received but unmoved messages visible again at once. */
  private async release(sourceUrl: string, messages: readonly Message[]): Promise<void> {
    for (const message of messages) {
      await this.options.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: sourceUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })).catch(() => undefined);
    }
  }

  /** The queue an ARN names, as fauxqs has it; ResourceNotFoundException when there is none. */
  private async queueFacts(arn: string, parameter: string): Promise<QueueFacts> {
    const parsed = parseArn(arn);
    if (parsed?.service !== 'sqs') throw SqsServiceError.invalidParameter(`Value ${arn} for parameter ${parameter} is invalid. Reason: not an SQS queue ARN.`);
    return this.namedQueueFacts(queueNameOf(arn), parameter);
  }

  private async namedQueueFacts(name: string, parameter: string): Promise<QueueFacts> {
    const url = fauxqsQueueUrl(this.options.fauxqsEndpoint, name);
    try {
      const { Attributes: attributes = {} } = await this.options.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['FifoQueue', 'RedrivePolicy', 'ApproximateNumberOfMessages'] }),
      );
      const redrive = parseRedrivePolicy(attributes.RedrivePolicy);
      return {
        name,
        url,
        fifo: attributes.FifoQueue === 'true',
        visibleMessages: Number(attributes.ApproximateNumberOfMessages ?? '0'),
        ...(redrive ? { deadLetterTargetName: queueNameOf(redrive.deadLetterTargetArn) } : {}),
      };
    } catch (error) {
      if (error instanceof QueueDoesNotExist) throw SqsServiceError.resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`);
      throw error;
    }
  }

  /** The one queue whose RedrivePolicy names `deadLetterQueue`. */
  private async soleRedriveSource(deadLetterQueue: QueueFacts): Promise<QueueFacts> {
    const sources = await deadLetterSources(this.options.sqs, this.options.fauxqsEndpoint, deadLetterQueue.name);
    if (sources.length === 0) throw SqsServiceError.invalidParameter('Source queue must be configured as a Dead Letter Queue.');
    if (sources.length > 1) {
      throw SqsServiceError.unsupportedOperation(
        `${deadLetterQueue.name} is the dead-letter queue of ${sources.join(', ')}; the local runtime does not know which queue each message came from: pass DestinationArn`,
      );
    }
    return this.namedQueueFacts(sources[0], 'SourceArn');
  }
}

/** The names of the queues whose RedrivePolicy names `deadLetterQueueName` (ListDeadLetterSourceQueues). */
export async function deadLetterSources(sqs: SQSClient, fauxqsEndpoint: string, deadLetterQueueName: string): Promise<string[]> {
  const { QueueUrls: urls = [] } = await sqs.send(new ListQueuesCommand({}));
  const sources: string[] = [];
  for (const url of urls) {
    const name = queueNameOf(url);
    const { Attributes: attributes = {} } = await sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: fauxqsQueueUrl(fauxqsEndpoint, name), AttributeNames: ['RedrivePolicy'] }))
      .catch(() => ({ Attributes: {} as Record<string, string> }));
    const redrive = parseRedrivePolicy(attributes.RedrivePolicy);
    if (redrive && queueNameOf(redrive.deadLetterTargetArn) === deadLetterQueueName) sources.push(name);
  }
  return sources.sort();
}

function parseRedrivePolicy(text: string | undefined): { readonly deadLetterTargetArn: string } | undefined {
  if (text === undefined) return undefined;
  try {
    const policy: unknown = JSON.parse(text);
    if (typeof policy === 'object' && policy !== null && 'deadLetterTargetArn' in policy && typeof policy.deadLetterTargetArn === 'string') {
      return { deadLetterTargetArn: policy.deadLetterTargetArn };
    }
  } catch {
    // not a policy
  }
  return undefined;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function requiredString(input: JsonObject, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw SqsServiceError.missingParameter(name);
  if (typeof value !== 'string') throw SqsServiceError.invalidParameter(`Value for parameter ${name} is invalid. Reason: must be a string.`);
  return value;
}

function optionalString(input: JsonObject, name: string): string | undefined {
  return input[name] === undefined || input[name] === null ? undefined : requiredString(input, name);
}
