import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** The document-client command standing for each plain-client command. */
const DOCUMENT_COMMANDS: Record<string, new (input: never) => { input: unknown }> = {
  GetItemCommand: GetCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
  QueryCommand,
  BatchGetItemCommand: BatchGetCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
  TransactGetItemsCommand: TransactGetCommand,
};

type Json = Record<string, unknown>;

/** Attribute-value maps named by these keys become plain objects (and back). */
const ITEM_KEYS = new Set(['Key', 'Item', 'ExclusiveStartKey', 'LastEvaluatedKey', 'Attributes', 'ExpressionAttributeValues']);
/** Arrays of attribute-value maps named by these keys. */
const ITEM_LIST_KEYS = new Set(['Keys', 'Items']);

function convert(value: unknown, item: (map: Json) => Json, key?: string): unknown {
  if (Array.isArray(value)) {
    return key !== undefined && ITEM_LIST_KEYS.has(key) ? value.map((element) => item(element as Json)) : value.map((element) => convert(element, item));
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (key !== undefined && ITEM_KEYS.has(key)) return item(value as Json);
  if (key === 'Responses') {
    return Object.fromEntries(Object.entries(value).map(([table, items]) => [table, (items as Json[]).map(item)]));
  }
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, convert(inner, item, name)]));
}

/**
 * Routes every plain `DynamoDBClient` command to `DynamoDBDocumentClient.prototype.send` — where a `FakeDynamoDb`
 * (and `InMemoryTables` on it) answers — as the equivalent document-client command with plain-object input, and
 * marshals the answer back. Code on the plain client (with util-dynamodb) is then tested with the same fakes and
 * assertions as code on the document client. Create the `FakeDynamoDb` first; `jest.restoreAllMocks()` undoes both.
 */
export function routePlainDynamoDbToFake(): jest.SpyInstance {
  const spy = jest.spyOn(DynamoDBClient.prototype, 'send') as unknown as jest.SpyInstance<Promise<unknown>, [{ constructor: { name: string }; input: unknown }]>;
  spy.mockImplementation(async (command) => {
    const DocumentCommand = DOCUMENT_COMMANDS[command.constructor.name];
    if (DocumentCommand === undefined) throw new Error(`routePlainDynamoDbToFake: no document command for ${command.constructor.name}`);
    const input = convert(command.input, (map) => unmarshall(map as Parameters<typeof unmarshall>[0]));
    const send = DynamoDBDocumentClient.prototype.send as unknown as (command: unknown) => Promise<unknown>;
    const output = await send(new DocumentCommand(input as never));
    return convert(output, (object) => marshall(object, { removeUndefinedValues: true }) as Json);
  });
  return spy;
}
