/**
 * The local runtime: runs the synthesized CDK app (`cdk.out`: the template and the Lambda bundles) on one machine,
 * with no Docker and no AWS account. See DESIGN.md, "The local runtime", and the README's "Where it differs from AWS".
 *
 * Time scale (`timeScale`, `--time-scale`, `LOCAL_TIME_SCALE`): multiplies the waits that exist only to let time
 * pass, so redeliveries, dead letters and retries play out in seconds:
 * - SQS queues of the template, at provisioning: VisibilityTimeout (30 s when the template has none), DelaySeconds
 *   and ReceiveMessageWaitTimeSeconds. fauxqs takes whole seconds there, so the scaled value is rounded to the
 *   nearest second and is at least 1 s unless it was 0 (18 s × 0.05 → 1 s).
 * - SQS calls through the edge: the VisibilityTimeout of ChangeMessageVisibility(Batch) and ReceiveMessage, the
 *   DelaySeconds of SendMessage(Batch). fauxqs takes fractions there: rounded to the millisecond, at least 1 ms
 *   unless 0.
 * - Retry backoffs: EventBridge target retries, Lambda asynchronous retries after a function error, Kinesis event
 *   source mapping retries.
 * - CloudWatch alarm periods and evaluation, and the ages published as metrics (see `time-scale.ts`).
 * Never scaled: function and init timeouts, API Gateway's timeout, anything a handler measures, event and record
 * ages, batching windows, throttle backoffs and the pollers' intervals. See `time-scale.ts`.
 *
 * CloudWatch: the services' reports become the metrics AWS publishes (`metrics/runtime-metrics.ts`), the functions'
 * embedded-metric-format lines too; every alarm and composite alarm of the template is evaluated against them
 * (`cloudwatch/`), each state change logged as a `⏰` line, and CloudWatch's API is served on the edge.
 *
 * Reloads (`reload`, what `npm start -- --watch` uses): a new synth of the same app runs without a restart, the
 * emulators and their data kept; what needs a restart is named instead. See `runtime-reload.ts`.
 *
 * Hops (`onHop`): every trace line that moves something (an API request, an event put on a bus, a delivery, a
 * handler started on a message, record or asynchronous event) is also handed to listeners as a `Hop`, with the time
 * since the PutEvents call for the consumes of EventBridge events. See `hop-trace.ts`.
 */
import { contractsService, defaultContractsDir } from '../contracts/contracts-service';
import { startConsole } from '../console/start-console';
import { kinesisBackendFromEnv } from '../kinesis/kinesis-backend';
import { ADMIN_CREDENTIALS } from '../lambda/local-credentials';
import { runtimeCpuUsage } from './cpu-usage';
import { stopEmulatorsAhead } from './emulators-ahead';
import { findLocalResource } from './local-resource-lookup';
import type { LocalRuntime, LocalRuntimeOptions } from './local-runtime';
import { provisionResources } from './provision-resources';
import { readStack } from './read-stack';
import { runtimeControlService } from './runtime-control-service';
import { runtimeReloader } from './runtime-reload';
import { resolveOutputs } from './stack-outputs';
import { listenApis, serveApis } from './start-apis';
import { startCloudWatch } from './start-cloudwatch';
import { startCognito } from './start-cognito';
import { startEdge } from './start-edge';
import { startEmulators } from './start-emulators';
import { startEventRouting } from './start-event-routing';
import { startFunctions } from './start-functions';
import { Startup } from './startup';

/**
 * Starts the runtime, one stage after the other, each given what the earlier ones built: the stack → the emulators
 * (in parallel) → the edge (listening, closed) → tables, user pools, queues and streams → Cognito → the REST APIs'
 * ports → the functions (workers start lazily, on first invocation) → the APIs served → event source mappings,
 * EventBridge and asynchronous invocation → CloudWatch → the edge opened. Each stage registers its services on the
 * edge as it builds them. Anything started is stopped again if a later stage fails; `stop()` stops in reverse order
 * (pollers first, emulators last).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const startup = new Startup({
    log: options.log ?? ((line: string) => console.log(line)),
    timeScale: options.timeScale ?? 1,
    ...(options.alarmTimeScale !== undefined ? { alarmTimeScale: options.alarmTimeScale } : {}),
  });
  try {
    const stack = readStack(options, startup);
    const emulators = await startEmulators(stack, startup, { kinesis: options.kinesis ?? kinesisBackendFromEnv(process.env), ahead: options.emulatorsAhead });
    const edge = await startEdge({ port: options.edgePort ?? 4566, stack, emulators }, startup);
    const resources = await provisionResources({ stack, emulators, edgeUrl: edge.url }, startup);
    const cognito = startCognito({ userPools: resources.userPools, edge: edge.server });
    const listening = await listenApis({ basePort: options.apiBasePort ?? 3000, stack, resources }, startup);
    const functions = startFunctions({ stack, resources, edge, rewrite: listening.rewrite, environmentOverrides: options.environmentOverrides ?? {} }, startup);
    const served = serveApis({ listening, stack, functions, cognito, edge: edge.server }, startup);
    const { mappings, events } = await startEventRouting(
      { stack, emulators, edge, resources, functions, ...(options.backgroundConcurrency !== undefined ? { backgroundConcurrency: options.backgroundConcurrency } : {}) },
      startup,
    );
    const alarms = startCloudWatch({ stack, emulators, resources, edge: edge.server }, startup);
    const outputs = resolveOutputs({ template: stack.template, resolver: resources.resolver, rewrite: listening.rewrite }, startup.log);

    const cpuUsage = runtimeCpuUsage({ mainThreadAtStartMs: startup.mainThreadCpuAtStartMs, lambda: functions.lambda, dynamoDb: emulators.dynamoDb, sqs: emulators.sqs, kinesis: emulators.kinesis });
    edge.server.register(
      runtimeControlService({
        facts: { stackName: stack.stackName, region: stack.region, timeScale: startup.timeScale.factor, edgeUrl: edge.url },
        settled: () => events.settled(),
        cpu: cpuUsage,
      }),
    );
    edge.server.register(contractsService({ dir: options.contractsDir ?? defaultContractsDir(options.assemblyDir) }));
    startConsole({
      edge: edge.server,
      facts: { stackName: stack.stackName, edgeUrl: edge.url, timeScale: startup.timeScale.factor, apis: listening.apis.map(({ name, url }) => ({ name, url })) },
      region: stack.region,
      credentials: ADMIN_CREDENTIALS,
      onHop: (listener) => startup.trace.onHop(listener),
      store: startup.store,
      timeScale: startup.timeScale,
      alarms,
      lambda: functions.lambda,
      mappings,
      queues: resources.queues,
      streams: resources.streams,
      userPools: resources.userPools,
      outputs,
    });
    edge.server.open();
    const reload = runtimeReloader({
      stackOptions: options,
      initial: { stack, resolver: resources.resolver, physical: resources.physical },
      resources,
      edgeUrl: edge.url,
      functions,
      listening,
      served,
    });

    let stopping: Promise<void> | undefined;
    return {
      edgeUrl: edge.url,
      apis: listening.apis,
      outputs,
      credentials: { accessKeyId: ADMIN_CREDENTIALS.accessKeyId, secretAccessKey: ADMIN_CREDENTIALS.secretAccessKey },
      setFault: (fn, fault) => functions.lambda.setFault(fn, fault),
      invocationCount: (fn) => functions.lambda.invocationCount(fn),
      queueUrl: (queue) => findLocalResource('queue', resources.queues, queue).url,
      stream: (stream) => {
        const found = findLocalResource('stream', resources.streams, stream);
        return { name: found.name, arn: found.arn };
      },
      setMappingEnabled: (mapping, enabled) => mappings.setEnabled(mapping, enabled),
      putEventsFault: (fault) => events.eventBridge.setPutEventsFault(fault),
      eventsSettled: () => events.settled(),
      timeScale: startup.timeScale.factor,
      onHop: (listener) => startup.trace.onHop(listener),
      cpuUsage,
      reload,
      stop: () => {
        stopping ??= startup.stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await startup.stopAll();
    if (options.emulatorsAhead) await stopEmulatorsAhead(options.emulatorsAhead);
    throw error;
  }
}
