/**
 * Test support: a Kinesis backend of the runtime (`in-process` or `kinesis-local`) behind the edge, with the clients
 * the runtime and its functions use on it: `client` on the edge (HTTP/1.1, as a function has one), `direct` (the
 * runtime's SDK client, for provisioning) and `wire` (its wire client, for the shard consumers and EventBridge).
 */
import { randomBytes } from 'node:crypto';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { Http1Handler } from '../../../../local/kinesis/http1-handler';
import { startKinesisBackend, type KinesisBackendName } from '../../../../local/kinesis/kinesis-backend';

const REGION = 'us-east-1';

/** A stream name no other test uses. */
export const streamName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function startBackendThroughEdge(name: KinesisBackendName) {
  const backend = await startKinesisBackend(name, { accountId: '000000000000', region: REGION });
  const edge = new EdgeServer();
  edge.register(backend.edgeService());
  const { url: edgeUrl } = await edge.listen();
  const clients = {
    client: new KinesisClient({ endpoint: edgeUrl, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, requestHandler: new Http1Handler() }),
    direct: backend.sdkClient(REGION),
    wire: backend.wireClient(),
  };
  const stop = async (): Promise<void> => {
    clients.client.destroy();
    clients.direct.destroy();
    clients.wire.close();
    await edge.close();
    await backend.stop();
  };
  return { backend, edgeUrl, ...clients, stop };
}

export type BackendThroughEdge = Awaited<ReturnType<typeof startBackendThroughEdge>>;
