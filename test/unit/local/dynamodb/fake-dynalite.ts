/** Test support: a dynalite in memory, behind the wire client's interface, counting the calls it answers. */
import { isJsonObject, type JsonObject } from '../../../../local/shared/json';
import type { EmulatorRequest, EmulatorResponse } from '../../../../local/shared/emulator-client';
import { DynamoDbError, DynamoDbWireClient, type AttributeMap } from '../../../../local/dynamodb/wire-client';

interface FakeTable {
  keyNames: string[];
  readonly items: Map<string, AttributeMap>;
}

/** One call the fake answered: the operation and its input. */
export interface FakeCall {
  readonly operation: string;
  readonly input: JsonObject;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * Tables with a key schema and items. GetItem, PutItem and DeleteItem check the key against the schema as dynalite
 * does (a ValidationException); a PutItem's ConditionExpression may only be `attribute_not_exists(name)`.
 */
export class FakeDynalite extends DynamoDbWireClient {
  readonly calls: FakeCall[] = [];
  private readonly tables = new Map<string, FakeTable>();

  constructor() {
    super('http://127.0.0.1:1', { direct: false });
  }

  /** Creates (or re-creates, empty) a table with these key attribute names. */
  createTable(tableName: string, keyNames: string[]): void {
    this.tables.set(tableName, { keyNames, items: new Map() });
  }

  item(tableName: string, key: AttributeMap): AttributeMap | undefined {
    return this.table(tableName).items.get(this.identity(tableName, key));
  }

  /** How many calls of `operation` the fake answered. */
  count(operation: string): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  override call(operation: string, input: JsonObject): Promise<JsonObject> {
    this.calls.push({ operation, input });
    // Answered on a later turn, as an answer over a message port would be.
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.answer(operation, input));
        } catch (error) {
          reject(error as Error);
        }
      });
    });
  }

  override async send(request: EmulatorRequest): Promise<EmulatorResponse> {
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target.slice(TARGET_PREFIX.length) : '';
    try {
      const body = await this.call(operation, JSON.parse(request.body.toString('utf8')) as JsonObject);
      return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) };
    } catch (error) {
      const failure = error as DynamoDbError;
      return { status: failure.status, headers: {}, body: Buffer.from(JSON.stringify(failure.body)) };
    }
  }

  override close(): void {
    // nothing to close
  }

  private answer(operation: string, input: JsonObject): JsonObject {
    const tableName = String(input.TableName);
    switch (operation) {
      case 'DescribeTable':
        return { Table: { TableName: tableName, KeySchema: this.table(tableName).keyNames.map((name) => ({ AttributeName: name })) } };
      case 'DeleteTable':
        this.table(tableName);
        this.tables.delete(tableName);
        return {};
      case 'GetItem': {
        const item = this.table(tableName).items.get(this.identity(tableName, input.Key as AttributeMap));
        return item === undefined ? {} : { Item: item };
      }
      case 'PutItem':
        return this.put(tableName, input);
      case 'DeleteItem':
        this.table(tableName).items.delete(this.identity(tableName, input.Key as AttributeMap));
        return {};
      default:
        throw DynamoDbError.validation(`The fake does not answer ${operation}`);
    }
  }

  private put(tableName: string, input: JsonObject): JsonObject {
    const item = input.Item as AttributeMap;
    const table = this.table(tableName);
    const key = Object.fromEntries(table.keyNames.map((name) => [name, item[name]]));
    const identity = this.identity(tableName, key);
    const condition = typeof input.ConditionExpression === 'string' ? /^attribute_not_exists\((\w+)\)$/.exec(input.ConditionExpression) : null;
    if (condition !== null && table.items.get(identity)?.[condition[1]] !== undefined) {
      throw new DynamoDbError(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' });
    }
    table.items.set(identity, item);
    return {};
  }

  private table(tableName: string): FakeTable {
    const table = this.tables.get(tableName);
    if (table === undefined) {
      throw new DynamoDbError(400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
    }
    return table;
  }

  /** The item's identity in its table; a key whose names are not the schema's is dynalite's ValidationException. */
  private identity(tableName: string, key: AttributeMap): string {
    const { keyNames } = this.table(tableName);
    const names = isJsonObject(key) ? Object.keys(key) : [];
    if (names.length !== keyNames.length || keyNames.some((name) => key[name] === undefined)) {
      throw DynamoDbError.validation('The provided key element does not match the schema');
    }
    return JSON.stringify(Object.fromEntries(keyNames.map((name) => [name, key[name]])));
  }
}
