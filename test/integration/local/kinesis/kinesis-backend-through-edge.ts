/**
 * Test support: a Kinesis backend of the runtime (`in-process` or `kinesis-local`) behind the edge, with the clients
 * the runtime and its functions use on it: an SDK client on the edge (HTTP/1.1, as a function has one), the runtime's
 * SDK client for provisioning, and its wire client.
 */
import { randomBytes } from 'node:crypto';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { Http1Handler } from '../../../../local/kinesis/http1-handler';
import { startKinesisBackend, type KinesisBackend, type KinesisBackendName } from '../../../../local/kinesis/kinesis-backend';
import type { KinesisWireClient } from '../../../../local/kinesis/kinesis-wire-client';

const REGION = 'us-east-1';

export interface BackendThroughEdge {
  readonly backend: KinesisBackend;
  readonly edgeUrl: string;
  /** On the edge, as a function of the runtime has one. */
  readonly client: KinesisClient;
  /** The runtime's own SDK client (provisioning). */
  readonly direct: KinesisClient;
  /** The runtime's own wire client (shard consumers, EventBridge targets). */
  readonly wire: KinesisWireClient;
  stop(): Promise<void>;
}

/** A stream name no other test uses. */
export function streamName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function startBackendThroughEdge(name: KinesisBackendName): Promise<BackendThroughEdge> {
  const backend = await startKinesisBackend(name, { accountId: '000000000000', region: REGION });
  const edge = new EdgeServer();
  edge.register(backend.edgeService());
  const { url: edgeUrl } = await edge.listen();
  const client = new KinesisClient({ endpoint: edgeUrl, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, requestHandler: new Http1Handler() });
  const direct = backend.sdkClient(REGION);
  const wire = backend.wireClient();
  return {
    backend,
    edgeUrl,
    client,
    direct,
    wire,
    stop: async () => {
      client.destroy();
      direct.destroy();
      wire.close();
      await edge.close();
      await backend.stop();
    },
  };
}
