/**
 * The console, built from the parts the start-up already has and registered on the edge (`console-service.ts`):
 * the one call the start-up makes.
 */
import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import type { AlarmEvaluator } from '../cloudwatch/alarm-evaluator';
import type { MetricStore } from '../cloudwatch/metric-store';
import type { LocalUserPool } from '../cognito/user-pool';
import type { EdgeServer } from '../edge/edge-server';
import type { RunningEventSourceMappings } from '../event-source-mappings/event-source-mappings';
import type { LambdaService } from '../lambda/lambda-service';
import { QueueSampler } from '../metrics/runtime-metrics';
import type { HopListener } from '../runtime/hop-trace';
import type { TimeScale } from '../shared/time-scale';
import type { LocalQueue } from '../sqs/queue-provisioning';
import { AlarmTransitions, ConsoleSnapshots } from './console-snapshot';
import { consoleService, CONSOLE_PATH, type ConsoleFacts } from './console-service';
import { orderPlacerFor, type OrderPlacer, type OrderPlacerUnavailableError } from './order-placer';

export interface ConsoleParts {
  readonly edge: EdgeServer;
  readonly facts: Omit<ConsoleFacts, 'contractsPath'>;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly onHop: (listener: HopListener) => () => void;
  readonly store: MetricStore;
  readonly timeScale: TimeScale;
  readonly alarms: AlarmEvaluator;
  readonly lambda: LambdaService;
  readonly mappings: RunningEventSourceMappings;
  readonly queues: readonly LocalQueue[];
  readonly streams: readonly { readonly name: string }[];
  readonly userPools: ReadonlyMap<string, LocalUserPool>;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Registers the console on the edge; returns its URL. */
export function startConsole(parts: ConsoleParts): string {
  const transitions = new AlarmTransitions();
  parts.alarms.onStateChange((change) => transitions.record(change));
  const snapshots = new ConsoleSnapshots(
    {
      metrics: parts.store,
      alarms: () => parts.alarms.describe(),
      functions: () => parts.lambda.summaries(),
      mappings: () =>
        parts.mappings.sources.map(({ config }) => ({
          logicalId: config.logicalId,
          source: config.kind === 'sqs' ? config.queueName : config.streamName,
          enabled: parts.mappings.isEnabled(config.logicalId),
        })),
      queues: parts.queues,
      streams: parts.streams,
      timeScale: parts.timeScale.factor,
      queueSampleIntervalMs: QueueSampler.intervalFor(parts.timeScale),
    },
    transitions,
  );
  let placer: OrderPlacer | OrderPlacerUnavailableError | undefined;
  parts.edge.register(
    consoleService({
      facts: { ...parts.facts, contractsPath: '/_local/contracts/' },
      snapshots,
      onHop: parts.onHop,
      placer: () => (placer ??= orderPlacerFor(parts.outputs, parts.userPools.values())),
      redrive: (queueName) => redrive(parts, queueName),
    }),
  );
  return `${parts.facts.edgeUrl}${CONSOLE_PATH}`;
}

/** StartMessageMoveTask on the edge for the DLQ `queueName`: its messages go back to the queues dead-lettering into it. */
async function redrive(parts: ConsoleParts, queueName: string): Promise<string> {
  const dlq = parts.queues.find((queue) => queue.name === queueName);
  if (dlq === undefined) throw new Error(`No queue ${queueName} in the stack`);
  if (!parts.queues.some((queue) => queue.deadLetterTargetArn === dlq.arn)) {
    throw new Error(`No queue's RedrivePolicy names ${queueName}: its messages have no source queue to go back to`);
  }
  // A copy: the SDK marks the credentials object it is given, and the runtime's is frozen.
  const credentials = { accessKeyId: parts.credentials.accessKeyId, secretAccessKey: parts.credentials.secretAccessKey };
  const sqs = new SQSClient({ endpoint: parts.facts.edgeUrl, region: parts.region, credentials, maxAttempts: 1 });
  try {
    const { TaskHandle: handle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    return handle ?? '';
  } finally {
    sqs.destroy();
  }
}
