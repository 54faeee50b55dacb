#!/usr/bin/env node
/**
 * Moves the messages of a dead-letter queue back to the queue they failed in, with SQS's StartMessageMoveTask, and
 * follows the task until it ends.
 *
 *   npm run redrive -- NotificationsQueue                 # a queue name (or a unique part of one), URL or ARN
 *   npm run redrive -- NotificationsQueueUrl --outputs cdk-outputs.json   # a stack output naming the queue
 *   npm run redrive -- HybridShop-NotificationsDlq1A2B3C4D                # the dead-letter queue itself
 *   npm run redrive -- payments --rate 10 --endpoint http://127.0.0.1:4566
 *
 * `<queue>` is a queue with a redrive policy (its dead-letter queue is emptied) or a dead-letter queue. Where the
 * calls go: `--endpoint`, else AWS_ENDPOINT_URL (the local runtime, LocalStack…), else AWS (AWS_REGION and your
 * credentials). Against an endpoint without credentials in the environment, the local `test`/`test` pair is used.
 * Flags: `--outputs <file>` (default: ./cdk-outputs.json when it exists) and `--stack <name>` (default HybridShop) to
 * read stack outputs; `--rate <n>` messages per second (MaxNumberOfMessagesPerSecond, default: as fast as SQS
 * goes); `--to <queue>` a destination other than the source queue.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export interface RedriveOptions {
  /** A queue name (or a unique part of one), URL, ARN, or the name of a stack output holding one. */
  readonly queue: string;
  readonly sqs: SQSClient;
  /**
   * Stack outputs `<queue>` may name.
   *
   * @default - no outputs: `<queue>` names the queue itself
   */
  readonly outputs?: Readonly<Record<string, string>>;
  /**
   * Another destination queue (name, URL or ARN).
   *
   * @default - each message goes back to its source queue
   */
  readonly to?: string;
  /**
   * MaxNumberOfMessagesPerSecond.
   *
   * @default - as fast as SQS moves them
   */
  readonly ratePerSecond?: number;
  /**
   * How often the task's progress is read.
   *
   * @default 500
   */
  readonly pollIntervalMs?: number;
  /**
   * Where progress lines go.
   *
   * @default console.log
   */
  readonly log?: (line: string) => void;
}

export interface RedriveResult {
  readonly deadLetterQueueArn: string;
  /** The source queue(s) the messages go back to, or the `--to` queue. */
  readonly destinations: readonly string[];
  readonly status: 'COMPLETED' | 'CANCELLED' | 'FAILED' | 'NOTHING_TO_MOVE';
  readonly moved: number;
  readonly failureReason?: string;
}

/** `<queue>` names no queue, or one that has no dead-letter queue and is none. */
export class RedriveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedriveError';
  }
}

interface Queue {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly visible: number;
  readonly deadLetterTargetArn?: string;
}

const nameOf = (urlOrArn: string) => urlOrArn.slice(Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':')) + 1);

async function describe(sqs: SQSClient, url: string): Promise<Queue> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy', 'ApproximateNumberOfMessages'] }),
  );
  const policy = attributes.RedrivePolicy ? (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }) : undefined;
  return {
    url,
    arn: attributes.QueueArn ?? '',
    name: nameOf(url),
    visible: Number(attributes.ApproximateNumberOfMessages ?? '0'),
    ...(policy?.deadLetterTargetArn ? { deadLetterTargetArn: policy.deadLetterTargetArn } : {}),
  };
}

/** The URL of the queue `ref` names: an output, a URL, an ARN, a name, or a unique part of a name. */
async function queueUrlOf(sqs: SQSClient, ref: string, outputs: Readonly<Record<string, string>>): Promise<string> {
  const value = outputs[ref] ?? ref;
  if (/^https?:\/\//.test(value)) return value;
  const name = value.startsWith('arn:') ? nameOf(value) : value;
  try {
    const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (url) return url;
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist)) throw error;
  }
  // Generated names (`HybridShop-NotificationsQueue1A2B3C4D`) are long: accept a unique part of one.
  const { QueueUrls: urls = [] } = await sqs.send(new ListQueuesCommand({}));
  const candidates = urls.filter((url) => nameOf(url).toLowerCase().includes(name.toLowerCase()));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    // `notifications` matches a queue and its dead-letter queue: take the one with a redrive policy.
    const sources = (await Promise.all(candidates.map((url) => describe(sqs, url)))).filter((queue) => queue.deadLetterTargetArn !== undefined);
    if (sources.length === 1) return sources[0].url;
    throw new RedriveError(`${ref} matches several queues: ${candidates.map(nameOf).join(', ')}; give the full name`);
  }
  throw new RedriveError(`no queue named ${ref}${outputs[ref] ? ` (output ${ref} = ${outputs[ref]})` : ''}`);
}

export async function redrive(options: RedriveOptions): Promise<RedriveResult> {
  const { sqs } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const outputs = options.outputs ?? {};
  const queue = await describe(sqs, await queueUrlOf(sqs, options.queue, outputs));

  let deadLetterQueue: Queue;
  let sources: string[];
  if (queue.deadLetterTargetArn !== undefined) {
    const dlqName = nameOf(queue.deadLetterTargetArn);
    const { QueueUrl: dlqUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
    deadLetterQueue = await describe(sqs, dlqUrl ?? dlqName);
    sources = [queue.name];
  } else {
    const { queueUrls = [] } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queue.url }));
    if (queueUrls.length === 0) throw new RedriveError(`${queue.name} has no dead-letter queue (no RedrivePolicy) and is no queue's dead-letter queue`);
    deadLetterQueue = queue;
    sources = queueUrls.map(nameOf);
  }
  const destination = options.to ? await describe(sqs, await queueUrlOf(sqs, options.to, outputs)) : undefined;
  const destinations = destination ? [destination.name] : sources;
  log(`redrive: ${deadLetterQueue.name} → ${destinations.join(', ')} (${deadLetterQueue.visible} message${deadLetterQueue.visible === 1 ? '' : 's'})`);
  if (deadLetterQueue.visible === 0) {
    log('✓ nothing to move');
    return { deadLetterQueueArn: deadLetterQueue.arn, destinations, status: 'NOTHING_TO_MOVE', moved: 0 };
  }

  await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: deadLetterQueue.arn,
      ...(destination ? { DestinationArn: destination.arn } : {}),
      ...(options.ratePerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: options.ratePerSecond } : {}),
    }),
  );
  log(`  task started${options.ratePerSecond !== undefined ? ` at ${options.ratePerSecond} messages/s` : ''}`);
  let reported = -1;
  for (;;) {
    const { Results: [task] = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueue.arn, MaxResults: 1 }));
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    if (moved !== reported) {
      log(`  moved ${moved} of ${task?.ApproximateNumberOfMessagesToMove ?? deadLetterQueue.visible}`);
      reported = moved;
    }
    const status = task?.Status;
    if (status === 'COMPLETED' || status === 'CANCELLED' || status === 'FAILED') {
      const result: RedriveResult = {
        deadLetterQueueArn: deadLetterQueue.arn,
        destinations,
        status,
        moved,
        ...(task?.FailureReason ? { failureReason: task.FailureReason } : {}),
      };
      log(
        status === 'COMPLETED'
          ? `✓ moved ${moved} message${moved === 1 ? '' : 's'} back to ${destinations.join(', ')}`
          : `✗ the move task ended ${status} after ${moved} message${moved === 1 ? '' : 's'}${task?.FailureReason ? `: ${task.FailureReason}` : ''}`,
      );
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 500));
  }
}

/** The command line: `<queue>` and its flags. */
export function parseRedriveArgs(argv: readonly string[]): { queue: string; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new RedriveError(`${arg} needs a value`);
    if (!['endpoint', 'outputs', 'stack', 'rate', 'region', 'to'].includes(arg.slice(2))) throw new RedriveError(`unknown flag ${arg}`);
    flags.set(arg.slice(2), value);
    i++;
  }
  if (positional.length !== 1) throw new RedriveError('usage: npm run redrive -- <queue> [--endpoint URL] [--outputs FILE] [--stack NAME] [--rate N] [--to QUEUE]');
  const rate = flags.get('rate');
  if (rate !== undefined && !/^[1-9]\d*$/.test(rate)) throw new RedriveError(`--rate is '${rate}': give a whole number of messages per second (1 to 500)`);
  return { queue: positional[0], flags };
}

/** Stack outputs from `--outputs` (or ./cdk-outputs.json when present) for `--stack`. */
function readOutputs(flags: Map<string, string>): Record<string, string> {
  const file = flags.get('outputs') ?? (existsSync('cdk-outputs.json') ? 'cdk-outputs.json' : undefined);
  if (file === undefined) return {};
  const stacks = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  return stacks[flags.get('stack') ?? 'HybridShop'] ?? {};
}

if (require.main === module) {
  (async () => {
    const { queue, flags } = parseRedriveArgs(process.argv.slice(2));
    const endpoint = flags.get('endpoint') ?? process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL;
    const region = flags.get('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
    if (region === undefined) throw new RedriveError('set AWS_REGION (or --region) to the region of the queue');
    const localCredentials = endpoint !== undefined && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
    const sqs = new SQSClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(localCredentials ? { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}),
    });
    try {
      const rate = flags.get('rate');
      const to = flags.get('to');
      const result = await redrive({ queue, sqs, outputs: readOutputs(flags), ...(rate ? { ratePerSecond: Number(rate) } : {}), ...(to ? { to } : {}) });
      if (result.status === 'FAILED' || result.status === 'CANCELLED') process.exitCode = 1;
    } finally {
      sqs.destroy();
    }
  })().catch((error: unknown) => {
    console.error(`redrive failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
