/**
 * EventBridge and Lambda's asynchronous invocation as the running runtime wires them: buses, rules and archives
 * from the template; deliveries to SQS and Kinesis straight to fauxqs and kinesis-local, to Lambda through the
 * asynchronous invoker; Lambda destinations back to SQS, to functions, or to a bus.
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { KinesisWireClient } from '../kinesis/kinesis-wire-client';
import type { StreamActivity } from '../kinesis/stream-activity';
import type { LambdaFunctionConfig } from '../lambda/function-config';
import { readAsyncInvokeConfigs } from '../lambda/async-invoke-config';
import { AsyncInvoker, lambdaFunctions, type AsyncReport } from '../lambda/async-invoker';
import { formatAsyncReport } from '../lambda/async-trace-lines';
import { UnknownFunctionError } from '../lambda/lambda-errors';
import type { LambdaService } from '../lambda/lambda-service';
import type { PhysicalIds, ValueResolver } from '../assembly/template-refs';
import { TimeScale } from '../shared/time-scale';
import { emulatorTargetPorts } from './emulator-target-ports';
import { readEventBridgeModel } from './event-bus-model';
import { TargetDeliveryError } from './eventbridge-errors';
import { LocalEventBridge, type PublishedEvent } from './local-event-bridge';
import type { DeliveryReport } from './target-delivery';
import { defaultTargetLabel } from './trace-lines';

export interface LocalEventServicesOptions {
  readonly template: CfnTemplate;
  readonly resolver: ValueResolver;
  readonly physical: PhysicalIds;
  readonly functions: readonly LambdaFunctionConfig[];
  readonly lambda: LambdaService;
  /** fauxqs's endpoint: SQS targets and destinations are sent there. */
  readonly fauxqsEndpoint: string;
  /** A client on kinesis-local: Kinesis targets are put there (the runtime shares it with the shard consumers). */
  readonly kinesis: KinesisWireClient;
  /**
   * Told of each record a Kinesis target puts, so idle shard consumers read at once.
   *
   * @default - consumers find the records at their next idle poll
   */
  readonly streamActivity?: StreamActivity;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly log: (line: string) => void;
  /**
   * Scales the retry backoffs of EventBridge deliveries and of asynchronous invocations after a function error.
   *
   * @default TimeScale.REAL_TIME
   */
  readonly timeScale?: TimeScale;
  /**
   * Told of each event put on a bus (see LocalEventBridgeOptions.onPublished).
   *
   * @default - nobody is told
   */
  readonly onPublished?: (event: PublishedEvent) => void;
  /**
   * Receives each EventBridge delivery outcome, with the target's label.
   *
   * @default - nobody is told
   */
  readonly onDelivery?: (report: DeliveryReport, targetLabel: string) => void;
  /**
   * Receives each report of the asynchronous invoker and prints its trace line.
   *
   * @default - each report is printed with `formatAsyncReport`
   */
  readonly onAsyncReport?: (report: AsyncReport) => void;
}

export interface LocalEventServices {
  readonly eventBridge: LocalEventBridge;
  readonly asyncInvoker: AsyncInvoker;
  /** `3 rules on 2 buses, 1 archive; async invoke config for 1 function` */
  readonly summary: string;
  /** Resolves once no delivery, retry or asynchronous invocation is left, including the ones they cause. */
  settled(): Promise<void>;
  /** Cancels pending deliveries, retries and invocations, and closes the SDK clients. */
  stop(): void;
}

/** The local retry backoffs at real time (see `target-delivery.ts` and `async-invoker.ts`), before the time scale. */
const DELIVERY_BASE_DELAY_MS = 100;
const DELIVERY_MAX_DELAY_MS = 2_000;
const ASYNC_RETRY_BASE_DELAY_MS = 100;

export function createLocalEventServices(options: LocalEventServicesOptions): LocalEventServices {
  const { lambda, log } = options;
  const timeScale = options.timeScale ?? TimeScale.REAL_TIME;
  // EventBridge's Lambda targets go to the asynchronous invoker, whose destinations may put events back on a bus:
  // each side reaches the other through a function that runs only once both exist.

  const asyncConfigs = readAsyncInvokeConfigs({ template: options.template, resolver: options.resolver, functions: options.functions });
  for (const warning of asyncConfigs.warnings) log(`  ! Lambda async invocation: ${warning}`);

  const ports = emulatorTargetPorts({
    fauxqsEndpoint: options.fauxqsEndpoint,
    kinesis: options.kinesis,
    ...(options.streamActivity ? { activity: options.streamActivity } : {}),
    invokeAsync: async (functionArn, payload) => {
      try {
        asyncInvoker.invokeAsync(functionArn, jsonOrText(payload));
      } catch (error) {
        if (error instanceof UnknownFunctionError) throw new TargetDeliveryError('RESOURCE_NOT_FOUND', error.message, false);
        throw error;
      }
    },
  });

  const asyncInvoker: AsyncInvoker = new AsyncInvoker({
    functions: lambdaFunctions(lambda),
    configs: asyncConfigs.configs,
    destinations: {
      sendMessage: (queueArn, body, attributes) => ports.sendMessage(queueArn, body, attributes ? { attributes } : {}),
      putEvent: async (busArn, entry) => {
        const result = eventBridge.putEvents({ Entries: [{ ...entry, EventBusName: busArn }] });
        const failed = result.Entries.find((e) => e.ErrorCode !== undefined);
        if (failed) throw new Error(failed.ErrorMessage ?? 'EventBridge refused the event');
      },
    },
    timing: { retryBaseDelayMs: timeScale.ms(ASYNC_RETRY_BASE_DELAY_MS) },
    onReport: options.onAsyncReport ?? ((report) => log(formatAsyncReport(report))),
  });

  const model = readEventBridgeModel({
    template: options.template,
    resolver: options.resolver,
    physical: options.physical,
    region: options.region,
    accountId: options.accountId,
    partition: options.partition,
  });
  for (const warning of model.warnings) log(`  ! EventBridge: ${warning}`);
  const eventBridge = new LocalEventBridge({
    model,
    region: options.region,
    accountId: options.accountId,
    partition: options.partition,
    ports,
    log,
    timing: { baseDelayMs: timeScale.ms(DELIVERY_BASE_DELAY_MS), maxDelayMs: timeScale.ms(DELIVERY_MAX_DELAY_MS) },
    targetLabel: (arn) => lambda.find(arn)?.config.shortName ?? defaultTargetLabel(arn),
    ...(options.onPublished ? { onPublished: options.onPublished } : {}),
    ...(options.onDelivery ? { onDelivery: options.onDelivery } : {}),
  });

  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return {
    eventBridge,
    asyncInvoker,
    summary:
      `${plural(model.rules.length, 'rule')} on ${model.buses.length} bus${model.buses.length === 1 ? '' : 'es'}, ` +
      `${plural(model.archives.length, 'archive')}; asynchronous invoke config for ${plural(asyncConfigs.configs.size, 'function')}`,
    async settled() {
      while (eventBridge.pendingDeliveries > 0 || asyncInvoker.pendingCount > 0) {
        await eventBridge.settled();
        await asyncInvoker.settled();
      }
    },
    stop() {
      eventBridge.stop();
      asyncInvoker.stop();
      ports.close();
    },
  };
}

/** What a target payload becomes for a function: its JSON, or the text itself when it is not JSON. */
function jsonOrText(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
