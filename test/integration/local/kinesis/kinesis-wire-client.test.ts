import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { KinesisServiceError } from '../../../../local/kinesis/kinesis-wire-client';
import { EmulatorRequestAbortedError } from '../../../../local/shared/emulator-client';
import { useKinesisThroughEdge, uniqueStreamName } from './kinesis-through-edge';

describe('KinesisWireClient', () => {
  const local = useKinesisThroughEdge();

  async function stream(shards = 1): Promise<string> {
    const name = uniqueStreamName('wire');
    await local.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    return name;
  }

  it('lists every shard of a stream', async () => {
    // Prepare
    const name = await stream(2);

    // Act
    const shards = await local.wire.listShards(name);

    // Assess
    expect(shards.map((shard) => shard.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
  });

  it('reads records as the SDK decodes them: data as bytes, arrival time as a Date', async () => {
    // Prepare
    const name = await stream();
    const iterator = await local.wire.getShardIterator(name, 'shardId-000000000000', { ShardIteratorType: 'TRIM_HORIZON' });
    const put = await local.wire.putRecord(name, Buffer.from('héllo'), 'k');

    // Act
    const answer = await local.wire.getRecords(iterator ?? '', 10);
    const sdkIterator = await local.direct.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const sdk = await local.direct.send(new GetRecordsCommand({ ShardIterator: sdkIterator.ShardIterator }));

    // Assess
    expect(put.shardId).toBe('shardId-000000000000');
    expect(answer.records).toEqual([
      { SequenceNumber: put.sequenceNumber, Data: new Uint8Array(Buffer.from('héllo')), PartitionKey: 'k', ApproximateArrivalTimestamp: expect.any(Date), EncryptionType: 'NONE' },
    ]);
    // The same instant as the SDK reads from the same answer (kinesis-local sends seconds; a Date holds milliseconds).
    expect(answer.records[0].ApproximateArrivalTimestamp).toEqual(sdk.Records?.[0].ApproximateArrivalTimestamp);
    expect(answer.nextShardIterator).toEqual(expect.any(String));
    expect(answer.millisBehindLatest).toBe(0);
  });

  it('reads from a sequence number on, and from a timestamp', async () => {
    // Prepare
    const name = await stream();
    await local.client.send(new PutRecordsCommand({ StreamName: name, Records: ['a', 'b', 'c'].map((data) => ({ PartitionKey: 'k', Data: Buffer.from(data) })) }));
    const all = await local.wire.getRecords((await local.wire.getShardIterator(name, 'shardId-000000000000', { ShardIteratorType: 'TRIM_HORIZON' })) ?? '', 10);

    // Act
    const after = await local.wire.getShardIterator(name, 'shardId-000000000000', { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: all.records[0].SequenceNumber ?? '' });
    const since = await local.wire.getShardIterator(name, 'shardId-000000000000', { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() - 60_000) });

    // Assess
    const text = (answer: { records: { Data?: Uint8Array }[] }) => answer.records.map((record) => Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
    expect(text(await local.wire.getRecords(after ?? '', 10))).toEqual(['b', 'c']);
    expect(text(await local.wire.getRecords(since ?? '', 10))).toEqual(['a', 'b', 'c']);
  });

  it('throws what kinesis-local answered as a KinesisServiceError named for its type', async () => {
    // Act
    const putting = local.wire.putRecord('no-such-stream', Buffer.from('x'), 'k');

    // Assess
    await expect(putting).rejects.toThrow(KinesisServiceError);
    await expect(local.wire.putRecord('no-such-stream', Buffer.from('x'), 'k')).rejects.toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
  });

  it('gives up a request whose signal aborts', async () => {
    // Prepare
    const name = await stream();
    const aborted = AbortSignal.abort();

    // Act
    const listing = local.wire.listShards(name, aborted);

    // Assess
    await expect(listing).rejects.toThrow(EmulatorRequestAbortedError);
  });
});
