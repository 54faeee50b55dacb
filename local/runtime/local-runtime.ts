/**
 * What `startLocalRuntime` takes and what it gives: the contract of the e2e suite, the bench and `npm start` with
 * the local runtime.
 */
import type { PutEventsFault } from '../eventbridge/put-events-fault';
import type { KinesisBackendName } from '../kinesis/kinesis-backend';
import type { FunctionFault } from '../lambda/function-fault';
import type { RuntimeCpuUsage } from './cpu-usage';
import type { EmulatorsAhead } from './emulators-ahead';
import type { HopListener } from './hop-trace';

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
   * `start-local-runtime.ts`), e.g. 0.05 to run them 20 times faster. A positive number.
   *
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * CloudWatch's own time scale, when it should differ from `timeScale`: alarm periods, the evaluation interval and
   * the queue sampler's interval are multiplied by it, and the ages published as metrics divided by it, while SQS
   * visibility timeouts and retry backoffs keep `timeScale`. E.g. 0.05 with `timeScale` 1 lets a 5-minute alarm
   * decide in 15 s without redelivering the messages of a handler slowed down by a busy machine. A positive number.
   *
   * @default - `timeScale`
   */
  readonly alarmTimeScale?: number;
  /**
   * Most event source mapping batches in flight at once, across every SQS and Kinesis mapping: the machine's share
   * for background work, so that API requests come first (`BackgroundBudget`). While the main thread lags, one batch
   * at a time. The mappings' own limits still hold. A whole number, 1 or more.
   *
   * @default - LOCAL_BACKGROUND_CONCURRENCY, or else the machine's cores
   */
  readonly backgroundConcurrency?: number;
  /**
   * Environment variables set on top of the template's, by function (short name such as `OrdersPlaceOrder`, or
   * logical id): what `sam local invoke --env-vars` does, e.g. to run the bench with a setting the stack does not
   * have. A name that matches no function is an error.
   *
   * @default - the template's environment only
   */
  readonly environmentOverrides?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Which Kinesis serves the streams: the runtime's own shard log in this process (`in-process`), or kinesis-local in
   * a child process (`kinesis-local`). Clients see the same API from both (see `kinesis/kinesis-backend.ts`).
   *
   * @default - `LOCAL_KINESIS` when set, else 'in-process'
   */
  readonly kinesis?: KinesisBackendName;
  /**
   * fauxqs and kinesis-local started ahead (`startEmulatorsAhead`), while the caller loaded the runtime or synthesized:
   * taken over when they run for the stack's account and region and the same Kinesis backend, else stopped.
   *
   * @default - the runtime starts its own
   */
  readonly emulatorsAhead?: EmulatorsAhead;
  /**
   * The folder of the app's contracts (OpenAPI documents, event schemas, their HTML rendering), served at
   * `{edge}/_local/contracts/`.
   *
   * @default - `docs/contracts` beside the cloud assembly's folder (a missing folder answers 404s that say so)
   */
  readonly contractsDir?: string;
}

export interface ReloadOptions {
  /** The new synth's cloud assembly. */
  readonly assemblyDir: string;
  /**
   * Bundles to run instead of the assembly's: by the folder the assembly names (absolute), the folder to run.
   *
   * @default - the assembly's bundles
   */
  readonly replacedBundles?: ReadonlyMap<string, string>;
}

/** What a reload changed, and what it could not. */
export interface RuntimeReload {
  /** The functions (short names) whose code changed. */
  readonly code: readonly string[];
  /** The functions whose configuration changed, with what: `OrdersPlaceOrderFunction (environment, timeoutSeconds)`. */
  readonly configuration: readonly string[];
  /** The REST APIs (names) served anew. */
  readonly apis: readonly string[];
  /** Whether the IAM policies of the functions' roles changed. */
  readonly policies: boolean;
  /** What changed but takes effect only after a restart, one line each: `AWS::SQS::Queue Queue1 added`. */
  readonly needsRestart: readonly string[];
  /** The folder each function's code runs from now, by logical id. */
  readonly codeDirs: ReadonlyMap<string, string>;
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
  /**
   * Runs a new synth of the app (its cloud assembly, and bundles built since in other folders) from now on, without a
   * restart: the functions' new code and configuration, the REST APIs' new routes and the roles' new policies; the
   * emulators and their data stay. What takes a restart (new tables, queues…) is named in the answer, not applied.
   * Rejects, changing nothing, when the assembly cannot be read. See `runtime-reload.ts`.
   */
  reload(options: ReloadOptions): Promise<RuntimeReload>;
  /** Stops the event source mappings' pollers, terminates every worker, closes every server and stops the emulators. */
  stop(): Promise<void>;
}
