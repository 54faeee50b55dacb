import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { createTables, startDynamoDb, TableDefinitionError } from '../../../../local/dynamodb/dynamodb-local';
import { startedOnce } from '../started-once';
import { clientFor, resolverFor } from './dynamodb-through-edge';

/** An orders table as the stack defines one: provisioned, with a global and a local secondary index. */
const ORDERS_TABLE = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    KeySchema: [
      { AttributeName: 'customerId', KeyType: 'HASH' },
      { AttributeName: 'orderId', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'customerId', AttributeType: 'S' },
      { AttributeName: 'orderId', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'placedAt', AttributeType: 'N' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    GlobalSecondaryIndexes: [
      { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byPlacedAt',
        KeySchema: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'placedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
      },
    ],
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
  },
};

const TEMPLATE: CfnTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'test' } },
  Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
  Resources: {
    Orders: ORDERS_TABLE,
    Products: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        TableName: { 'Fn::Sub': 'products-${Stage}' },
        KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        Replicas: [{ Region: 'us-east-1' }],
      },
    },
    Replica: { Type: 'AWS::DynamoDB::Table', Condition: 'Never', Properties: { TableName: 'never' } },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
};

describe('createTables', () => {
  const dynamoDb = startedOnce('dynalite', () => startDynamoDb());

  async function describeTable(tableName: string) {
    const client = clientFor(dynamoDb.endpoint);
    try {
      const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return table;
    } finally {
      client.destroy();
    }
  }

  it('creates every table whose condition holds, named as Ref resolves it, and returns the names', async () => {
    // Act
    const names = await createTables(dynamoDb.endpoint, TEMPLATE, resolverFor(TEMPLATE, 'http://edge'));

    // Assess
    expect(names).toEqual(['HybridShop-Orders', 'products-test']);
  });

  it('creates a provisioned table with its key schema and secondary indexes, ACTIVE', async () => {
    // Act
    const table = await describeTable('HybridShop-Orders');

    // Assess
    expect(table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: ORDERS_TABLE.Properties.KeySchema,
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [
        expect.objectContaining({
          IndexName: 'byStatus',
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: expect.objectContaining({ ReadCapacityUnits: 2 }),
        }),
      ],
      LocalSecondaryIndexes: [expect.objectContaining({ IndexName: 'byPlacedAt', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] } })],
    });
  });

  it('creates an on-demand table from a global table', async () => {
    // Act
    const table = await describeTable('products-test');

    // Assess
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table?.KeySchema).toEqual([{ AttributeName: 'sku', KeyType: 'HASH' }]);
  });

  it('skips a table whose condition is false', async () => {
    // Prepare
    const client = clientFor(dynamoDb.endpoint);

    // Act
    const { TableNames: names } = await client.send(new ListTablesCommand({}));
    client.destroy();

    // Assess
    expect(names).not.toContain('never');
  });

  it('keeps tables that already exist', async () => {
    // Act
    const names = await createTables(dynamoDb.endpoint, TEMPLATE, resolverFor(TEMPLATE, 'http://edge'));

    // Assess
    expect(names).toEqual(['HybridShop-Orders', 'products-test']);
  });

  it('rejects a key schema it cannot read, naming the property', async () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: { Bad: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'PRIMARY' }], AttributeDefinitions: [] } } },
    };

    // Act & Assess
    await expect(createTables(dynamoDb.endpoint, template, resolverFor(template, 'http://edge'))).rejects.toThrow(TableDefinitionError);
    await expect(createTables(dynamoDb.endpoint, template, resolverFor(template, 'http://edge'))).rejects.toThrow(/Bad\.KeySchema\.0/);
  });
});

describe('startDynamoDb', () => {
  it('serves on a random port of 127.0.0.1 and stops, twice without error', async () => {
    // Prepare
    const dynamoDb = await startDynamoDb();

    // Act
    await dynamoDb.stop();

    // Assess
    expect(dynamoDb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(dynamoDb.stop()).resolves.toBeUndefined();
  });
});
