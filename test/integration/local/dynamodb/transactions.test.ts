import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { useDynamoDbThroughEdge } from './dynamodb-through-edge';

const STOCK = 'stock';
const RESERVATIONS = 'reservations';

/** An on-demand table keyed by the string attribute `key` alone. */
const tableKeyedBy = (tableName: string, key: string) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: tableName,
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  },
});

const TEMPLATE: CfnTemplate = {
  Resources: {
    Stock: tableKeyedBy(STOCK, 'sku'),
    Reservations: tableKeyedBy(RESERVATIONS, 'orderId'),
  },
};

type Item = Record<string, AttributeValue>;

const shop = useDynamoDbThroughEdge(TEMPLATE);
let skuCounter = 0;

/** A fresh SKU per test, so tests never share items. */
function newSku(): string {
  skuCounter += 1;
  return `SKU-${skuCounter}`;
}

function stockItem(sku: string, available: number): Item {
  return { sku: { S: sku }, available: { N: String(available) } };
}

async function putStock(sku: string, available: number): Promise<void> {
  await shop.client.send(new PutItemCommand({ TableName: STOCK, Item: stockItem(sku, available) }));
}

async function getItem(tableName: string, key: Item): Promise<Item | undefined> {
  const { Item: item } = await shop.client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return item;
}

async function availableOf(sku: string): Promise<number | undefined> {
  const item = await getItem(STOCK, { sku: { S: sku } });
  return item?.available?.N === undefined ? undefined : Number(item.available.N);
}

/** An update that takes `quantity` units of a SKU, if that many are available. */
function takeUnits(sku: string, quantity: number) {
  return {
    TableName: STOCK,
    Key: { sku: { S: sku } },
    UpdateExpression: 'SET available = available - :q',
    ConditionExpression: 'available >= :q',
    ExpressionAttributeValues: { ':q': { N: String(quantity) } },
  };
}

/** The transaction item that takes `quantity` units of a SKU, if that many are available. */
function reserve(sku: string, quantity: number, extra: Partial<TransactWriteItem['Update']> = {}): TransactWriteItem {
  return { Update: { ...takeUnits(sku, quantity), ...extra } };
}

function recordReservation(orderId: string, sku: string): TransactWriteItem {
  return {
    Put: {
      TableName: RESERVATIONS,
      Item: { orderId: { S: orderId }, sku: { S: sku } },
      ConditionExpression: 'attribute_not_exists(orderId)',
    },
  };
}

async function failureOf(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}


describe('DynamoDB through the edge', () => {
  it('creates the template tables', () => {
    expect(shop.tableNames.sort()).toEqual([RESERVATIONS, STOCK]);
  });

  it('puts and gets an item with the SDK', async () => {
    // Prepare
    const sku = newSku();

    // Act
    await putStock(sku, 7);

    // Assess
    expect(await getItem(STOCK, { sku: { S: sku } })).toEqual(stockItem(sku, 7));
  });

  describe('TransactWriteItems', () => {
    it('applies every item when every condition holds', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 5);

      // Act
      await shop.client.send(new TransactWriteItemsCommand({ TransactItems: [reserve(sku, 2), recordReservation(`order-${sku}`, sku)] }));

      // Assess
      expect(await availableOf(sku)).toBe(3);
      expect(await getItem(RESERVATIONS, { orderId: { S: `order-${sku}` } })).toEqual({ orderId: { S: `order-${sku}` }, sku: { S: sku } });
    });

    it('rolls back the items already written when a later condition fails', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 1);

      // Act
      const error = await failureOf(
        shop.client.send(new TransactWriteItemsCommand({ TransactItems: [recordReservation(`order-${sku}`, sku), reserve(sku, 2)] })),
      );

      // Assess
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect(await getItem(RESERVATIONS, { orderId: { S: `order-${sku}` } })).toBeUndefined();
      expect(await availableOf(sku)).toBe(1);
    });

    it('answers the cancellation as AWS shapes it, with the old item when ALL_OLD was asked', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 1);

      // Act
      const error = await failureOf(
        shop.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [recordReservation(`order-${sku}`, sku), reserve(sku, 2, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })],
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(TransactionCanceledException);
      const cancelled = error as TransactionCanceledException;
      expect(cancelled.message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      );
      expect(cancelled.CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: stockItem(sku, 1) },
      ]);
    });

    it('reports every failing item, and no Item for one that did not ask ALL_OLD', async () => {
      // Prepare
      const [first, second] = [newSku(), newSku()];
      await putStock(first, 0);
      await putStock(second, 0);

      // Act
      const error = (await failureOf(
        shop.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              reserve(first, 1),
              // evaluated after the first failure with its condition alone: `:note` belongs to the update only
              reserve(second, 1, {
                UpdateExpression: 'SET available = available - :q, note = :note',
                ExpressionAttributeValues: { ':q': { N: '1' }, ':note': { S: 'taken' } },
              }),
            ],
          }),
        ),
      )) as TransactionCanceledException;

      // Assess
      expect(error.CancellationReasons).toEqual([
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
    });

    it('restores a deleted item and removes a created one on cancellation', async () => {
      // Prepare
      const [kept, created, short] = [newSku(), newSku(), newSku()];
      await putStock(kept, 4);
      await putStock(short, 0);

      // Act
      await failureOf(
        shop.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Delete: { TableName: STOCK, Key: { sku: { S: kept } } } },
              { Put: { TableName: STOCK, Item: stockItem(created, 9) } },
              reserve(short, 1),
            ],
          }),
        ),
      );

      // Assess
      expect(await getItem(STOCK, { sku: { S: kept } })).toEqual(stockItem(kept, 4));
      expect(await getItem(STOCK, { sku: { S: created } })).toBeUndefined();
    });

    it('rejects a transaction that touches one item twice, as AWS does', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 5);

      // Act
      const error = await failureOf(
        shop.client.send(new TransactWriteItemsCommand({ TransactItems: [reserve(sku, 1), { Put: { TableName: STOCK, Item: stockItem(sku, 1) } }] })),
      );

      // Assess
      expect(error).toMatchObject({ name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' });
      expect(await availableOf(sku)).toBe(5);
    });

    it('rejects more than 100 items', async () => {
      // Prepare
      const items = Array.from({ length: 101 }, (_, index) => recordReservation(`too-many-${index}`, 'x'));

      // Act
      const error = await failureOf(shop.client.send(new TransactWriteItemsCommand({ TransactItems: items })));

      // Assess
      expect(error).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('less than or equal to 100') });
      expect(await getItem(RESERVATIONS, { orderId: { S: 'too-many-0' } })).toBeUndefined();
    });

    it('answers ResourceNotFoundException for a table that does not exist, writing nothing', async () => {
      // Prepare
      const sku = newSku();

      // Act
      const error = await failureOf(
        shop.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [recordReservation(`order-${sku}`, sku), { Put: { TableName: 'missing', Item: { id: { S: '1' } } } }],
          }),
        ),
      );

      // Assess
      expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
      expect(await getItem(RESERVATIONS, { orderId: { S: `order-${sku}` } })).toBeUndefined();
    });
  });

  describe('ConditionCheck', () => {
    function check(sku: string, condition: string, values?: Item): TransactWriteItem {
      return {
        ConditionCheck: {
          TableName: STOCK,
          Key: { sku: { S: sku } },
          ConditionExpression: condition,
          ...(values === undefined ? {} : { ExpressionAttributeValues: values }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
    }

    it('lets the transaction through when the checked condition holds, and leaves the item as it was', async () => {
      // Prepare
      const [checked, sku] = [newSku(), newSku()];
      await putStock(checked, 3);
      await putStock(sku, 3);

      // Act
      await shop.client.send(new TransactWriteItemsCommand({ TransactItems: [check(checked, 'available > :zero', { ':zero': { N: '0' } }), reserve(sku, 1)] }));

      // Assess
      expect(await getItem(STOCK, { sku: { S: checked } })).toEqual(stockItem(checked, 3));
      expect(await availableOf(sku)).toBe(2);
    });

    it('cancels the transaction when the checked condition fails, with the old item', async () => {
      // Prepare
      const [checked, sku] = [newSku(), newSku()];
      await putStock(checked, 0);
      await putStock(sku, 3);

      // Act
      const error = (await failureOf(
        shop.client.send(new TransactWriteItemsCommand({ TransactItems: [reserve(sku, 1), check(checked, 'available > :zero', { ':zero': { N: '0' } })] })),
      )) as TransactionCanceledException;

      // Assess
      expect(error.CancellationReasons?.[1]).toEqual({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: stockItem(checked, 0) });
      expect(await availableOf(sku)).toBe(3);
    });

    it('checks an item that does not exist without creating it', async () => {
      // Prepare
      const absent = newSku();

      // Act
      await shop.client.send(new TransactWriteItemsCommand({ TransactItems: [check(absent, 'attribute_not_exists(sku)')] }));
      const error = (await failureOf(
        shop.client.send(new TransactWriteItemsCommand({ TransactItems: [check(absent, 'attribute_exists(sku)')] })),
      )) as TransactionCanceledException;

      // Assess
      expect(await getItem(STOCK, { sku: { S: absent } })).toBeUndefined();
      expect(error.CancellationReasons).toEqual([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    });
  });

  describe('TransactGetItems', () => {
    it('reads every item in order, with an empty response for a missing one', async () => {
      // Prepare
      const [first, missing] = [newSku(), newSku()];
      await putStock(first, 8);

      // Act
      const { Responses: responses } = await shop.client.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: STOCK, Key: { sku: { S: first } } } },
            { Get: { TableName: STOCK, Key: { sku: { S: missing } } } },
            { Get: { TableName: RESERVATIONS, Key: { orderId: { S: `order-${first}` } }, ProjectionExpression: 'orderId' } },
          ],
        }),
      );

      // Assess
      expect(responses).toEqual([{ Item: stockItem(first, 8) }, {}, {}]);
    });

    it('honours a projection', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 4);

      // Act
      const { Responses: responses } = await shop.client.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: STOCK, Key: { sku: { S: sku } }, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'available' } } }],
        }),
      );

      // Assess
      expect(responses).toEqual([{ Item: { available: { N: '4' } } }]);
    });

    it('rejects reading one item twice', async () => {
      // Prepare
      const get = { Get: { TableName: STOCK, Key: { sku: { S: newSku() } } } };

      // Act
      const error = await failureOf(shop.client.send(new TransactGetItemsCommand({ TransactItems: [get, get] })));

      // Assess
      expect(error).toMatchObject({ name: 'ValidationException' });
    });
  });

  describe('ReturnValuesOnConditionCheckFailure on single-item writes', () => {
    const failingWrites = {
      PutItem: (sku: string) =>
        shop.client.send(
          new PutItemCommand({
            TableName: STOCK,
            Item: stockItem(sku, 1),
            ConditionExpression: 'attribute_not_exists(sku)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      UpdateItem: (sku: string) =>
        shop.client.send(new UpdateItemCommand({ ...takeUnits(sku, 5), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      DeleteItem: (sku: string) =>
        shop.client.send(
          new DeleteItemCommand({
            TableName: STOCK,
            Key: { sku: { S: sku } },
            ConditionExpression: 'available > :q',
            ExpressionAttributeValues: { ':q': { N: '5' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
    };

    it.each([
      ['PutItem', failingWrites.PutItem],
      ['UpdateItem', failingWrites.UpdateItem],
      ['DeleteItem', failingWrites.DeleteItem],
    ] as const)('returns the old item in the %s ConditionalCheckFailedException', async (_operation, attempt) => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 2);

      // Act
      const error = await failureOf(attempt(sku));

      // Assess
      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect((error as ConditionalCheckFailedException).Item).toEqual(stockItem(sku, 2));
      expect(await availableOf(sku)).toBe(2);
    });

    it('returns no item when ALL_OLD was not asked', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 2);

      // Act
      const error = await failureOf(
        shop.client.send(new PutItemCommand({ TableName: STOCK, Item: stockItem(sku, 1), ConditionExpression: 'attribute_not_exists(sku)' })),
      );

      // Assess
      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect((error as ConditionalCheckFailedException).Item).toBeUndefined();
    });

    it('writes as usual when the condition holds', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 2);

      // Act
      const { Attributes: attributes } = await shop.client.send(
        new UpdateItemCommand({ ...takeUnits(sku, 1), ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      );

      // Assess
      expect(attributes).toEqual(stockItem(sku, 1));
    });
  });

  describe('under concurrency', () => {
    it('never oversells: 50 parallel reservations of one unit on 10 units, exactly 10 succeed', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 10);

      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) =>
          shop.client.send(new TransactWriteItemsCommand({ TransactItems: [reserve(sku, 1), recordReservation(`${sku}-order-${index}`, sku)] })),
        ),
      );

      // Assess
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(outcomes.length - rejected.length).toBe(10);
      expect(rejected.every((outcome) => outcome.reason instanceof TransactionCanceledException)).toBe(true);
      expect(await availableOf(sku)).toBe(0);
    });

    it('never loses a concurrent write to a rollback: half the transactions cancel after taking their unit', async () => {
      // Prepare
      const sku = newSku();
      await putStock(sku, 10);
      const taken = (index: number): string => `${sku}-taken-${index}`;
      await Promise.all(
        Array.from({ length: 25 }, (_, index) =>
          shop.client.send(new PutItemCommand({ TableName: RESERVATIONS, Item: { orderId: { S: taken(index * 2 + 1) }, sku: { S: 'other' } } })),
        ),
      );

      // Act: odd transactions find their reservation taken, so they cancel after decrementing the stock
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) =>
          shop.client.send(new TransactWriteItemsCommand({ TransactItems: [reserve(sku, 1), recordReservation(taken(index), sku)] })),
        ),
      );

      // Assess
      const succeeded = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
      expect(succeeded).toHaveLength(10);
      expect(succeeded.every((index) => index % 2 === 0)).toBe(true);
      expect(await availableOf(sku)).toBe(0);
    });

    it('isolates transactions: a reader never sees a transfer half done', async () => {
      // Prepare
      const [left, right] = [newSku(), newSku()];
      await putStock(left, 20);
      await putStock(right, 0);
      const transfer: TransactWriteItem[] = [
        reserve(left, 1),
        { Update: { TableName: STOCK, Key: { sku: { S: right } }, UpdateExpression: 'ADD available :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      ];
      const readBoth = new TransactGetItemsCommand({
        TransactItems: [{ Get: { TableName: STOCK, Key: { sku: { S: left } } } }, { Get: { TableName: STOCK, Key: { sku: { S: right } } } }],
      });

      // Act: read again and again while the transfers run
      let transfersDone = false;
      const transfers = Promise.all(
        Array.from({ length: 20 }, () => shop.client.send(new TransactWriteItemsCommand({ TransactItems: transfer }))),
      ).finally(() => {
        transfersDone = true;
      });
      const totals: number[] = [];
      while (!transfersDone) {
        const { Responses: responses = [] } = await shop.client.send(readBoth);
        totals.push(responses.reduce((sum, response) => sum + Number(response.Item?.available?.N ?? 0), 0));
      }
      await transfers;

      // Assess
      expect(totals.length).toBeGreaterThan(0);
      expect(new Set(totals)).toEqual(new Set([20]));
      expect(await availableOf(right)).toBe(20);
    });
  });
});
