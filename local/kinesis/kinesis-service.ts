/**
 * Kinesis on the edge: requests (`X-Amz-Target: Kinesis_20131202.*`) go as they are to the in-process shard log
 * (JSON 1.1; it tells the stream activity of every put itself), or to kinesis-local (JSON 1.1 or CBOR), and the answers
 * come back as they are (both run in the stack's account and region, so their ARNs are already the ones clients
 * expect). A successful PutRecord / PutRecords through kinesis-local wakes the stream's event source mappings here.
 *
 * SDK v3 Kinesis clients default to HTTP/2; point them at the edge with an HTTP/1.1 handler (`Http1Handler`).
 */
import { type EdgeResponse, type EdgeService, targetOf } from '../edge/edge-server';
import { forwardedRequest, forwardedResponse } from '../edge/forwarding';
import { EmulatorClient, type EmulatorRequest, type EmulatorResponse } from '../shared/emulator-client';
import { KINESIS_JSON } from './kinesis-wire-client';
import type { StreamActivity } from './stream-activity';

const TARGET_PREFIX = KINESIS_JSON.targetPrefix;
const PUTS = new Set(['PutRecord', 'PutRecords']);

/** The stream a put names (`StreamName` or `StreamARN`), when the body is JSON. */
function streamOf(body: Buffer): string | undefined {
  try {
    const input: unknown = JSON.parse(body.toString('utf8'));
    if (typeof input !== 'object' || input === null) return undefined;
    const { StreamName: name, StreamARN: arn } = input as { StreamName?: unknown; StreamARN?: unknown };
    if (typeof name === 'string') return name;
    return typeof arn === 'string' ? arn : undefined;
  } catch {
    return undefined;
  }
}

/** Tells `activity` what a forwarded put did: records written (consumers wake up), records throttled. */
function notePut(activity: StreamActivity, stream: string, operation: string, answer: { status: number; body: Buffer }): void {
  let output: { FailedRecordCount?: unknown; Records?: { ErrorCode?: unknown }[]; __type?: unknown } = {};
  try {
    output = JSON.parse(answer.body.toString('utf8')) as typeof output;
  } catch {
    // Not JSON: counted as one failed put below.
  }
  if (answer.status !== 200) {
    if (String(output.__type ?? '').endsWith('ProvisionedThroughputExceededException')) activity.writesThrottled(stream, 1);
    return;
  }
  if (operation === 'PutRecord') {
    activity.recordsPut(stream, 1);
    return;
  }
  const records = output.Records ?? [];
  const throttled = records.filter((r) => r.ErrorCode === 'ProvisionedThroughputExceededException').length;
  const written = records.length - Number(output.FailedRecordCount ?? 0);
  if (throttled > 0) activity.writesThrottled(stream, throttled);
  if (written > 0) activity.recordsPut(stream, written);
}

/** Kinesis on the in-process shard log: what `InProcessKinesis` is to the edge. */
export interface InProcessKinesisTarget {
  send(request: Pick<EmulatorRequest, 'headers' | 'body'>): Promise<EmulatorResponse>;
}

export function kinesisService(options: { readonly kinesisEndpoint: string; readonly activity?: StreamActivity } | { readonly inProcess: InProcessKinesisTarget }): EdgeService {
  if ('inProcess' in options) {
    const { inProcess } = options;
    return {
      name: 'kinesis',
      matches: (req) => targetOf(req).startsWith(TARGET_PREFIX),
      handle: async (req): Promise<EdgeResponse> => forwardedResponse(await inProcess.send(req)),
      close: async () => undefined,
    };
  }
  const upstream = new EmulatorClient(options.kinesisEndpoint, { protocol: KINESIS_JSON, maxSockets: 64 });

  return {
    name: 'kinesis',
    matches: (req) => targetOf(req).startsWith(TARGET_PREFIX),
    handle: async (req): Promise<EdgeResponse> => {
      const answer = await upstream.send(forwardedRequest(req));
      const operation = targetOf(req).slice(TARGET_PREFIX.length);
      if (PUTS.has(operation) && options.activity) {
        const stream = streamOf(req.body);
        if (stream !== undefined) notePut(options.activity, stream, operation, answer);
      }
      return forwardedResponse(answer);
    },
    close: async () => upstream.close(),
  };
}
