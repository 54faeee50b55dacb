import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { transactionCancellation } from '../../shared/aws/dynamodb-errors';
import type { SalesBucket, SalesCounts, SalesMinute, SalesTable } from '../domain/sales-table';

/**
 * The partition key of a shard's minute buckets (sort key: the minute): `SALES` for shard 0, `SALES#<shard>` for the
 * others. Shard 0 keeps the key the buckets had before they were sharded, so a stack of one shard reads and writes
 * what it always did, and a stack that grows its shard count still reads the minutes counted before in shard 0.
 */
export function salesPartitionKey(shard: number): string {
  return shard === 0 ? 'SALES' : `SALES#${shard}`;
}

/**
 * The analytics table (key `pk` + `sk`): buckets `SALES` (or `SALES#<shard>`) / `YYYY-MM-DDTHH:MM` holding `orders`,
 * `revenueCents` and `cancelled`, and one marker `EVENT#<eventId>` / `-` per counted event.
 */
export class DynamoDbSalesTable implements SalesTable {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One TransactWriteItems: Put the marker under `attribute_not_exists(pk)`, ADD the counts to the bucket. */
  async add(eventId: string, { minute, shard }: SalesBucket, counts: SalesCounts): Promise<'added' | 'duplicate'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: `EVENT#${eventId}`, sk: '-', minute },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: salesPartitionKey(shard), sk: minute },
                UpdateExpression: 'ADD orders :orders, revenueCents :revenueCents, cancelled :cancelled',
                ExpressionAttributeValues: {
                  ':orders': counts.orders,
                  ':revenueCents': counts.revenueCents,
                  ':cancelled': counts.cancelled,
                },
              },
            },
          ],
        }),
      );
      return 'added';
    } catch (error) {
      if (transactionCancellation(error)?.reasons[0]?.code === 'ConditionalCheckFailed') return 'duplicate';
      throw error;
    }
  }

  /** Query `pk = <the shard's key> AND sk BETWEEN from AND to`, page by page. */
  async minutes(shard: number, fromMinute: string, toMinute: string): Promise<SalesMinute[]> {
    const minutes: SalesMinute[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': salesPartitionKey(shard), ':from': fromMinute, ':to': toMinute },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of out.Items ?? []) {
        minutes.push({
          minute: String(item.sk),
          orders: Number(item.orders ?? 0),
          revenueCents: Number(item.revenueCents ?? 0),
          cancelled: Number(item.cancelled ?? 0),
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return minutes;
  }
}
