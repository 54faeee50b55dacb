import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { transactionCancellation } from '../shared/aws/dynamodb-errors';
import type { IdempotencyClaim } from './domain/idempotency';
import type { Order } from './domain/order';
import type { OrderStore } from './domain/place-order';

export interface OrderTables {
  /** Orders: key `orderId`. */
  readonly orders: string;
  /** Idempotency records: key `idempotencyKey`. */
  readonly idempotency: string;
}

/** Writes placed orders: the order and its completed idempotency record in one TransactWriteItems. */
export class DynamoDbOrderStore implements OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: OrderTables,
  ) {}

  async saveConfirmed(order: Order, claim: IdempotencyClaim): Promise<'saved' | 'claim-lost'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.orders,
                Item: { ...order },
                ConditionExpression: 'attribute_not_exists(orderId)',
              },
            },
            {
              Update: {
                TableName: this.tables.idempotency,
                Key: { idempotencyKey: claim.idempotencyKey },
                UpdateExpression: 'SET #status = :completed, #response = :response',
                ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
                ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
                ExpressionAttributeValues: {
                  ':completed': 'COMPLETED',
                  ':response': order,
                  ':inProgress': 'IN_PROGRESS',
                  ':lock': claim.lockExpiresAt,
                },
              },
            },
          ],
        }),
      );
      return 'saved';
    } catch (error) {
      if (transactionCancellation(error)?.reasons[1]?.code === 'ConditionalCheckFailed') return 'claim-lost';
      throw error;
    }
  }
}
