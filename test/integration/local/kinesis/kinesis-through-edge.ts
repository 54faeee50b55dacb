/**
 * Test support: kinesis-local behind the edge, an SDK client on the edge (HTTP/1.1), and an SDK client and a wire
 * client on kinesis-local itself.
 */
import { randomBytes } from 'node:crypto';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { Http1Handler } from '../../../../local/kinesis/http1-handler';
import { kinesisLocalClient } from '../../../../local/kinesis/kinesis-client';
import { startKinesis, type LocalKinesis } from '../../../../local/kinesis/kinesis-local';
import { KinesisWireClient } from '../../../../local/kinesis/kinesis-wire-client';
import { kinesisService } from '../../../../local/kinesis/kinesis-service';
import { StreamActivity } from '../../../../local/kinesis/stream-activity';
import { startedOnce } from '../started-once';

export const REGION = 'us-east-1';

export interface KinesisThroughEdge {
  readonly edgeUrl: string;
  readonly kinesis: LocalKinesis;
  readonly activity: StreamActivity;
  /** A Kinesis client as a function of the local runtime would have one: on the edge, HTTP/1.1. */
  readonly client: KinesisClient;
  /** An SDK client on kinesis-local itself, as the runtime provisions streams. */
  readonly direct: KinesisClient;
  /** A wire client on kinesis-local itself, as the runtime's consumers and EventBridge targets use. */
  readonly wire: KinesisWireClient;
  stop(): Promise<void>;
}

/** A stream name no other test of the file uses. */
export function uniqueStreamName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function startKinesisThroughEdge(): Promise<KinesisThroughEdge> {
  const kinesis = await startKinesis({ region: REGION });
  const activity = new StreamActivity();
  const edge = new EdgeServer();
  edge.register(kinesisService({ kinesisEndpoint: kinesis.endpoint, activity }));
  const { url: edgeUrl } = await edge.listen();
  const client = new KinesisClient({
    endpoint: edgeUrl,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new Http1Handler(),
  });
  const direct = kinesisLocalClient(kinesis.endpoint, REGION);
  const wire = new KinesisWireClient(kinesis.endpoint);
  return {
    edgeUrl,
    kinesis,
    activity,
    client,
    direct,
    wire,
    stop: async () => {
      client.destroy();
      direct.destroy();
      wire.close();
      await edge.close();
      await kinesis.stop();
    },
  };
}

/** kinesis-local behind the edge for the tests of the enclosing `describe`: started before them, stopped after them. */
export function useKinesisThroughEdge(): KinesisThroughEdge {
  return startedOnce('kinesis-local behind the edge', startKinesisThroughEdge);
}
