import { conditionalCheckFailed, type FakeDynamoDb } from '../../support/fake-dynamodb';

type Item = Record<string, unknown>;
type Input = Record<string, unknown>;

/**
 * The orders table in memory behind a `FakeDynamoDb` (reached through `routePlainDynamoDbToFake`): GetCommand by
 * `orderId`, and PutCommand under a condition of `AND`-joined `attribute_not_exists(x)` / `x = :v` clauses — the
 * conditions the orders adapters write. Anything else fails the test loudly.
 */
export class InMemoryOrdersTable {
  readonly items = new Map<string, Item>();
  /** The items written by PutCommand, in order. */
  readonly puts: Item[] = [];

  constructor(dynamo: FakeDynamoDb, readonly tableName = 'orders-table') {
    dynamo
      .on('GetCommand', (input) => {
        this.expectTable(input);
        const item = this.items.get(String((input.Key as Item).orderId));
        return item === undefined ? {} : { Item: structuredClone(item) };
      })
      .on('PutCommand', (input) => {
        this.expectTable(input);
        const item = input.Item as Item;
        if (!conditionHolds(input, this.items.get(String(item.orderId)))) throw conditionalCheckFailed();
        this.items.set(String(item.orderId), structuredClone(item));
        this.puts.push(structuredClone(item));
        return {};
      });
  }

  seed(item: Item): this {
    this.items.set(String(item.orderId), structuredClone(item));
    return this;
  }

  get(orderId: string): Item | undefined {
    return this.items.get(orderId);
  }

  private expectTable(input: Input): void {
    if (input.TableName !== this.tableName) throw new Error(`InMemoryOrdersTable: unexpected table ${String(input.TableName)}`);
  }
}

function conditionHolds(input: Input, current: Item | undefined): boolean {
  const condition = input.ConditionExpression as string | undefined;
  if (condition === undefined) return true;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  const name = (token: string) => (token.startsWith('#') ? String(names[token]) : token);
  return condition.split(' AND ').every((clause) => {
    const notExists = /^attribute_not_exists\(([#\w]+)\)$/.exec(clause);
    if (notExists !== null) return current?.[name(notExists[1] as string)] === undefined;
    const equals = /^([#\w]+) = (:\w+)$/.exec(clause);
    if (equals !== null) return current !== undefined && current[name(equals[1] as string)] === values[equals[2] as string];
    throw new Error(`InMemoryOrdersTable: unsupported condition clause ${clause}`);
  });
}
