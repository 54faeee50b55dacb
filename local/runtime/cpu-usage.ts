/**
 * Where a load's CPU went: the CPU time each part of the runtime has used since it started
 * (`LocalRuntime.cpuUsage()`, `GET /_local/cpu`).
 */
import type { LocalDynamoDb } from '../dynamodb/dynamodb-local';
import type { KinesisBackend } from '../kinesis/kinesis-backend';
import type { LambdaService } from '../lambda/lambda-service';
import type { LocalSqs } from '../sqs/sqs-local';

/** CPU time (user + system, ms) used since the runtime started, by part. */
export interface RuntimeCpuUsage {
  /**
   * The thread that started the runtime and runs its event loop: API Gateway, the edge (DynamoDB's table locks and
   * emulated transactions included), EventBridge, the event source mappings' pollers, CloudWatch. Undefined where
   * Node.js cannot read one thread's CPU time.
   */
  readonly mainThreadMs?: number;
  /** Each function's execution environments (worker threads), by short name; gone environments included. */
  readonly functionsMs: Readonly<Record<string, number>>;
  /** dynalite's worker thread (DynamoDB). */
  readonly dynamoDbMs: number;
  /** fauxqs's worker thread (SQS). */
  readonly sqsMs: number;
  /**
   * Kinesis: kinesis-local's child process (undefined where /proc cannot be read), or the in-process shard log's
   * calls, which are part of `mainThreadMs` too (`kinesisOnMainThread`).
   */
  readonly kinesisMs?: number;
  /** Present (true) when `kinesisMs` is a part of `mainThreadMs` rather than a process of its own. */
  readonly kinesisOnMainThread?: true;
}

/** CPU time (user + system, ms) of the calling thread; undefined on a Node.js without `process.threadCpuUsage`. */
export function mainThreadCpuMs(): number | undefined {
  const read = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (typeof read !== 'function') return undefined;
  const { user, system } = read.call(process);
  return (user + system) / 1000;
}

/**
 * Reads the CPU time of each part of a running runtime.
 * @param parts.mainThreadAtStartMs `mainThreadCpuMs()` when the runtime started
 */
export function runtimeCpuUsage(parts: {
  readonly mainThreadAtStartMs: number | undefined;
  readonly lambda: Pick<LambdaService, 'cpuMsByFunction'>;
  readonly dynamoDb: Pick<LocalDynamoDb, 'cpuMs'>;
  readonly sqs: Pick<LocalSqs, 'cpuMs'>;
  readonly kinesis: Pick<KinesisBackend, 'cpuMs'> & { readonly cpuOnMainThread?: boolean };
}): () => Promise<RuntimeCpuUsage> {
  return async () => {
    const mainNow = mainThreadCpuMs();
    const kinesisMs = parts.kinesis.cpuMs();
    return {
      ...(mainNow !== undefined && parts.mainThreadAtStartMs !== undefined ? { mainThreadMs: mainNow - parts.mainThreadAtStartMs } : {}),
      functionsMs: Object.fromEntries(await parts.lambda.cpuMsByFunction()),
      dynamoDbMs: await parts.dynamoDb.cpuMs(),
      sqsMs: await parts.sqs.cpuMs(),
      ...(kinesisMs !== undefined ? { kinesisMs } : {}),
      ...(kinesisMs !== undefined && parts.kinesis.cpuOnMainThread === true ? { kinesisOnMainThread: true as const } : {}),
    };
  };
}
