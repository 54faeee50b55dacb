import { CreateStreamCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { DeliveryReport } from '../../../../local/event-source-mappings/delivery-report';
import { KinesisEventSource } from '../../../../local/event-source-mappings/kinesis-event-source';
import type { KinesisFailureRecord } from '../../../../local/event-source-mappings/kinesis-records';
import type { KinesisMappingConfig } from '../../../../local/event-source-mappings/mapping-config';
import { SharedShardReads } from '../../../../local/event-source-mappings/shared-shard-reads';
import { KinesisWireClient, type GetRecordsAnswer } from '../../../../local/kinesis/kinesis-wire-client';
import { fauxqsQueueUrl } from '../../../../local/sqs/fauxqs-client';
import { uniqueStreamName, useKinesisThroughEdge } from '../kinesis/kinesis-through-edge';
import { eventually, uniqueQueueName, useSqsThroughEdge } from '../sqs/sqs-through-edge';
import { FakeFunctions, type FakeHandler } from '../../../unit/local/event-source-mappings/fake-functions';
import { kinesisMapping } from '../../../unit/local/event-source-mappings/mapping-factory';

const dataOf = (record: KinesisStreamEvent['Records'][number]) => Buffer.from(record.kinesis.data, 'base64').toString('utf8');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A wire client that counts its GetRecords calls. */
class CountingWireClient extends KinesisWireClient {
  reads = 0;

  override getRecords(shardIterator: string, limit: number, signal?: AbortSignal): Promise<GetRecordsAnswer> {
    this.reads++;
    return super.getRecords(shardIterator, limit, signal);
  }
}
const datasOf = (event: KinesisStreamEvent) => event.Records.map(dataOf);

describe('KinesisEventSource', () => {
  const kinesis = useKinesisThroughEdge();
  const sqs = useSqsThroughEdge();
  const running: KinesisEventSource[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((source) => source.stop()));
  });

  async function stream(shards = 1): Promise<string> {
    const name = uniqueStreamName('log');
    await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    return name;
  }

  async function put(name: string, datas: readonly string[], partitionKey = 'order-1'): Promise<void> {
    await kinesis.client.send(new PutRecordsCommand({ StreamName: name, Records: datas.map((data) => ({ PartitionKey: partitionKey, Data: Buffer.from(data) })) }));
  }

  async function onFailureQueue(): Promise<string> {
    const name = uniqueQueueName('on-failure');
    await sqs.client.send(new CreateQueueCommand({ QueueName: name }));
    return name;
  }

  async function failureRecords(queue: string, count: number): Promise<KinesisFailureRecord[]> {
    const records: KinesisFailureRecord[] = [];
    await eventually(
      async () => {
        const { Messages: messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: `${sqs.edgeUrl}/000000000000/${queue}`, MaxNumberOfMessages: 10 }));
        records.push(...messages.map((message) => JSON.parse(message.Body ?? '{}') as KinesisFailureRecord));
        return records.length >= count ? true : undefined;
      },
      8_000,
      `${count} on-failure records`,
    );
    return records;
  }

  async function start(config: KinesisMappingConfig, handler: FakeHandler, options: { idlePollMs?: number; kinesis?: KinesisWireClient } = {}) {
    const functions = new FakeFunctions({ Projector: handler });
    const reports: DeliveryReport[] = [];
    const source = new KinesisEventSource({
      config,
      kinesis: options.kinesis ?? kinesis.wire,
      invoker: functions,
      activity: kinesis.activity,
      sendFailureRecord: async (destinationArn, record) => {
        await sqs.fauxqs.send(
          new SendMessageCommand({ QueueUrl: fauxqsQueueUrl(sqs.sqs.endpoint, destinationArn.slice(destinationArn.lastIndexOf(':') + 1)), MessageBody: JSON.stringify(record) }),
        );
      },
      onDelivery: (report) => reports.push(report),
      idlePollMs: options.idlePollMs ?? 50,
      retryBackoff: { initialMs: 10, maxMs: 50 },
    });
    running.push(source);
    await source.start();
    return { functions, reports, source };
  }

  const delivered = (functions: FakeFunctions) => functions.eventsOf<KinesisStreamEvent>('Projector');

  it('delivers every shard in order, with the Kinesis event as Lambda shapes it', async () => {
    // Prepare
    const name = await stream(2);
    const { functions, source } = await start(kinesisMapping(name, { batchSize: 4 }), () => undefined);
    const keys = ['order-1', 'order-2', 'order-3', 'order-4'];

    // Act
    for (let i = 0; i < 5; i++) {
      for (const key of keys) await kinesis.client.send(new PutRecordCommand({ StreamName: name, PartitionKey: key, Data: Buffer.from(`${key}#${i}`) }));
    }
    await eventually(async () => (delivered(functions).flatMap(datasOf).length === 20 ? true : undefined), 5_000, 'every record');

    // Assess
    const records = delivered(functions).flatMap((event) => event.Records);
    expect(source.shardCount).toBe(2);
    for (const key of keys) {
      expect(records.filter((record) => record.kinesis.partitionKey === key).map(dataOf)).toEqual([0, 1, 2, 3, 4].map((i) => `${key}#${i}`));
    }
    expect(delivered(functions).every((event) => event.Records.length <= 4)).toBe(true);
    expect(records[0]).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: expect.any(String),
        sequenceNumber: expect.stringMatching(/^\d+$/),
        data: expect.any(String),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: expect.stringMatching(/^shardId-00000000000[01]:\d+$/),
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/ProjectorRole',
      awsRegion: 'us-east-1',
      eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`,
    });
    expect(records[0].eventID).toBe(`${records[0].eventID.split(':')[0]}:${records[0].kinesis.sequenceNumber}`);
  });

  it('bisects a failing batch down to the poison record, sends it to the on-failure destination and keeps the records behind it flowing', async () => {
    // Prepare
    const name = await stream();
    const queue = await onFailureQueue();
    const datas = ['r0', 'r1', 'r2', 'r3', 'poison', 'r5', 'r6', 'r7', 'r8', 'r9'];
    await put(name, datas);
    const processed: string[] = [];
    const config = kinesisMapping(name, {
      batchSize: 10,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 1,
      onFailureDestination: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
    });

    // Act
    const { functions, reports } = await start(config, (event) => {
      const records = datasOf(event as KinesisStreamEvent);
      if (records.includes('poison')) throw new Error('cannot parse poison');
      processed.push(...records);
    });
    const [failure] = await failureRecords(queue, 1);
    await put(name, ['after']);
    await eventually(async () => (processed.includes('after') ? true : undefined), 5_000, 'the record put after the poison one');

    // Assess
    expect(processed).toEqual(['r0', 'r1', 'r2', 'r3', 'r5', 'r6', 'r7', 'r8', 'r9', 'after']);
    const poison = delivered(functions)
      .flatMap((event) => event.Records)
      .find((record) => dataOf(record) === 'poison');
    expect(failure).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Projector',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: expect.any(Number),
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: poison?.kinesis.sequenceNumber,
        endSequenceNumber: poison?.kinesis.sequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(/Z$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/Z$/),
        batchSize: 1,
        streamArn: config.streamArn,
      },
    });
    expect(failure.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(2);
    expect(reports.some((report) => report.outcome === 'discarded' && report.count === 1)).toBe(true);
  });

  it('retries a failing batch MaximumRetryAttempts times without bisecting, then moves past the whole batch', async () => {
    // Prepare
    const name = await stream();
    const queue = await onFailureQueue();
    await put(name, ['a', 'poison', 'c']);
    const calls: string[][] = [];

    // Act
    await start(kinesisMapping(name, { maximumRetryAttempts: 2, onFailureDestination: `arn:aws:sqs:us-east-1:000000000000:${queue}` }), (event) => {
      const records = datasOf(event as KinesisStreamEvent);
      calls.push(records);
      if (records.includes('poison')) throw new Error('poison');
    });
    const [failure] = await failureRecords(queue, 1);
    await put(name, ['next']);
    await eventually(async () => (calls.some((records) => records.includes('next')) ? true : undefined), 5_000, 'the next record');

    // Assess
    expect(calls).toEqual([['a', 'poison', 'c'], ['a', 'poison', 'c'], ['a', 'poison', 'c'], ['next']]);
    expect(failure.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
    expect(failure.KinesisBatchInfo.batchSize).toBe(3);
  });

  it('checkpoints before the first failure a partial batch response reports, and retries from there', async () => {
    // Prepare
    const name = await stream();
    await put(name, ['a', 'b', 'c', 'd']);
    const calls: string[][] = [];

    // Act
    const { reports } = await start(kinesisMapping(name, { reportBatchItemFailures: true }), (event) => {
      const records = (event as KinesisStreamEvent).Records;
      calls.push(records.map(dataOf));
      const c = records.find((record) => dataOf(record) === 'c');
      return (calls.length === 1 && c ? { batchItemFailures: [{ itemIdentifier: c.kinesis.sequenceNumber }] } : { batchItemFailures: [] }) satisfies KinesisStreamBatchResponse;
    });
    await eventually(async () => (calls.length === 2 ? true : undefined), 5_000, 'the retry');

    // Assess
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['c', 'd'],
    ]);
    expect(reports[0]).toMatchObject({ outcome: 'partial', failed: 2, note: 'checkpointed 2, retry 1' });
  });

  it('discards records older than MaximumRecordAgeInSeconds without invoking the function', async () => {
    // Prepare
    const name = await stream();
    const queue = await onFailureQueue();
    await put(name, ['stale-1', 'stale-2']);
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    // Act
    const { functions } = await start(kinesisMapping(name, { maximumRecordAgeSeconds: 1, onFailureDestination: `arn:aws:sqs:us-east-1:000000000000:${queue}` }), () => undefined);
    const [failure] = await failureRecords(queue, 1);

    // Assess
    expect(failure.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
    expect(failure.KinesisBatchInfo.batchSize).toBe(2);
    expect(functions.invocations).toHaveLength(0);
  });

  it('starts at LATEST: records put before the mapping started are not delivered', async () => {
    // Prepare
    const name = await stream();
    await put(name, ['before']);

    // Act
    const { functions } = await start(kinesisMapping(name, { startingPosition: 'LATEST' }), () => undefined);
    await put(name, ['after']);
    await eventually(async () => (delivered(functions).length > 0 ? true : undefined), 5_000, 'a delivery');

    // Assess
    expect(delivered(functions).flatMap(datasOf)).toEqual(['after']);
  });

  it('shares one read between two mappings that read a shard from the same place', async () => {
    // Prepare
    const name = await stream();
    const wire = new CountingWireClient(kinesis.kinesis.endpoint);
    const sharedReads = new SharedShardReads();
    const functions = new FakeFunctions({ Projector: () => undefined, Audit: () => undefined });
    for (const [functionRef, logicalId] of [
      ['Projector', 'ProjectorMapping'],
      ['Audit', 'AuditMapping'],
    ]) {
      const source = new KinesisEventSource({
        config: kinesisMapping(name, { functionRef, logicalId }),
        kinesis: wire,
        invoker: functions,
        activity: kinesis.activity,
        sharedReads,
        sendFailureRecord: async () => undefined,
        idlePollMs: 10_000,
      });
      running.push(source);
      await source.start();
    }
    await put(name, ['first']);
    await eventually(async () => (functions.invocations.length === 2 ? true : undefined), 5_000, 'the first record at both functions');
    await pause(100);
    const readsBefore = wire.reads;

    // Act
    await put(name, ['second']);
    await eventually(async () => (functions.invocations.length === 4 ? true : undefined), 5_000, 'the second record at both functions');
    await pause(100);

    // Assess
    expect(wire.reads - readsBefore).toBe(1);
    expect(functions.eventsOf<KinesisStreamEvent>('Projector').flatMap(datasOf)).toEqual(['first', 'second']);
    expect(functions.eventsOf<KinesisStreamEvent>('Audit').flatMap(datasOf)).toEqual(['first', 'second']);
    wire.close();
  });

  it('reads nothing more once it has read to the tip of the shard, until records are put', async () => {
    // Prepare
    const name = await stream();
    const wire = new CountingWireClient(kinesis.kinesis.endpoint);
    const { functions } = await start(kinesisMapping(name), () => undefined, { idlePollMs: 10_000, kinesis: wire });
    await put(name, ['a']);
    await eventually(async () => (functions.invocations.length === 1 ? true : undefined), 5_000, 'the first record');
    await pause(50);

    // Act
    const readsWhileCaughtUp = wire.reads;
    await pause(300);
    const idleReads = wire.reads - readsWhileCaughtUp;
    await put(name, ['b']);
    await eventually(async () => (functions.invocations.length === 2 ? true : undefined), 5_000, 'the second record');
    await pause(50);

    // Assess
    expect(idleReads).toBe(0);
    expect(wire.reads - readsWhileCaughtUp).toBe(1);
    wire.close();
  });

  it('wakes an idle shard as soon as records are put through the edge', async () => {
    // Prepare: an idle shard is read again only after an hour, unless a put wakes it
    const name = await stream();
    const wire = new CountingWireClient(kinesis.kinesis.endpoint);
    const { functions, reports } = await start(kinesisMapping(name), () => undefined, { idlePollMs: 60 * 60_000, kinesis: wire });
    await eventually(async () => (wire.reads > 0 ? true : undefined), 5_000, 'the first read of the empty shard');

    // Act
    await put(name, ['now']);
    await eventually(async () => (delivered(functions).length > 0 ? true : undefined), 5_000, 'the delivery');

    // Assess
    expect(reports[0]).toMatchObject({ outcome: 'ok', count: 1, sourceName: `${name}/shard-0`, functionName: 'Projector' });
    wire.close();
  });
});
