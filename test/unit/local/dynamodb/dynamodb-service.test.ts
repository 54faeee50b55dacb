import type { JsonObject } from '../../../../local/shared/json';
import { tablesOf } from '../../../../local/dynamodb/dynamodb-service';

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
