/** Test support: fauxqs behind the edge on random ports, an SDK client on the edge and one on fauxqs itself. */
import { randomBytes } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { fauxqsClient } from '../../../../local/sqs/fauxqs-client';
import { startSqs, type LocalSqs } from '../../../../local/sqs/sqs-local';
import { sqsService } from '../../../../local/sqs/sqs-service';
import type { TimeScale } from '../../../../local/shared/time-scale';
import { startedOnce } from '../started-once';

export const REGION = 'us-east-1';

export interface SqsThroughEdge {
  readonly edgeUrl: string;
  readonly accountId: string;
  readonly sqs: LocalSqs;
  /** An SQS client as a function of the local runtime has one: on the edge, dummy credentials. */
  readonly client: SQSClient;
  /** A client on fauxqs itself, as the runtime's own pollers use. */
  readonly fauxqs: SQSClient;
  stop(): Promise<void>;
}

/** A client on `endpoint` with the local runtime's dummy credentials. */
export function sqsClientFor(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** A queue name no other test of the file uses. */
export function uniqueQueueName(prefix: string, fifo = false): string {
  return `${prefix}-${randomBytes(4).toString('hex')}${fifo ? '.fifo' : ''}`;
}

export interface SqsThroughEdgeOptions {
  /** @default '000000000000' */
  readonly accountId?: string;
  /** The edge service's time scale. @default - real time */
  readonly timeScale?: TimeScale;
}

export async function startSqsThroughEdge(options: SqsThroughEdgeOptions = {}): Promise<SqsThroughEdge> {
  const accountId = options.accountId ?? '000000000000';
  const sqs = await startSqs({ region: REGION });
  const edge = new EdgeServer();
  const { url: edgeUrl } = await edge.listen();
  edge.register(sqsService({ fauxqsEndpoint: sqs.endpoint, edgeUrl, accountId, region: REGION, ...(options.timeScale ? { timeScale: options.timeScale } : {}) }));
  const client = sqsClientFor(edgeUrl);
  const fauxqs = fauxqsClient(sqs.endpoint, REGION);
  return {
    edgeUrl,
    accountId,
    sqs,
    client,
    fauxqs,
    stop: async () => {
      client.destroy();
      fauxqs.destroy();
      await edge.close();
      await sqs.stop();
    },
  };
}

/** fauxqs behind the edge for the tests of the enclosing `describe`: started before them, stopped after them. */
export function useSqsThroughEdge(options: SqsThroughEdgeOptions = {}): SqsThroughEdge {
  return startedOnce('fauxqs behind the edge', () => startSqsThroughEdge(options));
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000, what = 'the expected state'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
