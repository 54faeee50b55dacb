/**
 * Runs the template's event source mappings: an `SqsEventSource` per SQS mapping and a `KinesisEventSource` per
 * Kinesis mapping (disabled ones are not started; the Kinesis ones share their reads of a shard when they are at the
 * same place). Kinesis on-failure records go to SQS queues through fauxqs. Every mapping's batches share one
 * `BackgroundBudget`: the machine's cap on batches in flight, lower while the front door lags.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisWireClient } from '../kinesis/kinesis-wire-client';
import type { StreamActivity } from '../kinesis/stream-activity';
import { fauxqsQueueUrl } from '../sqs/fauxqs-client';
import { FauxqsWireClient } from '../sqs/sqs-json';
import { BackgroundBudget, type FrontDoorSignal } from './background-budget';
import type { DeliveryReport } from './delivery-report';
import { KinesisEventSource } from './kinesis-event-source';
import type { KinesisFailureRecord } from './kinesis-records';
import type { RetryBackoff } from './kinesis-shard-consumer';
import type { EventSourceMappingConfig } from './mapping-config';
import type { MappingInvoker } from './mapping-invoker';
import { SharedShardReads } from './shared-shard-reads';
import { SqsEventSource } from './sqs-event-source';

export interface EventSourceMappingsOptions {
  readonly mappings: readonly EventSourceMappingConfig[];
  readonly invoker: MappingInvoker;
  /** An SDK client on fauxqs (for the Kinesis mappings' on-failure records). */
  readonly sqs: SQSClient;
  /** fauxqs's own endpoint: the SQS mappings poll it over its JSON protocol (`FauxqsWireClient`). */
  readonly fauxqsEndpoint: string;
  /**
   * What the SQS mappings poll with, closed on `stop()`.
   *
   * @default - a FauxqsWireClient on `fauxqsEndpoint`
   */
  readonly sqsPolling?: Pick<FauxqsWireClient, 'call' | 'close'>;
  /**
   * A client on kinesis-local.
   *
   * @default - Kinesis mappings are not started (each is reported as a warning)
   */
  readonly kinesis?: KinesisWireClient;
  /**
   * Wakes idle Kinesis shards when records are put (through the edge, or by an EventBridge target).
   *
   * @default - idle shards are read every `kinesisIdlePollMs`
   */
  readonly activity?: StreamActivity;
  /**
   * Receives one report per delivery.
   *
   * @default - no reports
   */
  readonly onDelivery?: (report: DeliveryReport) => void;
  /**
   * Receives problems: a mapping that cannot start, a queue that cannot be read…
   *
   * @default - problems are dropped
   */
  readonly onWarning?: (logicalId: string, message: string) => void;
  /**
   * WaitTimeSeconds of the SQS pollers' receives.
   *
   * @default 1
   */
  readonly sqsWaitTimeSeconds?: number;
  /**
   * How long an idle Kinesis shard waits before it is read again.
   *
   * @default 1000
   */
  readonly kinesisIdlePollMs?: number;
  /**
   * Backoff between retries of a failed Kinesis batch.
   *
   * @default { initialMs: 100, maxMs: 2000 }
   */
  readonly kinesisRetryBackoff?: RetryBackoff;
  /**
   * Most batches in flight at once across every mapping (`BackgroundBudget`).
   *
   * @default - the machine's cores
   */
  readonly backgroundConcurrency?: number;
  /**
   * When the front door lags: then the mappings run one batch at a time.
   *
   * @default - never
   */
  readonly frontDoor?: FrontDoorSignal;
}

export type EventSource = SqsEventSource | KinesisEventSource;

export interface RunningEventSourceMappings {
  /** The mappings that started (a mapping disabled since then is still listed). */
  readonly sources: readonly EventSource[];
  /** The cap every mapping's batches share. */
  readonly budget: BackgroundBudget;
  /**
   * What `UpdateEventSourceMapping --enabled/--no-enabled` does, for an SQS mapping named by its logical id, its
   * function's short name or its queue's name: disabled, it stops polling (messages wait in the queue, growing its
   * age); enabled again, it polls from where the queue is, once the deliveries of the disabled pollers have ended, so
   * the mapping never runs more than its MaximumConcurrency at once. The last call wins. Resolves once the change is in
   * effect.
   */
  setEnabled(mapping: string, enabled: boolean): Promise<void>;
  /** Whether a mapping (as `setEnabled` names it) is polling now. */
  isEnabled(mapping: string): boolean;
  /** Stops every poller and shard consumer. */
  stop(): Promise<void>;
}

/** `setEnabled` named no mapping, several, or one the local runtime cannot pause. */
export class MappingControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingControlError';
  }
}

/** An on-failure destination the local runtime cannot deliver to. */
export class UnsupportedDestinationError extends Error {
  constructor(readonly destinationArn: string) {
    super(`${destinationArn} is not an SQS queue: the local runtime sends on-failure records to SQS queues only`);
    this.name = 'UnsupportedDestinationError';
  }
}

export async function startEventSourceMappings(options: EventSourceMappingsOptions): Promise<RunningEventSourceMappings> {
  const { sqs, invoker } = options;
  const pollers = options.sqsPolling ?? new FauxqsWireClient(options.fauxqsEndpoint);
  const warn = (logicalId: string) => (message: string) => options.onWarning?.(logicalId, message);
  const sendFailureRecord = async (destinationArn: string, record: KinesisFailureRecord): Promise<void> => {
    if (destinationArn.split(':')[2] !== 'sqs') throw new UnsupportedDestinationError(destinationArn);
    const queueName = destinationArn.slice(destinationArn.lastIndexOf(':') + 1);
    await sqs.send(new SendMessageCommand({ QueueUrl: fauxqsQueueUrl(options.fauxqsEndpoint, queueName), MessageBody: JSON.stringify(record) }));
  };

  const budget = new BackgroundBudget({
    ...(options.backgroundConcurrency !== undefined ? { limit: options.backgroundConcurrency } : {}),
    ...(options.frontDoor ? { frontDoor: options.frontDoor } : {}),
  });
  const sharedReads = new SharedShardReads();
  const sqsSource = (config: Extract<EventSourceMappingConfig, { kind: 'sqs' }>) =>
    new SqsEventSource({
      config,
      queueUrl: fauxqsQueueUrl(options.fauxqsEndpoint, config.queueName),
      sqs: pollers,
      invoker,
      budget,
      ...(options.onDelivery ? { onDelivery: options.onDelivery } : {}),
      onWarning: warn(config.logicalId),
      ...(options.sqsWaitTimeSeconds !== undefined ? { waitTimeSeconds: options.sqsWaitTimeSeconds } : {}),
    });
  const sources: EventSource[] = [];
  for (const config of options.mappings) {
    if (!config.enabled) continue;
    let source: EventSource;
    if (config.kind === 'sqs') {
      source = sqsSource(config);
    } else {
      if (options.kinesis === undefined) {
        options.onWarning?.(config.logicalId, 'not started: the runtime has no Kinesis');
        continue;
      }
      source = new KinesisEventSource({
        config,
        kinesis: options.kinesis,
        // A shard's records wait in the stream: its invocations are gated, not its reads.
        invoker: budget.gate(invoker),
        sendFailureRecord,
        ...(options.activity ? { activity: options.activity } : {}),
        sharedReads,
        ...(options.onDelivery ? { onDelivery: options.onDelivery } : {}),
        onWarning: warn(config.logicalId),
        ...(options.kinesisIdlePollMs !== undefined ? { idlePollMs: options.kinesisIdlePollMs } : {}),
        ...(options.kinesisRetryBackoff !== undefined ? { retryBackoff: options.kinesisRetryBackoff } : {}),
      });
    }
    try {
      await source.start();
      sources.push(source);
    } catch (error) {
      await source.stop();
      options.onWarning?.(config.logicalId, `not started: ${(error as Error).message}`);
    }
  }
  // The source polling now for each mapping (by logical id); a disabled one has none.
  const running = new Map<string, EventSource>(sources.map((source) => [source.config.logicalId, source]));
  // Sources being paused, until their last delivery ends; and what the last setEnabled call asked, per mapping.
  const pausing = new Map<string, { readonly source: SqsEventSource; readonly done: Promise<void> }>();
  const wanted = new Map<string, boolean>();
  const find = (mapping: string): EventSource => {
    const matches = sources.filter(
      ({ config }) =>
        config.logicalId === mapping || (config.kind === 'sqs' && config.queueName === mapping) || invoker.describe(config.functionRef).shortName === mapping,
    );
    const names = sources.map(({ config }) => config.logicalId).join(', ');
    if (matches.length === 0) throw new MappingControlError(`no event source mapping ${mapping}; the running ones are ${names}`);
    if (matches.length > 1) throw new MappingControlError(`${mapping} names ${matches.length} event source mappings: use a logical id (${names})`);
    return matches[0];
  };
  let stopping: Promise<void> | undefined;
  return {
    sources,
    budget,
    isEnabled: (mapping) => running.has(find(mapping).config.logicalId),
    setEnabled: async (mapping, enabled) => {
      const { config } = find(mapping);
      if (config.kind !== 'sqs') {
        throw new MappingControlError(`${config.logicalId} reads a Kinesis stream: the local runtime pauses SQS mappings only`);
      }
      const id = config.logicalId;
      wanted.set(id, enabled);
      const current = running.get(id);
      if (!enabled) {
        running.delete(id);
        if (!(current instanceof SqsEventSource)) {
          await pausing.get(id)?.done;
          return;
        }
        const done = current.pause();
        pausing.set(id, { source: current, done });
        await done;
        if (pausing.get(id)?.source === current) pausing.delete(id);
        return;
      }
      // A new source starts only once the paused one's deliveries have ended: both at once could run twice the
      // mapping's MaximumConcurrency. Meanwhile a later call may have disabled it again, or another enabled it.
      await pausing.get(id)?.done;
      if (wanted.get(id) !== true || running.has(id) || stopping) return;
      const source = sqsSource(config);
      running.set(id, source);
      await source.start();
    },
    stop: () => {
      const sources = [...running.values(), ...[...pausing.values()].map(({ source }) => source)];
      if (stopping) return stopping;
      // Each source aborts as its stop() is called; then what still waits for a slot gives up.
      const stopped = sources.map((source) => source.stop());
      budget.close();
      stopping = Promise.all(stopped).then(() => pollers.close());
      return stopping;
    },
  };
}
