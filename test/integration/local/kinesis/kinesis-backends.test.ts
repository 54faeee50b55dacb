import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  type _Record,
} from '@aws-sdk/client-kinesis';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { KINESIS_BACKENDS } from '../../../../local/kinesis/kinesis-backend';
import { KinesisServiceError } from '../../../../local/kinesis/kinesis-wire-client';
import { createStreams } from '../../../../local/kinesis/stream-provisioning';
import { EmulatorRequestAbortedError } from '../../../../local/shared/emulator-client';
import { startBackendThroughEdge, streamName, type BackendThroughEdge } from './kinesis-backend-through-edge';

const SHARD_0 = 'shardId-000000000000';
const textOf = (records: readonly _Record[]) => records.map((record) => Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
const entries = (...texts: string[]) => texts.map((text) => ({ PartitionKey: `key-${text}`, Data: Buffer.from(text) }));

describe.each(KINESIS_BACKENDS)('Kinesis on the %s backend, through the edge and the runtime’s clients', (name) => {
  let kinesis: BackendThroughEdge;

  beforeAll(async () => {
    kinesis = await startBackendThroughEdge(name);
  }, 60_000);

  afterAll(async () => {
    await kinesis?.stop();
  });

  async function newStream(shards = 1): Promise<string> {
    const stream = streamName(name);
    await kinesis.client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
    return stream;
  }

  async function readFrom(stream: string, position: Omit<ConstructorParameters<typeof GetShardIteratorCommand>[0], 'StreamName' | 'ShardId'>): Promise<_Record[]> {
    const { ShardIterator: iterator } = await kinesis.client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: SHARD_0, ...position }));
    return (await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records ?? [];
  }

  it('takes SDK puts and hands them back in order, from the start, after a sequence number and from a timestamp', async () => {
    // Prepare
    const stream = await newStream();
    const since = new Date(Date.now() - 60_000);

    // Act
    const first = await kinesis.client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('one') }));
    const batch = await kinesis.client.send(new PutRecordsCommand({ StreamName: stream, Records: entries('two', 'three') }));

    // Assess
    const all = await readFrom(stream, { ShardIteratorType: 'TRIM_HORIZON' });
    expect(textOf(all)).toEqual(['one', 'two', 'three']);
    expect(all.map((record) => record.SequenceNumber)).toEqual([first.SequenceNumber, ...(batch.Records ?? []).map((record) => record.SequenceNumber)]);
    expect(all[0]).toMatchObject({ PartitionKey: 'p', ApproximateArrivalTimestamp: expect.any(Date) });
    expect(batch.FailedRecordCount).toBe(0);
    expect(textOf(await readFrom(stream, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: first.SequenceNumber }))).toEqual(['two', 'three']);
    expect(textOf(await readFrom(stream, { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: since }))).toEqual(['one', 'two', 'three']);
    expect(await readFrom(stream, { ShardIteratorType: 'LATEST' })).toEqual([]);
    expect((await kinesis.client.send(new ListStreamsCommand({}))).StreamNames).toContain(stream);
  });

  it('answers a stream that does not exist with ResourceNotFoundException, to the SDK and to the wire client', async () => {
    // Act
    const described = kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName('missing') }));
    const put = kinesis.wire.putRecord(streamName('missing'), Buffer.from('x'), 'k');

    // Assess
    await expect(described).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(put).rejects.toThrow(KinesisServiceError);
    await expect(kinesis.wire.putRecord(streamName('missing'), Buffer.from('x'), 'k')).rejects.toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
  });

  it('tells the stream activity of each put through the edge that wrote records, and leaves the runtime’s own puts to their maker', async () => {
    // Prepare
    const stream = await newStream();
    const heard: { stream: string; records: number; throttled: number }[] = [];
    const stop = kinesis.backend.activity.onPut((put) => heard.push(put));
    const seen = kinesis.backend.activity.putCount(stream);
    const woken = kinesis.backend.activity.waitForRecords(stream, 30_000, { seenPuts: seen });

    // Act
    await kinesis.client.send(new PutRecordsCommand({ StreamName: stream, Records: entries('a', 'b', 'c') }));
    await woken;
    await expect(kinesis.client.send(new PutRecordCommand({ StreamName: streamName('missing'), PartitionKey: 'p', Data: Buffer.from('x') }))).rejects.toThrow();
    await kinesis.wire.putRecord(stream, Buffer.from('d'), 'k');
    stop();

    // Assess
    expect(heard).toEqual([{ stream, records: 3, throttled: 0 }]);
    expect(kinesis.backend.activity.putCount(stream)).toBe(seen + 1);
  });

  it('reads with the wire client as the SDK decodes: bytes, a Date, the shards of the stream', async () => {
    // Prepare
    const stream = await newStream(2);
    const iterator = await kinesis.wire.getShardIterator(stream, SHARD_0, { ShardIteratorType: 'TRIM_HORIZON' });

    // Act
    const put = await kinesis.wire.putRecord(stream, Buffer.from('héllo'), 'k');
    const read = await kinesis.wire.getRecords((await kinesis.wire.getShardIterator(stream, put.shardId, { ShardIteratorType: 'TRIM_HORIZON' })) ?? '', 10);
    const shards = await kinesis.wire.listShards(stream);

    // Assess
    expect(iterator).toEqual(expect.any(String));
    expect(read.records).toEqual([{ SequenceNumber: put.sequenceNumber, Data: new Uint8Array(Buffer.from('héllo')), PartitionKey: 'k', ApproximateArrivalTimestamp: expect.any(Date), EncryptionType: 'NONE' }]);
    expect(read.millisBehindLatest).toBe(0);
    expect(shards.map((shard) => shard.ShardId)).toEqual([SHARD_0, 'shardId-000000000001']);
    await expect(kinesis.wire.listShards(stream, AbortSignal.abort())).rejects.toThrow(EmulatorRequestAbortedError);
  });

  it('provisions the streams of a template through the runtime’s SDK client: shard count, mode and retention', async () => {
    // Prepare
    const context = { region: 'us-east-1', accountId: '000000000000', partition: 'aws', urlSuffix: 'amazonaws.com', stackName: streamName('Stack'), stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/x/y' };
    const template: CfnTemplate = {
      Resources: {
        LogA1B2C3D4: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 3, RetentionPeriodHours: 72 } },
        Clicks5E6F7A8B: { Type: 'AWS::Kinesis::Stream', Properties: { StreamModeDetails: { StreamMode: 'ON_DEMAND' } } },
      },
    };
    const resolver = new IntrinsicResolver(template, context, assignPhysicalIds(template, context, { edgeUrl: kinesis.edgeUrl }));

    // Act
    const [log, clicks] = await createStreams({ kinesis: kinesis.direct, template, resolver });
    const summary = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: log.name }));
    const clickShards = await kinesis.client.send(new ListShardsCommand({ StreamName: clicks.name }));

    // Assess
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 3, RetentionPeriodHours: 72, StreamARN: log.arn });
    expect(clickShards.Shards).toHaveLength(4);
    await expect(kinesis.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: log.name, RetentionPeriodHours: 48 }))).rejects.toMatchObject({ name: 'InvalidArgumentException' });
  });
});

describe('Kinesis on the in-process backend, where kinesis-local differs from AWS', () => {
  let kinesis: BackendThroughEdge;

  beforeAll(async () => {
    kinesis = await startBackendThroughEdge('in-process');
  });

  afterAll(async () => {
    await kinesis.stop();
  });

  it('refuses what a shard cannot take in a second, record by record, with ProvisionedThroughputExceededException', async () => {
    // Prepare
    const stream = streamName('busy');
    await kinesis.client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    const throttled: number[] = [];
    const stop = kinesis.backend.activity.onPut((put) => throttled.push(put.throttled));
    const records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k-${i}`, Data: Buffer.from('x') }));

    // Act: 1,001 records at once
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(await kinesis.client.send(new PutRecordsCommand({ StreamName: stream, Records: records })));
    const last = await kinesis.client.send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'late', Data: Buffer.from('late') }] }));
    const single = await kinesis.client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'later', Data: Buffer.from('later') })).catch((error: unknown) => error);
    stop();

    // Assess
    expect(answers.map((answer) => answer.FailedRecordCount)).toEqual([0, 0]);
    expect(last).toMatchObject({ FailedRecordCount: 1, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: expect.stringMatching(/^Rate exceeded for shard/) }] });
    expect(single).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(throttled.filter((count) => count > 0)).toEqual([1, 1]);
  });
});
