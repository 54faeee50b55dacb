import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IdempotencyClaim } from '../../../../lambdas/orders/domain/idempotency';
import { publicOrder } from '../../../../lambdas/orders/domain/order';
import { DynamoDbOrderStore } from '../../../../lambdas/orders/adapters/dynamodb-order-store';
import { aConfirmedOrderRecord, anOrderRecord } from '../../factories/order-record';
import { fakeDynamoDbPerTest, transactionCanceled } from '../../support/fake-dynamodb';

const T0 = 1_714_564_800_250; // 2024-05-01T12:00:00.250Z
const claim: IdempotencyClaim = {
  idempotencyKey: 'customer-1/key-1',
  bodyHash: 'hash-a',
  orderId: aConfirmedOrderRecord().orderId,
  lockExpiresAt: T0 + 4_000,
  expiresAt: 1_714_564_800 + 24 * 3600,
};

const dynamo = fakeDynamoDbPerTest({ plainClient: true });
const store = new DynamoDbOrderStore(new DynamoDBClient({}), { orders: 'orders-table', idempotency: 'idempotency-table' });

describe('DynamoDbOrderStore', () => {
  describe('savePlaced', () => {
    it('writes a new order and completes its claimed key with its public view, in one transaction under the claim’s lock', async () => {
      // Prepare
      const order = aConfirmedOrderRecord();
      dynamo.on('TransactWriteCommand', () => ({}));

      // Act
      const outcome = await store.savePlaced(order, claim);

      // Assess
      expect(outcome).toBe('saved');
      expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([
        {
          TransactItems: [
            {
              Put: {
                TableName: 'orders-table',
                Item: { ...publicOrder(order), correlationId: order.correlationId, confirmedAt: order.confirmedAt },
                ConditionExpression: 'attribute_not_exists(orderId)',
              },
            },
            {
              Update: {
                TableName: 'idempotency-table',
                Key: { idempotencyKey: 'customer-1/key-1' },
                UpdateExpression: 'SET #status = :completed, #response = :response, correlationId = :correlationId',
                ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
                ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
                ExpressionAttributeValues: {
                  ':completed': 'COMPLETED',
                  ':response': publicOrder(order),
                  ':correlationId': order.correlationId,
                  ':inProgress': 'IN_PROGRESS',
                  ':lock': claim.lockExpiresAt,
                },
              },
            },
          ],
        },
      ]);
    });

    it("is 'claim-lost' when the key's condition cancels the transaction: another request took the key over", async () => {
      dynamo.on('TransactWriteCommand', () => {
        throw transactionCanceled('None', 'ConditionalCheckFailed');
      });

      await expect(store.savePlaced(aConfirmedOrderRecord(), claim)).resolves.toBe('claim-lost');
    });

    it("passes on a transaction the order's own condition cancelled", async () => {
      dynamo.on('TransactWriteCommand', () => {
        throw transactionCanceled('ConditionalCheckFailed', 'None');
      });

      await expect(store.savePlaced(aConfirmedOrderRecord(), claim)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    });
  });

  describe('saveAccepted', () => {
    it('writes a new PENDING order and a new COMPLETED key, in one transaction under the condition of a new claim', async () => {
      // Prepare
      const order = anOrderRecord();
      dynamo.on('TransactWriteCommand', () => ({}));

      // Act
      const outcome = await store.saveAccepted(order, claim, T0);

      // Assess
      expect(outcome).toBe('saved');
      expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([
        {
          TransactItems: [
            { Put: { TableName: 'orders-table', Item: { ...publicOrder(order), correlationId: order.correlationId }, ConditionExpression: 'attribute_not_exists(orderId)' } },
            {
              Put: {
                TableName: 'idempotency-table',
                Item: { ...claim, status: 'COMPLETED', response: publicOrder(order), correlationId: order.correlationId },
                ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
                ExpressionAttributeValues: { ':nowSeconds': 1_714_564_800 },
              },
            },
          ],
        },
      ]);
    });

    it("is 'key-taken' when the key's condition cancels the transaction: the key has a live record", async () => {
      dynamo.on('TransactWriteCommand', () => {
        throw transactionCanceled('None', 'ConditionalCheckFailed');
      });

      await expect(store.saveAccepted(anOrderRecord(), claim, T0)).resolves.toBe('key-taken');
    });
  });
});
