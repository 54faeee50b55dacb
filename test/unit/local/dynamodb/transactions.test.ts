import type { JsonObject } from '../../../../local/shared/json';
import { DynamoDbTransactions } from '../../../../local/dynamodb/transactions';
import { DynamoDbError } from '../../../../local/dynamodb/wire-client';
import { FakeDynalite } from './fake-dynalite';

/** Place-order's transaction: an order item and its idempotency item, each Put only if new. */
function placeOrder(orderId: string): JsonObject {
  return {
    TransactItems: [
      { Put: { TableName: 'orders', Item: { orderId: { S: orderId }, total: { N: '12' } }, ConditionExpression: 'attribute_not_exists(orderId)' } },
      { Put: { TableName: 'idempotency', Item: { id: { S: `key-${orderId}` }, orderId: { S: orderId } }, ConditionExpression: 'attribute_not_exists(id)' } },
    ],
  };
}

function dynaliteWithTables(): FakeDynalite {
  const dynalite = new FakeDynalite();
  dynalite.createTable('orders', ['orderId']);
  dynalite.createTable('idempotency', ['id']);
  return dynalite;
}

describe('DynamoDbTransactions key schemas', () => {
  it('reads each table key schema once: the second transaction makes no DescribeTable', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);

    await transactions.transactWriteItems(placeOrder('o-1'));
    const firstCalls = dynalite.calls.length;
    await transactions.transactWriteItems(placeOrder('o-2'));

    expect(dynalite.count('DescribeTable')).toBe(2);
    expect(dynalite.calls.slice(firstCalls).map((call) => call.operation)).toEqual(['GetItem', 'GetItem', 'PutItem', 'PutItem']);
    expect(dynalite.item('orders', { orderId: { S: 'o-2' } })).toEqual({ orderId: { S: 'o-2' }, total: { N: '12' } });
  });

  it('runs a transaction again with a fresh schema when the cached one is stale, writing nothing with the old key', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);
    await transactions.transactWriteItems(placeOrder('o-1'));
    // Re-created behind the edge's back: the key is now `key`, and `id` an ordinary attribute.
    dynalite.createTable('idempotency', ['key']);
    const before = dynalite.calls.length;
    const input = placeOrder('o-2');
    const idempotencyItem = ((input.TransactItems as JsonObject[])[1].Put as JsonObject).Item as JsonObject;
    idempotencyItem.key = { S: 'k-2' };

    await transactions.transactWriteItems(input);

    const calls = dynalite.calls.slice(before);
    expect(calls.filter((call) => call.operation === 'DescribeTable').map((call) => call.input.TableName).sort()).toEqual(['idempotency', 'orders']);
    expect(calls.filter((call) => call.operation === 'PutItem')).toHaveLength(2);
    expect(calls.filter((call) => call.operation === 'DeleteItem')).toHaveLength(0);
    expect(calls.filter((call) => call.operation === 'GetItem' && call.input.TableName === 'idempotency').map((call) => call.input.Key)).toEqual([{ id: { S: 'key-o-2' } }, { key: { S: 'k-2' } }]);
    expect(dynalite.item('idempotency', { key: { S: 'k-2' } })).toEqual(idempotencyItem);
  });

  it('runs again when the stale schema names an attribute the item lacks', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);
    await transactions.transactWriteItems(placeOrder('o-1'));
    dynalite.createTable('orders', ['orderRef']);
    const input = placeOrder('o-2');
    ((input.TransactItems as JsonObject[])[0].Put as JsonObject).Item = { orderRef: { S: 'r-2' } };

    await transactions.transactWriteItems(input);

    expect(dynalite.item('orders', { orderRef: { S: 'r-2' } })).toEqual({ orderRef: { S: 'r-2' } });
  });

  it('answers a genuine validation error after one retry, not more', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);
    await transactions.transactWriteItems(placeOrder('o-1'));
    const before = dynalite.calls.length;
    const input = placeOrder('o-2');
    ((input.TransactItems as JsonObject[])[1].Put as JsonObject).Item = { orderId: { S: 'o-2' } };

    const failure = transactions.transactWriteItems(input);

    await expect(failure).rejects.toThrow('Missing the key id in the item');
    await expect(failure).rejects.toBeInstanceOf(DynamoDbError);
    const calls = dynalite.calls.slice(before).map((call) => call.operation);
    expect(calls.filter((operation) => operation === 'DescribeTable')).toHaveLength(2);
    expect(calls.filter((operation) => operation === 'PutItem')).toHaveLength(0);
  });

  it('does not retry a validation error when no schema came from the cache', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);
    const input = placeOrder('o-1');
    ((input.TransactItems as JsonObject[])[1].Put as JsonObject).Item = { orderId: { S: 'o-1' } };

    await expect(transactions.transactWriteItems(input)).rejects.toThrow('Missing the key id in the item');

    expect(dynalite.count('DescribeTable')).toBe(2);
  });

  it('shares one DescribeTable per table between concurrent first transactions', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);

    await Promise.all([transactions.transactWriteItems(placeOrder('o-1')), transactions.transactWriteItems(placeOrder('o-2'))]);

    expect(dynalite.calls.filter((call) => call.operation === 'DescribeTable').map((call) => call.input.TableName).sort()).toEqual(['idempotency', 'orders']);
  });

  it('does not keep a failed DescribeTable: the next transaction reads the schema again', async () => {
    const dynalite = new FakeDynalite();
    const transactions = new DynamoDbTransactions(dynalite);
    const put = { TransactItems: [{ Put: { TableName: 'orders', Item: { orderId: { S: 'o-1' } } } }] };

    await expect(transactions.transactWriteItems(put)).rejects.toThrow('Requested resource not found');
    dynalite.createTable('orders', ['orderId']);
    await transactions.transactWriteItems(put);

    expect(dynalite.count('DescribeTable')).toBe(2);
    expect(dynalite.item('orders', { orderId: { S: 'o-1' } })).toEqual({ orderId: { S: 'o-1' } });
  });

  it('keeps the schema for a PutItem returning its old image, and reads a stale one again', async () => {
    const dynalite = dynaliteWithTables();
    const transactions = new DynamoDbTransactions(dynalite);
    await transactions.transactWriteItems(placeOrder('o-1'));
    dynalite.createTable('orders', ['orderRef']);
    const put = { TableName: 'orders', Item: { orderRef: { S: 'r-1' } }, ConditionExpression: 'attribute_not_exists(orderRef)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' };

    await transactions.conditionalWriteReturningOldImage('PutItem', put);
    const failure = transactions.conditionalWriteReturningOldImage('PutItem', put);

    await expect(failure).rejects.toMatchObject({ body: { Item: { orderRef: { S: 'r-1' } } } });
    expect(dynalite.count('DescribeTable')).toBe(3);
  });
});
