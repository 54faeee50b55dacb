import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { conditionalWrite } from '../../shared/aws/dynamodb-errors';
import type { OrderRecord } from '../domain/order';
import type { OrderRepository } from '../domain/order-repository';
import { fromAttributes, toAttributes } from './dynamodb-client';
import { orderItem, orderRecordOf, unchangedSince } from './order-item';

/** Orders in the orders table (key `orderId`), each replaced whole under the condition that it did not change. */
export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Read consistently: a client that just placed or changed the order reads it back at once. */
  async find(orderId: string): Promise<OrderRecord | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes({ orderId }), ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : orderRecordOf(fromAttributes(out.Item));
  }

  async replace(next: OrderRecord, expected: OrderRecord): Promise<'saved' | 'changed'> {
    const condition = unchangedSince(expected);
    const saved = await conditionalWrite(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes(orderItem(next)),
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: toAttributes(condition.values),
        }),
      ),
    );
    return saved ? 'saved' : 'changed';
  }
}
