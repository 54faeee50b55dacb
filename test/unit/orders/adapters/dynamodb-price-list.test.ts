import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbPriceList } from '../../../../lambdas/orders/adapters/dynamodb-price-list';
import { fakeDynamoDbPerTest } from '../../support/fake-dynamodb';

const dynamo = fakeDynamoDbPerTest({ plainClient: true });
const priceList = new DynamoDbPriceList(new DynamoDBClient({}), 'products-table');

describe('DynamoDbPriceList.prices', () => {
  it('reads the price and currency of every sku in one BatchGetItem on the products table', async () => {
    // Prepare
    dynamo.on('BatchGetCommand', () => ({
      Responses: {
        'products-table': [
          { sku: 'SKU-0001', priceCents: 1490, currency: 'EUR' },
          { sku: 'SKU-0004', priceCents: 2250, currency: 'EUR' },
        ],
      },
    }));

    // Act
    const prices = await priceList.prices(['SKU-0001', 'SKU-0004']);

    // Assess
    expect([...prices]).toEqual([
      ['SKU-0001', { priceCents: 1490, currency: 'EUR' }],
      ['SKU-0004', { priceCents: 2250, currency: 'EUR' }],
    ]);
    expect(dynamo.inputsOf('BatchGetCommand')).toEqual([
      { RequestItems: { 'products-table': { Keys: [{ sku: 'SKU-0001' }, { sku: 'SKU-0004' }], ProjectionExpression: 'sku, priceCents, currency' } } },
    ]);
  });

  it('leaves out a sku the catalog does not know', async () => {
    dynamo.on('BatchGetCommand', () => ({ Responses: { 'products-table': [{ sku: 'SKU-0001', priceCents: 1490, currency: 'EUR' }] } }));

    const prices = await priceList.prices(['SKU-0001', 'SKU-0004']);

    expect([...prices.keys()]).toEqual(['SKU-0001']);
  });
});
