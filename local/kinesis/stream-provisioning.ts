/**
 * Creates the template's AWS::Kinesis::Stream resources in kinesis-local, named as `Ref` resolves them locally, and
 * waits until they are ACTIVE.
 *
 * Kept from the template: Name (or the generated name), ShardCount (a PROVISIONED stream without one gets 1),
 * StreamModeDetails (an ON_DEMAND stream gets kinesis-mock's 4 shards) and RetentionPeriodHours. Encryption is not
 * emulated (records are stored as they are); shard-level metrics and tags are ignored.
 */
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  ResourceInUseException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { IntrinsicResolver } from '../assembly/intrinsics';
import { isRecord } from '../shared/json';

/** A stream of the template as it runs locally. */
export interface LocalStream {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly mode: 'PROVISIONED' | 'ON_DEMAND';
  /** The shard count asked for (PROVISIONED streams). */
  readonly shardCount?: number;
}

/** A stream of the template has a property the local runtime cannot read, or did not become ACTIVE. */
export class StreamDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamDefinitionError';
  }
}

const STREAM_TYPE = 'AWS::Kinesis::Stream';
const DEFAULT_RETENTION_HOURS = 24;
const ACTIVE_DEADLINE_MS = 10_000;
const ACTIVE_POLL_MS = 10;

/** Creates every AWS::Kinesis::Stream of the template (whose condition holds) through `kinesis` (a client on kinesis-local). */
export async function createStreams(options: { readonly kinesis: KinesisClient; readonly template: CfnTemplate; readonly resolver: IntrinsicResolver }): Promise<LocalStream[]> {
  const { kinesis, template, resolver } = options;
  const streams = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === STREAM_TYPE)
    .filter(([, resource]) => resource.Condition === undefined || resolver.conditionHolds(resource.Condition))
    .map(([logicalId, resource]) => {
      const properties = resolver.resolve(resource.Properties ?? {});
      if (!isRecord(properties)) throw new StreamDefinitionError(`${logicalId}: Properties is not an object`);
      const mode = isRecord(properties.StreamModeDetails) && properties.StreamModeDetails.StreamMode === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED';
      const shardCount = mode === 'PROVISIONED' ? Number(properties.ShardCount ?? 1) : undefined;
      if (shardCount !== undefined && (!Number.isInteger(shardCount) || shardCount < 1)) {
        throw new StreamDefinitionError(`${logicalId}.ShardCount must be a whole number of at least 1, got ${String(properties.ShardCount)}`);
      }
      const retentionHours = Number(properties.RetentionPeriodHours ?? DEFAULT_RETENTION_HOURS);
      const stream: LocalStream = {
        logicalId,
        name: resolver.resolveString({ Ref: logicalId }),
        arn: resolver.resolveString({ 'Fn::GetAtt': [logicalId, 'Arn'] }),
        mode,
        ...(shardCount !== undefined ? { shardCount } : {}),
      };
      return { stream, retentionHours };
    });
  await Promise.all(streams.map(({ stream, retentionHours }) => createStream(kinesis, stream, retentionHours)));
  return streams.map(({ stream }) => stream);
}

async function createStream(kinesis: KinesisClient, stream: LocalStream, retentionHours: number): Promise<void> {
  try {
    await kinesis.send(
      new CreateStreamCommand({
        StreamName: stream.name,
        ...(stream.shardCount !== undefined ? { ShardCount: stream.shardCount } : {}),
        StreamModeDetails: { StreamMode: stream.mode },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilActive(kinesis, stream.name);
  if (retentionHours > DEFAULT_RETENTION_HOURS) {
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: stream.name, RetentionPeriodHours: retentionHours }));
    await waitUntilActive(kinesis, stream.name);
  }
}

async function waitUntilActive(kinesis: KinesisClient, streamName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_DEADLINE_MS;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new StreamDefinitionError(`Stream ${streamName} is still ${summary?.StreamStatus} after ${ACTIVE_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
}
