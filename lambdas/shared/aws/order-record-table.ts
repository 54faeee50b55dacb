import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './dynamodb-errors';

/**
 * A table of one record per order (key `orderId`), written once and then moved from status to status: the payments
 * and the shipments tables. Every write is conditional, so a repeated or concurrent message never applies twice.
 */
export abstract class OrderRecordTable<R extends { readonly orderId: string; readonly status: string }> {
  protected constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The record an item holds: only the record's own fields, by status, whatever else the item holds. */
    private readonly recordOf: (item: Record<string, unknown>) => R,
  ) {}

  /** The order's record, read consistently. */
  async find(orderId: string): Promise<R | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }));
    return out.Item === undefined ? undefined : this.recordOf(out.Item);
  }

  /** Write `record` unless the order has a record already ('exists': nothing was written). */
  async create(record: R): Promise<'created' | 'exists'> {
    const written = await conditionalWrite(
      this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...record }, ConditionExpression: 'attribute_not_exists(orderId)' })),
    );
    return written ? 'created' : 'exists';
  }

  /**
   * Move the order's record from status `from` to `to`, setting `fields` with it; false when the record is not at
   * `from` (nothing was written).
   */
  protected async move(orderId: string, from: R['status'], to: R['status'], fields: Readonly<Record<string, string>>): Promise<boolean> {
    const names = Object.keys(fields);
    return conditionalWrite(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: `SET ${['#status = :to', ...names.map((name) => `${name} = :${name}`)].join(', ')}`,
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ...Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])) },
        }),
      ),
    );
  }
}
