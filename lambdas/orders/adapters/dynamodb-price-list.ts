import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '../../shared/errors';
import type { Price, PriceList } from '../domain/place-order';
import { type AttributeMap, fromAttributes, toAttributes } from './dynamodb-client';

/** BatchGetItem rounds before giving up on keys DynamoDB keeps returning unprocessed (throttling). */
const MAX_ROUNDS = 4;

/** Prices read from the catalog's products table (key `sku`); orders only reads it. */
export class DynamoDbPriceList implements PriceList {
  /** @param sleep waits between rounds; defaults to a setTimeout-based sleep. */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly productsTable: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** One BatchGetItem (an order has at most 20 lines, under its 100-key limit), retrying unprocessed keys. */
  async prices(skus: readonly string[]): Promise<ReadonlyMap<string, Price>> {
    const prices = new Map<string, Price>();
    let keys: AttributeMap[] = skus.map((sku) => toAttributes({ sku }));
    for (let round = 0; keys.length > 0; round++) {
      if (round === MAX_ROUNDS) {
        throw new ServiceUnavailableError('The catalog is throttled; retry shortly.', { retryAfterSeconds: 1 });
      }
      if (round > 0) await this.sleep(Math.random() * 25 * 2 ** round);
      const out = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.productsTable]: {
              Keys: keys,
              ProjectionExpression: 'sku, priceCents, currency',
            },
          },
        }),
      );
      for (const item of (out.Responses?.[this.productsTable] ?? []).map(fromAttributes)) {
        prices.set(String(item.sku), { priceCents: Number(item.priceCents), currency: String(item.currency) });
      }
      keys = out.UnprocessedKeys?.[this.productsTable]?.Keys ?? [];
    }
    return prices;
  }
}
