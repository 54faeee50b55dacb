/**
 * Which Kinesis the runtime runs, behind one face for its stages: the in-process shard log (`in-process`, the
 * default: `in-process-kinesis.ts`), or kinesis-local in a child process (`kinesis-local`: `kinesis-local.ts`). Clients
 * see no difference: the edge serves Kinesis's API from either, and the runtime's own clients (provisioning, the shard
 * consumers, EventBridge's Kinesis targets) reach either. Chosen with `--kinesis` / `LOCAL_KINESIS` (`npm start`) or the
 * `kinesis` option of `startLocalRuntime`, which also reads `LOCAL_KINESIS`, so the suites can run against both.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisBackendName } from './kinesis-backend-name';
import type { EdgeService } from '../edge/edge-server';
import { InProcessHttpHandler } from './in-process-http-handler';
import { InProcessKinesis } from './in-process-kinesis';
import { kinesisLocalClient } from './kinesis-client';
import { startKinesis, type LocalKinesis } from './kinesis-local';
import { kinesisService } from './kinesis-service';
import { KinesisWireClient } from './kinesis-wire-client';
import { StreamActivity } from './stream-activity';

export { DEFAULT_KINESIS_BACKEND, KINESIS_BACKENDS, kinesisBackendFromEnv, kinesisBackendNamed, UnknownKinesisBackendError } from './kinesis-backend-name';
export type { KinesisBackendName } from './kinesis-backend-name';

export interface KinesisBackend {
  readonly name: KinesisBackendName;
  /** For the start-up line: `Kinesis (in-process shard log)`, `Kinesis (kinesis-local) on http://127.0.0.1:…`. */
  readonly description: string;
  /**
   * The puts into the streams: what wakes idle shard consumers, and counts records for CloudWatch. The edge service
   * tells it of the puts it serves; the runtime's own clients tell it of theirs (EventBridge's Kinesis targets do).
   */
  readonly activity: StreamActivity;
  /** Kinesis's API on the edge. */
  edgeService(): EdgeService;
  /** A client for the runtime's own hot path (the shard consumers, EventBridge's Kinesis targets). */
  wireClient(): KinesisWireClient;
  /** An SDK client for the runtime's own work (provisioning); the caller destroys it. */
  sdkClient(region: string): KinesisClient;
  /**
   * CPU time (ms) Kinesis has used: kinesis-local's process (from /proc; undefined without it), or the time of the
   * shard log's calls on the runtime's main thread (`cpuOnMainThread`; see `in-process-kinesis.ts`).
   */
  cpuMs(): number | undefined;
  readonly cpuOnMainThread: boolean;
  stop(): Promise<void>;
}

export async function startKinesisBackend(
  name: KinesisBackendName,
  options: { readonly accountId: string; readonly region: string; readonly partition?: string },
  /** kinesis-local, started ahead for this account and region (`runtime/emulators-ahead.ts`): taken over, not started again. */
  startedAhead?: Promise<LocalKinesis>,
): Promise<KinesisBackend> {
  const activity = new StreamActivity();
  if (name === 'kinesis-local') {
    const local = await (startedAhead ?? startKinesis({ accountId: options.accountId, region: options.region }));
    return {
      name,
      description: `Kinesis (kinesis-local) on ${local.endpoint}`,
      activity,
      edgeService: () => kinesisService({ kinesisEndpoint: local.endpoint, activity }),
      wireClient: () => new KinesisWireClient(local.endpoint),
      sdkClient: (region) => kinesisLocalClient(local.endpoint, region),
      cpuMs: () => local.cpuMs(),
      cpuOnMainThread: false,
      stop: () => local.stop(),
    };
  }
  const kinesis = new InProcessKinesis({ ...options, activity });
  return {
    name,
    description: 'Kinesis (in-process shard log)',
    activity,
    edgeService: () => kinesisService({ inProcess: kinesis }),
    wireClient: () => new KinesisWireClient(kinesis),
    sdkClient: (region) =>
      new KinesisClient({
        // Never reached: the handler calls the shard log.
        endpoint: 'http://in-process-kinesis.invalid',
        region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        requestHandler: new InProcessHttpHandler(kinesis),
      }),
    cpuMs: () => kinesis.cpuMs(),
    cpuOnMainThread: true,
    stop: async () => undefined,
  };
}
