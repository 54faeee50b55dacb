import { KinesisApi } from '../../../../local/kinesis/kinesis-api';
import { ShardLog } from '../../../../local/kinesis/shard-log';
import { StreamActivity } from '../../../../local/kinesis/stream-activity';
import type { JsonObject } from '../../../../local/shared/json';

const NOW = Date.UTC(2026, 0, 1, 12);
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The API on a shard log at a fixed time, with one 2-shard stream `orders`, and what its activity heard. */
function api() {
  const activity = new StreamActivity();
  const puts: { stream: string; records: number; throttled: number }[] = [];
  activity.onPut((put) => puts.push(put));
  const kinesis = new KinesisApi(new ShardLog({ accountId: '000000000000', region: 'us-east-1', clock: () => NOW }), activity);
  expect(kinesis.call('CreateStream', { StreamName: 'orders', ShardCount: 2 }).status).toBe(200);
  return { kinesis, activity, puts };
}

/** An operation as the edge hands it over: an HTTP-shaped request, its answer parsed. */
function viaEdge(kinesis: KinesisApi, operation: string, input: JsonObject): { status: number; body: JsonObject } {
  const answer = kinesis.handle({ headers: { 'x-amz-target': `Kinesis_20131202.${operation}`, 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from(JSON.stringify(input)) });
  return { status: answer.status, body: JSON.parse(answer.body.toString('utf8')) as JsonObject };
}

const ok = (answer: { status: number; body: JsonObject }): JsonObject => {
  expect(answer).toMatchObject({ status: 200 });
  return answer.body;
};

describe('KinesisApi', () => {
  it('answers PutRecords with a result per record, the refused ones with their error code, and tells the activity both counts of a put through the edge', () => {
    // Prepare: shard 0 takes 999 more records this second
    const { kinesis, puts } = api();
    const toShard0 = { Data: b64('x'), PartitionKey: 'k', ExplicitHashKey: '0' };
    ok(kinesis.call('PutRecords', { StreamName: 'orders', Records: Array.from({ length: 500 }, () => toShard0) }));
    ok(kinesis.call('PutRecords', { StreamName: 'orders', Records: Array.from({ length: 499 }, () => toShard0) }));
    expect(puts).toEqual([]);

    // Act
    const body = ok(
      viaEdge(kinesis, 'PutRecords', {
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
        Records: [toShard0, { Data: b64('y'), PartitionKey: 'k', ExplicitHashKey: '340282366920938463463374607431768211455' }, toShard0],
      }),
    );

    // Assess
    expect(body).toEqual({
      FailedRecordCount: 1,
      Records: [
        { ShardId: 'shardId-000000000000', SequenceNumber: expect.stringMatching(/^\d{56}$/) },
        { ShardId: 'shardId-000000000001', SequenceNumber: expect.stringMatching(/^\d{56}$/) },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream orders under account 000000000000.' },
      ],
      EncryptionType: 'NONE',
    });
    expect(puts).toEqual([
      { stream: 'orders', records: 0, throttled: 1 },
      { stream: 'orders', records: 2, throttled: 0 },
    ]);
  });

  it('answers a throttled PutRecord with ProvisionedThroughputExceededException, and wakes no consumer', async () => {
    // Prepare
    const { kinesis, activity, puts } = api();
    for (let i = 0; i < 2; i++) ok(kinesis.call('PutRecords', { StreamName: 'orders', Records: Array.from({ length: 500 }, () => ({ Data: b64('x'), PartitionKey: 'k' })) }));
    const seen = activity.putCount('orders');

    // Act
    const answer = viaEdge(kinesis, 'PutRecord', { StreamName: 'orders', Data: b64('late'), PartitionKey: 'k' });

    // Assess
    expect(answer).toEqual({ status: 400, body: { __type: 'ProvisionedThroughputExceededException', message: expect.stringMatching(/^Rate exceeded for shard/) } });
    expect(activity.putCount('orders')).toBe(seen);
    expect(puts.at(-1)).toEqual({ stream: 'orders', records: 0, throttled: 1 });
  });

  it('renders records as the wire carries them: base64 data, arrival in epoch seconds, no encryption', () => {
    // Prepare
    const { kinesis } = api();
    const put = ok(kinesis.call('PutRecord', { StreamName: 'orders', Data: b64('héllo'), PartitionKey: 'p', ExplicitHashKey: '0' }));
    const { ShardIterator: iterator } = ok(kinesis.call('GetShardIterator', { StreamName: 'orders', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: NOW / 1000 - 1 }));

    // Act
    const body = ok(kinesis.call('GetRecords', { ShardIterator: iterator, Limit: 10 }));

    // Assess
    expect(put).toEqual({ ShardId: 'shardId-000000000000', SequenceNumber: expect.any(String), EncryptionType: 'NONE' });
    expect(body).toEqual({
      Records: [{ SequenceNumber: put.SequenceNumber, ApproximateArrivalTimestamp: NOW / 1000, Data: b64('héllo'), PartitionKey: 'p', EncryptionType: 'NONE' }],
      NextShardIterator: expect.any(String),
      MillisBehindLatest: 0,
    });
  });

  it('describes streams and shards as the SDK reads them, one page of shards at a time when asked', () => {
    // Prepare
    const { kinesis } = api();
    ok(kinesis.call('CreateStream', { StreamName: 'clicks', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    ok(kinesis.call('IncreaseStreamRetentionPeriod', { StreamName: 'orders', RetentionPeriodHours: 48 }));

    // Act
    const summary = ok(kinesis.call('DescribeStreamSummary', { StreamName: 'orders' }));
    const streams = ok(kinesis.call('ListStreams', {}));
    const firstPage = ok(kinesis.call('ListShards', { StreamName: 'clicks', MaxResults: 3 }));
    const secondPage = ok(kinesis.call('ListShards', { NextToken: String(firstPage.NextToken) }));
    const described = ok(kinesis.call('DescribeStream', { StreamName: 'orders' }));

    // Assess
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamName: 'orders',
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 48,
      StreamCreationTimestamp: NOW / 1000,
      OpenShardCount: 2,
    });
    expect(streams).toMatchObject({ StreamNames: ['clicks', 'orders'], HasMoreStreams: false });
    expect((firstPage.Shards as JsonObject[]).map((shard) => shard.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(secondPage).toEqual({ Shards: [expect.objectContaining({ ShardId: 'shardId-000000000003' })] });
    expect(described.StreamDescription).toMatchObject({ HasMoreShards: false, Shards: [{ ShardId: 'shardId-000000000000' }, { ShardId: 'shardId-000000000001' }] });
    expect((described.StreamDescription as { Shards: JsonObject[] }).Shards[0]).toEqual({
      ShardId: 'shardId-000000000000',
      HashKeyRange: { StartingHashKey: '0', EndingHashKey: '170141183460469231731687303715884105727' },
      SequenceNumberRange: { StartingSequenceNumber: expect.stringMatching(/^\d{56}$/) },
    });
  });

  it.each([
    ['PutRecords without records', 'ValidationException', 'PutRecords', { StreamName: 'orders', Records: [] }],
    ['PutRecords of 501 records', 'ValidationException', 'PutRecords', { StreamName: 'orders', Records: Array.from({ length: 501 }, () => ({ Data: 'eA==', PartitionKey: 'k' })) }],
    ['a record over 1 MiB', 'ValidationException', 'PutRecord', { StreamName: 'orders', Data: Buffer.alloc(1024 * 1024 + 1).toString('base64'), PartitionKey: 'k' }],
    ['an empty partition key', 'ValidationException', 'PutRecord', { StreamName: 'orders', Data: 'eA==', PartitionKey: '' }],
    ['data that is not base64', 'SerializationException', 'PutRecord', { StreamName: 'orders', Data: 'not base64!', PartitionKey: 'k' }],
    ['no stream named', 'InvalidArgumentException', 'PutRecord', { Data: 'eA==', PartitionKey: 'k' }],
    ['a stream that does not exist', 'ResourceNotFoundException', 'DescribeStreamSummary', { StreamName: 'missing' }],
    ['an unknown iterator type', 'ValidationException', 'GetShardIterator', { StreamName: 'orders', ShardId: 'shardId-000000000000', ShardIteratorType: 'SOON' }],
    ['AT_SEQUENCE_NUMBER without a sequence number', 'InvalidArgumentException', 'GetShardIterator', { StreamName: 'orders', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' }],
    ['a GetRecords limit above 10,000', 'ValidationException', 'GetRecords', { ShardIterator: 'x', Limit: 10_001 }],
    ['an operation it does not serve', 'UnknownOperationException', 'SplitShard', { StreamName: 'orders' }],
  ])('refuses %s with %s', (_, type, operation, input) => {
    // Prepare
    const { kinesis, puts } = api();

    // Act
    const answer = kinesis.call(operation, input as JsonObject);
    const throughEdge = viaEdge(kinesis, operation, input as JsonObject);

    // Assess
    expect(answer).toEqual({ status: 400, body: { __type: type, message: expect.any(String) } });
    expect(throughEdge).toEqual(answer);
    expect(puts).toEqual([]);
  });

  it('serves HTTP-shaped requests: JSON 1.1 in and out, and a CBOR request refused with a 400 that says to use JSON', () => {
    // Prepare
    const { kinesis } = api();
    const headers = (operation: string, contentType = 'application/x-amz-json-1.1') => ({ 'x-amz-target': `Kinesis_20131202.${operation}`, 'content-type': contentType });

    // Act
    const listed = kinesis.handle({ headers: headers('ListStreams'), body: Buffer.from('{}') });
    const cbor = kinesis.handle({ headers: headers('ListStreams', 'application/x-amz-cbor-1.1'), body: Buffer.from([0xa0]) });
    const garbled = kinesis.handle({ headers: headers('ListStreams'), body: Buffer.from('{not json') });

    // Assess
    expect(listed).toMatchObject({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': expect.any(String) } });
    expect(JSON.parse(listed.body.toString('utf8'))).toMatchObject({ StreamNames: ['orders'] });
    expect(cbor.status).toBe(400);
    expect(JSON.parse(cbor.body.toString('utf8'))).toEqual({ __type: 'SerializationException', message: expect.stringContaining('JSON 1.1 only') });
    expect(JSON.parse(garbled.body.toString('utf8'))).toMatchObject({ __type: 'SerializationException' });
  });
});
