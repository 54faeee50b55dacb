import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { createStreams } from '../../../../local/kinesis/stream-provisioning';
import { listeningSockets } from '../listening-sockets';
import { startKinesisThroughEdge, useKinesisThroughEdge, uniqueStreamName } from './kinesis-through-edge';
import { LOCAL_CONTEXT as CONTEXT } from '../../../unit/local/assembly/local-context';


describe('kinesisService and kinesis-local', () => {
  const local = useKinesisThroughEdge();

  it('serves the SDK Kinesis client through the edge: create, put, read back in order', async () => {
    // Prepare
    const name = uniqueStreamName('orders');
    await local.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));

    // Act
    await local.client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'o-1', Data: Buffer.from('first') }));
    await local.client.send(
      new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'o-1', Data: Buffer.from('second') }, { PartitionKey: 'o-2', Data: Buffer.from('third') }] }),
    );
    const { ShardIterator: iterator } = await local.client.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records: records = [] } = await local.client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    const { StreamNames: names = [] } = await local.client.send(new ListStreamsCommand({}));

    // Assess
    expect(names).toContain(name);
    expect(records.map((record) => Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'))).toEqual(['first', 'second', 'third']);
    expect(records[0].ApproximateArrivalTimestamp).toBeInstanceOf(Date);
  });

  it('answers a stream that does not exist with ResourceNotFoundException', async () => {
    await expect(local.client.send(new DescribeStreamSummaryCommand({ StreamName: 'missing' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('tells the stream activity about each successful put', async () => {
    // Prepare
    const name = uniqueStreamName('log');
    await local.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const seen = local.activity.putCount(name);
    // A wait of an hour, far beyond the test's timeout: only the put can end it in time.
    const giveUp = new AbortController();
    const woken = local.activity.waitForRecords(name, 60 * 60_000, { seenPuts: seen, signal: giveUp.signal });
    const failedTest = setTimeout(() => giveUp.abort(), 4_000); // leaves no hour-long timer behind a failed test
    failedTest.unref();

    // Act
    await local.client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }));
    await woken;
    clearTimeout(failedTest);

    // Assess
    expect(giveUp.signal.aborted).toBe(false);
    expect(local.activity.putCount(name)).toBe(seen + 1);
  });

  it('tells the put listeners how many records each put wrote, for CloudWatch IncomingRecords', async () => {
    // Prepare
    const name = uniqueStreamName('counted');
    await local.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const puts: { stream: string; records: number; throttled: number }[] = [];
    const stop = local.activity.onPut((put) => puts.push(put));

    // Act
    await local.client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }));
    await local.client.send(
      new PutRecordsCommand({ StreamName: name, Records: ['a', 'b', 'c'].map((data) => ({ PartitionKey: data, Data: Buffer.from(data) })) }),
    );
    await expect(local.client.send(new PutRecordCommand({ StreamName: 'missing', PartitionKey: 'p', Data: Buffer.from('x') }))).rejects.toThrow();
    stop();
    await local.client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('after') }));

    // Assess
    expect(puts).toEqual([
      { stream: name, records: 1, throttled: 0 },
      { stream: name, records: 3, throttled: 0 },
    ]);
  });

  it('creates the streams of a template, named as Ref resolves them, and waits until they are active', async () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        OrderEventLog1A2B3C4D: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2, RetentionPeriodHours: 48, StreamModeDetails: { StreamMode: 'PROVISIONED' } } },
        ClickStream5E6F7A8B: { Type: 'AWS::Kinesis::Stream', Properties: { Name: uniqueStreamName('clicks'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } } },
      },
    };
    const resolver = new IntrinsicResolver(template, CONTEXT, assignPhysicalIds(template, CONTEXT, { edgeUrl: local.edgeUrl }));

    // Act
    const streams = await createStreams({ kinesis: local.direct, template, resolver });
    const log = await local.client.send(new DescribeStreamSummaryCommand({ StreamName: streams[0].name }));

    // Assess
    expect(streams[0]).toEqual({
      logicalId: 'OrderEventLog1A2B3C4D',
      name: 'HybridShop-OrderEventLog1A2B3C4D',
      arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/HybridShop-OrderEventLog1A2B3C4D',
      mode: 'PROVISIONED',
      shardCount: 2,
    });
    expect(streams[1].mode).toBe('ON_DEMAND');
    expect(log.StreamDescriptionSummary).toMatchObject({
      StreamStatus: 'ACTIVE',
      OpenShardCount: 2,
      RetentionPeriodHours: 48,
      StreamARN: streams[0].arn,
    });
  });
});

describe('startKinesis', () => {
  it('listens on 127.0.0.1 only, its TLS port as well as its plain one (kinesis-mock asks for 0.0.0.0)', async () => {
    // Prepare
    const local = await startKinesisThroughEdge();

    // Act
    const sockets = listeningSockets(local.kinesis.pid);
    await local.stop();

    // Assess
    expect(sockets).toHaveLength(2);
    expect(sockets.map((socket) => socket.port)).toContain(Number(new URL(local.kinesis.endpoint).port));
    expect(sockets.map((socket) => socket.address)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('leaves no process behind once stopped', async () => {
    // Prepare
    const local = await startKinesisThroughEdge();
    const { pid } = local.kinesis;

    // Act
    await local.stop();

    // Assess
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
