import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IdempotencyClaim, IdempotencyRecord } from '../../../../lambdas/orders/domain/idempotency';
import { DynamoDbIdempotencyStore } from '../../../../lambdas/orders/adapters/dynamodb-idempotency-store';
import { conditionalCheckFailed, fakeDynamoDbPerTest } from '../../support/fake-dynamodb';

const T0 = 1_714_564_800_250; // 2024-05-01T12:00:00.250Z
const claim: IdempotencyClaim = {
  idempotencyKey: 'customer-1/key-1',
  bodyHash: 'hash-a',
  orderId: 'order-1',
  lockExpiresAt: T0 + 4_000,
  expiresAt: 1_714_564_800 + 24 * 3600,
};

const dynamo = fakeDynamoDbPerTest({ plainClient: true });
const store = new DynamoDbIdempotencyStore(new DynamoDBClient({}), 'idempotency-table');

describe('DynamoDbIdempotencyStore', () => {
  describe('create', () => {
    it('puts an IN_PROGRESS record unless a live one exists: none, or only one whose expiresAt has passed', async () => {
      // Prepare
      dynamo.on('PutCommand', () => ({}));

      // Act
      const created = await store.create(claim, T0);

      // Assess
      expect(created).toBe(true);
      expect(dynamo.inputsOf('PutCommand')).toEqual([
        {
          TableName: 'idempotency-table',
          Item: { ...claim, status: 'IN_PROGRESS' },
          ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
          ExpressionAttributeValues: { ':nowSeconds': 1_714_564_800 },
        },
      ]);
    });

    it('is false when the condition fails: the key has a live record', async () => {
      dynamo.on('PutCommand', () => {
        throw conditionalCheckFailed();
      });

      await expect(store.create(claim, T0)).resolves.toBe(false);
    });

    it('passes on any other error', async () => {
      const throttled = new Error('throttled');
      dynamo.on('PutCommand', () => {
        throw throttled;
      });

      await expect(store.create(claim, T0)).rejects.toBe(throttled);
    });
  });

  describe('get', () => {
    it('reads the record by its key, consistently, so a record just written is seen', async () => {
      // Prepare
      const record: IdempotencyRecord = { ...claim, status: 'COMPLETED', lockExpiresAt: 0 };
      dynamo.on('GetCommand', () => ({ Item: record }));

      // Act
      const found = await store.get('customer-1/key-1');

      // Assess
      expect(found).toEqual(record);
      expect(dynamo.inputsOf('GetCommand')).toEqual([{ TableName: 'idempotency-table', Key: { idempotencyKey: 'customer-1/key-1' }, ConsistentRead: true }]);
    });

    it('is undefined for a key without a record', async () => {
      dynamo.on('GetCommand', () => ({}));

      await expect(store.get('customer-1/key-1')).resolves.toBeUndefined();
    });
  });

  describe('reclaim', () => {
    const seen: IdempotencyRecord = { ...claim, status: 'FAILED', lockExpiresAt: 1_000 };

    it('takes the record over under the condition that it is still the status, lock and body that were read', async () => {
      // Prepare
      dynamo.on('UpdateCommand', () => ({}));

      // Act
      const reclaimed = await store.reclaim(seen, claim);

      // Assess
      expect(reclaimed).toBe(true);
      expect(dynamo.inputsOf('UpdateCommand')).toEqual([
        {
          TableName: 'idempotency-table',
          Key: { idempotencyKey: 'customer-1/key-1' },
          UpdateExpression: 'SET #status = :inProgress, lockExpiresAt = :lock, expiresAt = :expiresAt',
          ConditionExpression: '#status = :seenStatus AND lockExpiresAt = :seenLock AND bodyHash = :bodyHash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':inProgress': 'IN_PROGRESS',
            ':lock': claim.lockExpiresAt,
            ':expiresAt': claim.expiresAt,
            ':seenStatus': 'FAILED',
            ':seenLock': 1_000,
            ':bodyHash': 'hash-a',
          },
        },
      ]);
    });

    it('is false when another request changed the record since it was read', async () => {
      dynamo.on('UpdateCommand', () => {
        throw conditionalCheckFailed();
      });

      await expect(store.reclaim(seen, claim)).resolves.toBe(false);
    });
  });

  describe('markFailed', () => {
    it('marks the claimed record FAILED, under the condition that it still holds this claim’s lock', async () => {
      // Prepare
      dynamo.on('UpdateCommand', () => ({}));

      // Act
      await store.markFailed(claim);

      // Assess
      expect(dynamo.inputsOf('UpdateCommand')).toEqual([
        {
          TableName: 'idempotency-table',
          Key: { idempotencyKey: 'customer-1/key-1' },
          UpdateExpression: 'SET #status = :failed',
          ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED', ':inProgress': 'IN_PROGRESS', ':lock': claim.lockExpiresAt },
        },
      ]);
    });

    it('leaves a record another request has taken over alone, without failing', async () => {
      dynamo.on('UpdateCommand', () => {
        throw conditionalCheckFailed();
      });

      await expect(store.markFailed(claim)).resolves.toBeUndefined();
    });
  });
});
