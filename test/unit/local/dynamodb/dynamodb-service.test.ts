import type { EdgeRequest } from '../../../../local/edge/edge-server';
import type { JsonObject } from '../../../../local/shared/json';
import { dynamoDbService, tablesOf } from '../../../../local/dynamodb/dynamodb-service';
import { FakeDynalite } from './fake-dynalite';

function dynamoDbRequest(operation: string, input: JsonObject): EdgeRequest {
  return {
    method: 'POST',
    url: new URL('http://127.0.0.1/'),
    headers: { 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(input)),
  };
}

describe('tablesOf', () => {
  it('names the table of a single-table request', () => {
    expect(tablesOf('GetItem', { TableName: 'products', Key: { sku: { S: 'SKU-1' } } })).toEqual(['products']);
  });

  it('names every table of a batch', () => {
    expect(tablesOf('BatchWriteItem', { RequestItems: { stock: [], products: [] } })).toEqual(['stock', 'products']);
  });

  it('names the table of every transaction item, whatever its action', () => {
    const input: JsonObject = {
      TransactItems: [
        { Update: { TableName: 'stock', Key: {}, UpdateExpression: 'SET n = :n' } },
        { Put: { TableName: 'reservations', Item: {} } },
        { ConditionCheck: { TableName: 'orders', Key: {}, ConditionExpression: 'attribute_exists(id)' } },
      ],
    };
    expect(tablesOf('TransactWriteItems', input)).toEqual(['stock', 'reservations', 'orders']);
    expect(tablesOf('TransactGetItems', { TransactItems: [{ Get: { TableName: 'orders', Key: {} } }] })).toEqual(['orders']);
  });

  it('names none for a request without a table or a body that is not JSON', () => {
    expect(tablesOf('ListTables', {})).toEqual([]);
    expect(tablesOf('GetItem', undefined)).toEqual([]);
  });
});

describe('dynamoDbService', () => {
  it('forgets a table key schema when a DeleteTable for it passes through', async () => {
    const dynalite = new FakeDynalite();
    dynalite.createTable('orders', ['orderId']);
    const service = dynamoDbService('http://127.0.0.1:1', dynalite);
    const put = (item: JsonObject) => dynamoDbRequest('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'orders', Item: item } }] });
    expect((await service.handle(put({ orderId: { S: 'o-1' } }))).status).toBe(200);

    expect((await service.handle(dynamoDbRequest('DeleteTable', { TableName: 'orders' }))).status).toBe(200);
    dynalite.createTable('orders', ['orderRef']);
    const before = dynalite.calls.length;
    const answer = await service.handle(put({ orderId: { S: 'o-2' }, orderRef: { S: 'r-2' } }));

    expect(answer.status).toBe(200);
    expect(dynalite.calls.slice(before).map((call) => [call.operation, call.input.Key ?? null])).toEqual([
      ['DescribeTable', null],
      ['GetItem', { orderRef: { S: 'r-2' } }],
      ['PutItem', null],
    ]);
  });
});
