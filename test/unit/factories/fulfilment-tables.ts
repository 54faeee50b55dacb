import type { FakeDynamoDb } from '../support/fake-dynamodb';
import { conditionalCheckFailed, transactionCanceled } from '../support/fake-dynamodb';

type Item = Record<string, unknown>;
type Input = Record<string, unknown>;

/**
 * DynamoDB tables in memory behind a `FakeDynamoDb`, for tests that send the same message twice and expect one
 * effect. Answers GetCommand, PutCommand, UpdateCommand, TransactWriteCommand (Put and Update items, all or
 * nothing) and QueryCommand (`pk = :pk AND sk BETWEEN :a AND :b`), with the expression subset the fulfilment
 * adapters write: conditions `attribute_not_exists(x)` and `x = :v`; updates `SET x = :v, …` and `ADD x :v, …`
 * (`#name` placeholders resolved). Anything else fails the test loudly.
 *
 * A test injects a fault with `dynamo.once(...)` before the command: `once` answers come before these.
 */
export class InMemoryTables {
  private readonly tables = new Map<string, Map<string, Item>>();

  /** @param keys each table's key attribute names, partition key first. */
  constructor(
    dynamo: FakeDynamoDb,
    private readonly keys: Record<string, readonly string[]>,
  ) {
    dynamo
      .on('GetCommand', (input) => {
        const item = this.table(input).get(this.keyOf(input, input.Key as Item));
        return item === undefined ? {} : { Item: structuredClone(item) };
      })
      .on('PutCommand', (input) => {
        if (!this.apply([{ Put: input }])) throw conditionalCheckFailed();
        return {};
      })
      .on('UpdateCommand', (input) => {
        if (!this.apply([{ Update: input }])) throw conditionalCheckFailed();
        return input.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(this.get(String(input.TableName), input.Key as Item)) } : {};
      })
      .on('TransactWriteCommand', (input) => {
        const reasons = this.check(input.TransactItems as Input[]);
        if (reasons.some((reason) => reason !== 'None')) throw transactionCanceled(...reasons);
        this.apply(input.TransactItems as Input[]);
        return {};
      })
      .on('QueryCommand', (input) => ({ Items: this.query(input) }));
  }

  /** The item with `key` in `tableName`, as stored. */
  get(tableName: string, key: Item): Item | undefined {
    return this.tables.get(tableName)?.get(this.keyOf({ TableName: tableName }, key));
  }

  /** Every item of `tableName`, in insertion order. */
  all(tableName: string): Item[] {
    return [...(this.tables.get(tableName)?.values() ?? [])];
  }

  /** Store `item` as it is, no condition: the state a test starts from. */
  seed(tableName: string, item: Item): void {
    this.table({ TableName: tableName }).set(this.keyOf({ TableName: tableName }, item), structuredClone(item));
  }

  private table(input: Input): Map<string, Item> {
    const name = String(input.TableName);
    if (this.keys[name] === undefined) throw new Error(`InMemoryTables: unknown table ${name}`);
    let table = this.tables.get(name);
    if (table === undefined) this.tables.set(name, (table = new Map()));
    return table;
  }

  private keyOf(input: Input, item: Item): string {
    const names = this.keys[String(input.TableName)];
    if (names === undefined) throw new Error(`InMemoryTables: unknown table ${String(input.TableName)}`);
    return JSON.stringify(names.map((name) => item[name]));
  }

  /** One cancellation reason per transaction item: 'None' or 'ConditionalCheckFailed'. */
  private check(items: readonly Input[]): string[] {
    return items.map((entry) => {
      const [op, input] = Object.entries(entry)[0] as [string, Input];
      const key = op === 'Put' ? (input.Item as Item) : (input.Key as Item);
      const current = this.table(input).get(this.keyOf(input, key));
      return conditionHolds(input, current) ? 'None' : 'ConditionalCheckFailed';
    });
  }

  /** Apply every item when every condition holds; false (nothing applied) otherwise. */
  private apply(items: readonly Input[]): boolean {
    if (this.check(items).some((reason) => reason !== 'None')) return false;
    for (const entry of items) {
      const [op, input] = Object.entries(entry)[0] as [string, Input];
      const table = this.table(input);
      if (op === 'Put') {
        const item = input.Item as Item;
        table.set(this.keyOf(input, item), structuredClone(item));
      } else if (op === 'Update') {
        const key = input.Key as Item;
        const id = this.keyOf(input, key);
        table.set(id, update(table.get(id) ?? structuredClone(key), input));
      } else {
        throw new Error(`InMemoryTables: ${op} is not supported`);
      }
    }
    return true;
  }

  private query(input: Input): Item[] {
    const match = /^(\w+) = (:\w+) AND (\w+) BETWEEN (:\w+) AND (:\w+)$/.exec(String(input.KeyConditionExpression));
    if (match === null) throw new Error(`InMemoryTables: unsupported query ${String(input.KeyConditionExpression)}`);
    const values = input.ExpressionAttributeValues as Item;
    const [, pk, pkValue, sk, from, to] = match;
    return [...this.table(input).values()]
      .filter((item) => item[pk] === values[pkValue] && String(item[sk]) >= String(values[from]) && String(item[sk]) <= String(values[to]))
      .sort((a, b) => (String(a[sk]) < String(b[sk]) ? -1 : 1))
      .map((item) => structuredClone(item));
  }
}

function attributeName(token: string, input: Input): string {
  return token.startsWith('#') ? String((input.ExpressionAttributeNames as Record<string, string>)[token]) : token;
}

function conditionHolds(input: Input, current: Item | undefined): boolean {
  const condition = input.ConditionExpression as string | undefined;
  if (condition === undefined) return true;
  const notExists = /^attribute_not_exists\(([#\w]+)\)$/.exec(condition);
  if (notExists !== null) return current?.[attributeName(notExists[1], input)] === undefined;
  const equals = /^([#\w]+) = (:\w+)$/.exec(condition);
  if (equals !== null) {
    return current !== undefined && current[attributeName(equals[1], input)] === (input.ExpressionAttributeValues as Item)[equals[2]];
  }
  throw new Error(`InMemoryTables: unsupported condition ${condition}`);
}

function update(current: Item, input: Input): Item {
  const next = structuredClone(current);
  const values = input.ExpressionAttributeValues as Item;
  const expression = String(input.UpdateExpression);
  const set = /^SET (.+)$/.exec(expression);
  const add = /^ADD (.+)$/.exec(expression);
  if (set !== null) {
    for (const assignment of set[1].split(', ')) {
      const [name, value] = assignment.split(' = ');
      next[attributeName(name, input)] = values[value];
    }
  } else if (add !== null) {
    for (const addition of add[1].split(', ')) {
      const [name, value] = addition.split(' ');
      const attribute = attributeName(name, input);
      next[attribute] = Number(next[attribute] ?? 0) + Number(values[value]);
    }
  } else {
    throw new Error(`InMemoryTables: unsupported update ${expression}`);
  }
  return next;
}
