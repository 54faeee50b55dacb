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
 * Hops (`onHop`): every trace line that moves something (an API request, an event put on a bus, a delivery, a
 * handler started on a message, record or asynchronous event) is also handed to listeners as a `Hop`, with the time
 * since the PutEvents call for the consumes of EventBridge events. See `hop-trace.ts`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { callerDirectory, adminCaller, ApiCaller, CallerDirectory, functionCaller } from './iam/api-callers';
import { LocalApiEndpoint, rewriteExecuteApiUrl } from './apigateway/execute-api-urls';
import { readRolePolicies } from './iam/iam-policy';
import { FunctionInvoker, RestApiGateway } from './apigateway/rest-api-gateway';
import { readRestApis } from './apigateway/rest-api-model';
import { restApisEdgeService, RestApiServer } from './apigateway/rest-api-server';
import { readWebAcls, webAclNote } from './apigateway/web-acl-notes';
import { cognitoEdgeService } from './cognito/cognito-edge-service';
import { readUserPools, trustedPool } from './cognito/user-pools-from-template';
import { loadCloudAssembly, StackArtifact } from './assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver, ResolverContext, UnresolvableError } from './assembly/intrinsics';
import { createTables, startDynamoDb } from './dynamodb/dynamodb-local';
import { dynamoDbService } from './dynamodb/dynamodb-service';
import { EdgeServer } from './edge/edge-server';
import { eventBridgeEdgeService } from './eventbridge/eventbridge-edge-service';
import { createLocalEventServices, LocalEventServices } from './eventbridge/local-event-services';
import type { PutEventsFault } from './eventbridge/put-events-fault';
import { lambdaInvokeEdgeService } from './lambda/async-invoke-api';
import { lambdaFunctions } from './lambda/async-invoker';
import { localControlService } from './lambda/control-service';
import { withEnvironmentOverrides } from './lambda/environment-overrides';
import { readFunctionConfigs } from './lambda/function-config';
import { FunctionFault } from './lambda/function-fault';
import { LambdaService } from './lambda/lambda-service';
import { ADMIN_CREDENTIALS, functionCredentials } from './lambda/local-credentials';
import { formatFunctionOutput, formatInvocation } from './log-format';
import { startEventSourceMappings, type RunningEventSourceMappings } from './event-source-mappings/event-source-mappings';
import { mappingControlService } from './event-source-mappings/mapping-control-service';
import { runtimeControlService } from './runtime-control-service';
import { HopTrace, type HopListener } from './hop-trace';
import { readEventSourceMappings } from './event-source-mappings/mapping-config';
import { lambdaInvoker } from './event-source-mappings/mapping-invoker';
import { kinesisLocalClient } from './kinesis/kinesis-client';
import { KinesisWireClient } from './kinesis/kinesis-wire-client';
import { startKinesis } from './kinesis/kinesis-local';
import { kinesisService } from './kinesis/kinesis-service';
import { StreamActivity } from './kinesis/stream-activity';
import { createStreams } from './kinesis/stream-provisioning';
import { fauxqsClient } from './sqs/fauxqs-client';
import { findLocalResource } from './sqs/local-resource-lookup';
import { QueueAddressing } from './sqs/queue-addressing';
import { createQueues } from './sqs/queue-provisioning';
import { startSqs } from './sqs/sqs-local';
import { sqsService } from './sqs/sqs-service';
import { TimeScale } from './shared/time-scale';
import { AlarmEvaluator, type AlarmStateChange } from './cloudwatch/alarm-evaluator';
import { readAlarms } from './cloudwatch/alarm-model';
import { cloudWatchService } from './cloudwatch/cloudwatch-service';
import { parseEmfLine } from './cloudwatch/emf';
import { MetricStore } from './cloudwatch/metric-store';
import { QueueSampler, RuntimeMetrics } from './metrics/runtime-metrics';

export type { Hop, HopListener } from './hop-trace';
export { InvalidTimeScaleError } from './shared/time-scale';

export interface LocalRuntimeOptions {
  /** The cloud assembly folder, usually `cdk.out`. */
  readonly assemblyDir: string;
  /**
   * The stack to run.
   *
   * @default - the only stack of the assembly (an error names them when there are several)
   */
  readonly stackName?: string;
  /**
   * Port of the edge (AWS wire protocols, `/_local/`, LocalStack-style API paths); 0 picks a free port.
   *
   * @default 4566
   */
  readonly edgePort?: number;
  /**
   * Port of the first REST API; the next APIs take the following ports. 0 gives each API a free port.
   *
   * @default 3000
   */
  readonly apiBasePort?: number;
  /**
   * The region the stack pretends to run in (a stack pinned to a region keeps its own).
   *
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Where progress, invocation, request and function log lines go.
   *
   * @default console.log
   */
  readonly log?: (line: string) => void;
  /**
   * Multiplies the waits that exist only to let time pass (SQS visibility timeouts and delays, retry backoffs: see
   * the module's documentation), e.g. 0.05 to run them 20 times faster. A positive number.
   *
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * Environment variables set on top of the template's, by function (short name such as `OrdersPlaceOrder`, or
   * logical id): what `sam local invoke --env-vars` does, e.g. to run the bench with a setting the stack does not
   * have. A name that matches no function is an error.
   *
   * @default - the template's environment only
   */
  readonly environmentOverrides?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One REST API as served locally. */
export interface LocalApi {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  readonly stage: string;
  /** `http://127.0.0.1:{port}/{stage}/` */
  readonly url: string;
}

export interface LocalRuntime {
  readonly edgeUrl: string;
  readonly apis: readonly LocalApi[];
  /** The stack's outputs, resolved to local values (execute-api URLs rewritten to the local API ports). */
  readonly outputs: Readonly<Record<string, string>>;
  /** The admin pair, allowed everything (LocalStack's default `test`/`test`). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Injects a fault into a function's invocations (logical id, name, short name or ARN); undefined clears it. */
  setFault(fn: string, fault: FunctionFault | undefined): void;
  /** Invocations that reached a function so far (throttled ones excluded). */
  invocationCount(fn: string): number;
  /** The URL (on the edge) of a queue of the template: by logical id, unique logical id prefix, or queue name. */
  queueUrl(queue: string): string;
  /** A Kinesis stream of the template: by logical id, unique logical id prefix, or stream name. */
  stream(stream: string): { readonly name: string; readonly arn: string };
  /**
   * Pauses (`false`) or resumes (`true`) an SQS event source mapping, named by logical id, function short name or
   * queue name, as `UpdateEventSourceMapping --no-enabled` would: a stopped consumer. Also `POST
   * /_local/event-source-mappings/{mapping}` `{"enabled": false}` on the edge.
   */
  setMappingEnabled(mapping: string, enabled: boolean): Promise<void>;
  /** Makes chosen PutEvents entries fail (FailedEntryCount > 0), as `POST /_local/eventbridge/faults` does; undefined clears it. */
  putEventsFault(fault: PutEventsFault | undefined): void;
  /** Resolves once no EventBridge delivery (retries included) or asynchronous invocation is left, nor any they caused. */
  eventsSettled(): Promise<void>;
  /** The time scale the runtime runs with (1: real time). */
  readonly timeScale: number;
  /**
   * Calls `listener` with every hop from now on (an API request, an event put on a bus, a delivery, a handler started
   * on a message, record or asynchronous event); the returned function stops it. See `hop-trace.ts`.
   */
  onHop(listener: HopListener): () => void;
  /**
   * CPU time each part of the runtime has used since it started: where a load's CPU went. See `RuntimeCpuUsage`.
   */
  cpuUsage(): Promise<RuntimeCpuUsage>;
  /** Stops the event source mappings' pollers, terminates every worker, closes every server and stops the emulators. */
  stop(): Promise<void>;
}

/** CPU time (user + system, ms) used since the runtime started, by part. */
export interface RuntimeCpuUsage {
  /**
   * The thread that started the runtime and runs its event loop: API Gateway, the edge, DynamoDB (dynalite), EventBridge,
   * the event source mappings' pollers, CloudWatch. Undefined where Node.js cannot read one thread's CPU time.
   */
  readonly mainThreadMs?: number;
  /** Each function's execution environments (worker threads), by short name; gone environments included. */
  readonly functionsMs: Readonly<Record<string, number>>;
  /** fauxqs's worker thread (SQS). */
  readonly sqsMs: number;
  /** kinesis-local's child process (Kinesis); undefined where /proc cannot be read. */
  readonly kinesisMs?: number;
}

const ACCOUNT_ID = '000000000000';
/** The Kinesis event source mappings' retry backoff at real time (see `kinesis-shard-consumer.ts`). */
const KINESIS_RETRY_INITIAL_MS = 100;
const KINESIS_RETRY_MAX_MS = 2_000;
const PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';

/** CPU time (user + system, ms) of the calling thread; undefined on a Node.js without `process.threadCpuUsage`. */
function mainThreadCpuMs(): number | undefined {
  const read = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (typeof read !== 'function') return undefined;
  const { user, system } = read.call(process);
  return (user + system) / 1000;
}

/**
 * Starts the runtime: load the assembly → start dynalite, fauxqs and kinesis-local in parallel → the edge → local
 * physical ids → resolver → tables, queues and streams → REST APIs on their ports → functions (workers start lazily,
 * on first invocation) → event source mappings → EventBridge → resolved outputs.
 * Anything started is stopped again if a later step fails; `stop()` stops in reverse order (pollers first, emulators last).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeScale = new TimeScale(options.timeScale ?? 1);
  const trace = new HopTrace({ log });
  const mainThreadCpuAtStart = mainThreadCpuMs();
  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  let lastStep = performance.now();
  const step = (message: string) => {
    const now = performance.now();
    log(`✓ ${message} (${Math.round(now - lastStep)} ms)`);
    lastStep = now;
  };

  try {
    const stack = pickStack(loadCloudAssembly(path.resolve(options.assemblyDir)), options.stackName);
    const template = stack.template;
    const region = stack.region ?? options.region ?? 'us-east-1';
    const accountId = stack.account ?? ACCOUNT_ID;
    step(`cloud assembly: stack ${stack.stackName} (${Object.keys(template.Resources).length} resources) from ${stack.assemblyDir}`);

    // The emulators start in parallel: kinesis-local, a process of its own, takes the longest.
    const timed = async <T>(start: Promise<T>): Promise<{ value: T; ms: number }> => {
      const began = performance.now();
      const value = await start;
      return { value, ms: Math.round(performance.now() - began) };
    };
    const emulators = await Promise.allSettled([timed(startDynamoDb()), timed(startSqs({ region })), timed(startKinesis({ accountId, region }))]);
    for (const started of emulators) if (started.status === 'fulfilled') cleanups.push(() => started.value.value.stop());
    const [dynamoStart, sqsStart, kinesisStart] = emulators;
    if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
    if (sqsStart.status === 'rejected') throw sqsStart.reason;
    if (kinesisStart.status === 'rejected') throw kinesisStart.reason;
    const [dynamo, sqs, kinesis] = [dynamoStart.value.value, sqsStart.value.value, kinesisStart.value.value];
    step(
      `in parallel: DynamoDB (dynalite) on ${dynamo.endpoint} in ${dynamoStart.value.ms} ms, SQS (fauxqs) on ${sqs.endpoint} in ${sqsStart.value.ms} ms, ` +
        `Kinesis (kinesis-local) on ${kinesis.endpoint} in ${kinesisStart.value.ms} ms`,
    );

    // CPU by part, for `LocalRuntime.cpuUsage()` and `GET /_local/cpu`; the functions exist later.
    const cpuUsage = async (): Promise<RuntimeCpuUsage> => {
      const mainNow = mainThreadCpuMs();
      const kinesisMs = kinesis.cpuMs();
      return {
        ...(mainNow !== undefined && mainThreadCpuAtStart !== undefined ? { mainThreadMs: mainNow - mainThreadCpuAtStart } : {}),
        functionsMs: Object.fromEntries((await late.lambda?.cpuMsByFunction()) ?? []),
        sqsMs: await sqs.cpuMs(),
        ...(kinesisMs !== undefined ? { kinesisMs } : {}),
      };
    };

    // CloudWatch: every producer below writes into one store; the alarms are read once the resolver exists.
    const store = new MetricStore({ onWarning: (message) => log(`  ! CloudWatch: ${message}`) });
    const metrics = new RuntimeMetrics(store, timeScale);

    // The edge needs the functions and APIs, which need the edge URL: bind them late.
    const late: {
      lambda?: LambdaService;
      events?: LocalEventServices;
      mappings?: RunningEventSourceMappings;
      alarms?: AlarmEvaluator;
    } = {};
    const gateways = new Map<string, RestApiGateway>();
    // Who may sign what (the admin pair, each function's own key and role), known once the functions are read.
    let callers: CallerDirectory = callerDirectory([]);
    const edge = new EdgeServer();
    edge.register(
      eventBridgeEdgeService(() => late.events?.eventBridge, {
        callers: { find: (accessKeyId) => callers.find(accessKeyId) },
        region,
        accountId,
        partition: PARTITION,
        onRefused: (refusal) => log(`  ! EventBridge: PutEvents refused, ${refusal.errorType}: ${refusal.message}`),
      }),
    );
    // Before SQS: both speak the query protocol (CloudWatch's requests carry Version=2010-08-01).
    edge.register(cloudWatchService({ store, evaluator: () => late.alarms, region, accountId }));
    edge.register(
      lambdaInvokeEdgeService(() => (late.lambda && late.events ? { functions: lambdaFunctions(late.lambda), invoker: late.events.asyncInvoker } : undefined)),
    );
    edge.register(mappingControlService(() => late.mappings));
    edge.register(
      runtimeControlService({
        // Answered once the events services exist, which is after the edge listens (edgeUrl is set by then).
        facts: () => (late.events ? { stackName: stack.stackName, region, timeScale: timeScale.factor, edgeUrl } : undefined),
        settled: () => late.events?.settled(),
        cpu: () => (late.lambda ? cpuUsage() : undefined),
      }),
    );
    edge.register(localControlService(() => late.lambda));
    edge.register(restApisEdgeService(() => gateways));
    edge.register(dynamoDbService(dynamo.endpoint));
    const streamActivity = new StreamActivity();
    streamActivity.onPut((put) => metrics.streamPut(put));
    edge.register(kinesisService({ kinesisEndpoint: kinesis.endpoint, activity: streamActivity }));
    const { url: edgeUrl } = await edge.listen(options.edgePort ?? 4566, '127.0.0.1');
    cleanups.push(() => edge.close());
    // Queue URLs are on the edge, so the SQS service needs its URL.
    edge.register(sqsService({ fauxqsEndpoint: sqs.endpoint, edgeUrl, accountId, region, partition: PARTITION, timeScale }));
    step(`edge on ${edgeUrl} (DynamoDB, SQS, Kinesis, EventBridge, Lambda, CloudWatch, /_local/, REST APIs at /_aws/execute-api/{id}/{stage}/ and /restapis/{id}/{stage}/_user_request_/)`);

    const context: ResolverContext = {
      region,
      accountId,
      partition: PARTITION,
      urlSuffix: URL_SUFFIX,
      stackName: stack.stackName,
      stackId: `arn:${PARTITION}:cloudformation:${region}:${accountId}:stack/${stack.stackName}/${randomUUID()}`,
    };
    const physical = assignPhysicalIds(template, context, { edgeUrl });
    const resolver = new IntrinsicResolver(template, context, physical);
    const tables = await createTables(dynamo.endpoint, template, resolver);
    step(`${tables.length} DynamoDB tables: ${tables.join(', ') || '(none)'}`);

    // Cognito user pools: sign-in on the edge (cognito-idp), tokens checked by the APIs' COGNITO_USER_POOLS methods.
    const userPools = readUserPools(template, resolver, physical, edgeUrl);
    const poolsById = new Map([...userPools.values()].map((pool) => [pool.id, pool]));
    edge.register(cognitoEdgeService(() => poolsById));
    if (userPools.size > 0) {
      step(`${userPools.size} Cognito user pools: ${[...userPools.values()].map((pool) => `${pool.id} (${pool.config.clients.length} app clients)`).join(', ')}`);
    }
    // An authorizer names its pool by logical id (Fn::GetAtt [Pool, Arn]) or, from outside the stack, by ARN.
    const trustedPoolOf = (ref: string) => {
      const pool = userPools.get(ref) ?? [...userPools.values()].find((p) => ref.endsWith(`userpool/${p.id}`));
      return pool ? trustedPool(pool) : undefined;
    };

    const fauxqs = fauxqsClient(sqs.endpoint, region);
    cleanups.push(async () => fauxqs.destroy());
    const kinesisClient = kinesisLocalClient(kinesis.endpoint, region);
    cleanups.push(async () => kinesisClient.destroy());
    const kinesisWire = new KinesisWireClient(kinesis.endpoint);
    cleanups.push(async () => kinesisWire.close());
    const [queues, streams] = await Promise.all([
      createQueues({ sqs: fauxqs, template, resolver, addressing: new QueueAddressing({ edgeUrl, accountId, partition: PARTITION }), timeScale }),
      createStreams({ kinesis: kinesisClient, template, resolver }),
    ]);
    step(`${queues.length} SQS queues, ${streams.length} Kinesis streams: ${[...queues, ...streams].map((q) => q.name).join(', ') || '(none)'}`);
    if (!timeScale.isRealTime) {
      const visibilities = [...new Set(queues.map((q) => q.visibilityTimeoutSeconds))].sort((a, b) => a - b).join(', ');
      log(
        `  time scale ${timeScale.factor}: SQS visibility timeouts now ${visibilities || '-'} s; message delays, long polls and the ` +
          'EventBridge, Lambda async and Kinesis retry backoffs scaled too (function and API timeouts are not)',
      );
    }

    const invoker: FunctionInvoker = {
      invoke: (ref, event, invokeOptions) => requireLambda(late.lambda).invoke(ref, event, invokeOptions),
    };
    const functionLabel = (ref: string) => (late.lambda?.has(ref) ? late.lambda.pool(ref).config.shortName : ref);
    const apis: LocalApi[] = [];
    const endpoints: LocalApiEndpoint[] = [];
    const basePort = options.apiBasePort ?? 3000;
    const models = readRestApis(template, resolver, physical);
    for (const [index, model] of models.entries()) {
      const gateway = new RestApiGateway({
        model,
        invoker,
        callers: { find: (accessKeyId) => callers.find(accessKeyId) },
        region,
        accountId,
        partition: PARTITION,
        userPools: trustedPoolOf,
        onRequest: (report) => {
          metrics.apiRequest(report);
          trace.apiRequest(report, functionLabel);
        },
      });
      const server = new RestApiServer(gateway);
      const { url: origin } = await server.listen(basePort === 0 ? 0 : basePort + index, '127.0.0.1');
      cleanups.push(() => server.close());
      gateways.set(model.id, gateway);
      endpoints.push({ apiId: model.id, localOrigin: origin });
      const stage = [...model.stages.keys()][0] ?? 'prod';
      apis.push({ logicalId: model.logicalId, id: model.id, name: model.name, stage, url: `${origin}/${stage}/` });
    }
    step(`${apis.length} REST APIs: ${apis.map((api) => `${api.name} ${api.url}`).join(', ') || '(none)'}`);
    for (const acl of readWebAcls(template)) log(`  ! ${webAclNote(acl)}`);

    // Execute-API URLs (INVENTORY_API_URL, the *ApiUrl outputs) point at the local API ports instead.
    const rewrite = (value: string) => rewriteExecuteApiUrl(value, endpoints, region, URL_SUFFIX);
    const secretSeed = randomBytes(32).toString('hex');
    const read = readFunctionConfigs({
      template,
      resolver,
      physical,
      codeDir: (logicalId) => stack.lambdaCodeDir(logicalId),
      region,
      accountId,
      partition: PARTITION,
      endpointUrl: edgeUrl,
      credentialsFor: (logicalId) => functionCredentials(logicalId, secretSeed),
      rewriteValue: rewrite,
    });
    const { skipped, warnings } = read;
    const functions = withEnvironmentOverrides(read.functions, options.environmentOverrides ?? {});
    for (const s of skipped) log(`  ! function ${s.logicalId} not run locally: ${s.reason}`);
    for (const w of warnings) log(`  ! function ${w.logicalId}: ${w.message}`);
    const warnedEmf = new Set<string>();
    const lambda = new LambdaService(functions, {
      onOutput: (config, stream, line) => {
        // Lambda's log agent extracts embedded-metric-format lines into metrics; so does the runtime.
        if (stream === 'stdout' && line.includes('"_aws"')) {
          const emf = parseEmfLine(line);
          for (const datum of emf.datums) store.put(datum);
          if (emf.problem !== undefined && !warnedEmf.has(config.shortName)) {
            warnedEmf.add(config.shortName);
            log(`  ! ${config.shortName}: an embedded-metric-format line gave no metrics: ${emf.problem}`);
          }
        }
        log(formatFunctionOutput(config.shortName, stream, line));
      },
      onInvocation: (report) => {
        metrics.invocation(lambda.pool(report.logicalId).config.functionName, report);
        log(formatInvocation(report));
      },
    });
    late.lambda = lambda;
    cleanups.push(() => lambda.stop());

    const roles = readRolePolicies(template, resolver);
    for (const w of roles.warnings) log(`  ! IAM: ${w}`);
    const functionCallers: ApiCaller[] = functions.map((fn) =>
      functionCaller({
        credentials: fn.credentials,
        functionName: fn.functionName,
        roleName: fn.roleName ?? `${fn.functionName}-role`,
        roleId: (fn.roleLogicalId && physical.get(fn.roleLogicalId)?.attributes.RoleId) || 'AROALOCALROLE',
        accountId,
        partition: PARTITION,
        statements: (fn.roleLogicalId && roles.policies.get(fn.roleLogicalId)) || [],
      }),
    );
    callers = callerDirectory([adminCaller(ADMIN_CREDENTIALS, accountId, PARTITION), ...functionCallers]);
    step(`${functions.length} Lambda functions (workers start on first invocation): ${functions.map((f) => f.shortName).join(', ')}`);

    const mappingConfigs = readEventSourceMappings(template, resolver);
    for (const s of mappingConfigs.skipped) log(`  ! event source mapping ${s.logicalId} not run locally: ${s.message}`);
    for (const w of mappingConfigs.warnings) log(`  ! event source mapping ${w.logicalId}: ${w.message}`);
    const mappings = await startEventSourceMappings({
      mappings: mappingConfigs.mappings,
      invoker: lambdaInvoker(lambda),
      sqs: fauxqs,
      fauxqsEndpoint: sqs.endpoint,
      kinesis: kinesisWire,
      activity: streamActivity,
      onDelivery: (report) => {
        metrics.mappingDelivery(lambda.pool(report.functionName).config.functionName, report);
        trace.mappingDelivery(report);
      },
      onWarning: (logicalId, message) => log(`  ! event source mapping ${logicalId}: ${message}`),
      kinesisRetryBackoff: { initialMs: timeScale.ms(KINESIS_RETRY_INITIAL_MS), maxMs: timeScale.ms(KINESIS_RETRY_MAX_MS) },
    });
    late.mappings = mappings;
    cleanups.push(() => mappings.stop());
    const described = mappings.sources.map(
      ({ config }) => `${config.kind === 'sqs' ? config.queueName : config.streamName} → ${lambda.pool(config.functionRef).config.shortName}`,
    );
    step(`${mappings.sources.length} event source mappings: ${described.join(', ') || '(none)'}`);

    const events = createLocalEventServices({
      template,
      resolver,
      physical,
      functions,
      lambda,
      fauxqsEndpoint: sqs.endpoint,
      kinesis: kinesisWire,
      streamActivity,
      region,
      accountId,
      partition: PARTITION,
      log,
      timeScale,
      onPublished: (event) => trace.eventPublished(event),
      onDelivery: (report, targetLabel) => {
        metrics.eventDelivery(report);
        trace.eventDelivery(report, targetLabel);
      },
      onAsyncReport: (report) => trace.asyncReport(report),
    });
    late.events = events;
    cleanups.push(async () => events.stop());
    step(`EventBridge and Lambda async invocation: ${events.summary}`);

    const sampler = new QueueSampler({
      stats: () => sqs.stats(),
      metrics,
      intervalMs: QueueSampler.intervalFor(timeScale),
      onError: (message) => log(`  ! ${message}`),
    });
    sampler.start();
    cleanups.push(() => sampler.stop());
    const alarms = readAlarms({ template, resolver, physical });
    for (const w of alarms.warnings) log(`  ! alarm ${w.logicalId}: ${w.message}`);
    const evaluator = new AlarmEvaluator({ alarms, store, timeScale, onError: (message) => log(`  ! CloudWatch: ${message}`) });
    late.alarms = evaluator;
    const formatAlarmChange = alarmChangeFormatter();
    evaluator.onStateChange((change) => {
      const line = formatAlarmChange(change);
      if (line !== undefined) log(line);
    });
    evaluator.start();
    cleanups.push(async () => evaluator.stop());
    step(
      `CloudWatch: ${alarms.metricAlarms.length} metric alarms and ${alarms.compositeAlarms.length} composite alarms, evaluated every ` +
        `${formatMs(evaluator.evaluationIntervalMs)}${timeScale.isRealTime ? '' : ` (periods × ${timeScale.factor})`}; queues sampled every ${formatMs(QueueSampler.intervalFor(timeScale))}`,
    );

    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      try {
        outputs[name] = rewrite(resolver.resolveString(output.Value));
      } catch (error) {
        if (!(error instanceof UnresolvableError)) throw error;
        log(`  ! output ${name} left out: ${error.message}`);
      }
    }

    let stopping: Promise<void> | undefined;
    return {
      edgeUrl,
      apis,
      outputs,
      credentials: { accessKeyId: ADMIN_CREDENTIALS.accessKeyId, secretAccessKey: ADMIN_CREDENTIALS.secretAccessKey },
      setFault: (fn, fault) => lambda.setFault(fn, fault),
      invocationCount: (fn) => lambda.invocationCount(fn),
      queueUrl: (queue) => findLocalResource('queue', queues, queue).url,
      stream: (stream) => {
        const found = findLocalResource('stream', streams, stream);
        return { name: found.name, arn: found.arn };
      },
      setMappingEnabled: (mapping, enabled) => mappings.setEnabled(mapping, enabled),
      putEventsFault: (fault) => events.eventBridge.setPutEventsFault(fault),
      eventsSettled: () => events.settled(),
      timeScale: timeScale.factor,
      onHop: (listener) => trace.onHop(listener),
      cpuUsage,
      stop: () => {
        stopping ??= runCleanups();
        return stopping;
      },
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/**
 * Formats alarm state changes as trace lines: `⏰ ALARM  name  OK → ALARM: Threshold Crossed: …`. Each alarm's first
 * INSUFFICIENT_DATA → OK (every quiet alarm's first evaluation) is left out: the startup line counts the alarms.
 */
export function alarmChangeFormatter(): (change: AlarmStateChange) => string | undefined {
  const settled = new Set<string>();
  return (change) => {
    const first = !settled.has(change.name);
    settled.add(change.name);
    if (first && change.from === 'INSUFFICIENT_DATA' && change.to === 'OK') return undefined;
    const kind = change.kind === 'composite' ? 'composite ' : '';
    return `⏰ ${change.to.padEnd(17)} ${kind}${change.name}  ${change.from} → ${change.to}: ${change.reason}`;
  };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function pickStack(stacks: readonly StackArtifact[], stackName: string | undefined): StackArtifact {
  const names = stacks.map((s) => s.stackName).join(', ') || '(none)';
  if (stackName !== undefined) {
    const stack = stacks.find((s) => s.stackName === stackName);
    if (!stack) throw new Error(`The cloud assembly has no stack ${stackName}; it has: ${names}`);
    return stack;
  }
  if (stacks.length !== 1) throw new Error(`The cloud assembly has ${stacks.length} stacks (${names}): pass stackName`);
  return stacks[0];
}

function requireLambda(lambda: LambdaService | undefined): LambdaService {
  if (!lambda) throw new Error('The local runtime is still starting: functions are not loaded yet');
  return lambda;
}
