/**
 * The start-up's event routing: the event source mappings (SQS and Kinesis pollers invoking the functions), then
 * EventBridge (buses, rules, targets, archives) with Lambda's asynchronous invocation (retries, destinations).
 * EventBridge's API, the Lambda Invoke API and the mappings' control register on the edge.
 */
import { backgroundConcurrencyFromEnv } from '../event-source-mappings/background-budget';
import { mappingControlService } from '../event-source-mappings/mapping-control-service';
import { readEventSourceMappings } from '../event-source-mappings/mapping-config';
import { lambdaInvoker } from '../event-source-mappings/mapping-invoker';
import { startEventSourceMappings, type RunningEventSourceMappings } from '../event-source-mappings/event-source-mappings';
import { eventBridgeEdgeService } from '../eventbridge/eventbridge-edge-service';
import { createLocalEventServices, type LocalEventServices } from '../eventbridge/local-event-services';
import { lambdaInvokeEdgeService } from '../lambda/async-invoke-api';
import { lambdaFunctions } from '../lambda/async-invoker';
import { MainThreadLag } from './main-thread-lag';
import type { Resources } from './provision-resources';
import type { StackToRun } from './read-stack';
import type { Emulators } from './start-emulators';
import type { RunningEdge } from './start-edge';
import type { RunningFunctions } from './start-functions';
import type { Startup } from './startup';

/** The Kinesis event source mappings' retry backoff at real time (see `kinesis-shard-consumer.ts`). */
const KINESIS_RETRY_INITIAL_MS = 100;
const KINESIS_RETRY_MAX_MS = 2_000;

export interface RunningEventRouting {
  readonly mappings: RunningEventSourceMappings;
  readonly events: LocalEventServices;
}

export async function startEventRouting(
  options: {
    readonly stack: StackToRun;
    readonly emulators: Emulators;
    readonly edge: RunningEdge;
    readonly resources: Resources;
    readonly functions: RunningFunctions;
    /** The mappings' cap on batches in flight (`BackgroundBudget`). @default - LOCAL_BACKGROUND_CONCURRENCY, or the cores */
    readonly backgroundConcurrency?: number;
  },
  startup: Startup,
): Promise<RunningEventRouting> {
  const { stack, emulators, edge, resources, functions } = options;
  const { lambda } = functions;
  const { log, timeScale, trace, metrics } = startup;

  const mappingConfigs = readEventSourceMappings(stack.template, resources.resolver);
  for (const s of mappingConfigs.skipped) log(`  ! event source mapping ${s.logicalId} not run locally: ${s.message}`);
  for (const w of mappingConfigs.warnings) log(`  ! event source mapping ${w.logicalId}: ${w.message}`);
  // The front door first: while the main thread lags, the mappings run one batch at a time.
  const frontDoor = new MainThreadLag();
  frontDoor.start();
  startup.onStop(async () => frontDoor.stop());
  const backgroundConcurrency = options.backgroundConcurrency ?? backgroundConcurrencyFromEnv(process.env);
  const mappings = await startEventSourceMappings({
    mappings: mappingConfigs.mappings,
    invoker: lambdaInvoker(lambda),
    sqs: resources.fauxqs,
    fauxqsEndpoint: emulators.sqs.endpoint,
    kinesis: resources.kinesisWire,
    activity: edge.streamActivity,
    onDelivery: (report) => {
      metrics.mappingDelivery(lambda.pool(report.functionName).config.functionName, report);
      trace.mappingDelivery(report);
    },
    onWarning: (logicalId, message) => log(`  ! event source mapping ${logicalId}: ${message}`),
    kinesisRetryBackoff: { initialMs: timeScale.ms(KINESIS_RETRY_INITIAL_MS), maxMs: timeScale.ms(KINESIS_RETRY_MAX_MS) },
    ...(backgroundConcurrency !== undefined ? { backgroundConcurrency } : {}),
    frontDoor,
  });
  startup.onStop(() => mappings.stop());
  edge.server.register(mappingControlService(mappings));
  const described = mappings.sources.map(
    ({ config }) => `${config.kind === 'sqs' ? config.queueName : config.streamName} → ${lambda.pool(config.functionRef).config.shortName}`,
  );
  startup.step(
    `${mappings.sources.length} event source mappings: ${described.join(', ') || '(none)'}; ` +
      `at most ${mappings.budget.limit} batches in flight, 1 while the main thread lags`,
  );

  const events = createLocalEventServices({
    template: stack.template,
    resolver: resources.resolver,
    physical: resources.physical,
    functions: functions.lambda.functions,
    lambda,
    fauxqsEndpoint: emulators.sqs.endpoint,
    kinesis: resources.kinesisWire,
    streamActivity: edge.streamActivity,
    region: stack.region,
    accountId: stack.accountId,
    partition: stack.partition,
    log,
    timeScale,
    onPublished: (event) => trace.eventPublished(event),
    onDelivery: (report, targetLabel) => {
      metrics.eventDelivery(report);
      trace.eventDelivery(report, targetLabel);
    },
    onAsyncReport: (report) => trace.asyncReport(report),
  });
  startup.onStop(async () => events.stop());
  edge.server.register(
    eventBridgeEdgeService(events.eventBridge, {
      callers: functions.callers,
      region: stack.region,
      accountId: stack.accountId,
      partition: stack.partition,
      onRefused: (refusal) => log(`  ! EventBridge: PutEvents refused, ${refusal.errorType}: ${refusal.message}`),
    }),
  );
  edge.server.register(lambdaInvokeEdgeService({ functions: lambdaFunctions(lambda), invoker: events.asyncInvoker }));
  startup.step(`EventBridge and Lambda async invocation: ${events.summary}`);
  return { mappings, events };
}
