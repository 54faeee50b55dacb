import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderLookup } from './domain/get-order';
import type { Order, OrderLine, OrderStatus } from './domain/order';

/** Only the order's own fields, whatever else the item holds. */
function toOrder(item: Record<string, unknown>): Order {
  return {
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    lines: (item.lines as OrderLine[]).map((line) => ({
      sku: String(line.sku),
      quantity: Number(line.quantity),
      unitPriceCents: Number(line.unitPriceCents),
    })),
    totalCents: Number(item.totalCents),
    currency: String(item.currency),
    status: item.status as OrderStatus,
    createdAt: String(item.createdAt),
    version: Number(item.version),
  };
}

/** Reads orders from the orders table (key `orderId`). */
export class DynamoDbOrderLookup implements OrderLookup {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Read consistently: a client that just placed the order reads it back at once. */
  async find(orderId: string): Promise<Order | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }));
    return out.Item === undefined ? undefined : toOrder(out.Item);
  }
}
