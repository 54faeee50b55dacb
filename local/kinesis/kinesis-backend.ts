/**
 * Which Kinesis the runtime runs, behind one face for its stages: the in-process shard log (`in-process`, the
 * default: `in-process-kinesis.ts`), or kinesis-local in a child process (`kinesis-local`: `kinesis-local.ts`). Clients
 * see no difference: the edge serves Kinesis's API from either, and the runtime's own clients (provisioning, the shard
 * consumers, EventBridge's Kinesis targets) reach either. Chosen with `--kinesis` / `LOCAL_KINESIS` (`npm start`) or the
 * `kinesis` option of `startLocalRuntime`, which also reads `LOCAL_KINESIS`, so the suites can run against both.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { EdgeService } from '../edge/edge-server';
import { InProcessHttpHandler } from './in-process-http-handler';
import { InProcessKinesis } from './in-process-kinesis';
import { kinesisLocalClient } from './kinesis-client';
import { startKinesis } from './kinesis-local';
import { kinesisService } from './kinesis-service';
import { KinesisWireClient } from './kinesis-wire-client';
import { StreamActivity } from './stream-activity';

export const KINESIS_BACKENDS = ['in-process', 'kinesis-local'] as const;
export type KinesisBackendName = (typeof KINESIS_BACKENDS)[number];
export const DEFAULT_KINESIS_BACKEND: KinesisBackendName = 'in-process';

/** A Kinesis backend name that is not one. */
export class UnknownKinesisBackendError extends Error {
  constructor(value: string, source: string) {
    super(`${source} is '${value}': give ${KINESIS_BACKENDS.join(' or ')}`);
    this.name = 'UnknownKinesisBackendError';
  }
}

/** `value` as a backend name; `source` (a flag, a variable) names it in the error. */
export function kinesisBackendNamed(value: string, source: string): KinesisBackendName {
  const found = KINESIS_BACKENDS.find((name) => name === value);
  if (found === undefined) throw new UnknownKinesisBackendError(value, source);
  return found;
}

/** The backend `LOCAL_KINESIS` names, or the default when it is unset or empty. */
export function kinesisBackendFromEnv(env: NodeJS.ProcessEnv): KinesisBackendName {
  const value = env.LOCAL_KINESIS;
  return value === undefined || value === '' ? DEFAULT_KINESIS_BACKEND : kinesisBackendNamed(value, 'LOCAL_KINESIS');
}

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
): Promise<KinesisBackend> {
  const activity = new StreamActivity();
  if (name === 'kinesis-local') {
    const local = await startKinesis({ accountId: options.accountId, region: options.region });
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
