import { startDynamoDb, type LocalDynamoDb } from '../../../../local/dynamodb/dynamodb-local';
import { inProcessDynalite } from '../../../../local/dynamodb/in-process-dynalite';
import { DynamoDbWireClient } from '../../../../local/dynamodb/wire-client';
import type { EmulatorResponse } from '../../../../local/shared/emulator-client';

const TABLE = 'in-process-products';

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

describe('in-process dynalite', () => {
  let dynamoDb: LocalDynamoDb;
  let direct: DynamoDbWireClient;
  let overHttp: DynamoDbWireClient;

  beforeAll(async () => {
    dynamoDb = await startDynamoDb();
    direct = new DynamoDbWireClient(dynamoDb.endpoint);
    overHttp = new DynamoDbWireClient(dynamoDb.endpoint, { inProcess: false });
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

  it('is the way in for a dynalite this process started', () => {
    expect([direct.inProcess, overHttp.inProcess]).toEqual([true, false]);
  });

  it('answers an item exactly as dynalite does over HTTP', async () => {
    // Act
    const [viaCall, viaHttp] = await Promise.all([direct.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-1') }), overHttp.send({ method: 'POST', path: '/', headers: HEADERS, body: getItem('SKU-1') })]);

    // Assess
    expect(comparable(viaCall)).toEqual(comparable(viaHttp));
    expect(JSON.parse(viaCall.body.toString('utf8'))).toEqual({ Item: { sku: { S: 'SKU-1' }, priceCents: { N: '1490' } } });
  });

  it('answers an error exactly as dynalite does over HTTP', async () => {
    // Prepare: a key of the wrong type
    const body = Buffer.from(JSON.stringify({ TableName: TABLE, Key: { sku: { N: '1' } } }));

    // Act
    const [viaCall, viaHttp] = await Promise.all([direct.send({ method: 'POST', path: '/', headers: HEADERS, body }), overHttp.send({ method: 'POST', path: '/', headers: HEADERS, body })]);

    // Assess
    expect(comparable(viaCall)).toEqual(comparable(viaHttp));
    expect(viaCall.status).toBe(400);
  });

  it('sees writes made over HTTP and the other way round: one store', async () => {
    // Act
    await direct.call('PutItem', { TableName: TABLE, Item: { sku: { S: 'SKU-2' } } });

    // Assess
    expect(await overHttp.call('GetItem', { TableName: TABLE, Key: { sku: { S: 'SKU-2' } } })).toEqual({ Item: { sku: { S: 'SKU-2' } } });
  });

  it('is forgotten once dynalite stops', async () => {
    // Prepare
    const other = await startDynamoDb();
    expect(inProcessDynalite(other.endpoint)).toBeDefined();

    // Act
    await other.stop();

    // Assess
    expect(inProcessDynalite(other.endpoint)).toBeUndefined();
  });
});
