import { MessageChannel, Worker } from 'node:worker_threads';
import { startDynamoDb, type LocalDynamoDb } from '../../../../local/dynamodb/dynamodb-local';
import { DynaliteChannel, dynaliteChannel, DynaliteChannelClosedError } from '../../../../local/dynamodb/dynalite-channel';
import { DynamoDbWireClient } from '../../../../local/dynamodb/wire-client';
import { mainThreadCpuMs } from '../../../../local/runtime/cpu-usage';
import type { EmulatorResponse } from '../../../../local/shared/emulator-client';

const TABLE = 'channel-products';

function getItem(sku: string): Buffer {
  return Buffer.from(JSON.stringify({ TableName: TABLE, Key: { sku: { S: sku } } }));
}

const HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.GetItem',
  'x-amz-date': '20000101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
};

/** dynalite creates a table CREATING, then ACTIVE on a timer: writes before that fail, as in AWS. */
async function untilActive(client: DynamoDbWireClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (((await client.call('DescribeTable', { TableName: tableName })).Table as { TableStatus?: string }).TableStatus !== 'ACTIVE') {
    if (Date.now() > deadline) throw new Error(`${tableName} is not ACTIVE after 2 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What must not differ between the two ways in: the request id is random by design. */
function comparable(response: EmulatorResponse) {
  return {
    status: response.status,
    body: response.body.toString('utf8'),
    contentType: response.headers['content-type'],
    crc32: response.headers['x-amz-crc32'],
    hasRequestId: typeof response.headers['x-amzn-requestid'] === 'string',
  };
}

describe("dynalite in its worker thread, called over the worker's message port", () => {
  let dynamoDb: LocalDynamoDb;
  let direct: DynamoDbWireClient;
  let overHttp: DynamoDbWireClient;

  beforeAll(async () => {
    dynamoDb = await startDynamoDb();
    direct = new DynamoDbWireClient(dynamoDb.endpoint);
    overHttp = new DynamoDbWireClient(dynamoDb.endpoint, { direct: false });
    await overHttp.call('CreateTable', {
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await untilActive(overHttp, TABLE);
    await overHttp.call('PutItem', { TableName: TABLE, Item: { sku: { S: 'SKU-1' }, priceCents: { N: '1490' } } });
  });
  afterAll(async () => {
    direct.close();
    overHttp.close();
    await dynamoDb.stop();
  });

  it('is the way in for the dynalite this process runs', () => {
    expect([direct.direct, overHttp.direct]).toEqual([true, false]);
  });

  it('answers an item exactly as dynalite does over HTTP', async () => {
    // Act
    const [viaPort, viaHttp] = await Promise.all([direct.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-1') }), overHttp.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-1') })]);

    // Assess
    expect(comparable(viaPort)).toEqual(comparable(viaHttp));
    expect(JSON.parse(viaPort.body.toString('utf8'))).toEqual({ Item: { sku: { S: 'SKU-1' }, priceCents: { N: '1490' } } });
  });

  it('answers an error exactly as dynalite does over HTTP', async () => {
    // Prepare: a key of the wrong type
    const body = Buffer.from(JSON.stringify({ TableName: TABLE, Key: { sku: { N: '1' } } }));

    // Act
    const [viaPort, viaHttp] = await Promise.all([direct.send({ method: 'POST', path: '/', headers: HEADERS, body }), overHttp.send({ method: 'POST', path: '/', headers: HEADERS, body })]);

    // Assess
    expect(comparable(viaPort)).toEqual(comparable(viaHttp));
    expect(viaPort.status).toBe(400);
  });

  it('leaves the caller’s body as it was (it sends a copy)', async () => {
    // Prepare: a body in Node's shared pool, as Buffer.from of a short string gives one
    const body = getItem('SKU-1');
    const before = body.toString('utf8');

    // Act
    await direct.send({ method: 'POST', path: '/', headers: HEADERS, body });

    // Assess
    expect(body.toString('utf8')).toBe(before);
  });

  it('carries a large answer whole', async () => {
    // Prepare: an item of 300 KB, beyond Node's buffer pool
    const blob = 'x'.repeat(300_000);
    await direct.call('PutItem', { TableName: TABLE, Item: { sku: { S: 'SKU-BIG' }, blob: { S: blob } } });

    // Act
    const [viaPort, viaHttp] = await Promise.all([direct.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-BIG') }), overHttp.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-BIG') })]);

    // Assess
    expect(comparable(viaPort)).toEqual(comparable(viaHttp));
    expect(viaPort.body.length).toBeGreaterThan(300_000);
  });

  it('sees writes made over HTTP and the other way round: one store', async () => {
    // Act
    await direct.call('PutItem', { TableName: TABLE, Item: { sku: { S: 'SKU-2' } } });

    // Assess
    expect(await overHttp.call('GetItem', { TableName: TABLE, Key: { sku: { S: 'SKU-2' } } })).toEqual({ Item: { sku: { S: 'SKU-2' } } });
  });

  it('does dynalite’s work on its own thread: that thread’s CPU grows with the calls, and more than this thread’s', async () => {
    // Prepare
    const dynaliteBefore = await dynamoDb.cpuMs();
    const hereBefore = mainThreadCpuMs();

    // Act: 300 queries, 20 at a time
    for (let round = 0; round < 15; round++) {
      await Promise.all(Array.from({ length: 20 }, () => direct.call('Query', { TableName: TABLE, KeyConditionExpression: 'sku = :s', ExpressionAttributeValues: { ':s': { S: 'SKU-1' } } })));
    }
    const hereMs = (mainThreadCpuMs() ?? Number.NaN) - (hereBefore ?? Number.NaN);
    const dynaliteMs = (await dynamoDb.cpuMs()) - dynaliteBefore;

    // Assess: this thread only posts the requests and reads the answers
    expect(dynaliteBefore).toBeGreaterThan(0);
    expect(dynaliteMs).toBeGreaterThan(0);
    if (hereBefore !== undefined) expect(hereMs).toBeLessThan(dynaliteMs);
  });
});

describe('stopping dynalite', () => {
  it('fails a call under way, and every later one, with a clear error, and forgets the endpoint', async () => {
    // Prepare
    const dynamoDb = await startDynamoDb();
    const client = new DynamoDbWireClient(dynamoDb.endpoint);
    expect(dynaliteChannel(dynamoDb.endpoint)).toBeDefined();

    // Act: a call posted, then dynalite stopped before its answer can come back, then a call to the stopped dynalite
    const failureOf = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => error);
    const underWay = failureOf(client.call('ListTables', {}));
    const stopped = dynamoDb.stop();
    const later = failureOf(client.call('ListTables', {}));
    await stopped;

    // Assess
    expect(await underWay).toEqual(new DynaliteChannelClosedError('dynalite was stopped before it answered'));
    expect(await underWay).toBeInstanceOf(DynaliteChannelClosedError);
    expect(await later).toBeInstanceOf(DynaliteChannelClosedError);
    expect(dynaliteChannel(dynamoDb.endpoint)).toBeUndefined();
    expect(await dynamoDb.cpuMs()).toBe(0);
    client.close();
  });
});

describe('a dynalite thread that dies', () => {
  it('fails the call under way, and every later one, with its exit code and error', async () => {
    // Prepare: a worker that takes the line as dynalite's does, and dies of the first request
    const { port1: here, port2: there } = new MessageChannel();
    const worker = new Worker(
      "const { workerData } = require('node:worker_threads'); workerData.requests.on('message', () => { throw new Error('dynalite broke'); });",
      { eval: true, execArgv: [], workerData: { requests: there }, transferList: [there] },
    );
    const channel = new DynaliteChannel(here);
    channel.closeWhenEnds(worker);
    const failureOf = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => error);

    // Act
    const underWay = await failureOf(channel.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-1') }));
    const later = await failureOf(channel.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-1') }));

    // Assess
    expect(underWay).toEqual(new DynaliteChannelClosedError("dynalite's worker thread exited (code 1): dynalite broke before it answered"));
    expect(underWay).toBeInstanceOf(DynaliteChannelClosedError);
    expect(later).toBe(underWay);
  });
});
