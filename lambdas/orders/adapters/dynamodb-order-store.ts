import { type DynamoDBClient, type TransactWriteItem, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { transactionCancellation } from '../../shared/aws/dynamodb-errors';
import type { IdempotencyClaim } from '../domain/idempotency';
import { type OrderRecord, publicOrder } from '../domain/order';
import type { OrderStore } from '../domain/place-order';
import { toAttributes } from './dynamodb-client';
import { orderItem } from './order-item';

export interface OrderTables {
  /** Orders: key `orderId`. */
  readonly orders: string;
  /** Idempotency records: key `idempotencyKey`. */
  readonly idempotency: string;
}

/** Writes placed orders: the order and its completed idempotency record in one TransactWriteItems. */
export class DynamoDbOrderStore implements OrderStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tables: OrderTables,
  ) {}

  savePlaced(order: OrderRecord, claim: IdempotencyClaim): Promise<'saved' | 'claim-lost'> {
    return this.writeWithKey(order, 'claim-lost', {
      Update: {
        TableName: this.tables.idempotency,
        Key: toAttributes({ idempotencyKey: claim.idempotencyKey }),
        UpdateExpression: 'SET #status = :completed, #response = :response, correlationId = :correlationId',
        ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
        ExpressionAttributeValues: toAttributes({
          ':completed': 'COMPLETED',
          ':response': publicOrder(order),
          ':correlationId': order.correlationId,
          ':inProgress': 'IN_PROGRESS',
          ':lock': claim.lockExpiresAt,
        }),
      },
    });
  }

  saveAccepted(order: OrderRecord, key: IdempotencyClaim, nowMs: number): Promise<'saved' | 'key-taken'> {
    return this.writeWithKey(order, 'key-taken', {
      Put: {
        TableName: this.tables.idempotency,
        Item: toAttributes({ ...key, status: 'COMPLETED', response: publicOrder(order), correlationId: order.correlationId }),
        // The condition of a new claim (DynamoDbIdempotencyStore.create): no record, or one TTL has not deleted yet.
        ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
        ExpressionAttributeValues: toAttributes({ ':nowSeconds': Math.floor(nowMs / 1000) }),
      },
    });
  }

  /** The order (a new orderId) and `keyItem` in one TransactWriteItems; `refused` when the key item's condition fails. */
  private async writeWithKey<R extends string>(order: OrderRecord, refused: R, keyItem: TransactWriteItem): Promise<'saved' | R> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: this.tables.orders, Item: toAttributes(orderItem(order)), ConditionExpression: 'attribute_not_exists(orderId)' } },
            keyItem,
          ],
        }),
      );
      return 'saved';
    } catch (error) {
      if (transactionCancellation(error)?.reasons[1]?.code === 'ConditionalCheckFailed') return refused;
      throw error;
    }
  }
}
