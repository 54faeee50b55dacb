import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { conditionalWrite } from '../../shared/aws/dynamodb-errors';
import type { TimelineEntry, TimelineStore } from '../domain/timeline';
import { type AttributeMap, fromAttributes, toAttributes } from './dynamodb-client';

/** Timeline entries in the timeline table (key `orderId` + sort key `entryKey`). */
export class DynamoDbTimelineStore implements TimelineStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async add(entry: TimelineEntry): Promise<'added' | 'exists'> {
    const added = await conditionalWrite(
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toAttributes(entry), ConditionExpression: 'attribute_not_exists(entryKey)' })),
    );
    return added ? 'added' : 'exists';
  }

  /** Every page of the order's partition (an order has a few dozen events at most). */
  async list(orderId: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let startKey: AttributeMap | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'orderId = :orderId',
          ExpressionAttributeValues: toAttributes({ ':orderId': orderId }),
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of out.Items ?? []) entries.push(fromAttributes(item) as unknown as TimelineEntry);
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return entries;
  }
}
