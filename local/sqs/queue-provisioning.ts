/**
 * Creates the template's AWS::SQS::Queue resources in fauxqs, named and addressed as `Ref` / `Fn::GetAtt` resolve
 * them locally. Dead-letter queues are created before the queues whose RedrivePolicy names them.
 *
 * Kept from the template: QueueName (or the generated name), FifoQueue, ContentBasedDeduplication,
 * DeduplicationScope, FifoThroughputLimit, VisibilityTimeout, MessageRetentionPeriod, ReceiveMessageWaitTimeSeconds,
 * DelaySeconds, MaximumMessageSize, RedrivePolicy (deadLetterTargetArn, maxReceiveCount), RedriveAllowPolicy and Tags.
 * Encryption settings are stored by fauxqs but nothing is encrypted; MessageRetentionPeriod is stored, not enforced.
 * With a time scale, VisibilityTimeout (30 s when the template has none), DelaySeconds and
 * ReceiveMessageWaitTimeSeconds are scaled to whole seconds (see `time-scale.ts`).
 */
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { IntrinsicResolver } from '../assembly/intrinsics';
import { TimeScale } from '../shared/time-scale';
import type { QueueAddressing } from './queue-addressing';
import { isRecord } from '../shared/json';

/** A queue of the template as it runs locally. */
export interface LocalQueue {
  readonly logicalId: string;
  readonly name: string;
  /** The queue's ARN in the stack's account (what `Fn::GetAtt Queue.Arn` resolves to). */
  readonly arn: string;
  /** The URL clients use: on the edge (what `Ref` resolves to). */
  readonly url: string;
  readonly fifo: boolean;
  /** The visibility timeout the queue runs with (the template's, time-scaled). */
  readonly visibilityTimeoutSeconds: number;
  /** The RedrivePolicy's dead-letter queue. */
  readonly deadLetterTargetArn?: string;
  readonly maxReceiveCount?: number;
}

/** A queue of the template has a property the local runtime cannot read. */
export class QueueDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueDefinitionError';
  }
}

const QUEUE_TYPE = 'AWS::SQS::Queue';
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
/** Template properties passed to CreateQueue as attributes of the same name, rendered as strings. */
const PLAIN_ATTRIBUTES = [
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'DelaySeconds',
  'MaximumMessageSize',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
];

interface QueueInput {
  readonly queue: LocalQueue;
  readonly attributes: Record<string, string>;
  readonly tags: Record<string, string>;
}

/**
 * Creates every AWS::SQS::Queue of the template (whose condition holds) through `sqs` (a client on fauxqs, in the
 * stack's region). A queue that already exists with the same attributes is kept.
 */
export async function createQueues(options: {
  readonly sqs: SQSClient;
  readonly template: CfnTemplate;
  readonly resolver: IntrinsicResolver;
  readonly addressing: QueueAddressing;
  /**
   * Scales the queues' VisibilityTimeout, DelaySeconds and ReceiveMessageWaitTimeSeconds.
   *
   * @default TimeScale.REAL_TIME
   */
  readonly timeScale?: TimeScale;
}): Promise<LocalQueue[]> {
  const { template, resolver, addressing } = options;
  const timeScale = options.timeScale ?? TimeScale.REAL_TIME;
  const inputs = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === QUEUE_TYPE)
    .filter(([, resource]) => resource.Condition === undefined || resolver.conditionHolds(resource.Condition))
    .map(([logicalId, resource]) => queueInput(logicalId, resource.Properties ?? {}, resolver, addressing, timeScale));

  // Dead-letter queues first: create in rounds, each queue once its dead-letter queue (if one of ours) exists.
  const arnsOfOurs = new Set(inputs.map((input) => input.queue.arn));
  const created = new Set<string>();
  let pending = inputs;
  while (pending.length > 0) {
    const ready = pending.filter(({ queue }) => queue.deadLetterTargetArn === undefined || !arnsOfOurs.has(queue.deadLetterTargetArn) || created.has(queue.deadLetterTargetArn));
    const round = ready.length > 0 ? ready : pending; // a redrive cycle: create the rest anyway
    await Promise.all(
      round.map(({ queue, attributes, tags }) =>
        options.sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes, ...(Object.keys(tags).length > 0 ? { tags } : {}) })),
      ),
    );
    for (const { queue } of round) created.add(queue.arn);
    pending = pending.filter((input) => !round.includes(input));
  }
  return inputs.map((input) => input.queue);
}

function queueInput(logicalId: string, rawProperties: Record<string, unknown>, resolver: IntrinsicResolver, addressing: QueueAddressing, timeScale: TimeScale): QueueInput {
  const properties = resolver.resolve(rawProperties);
  if (!isRecord(properties)) throw new QueueDefinitionError(`${logicalId}: Properties is not an object`);
  const name = resolver.resolveString({ 'Fn::GetAtt': [logicalId, 'QueueName'] });
  const arn = resolver.resolveString({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  const url = resolver.resolveString({ Ref: logicalId });

  const attributes: Record<string, string> = {};
  for (const attribute of PLAIN_ATTRIBUTES) {
    const value = properties[attribute];
    if (value !== undefined && value !== null) attributes[attribute] = String(value);
  }
  if (!timeScale.isRealTime) {
    attributes.VisibilityTimeout ??= String(DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    for (const attribute of TimeScale.QUEUE_WAIT_ATTRIBUTES) {
      const seconds = Number(attributes[attribute]);
      if (attributes[attribute] !== undefined && Number.isFinite(seconds)) attributes[attribute] = String(timeScale.queueSeconds(attribute, seconds));
    }
  }
  const redrive = redrivePolicy(logicalId, properties.RedrivePolicy);
  if (redrive) {
    attributes.RedrivePolicy = addressing.fauxqsArns(JSON.stringify({ deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: redrive.maxReceiveCount }));
  }
  if (properties.RedriveAllowPolicy !== undefined) {
    const policy = properties.RedriveAllowPolicy;
    attributes.RedriveAllowPolicy = addressing.fauxqsArns(typeof policy === 'string' ? policy : JSON.stringify(policy));
  }
  const tags: Record<string, string> = {};
  if (Array.isArray(properties.Tags)) {
    for (const tag of properties.Tags) {
      if (isRecord(tag) && typeof tag.Key === 'string') tags[tag.Key] = String(tag.Value ?? '');
    }
  }
  const visibility = Number(attributes.VisibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
  return {
    queue: {
      logicalId,
      name,
      arn,
      url,
      fifo: String(properties.FifoQueue) === 'true',
      visibilityTimeoutSeconds: Number.isFinite(visibility) ? visibility : DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
      ...(redrive ? { deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: redrive.maxReceiveCount } : {}),
    },
    attributes,
    tags,
  };
}

/** A RedrivePolicy (an object, or its JSON text) → its dead-letter queue ARN and receive count. */
function redrivePolicy(logicalId: string, value: unknown): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
  if (value === undefined || value === null) return undefined;
  let policy: unknown = value;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch {
      throw new QueueDefinitionError(`${logicalId}.RedrivePolicy is not JSON: ${value}`);
    }
  }
  if (!isRecord(policy) || typeof policy.deadLetterTargetArn !== 'string') {
    throw new QueueDefinitionError(`${logicalId}.RedrivePolicy needs a deadLetterTargetArn`);
  }
  const maxReceiveCount = Number(policy.maxReceiveCount);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
    throw new QueueDefinitionError(`${logicalId}.RedrivePolicy.maxReceiveCount must be a whole number of at least 1, got ${String(policy.maxReceiveCount)}`);
  }
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount };
}
