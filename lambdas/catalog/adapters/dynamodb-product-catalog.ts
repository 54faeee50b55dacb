import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../domain/page-cursor';
import type { Product, ProductCatalog, ProductPage } from '../domain/product';

/** Only the product's own fields, whatever else the item holds. */
function toProduct(item: Record<string, unknown>): Product {
  return {
    sku: String(item.sku),
    name: String(item.name),
    description: String(item.description ?? ''),
    category: String(item.category),
    priceCents: Number(item.priceCents),
    currency: String(item.currency),
  };
}

/** The catalog in the products table (key `sku`). */
export class DynamoDbProductCatalog implements ProductCatalog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(sku: string): Promise<Product | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { sku } }));
    return out.Item === undefined ? undefined : toProduct(out.Item);
  }

  /**
   * A Scan with Limit and ExclusiveStartKey: the catalog is small (tens of products), so paging a Scan costs a few
   * reads and needs no index. Items come in key-hash order, stable between pages.
   */
  async list(page: { readonly limit: number; readonly cursor?: string }): Promise<ProductPage> {
    const startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const out = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: page.limit,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: { sku: startKey.sku } }),
      }),
    );
    const items = (out.Items ?? []).map(toProduct);
    const lastKey = out.LastEvaluatedKey;
    return lastKey === undefined ? { items } : { items, nextCursor: encodeCursor({ sku: String(lastKey.sku) }) };
  }
}
