/**
 * DynamoDB transactions, emulated over dynalite's single-item operations.
 *
 * dynalite has no TransactWriteItems / TransactGetItems (it answers UnknownOperationException) and ignores
 * `ReturnValuesOnConditionCheckFailure`. The services rely on both, so the edge runs them here. The caller (the
 * edge's DynamoDB service) holds, around every call of this class, the exclusive locks of the tables it touches,
 * which every other DynamoDB request to those tables through the edge shares (`table-locks.ts`): a transaction runs
 * alone on its tables, which gives it isolation against every request to them.
 *
 * TransactWriteItems: the items are validated (1 to 100, one action each, no item twice); then every item's current
 * image is read (GetItem, ConsistentRead), and every item's action runs with its ConditionExpression, the items
 * together (they are distinct, so the outcome is the one of running them one by one, in two round trips to
 * dynalite instead of two per item). A Put names its item, not its key: the key attribute names of each table are
 * read once (DescribeTable, a third trip the first time) and kept; a kept schema that has gone stale (the table
 * re-created with another key behind the edge's back) makes the image read fail with a ValidationException before
 * anything is written, and the transaction then runs once more with the schemas read afresh. A ConditionCheck is a
 * conditional UpdateItem with no update (it rewrites the item unchanged; when the item did not exist, the key-only
 * item dynalite creates is deleted at once). When any condition failed, every item written is restored from its saved
 * image (PutItem of the old image, or DeleteItem when there was none), and the answer is
 * `TransactionCanceledException` in AWS's shape, reporting every failing item, with the old `Item` for items that
 * asked `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
 *
 * Differences from AWS, on purpose or by necessity:
 * - never TransactionConflict (transactions are serialized; nothing can conflict) nor TransactionInProgress;
 * - `ClientRequestToken` idempotency is not kept: a retried token runs the transaction again;
 * - a ValidationException raised by one item (bad expression, type mismatch) rolls back and is answered as a
 *   ValidationException, where AWS answers some of these (runtime type errors) as a cancellation reason
 *   `ValidationError`;
 * - `ReturnConsumedCapacity` / `ReturnItemCollectionMetrics` are accepted and ignored; no transaction size limit
 *   (4 MB) is checked; isolation is stronger than AWS's (serializable against every request to the transaction's
 *   tables, queries and scans included).
 * - a plain PutItem / UpdateItem / DeleteItem that asks `ReturnValuesOnConditionCheckFailure: ALL_OLD` and fails
 *   its condition is run again under the lock after reading the image (a failed conditional write has no effect,
 *   so running it again is invisible); if it fails again, the image goes in the error's `Item` as AWS does.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../shared/json';
import { DynamoDbError, DynamoDbWireClient, type AttributeMap } from './wire-client';

/** The most items one transaction may hold (TransactWriteItems and TransactGetItems). */
export const MAX_TRANSACTION_ITEMS = 100;

const WRITE_ACTIONS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;
type WriteAction = (typeof WRITE_ACTIONS)[number];

/** A single-item write that honours `ReturnValuesOnConditionCheckFailure`. */
export type ConditionalWriteOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

interface ParsedWrite {
  readonly action: WriteAction;
  readonly field: string;
  readonly operation: JsonObject;
  readonly tableName: string;
}

interface PlannedWrite {
  readonly action: WriteAction;
  readonly tableName: string;
  readonly key: AttributeMap;
  readonly request: JsonObject;
  readonly returnOldImageOnFailure: boolean;
}

interface AppliedWrite {
  readonly plan: PlannedWrite;
  readonly image: AttributeMap | undefined;
}

type CancellationReason = JsonObject & { readonly Code: string };

const CONDITION_FAILED_MESSAGE = 'The conditional request failed';

function isConditionFailure(error: unknown): boolean {
  return error instanceof DynamoDbError && error.errorType === 'ConditionalCheckFailedException';
}

function isValidationError(error: unknown): boolean {
  return error instanceof DynamoDbError && error.errorType === 'ValidationException';
}

function requireString(value: JsonValue | undefined, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw DynamoDbError.validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function requireObject(value: JsonValue | undefined, field: string): JsonObject {
  if (!isJsonObject(value)) {
    throw DynamoDbError.validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function requireTransactItems(input: JsonObject): JsonObject[] {
  const items = input.TransactItems;
  if (!Array.isArray(items)) {
    throw DynamoDbError.validation(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  }
  if (items.length < 1 || items.length > MAX_TRANSACTION_ITEMS) {
    const bound = items.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_TRANSACTION_ITEMS}`;
    throw DynamoDbError.validation(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  return items.map((item, index) => requireObject(item, `transactItems.${index + 1}.member`));
}

/** The fields of `source` that are present, copied. */
function pick(source: JsonObject, fields: readonly string[]): JsonObject {
  const picked: JsonObject = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

/** Only the `#names` and `:values` the expression uses (dynalite rejects unused ones, as AWS does). */
function expressionParameters(source: JsonObject, expression: string): JsonObject {
  const parameters: JsonObject = {};
  for (const [field, sigil] of [['ExpressionAttributeNames', '#'], ['ExpressionAttributeValues', ':']] as const) {
    const all = source[field];
    if (!isJsonObject(all)) continue;
    const used = Object.fromEntries(Object.entries(all).filter(([token]) => token.startsWith(sigil) && usesToken(expression, token)));
    if (Object.keys(used).length > 0) parameters[field] = used;
  }
  return parameters;
}

function usesToken(expression: string, token: string): boolean {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}(?![A-Za-z0-9_])`).test(expression);
}

/** A stable identity for an item: table and key, attribute order ignored. */
function itemIdentity(tableName: string, key: AttributeMap): string {
  const sorted = Object.keys(key)
    .sort()
    .map((name) => [name, key[name]]);
  return `${tableName}\u0000${JSON.stringify(sorted)}`;
}

function transactionCanceled(reasons: readonly CancellationReason[]): DynamoDbError {
  const codes = reasons.map((reason) => reason.Code).join(', ');
  return new DynamoDbError(400, {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    CancellationReasons: [...reasons],
  });
}

function conditionFailed(image: AttributeMap | undefined): DynamoDbError {
  return new DynamoDbError(400, {
    __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
    message: CONDITION_FAILED_MESSAGE,
    ...(image === undefined ? {} : { Item: image }),
  });
}

export class DynamoDbTransactions {
  /** Each table's key attribute names, as a DescribeTable read them (the promise: concurrent first reads share one). */
  private readonly keySchemas = new Map<string, Promise<readonly string[]>>();

  constructor(private readonly client: DynamoDbWireClient) {}

  /**
   * TransactWriteItems over single-item operations; the caller must hold the exclusive lock. The items are distinct
   * (checked), so their images are read together, then their actions run together: once the key schemas of the
   * tables it Puts into are known, the transaction holds the lock for two round trips to dynalite (three the first
   * time, with the DescribeTable), not two per item (two Puts in two tables, on a bare edge: p50 about 1.1 ms where
   * the three trips took 1.3, and a quarter less of dynalite's thread). The outcome is the sequential one's: every
   * condition is evaluated against the image before the transaction; on any failure every write is undone.
   */
  async transactWriteItems(input: JsonObject): Promise<JsonObject> {
    const operations = parseWrites(requireTransactItems(input));
    const putTables = [...new Set(operations.filter((op) => op.action === 'Put').map((op) => op.tableName))];
    const { plans, images } = await this.withKeySchemas(putTables, async () => {
      const planned = await this.planWrites(operations, putTables);
      return { plans: planned, images: await Promise.all(planned.map((plan) => this.readImage(plan.tableName, plan.key))) };
    });
    const outcomes = await Promise.allSettled(plans.map((plan, index) => this.apply(plan, images[index])));
    const applied: AppliedWrite[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled' && outcome.value && plans[index].action !== 'ConditionCheck') applied.push({ plan: plans[index], image: images[index] });
    });
    const error = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (error) {
      await this.rollBack(applied);
      throw error.reason;
    }
    const reasons = outcomes.map((outcome, index): CancellationReason => ((outcome as PromiseFulfilledResult<boolean>).value ? { Code: 'None' } : this.failureReason(plans[index], images[index])));
    if (reasons.some((reason) => reason.Code !== 'None')) {
      await this.rollBack(applied);
      throw transactionCanceled(reasons);
    }
    return {};
  }

  /** TransactGetItems: every item read while nothing else runs; the caller must hold the exclusive lock. */
  async transactGetItems(input: JsonObject): Promise<JsonObject> {
    const seen = new Set<string>();
    const gets = requireTransactItems(input).map((item, index) => {
      const get = requireObject(item.Get, `transactItems.${index + 1}.member.get`);
      const tableName = requireString(get.TableName, `transactItems.${index + 1}.member.get.tableName`);
      const key = requireObject(get.Key, `transactItems.${index + 1}.member.get.key`);
      const identity = itemIdentity(tableName, key);
      if (seen.has(identity)) throw DynamoDbError.validation('Transaction request cannot include multiple operations on one item');
      seen.add(identity);
      return { ...pick(get, ['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames']), ConsistentRead: true };
    });
    const items = await Promise.all(gets.map(async (get) => (await this.client.call('GetItem', get)).Item));
    return { Responses: items.map((item): JsonObject => (isJsonObject(item) ? { Item: item } : {})) };
  }

  /**
   * Runs a PutItem / UpdateItem / DeleteItem whose condition failed once, again, after reading the item's image;
   * when the condition fails again, the error carries the image as `Item`. The caller must hold the exclusive lock.
   */
  async conditionalWriteReturningOldImage(operation: ConditionalWriteOperation, input: JsonObject): Promise<JsonObject> {
    const tableName = requireString(input.TableName, 'tableName');
    const image =
      operation === 'PutItem'
        ? await this.withKeySchemas([tableName], async () => this.readImage(tableName, keyOfItem(requireObject(input.Item, 'item'), await this.keyNames(tableName))))
        : await this.readImage(tableName, requireObject(input.Key, 'key'));
    try {
      return await this.client.call(operation, input);
    } catch (error) {
      if (isConditionFailure(error)) throw conditionFailed(image);
      throw error;
    }
  }

  /** Forgets the key schema known for `tableName` (the table was deleted, created or updated). */
  forgetKeySchema(tableName: string): void {
    this.keySchemas.delete(tableName);
  }

  /**
   * Runs `read`, which derives keys from the key schemas of the `keyed` tables and reads items, writing nothing.
   * A known key schema may be stale (the table was re-created with another key by something the edge did not see):
   * dynalite then rejects the read with a ValidationException (or `read` itself finds the item lacks the key), so on
   * a ValidationException when a schema came from the cache, the `keyed` tables' schemas are forgotten and `read` runs
   * once more with fresh ones; a second failure is the request's own.
   */
  private async withKeySchemas<T>(keyed: readonly string[], read: () => Promise<T>): Promise<T> {
    const cached = keyed.some((tableName) => this.keySchemas.has(tableName));
    try {
      return await read();
    } catch (error) {
      if (!cached || !isValidationError(error)) throw error;
      for (const tableName of keyed) this.forgetKeySchema(tableName);
      return read();
    }
  }

  /** `putTables`: the tables the operations Put items into, whose key schemas are read together (a Put names its item, not its key). */
  private async planWrites(operations: readonly ParsedWrite[], putTables: readonly string[]): Promise<PlannedWrite[]> {
    const schemas = new Map(await Promise.all(putTables.map(async (tableName) => [tableName, await this.keyNames(tableName)] as const)));
    const seen = new Set<string>();
    return operations.map(({ action, field, operation, tableName }) => {
      const key = action === 'Put' ? keyOfItem(requireObject(operation.Item, `${field}.item`), schemas.get(tableName) ?? []) : requireObject(operation.Key, `${field}.key`);
      if (action === 'ConditionCheck') requireString(operation.ConditionExpression, `${field}.conditionExpression`);
      if (action === 'Update') requireString(operation.UpdateExpression, `${field}.updateExpression`);
      const identity = itemIdentity(tableName, key);
      if (seen.has(identity)) throw DynamoDbError.validation('Transaction request cannot include multiple operations on one item');
      seen.add(identity);
      return { action, tableName, key, request: operation, returnOldImageOnFailure: operation.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
    });
  }

  /** Runs the item's action; false when its condition failed (and nothing was written). */
  private async apply(plan: PlannedWrite, image: AttributeMap | undefined): Promise<boolean> {
    const condition = ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'];
    const requests: Record<Exclude<WriteAction, 'ConditionCheck'>, [string, JsonObject]> = {
      Put: ['PutItem', pick(plan.request, ['TableName', 'Item', ...condition])],
      Update: ['UpdateItem', pick(plan.request, ['TableName', 'Key', 'UpdateExpression', ...condition])],
      Delete: ['DeleteItem', pick(plan.request, ['TableName', 'Key', ...condition])],
    };
    if (plan.action === 'ConditionCheck') return this.conditionHolds(plan, image);
    const [operation, request] = requests[plan.action];
    try {
      await this.client.call(operation, request);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Evaluates the item's ConditionExpression without changing the item: a conditional UpdateItem with no update.
   * When the item did not exist, dynalite has just created it with its key only; it is deleted again.
   */
  private async conditionHolds(plan: PlannedWrite, image: AttributeMap | undefined): Promise<boolean> {
    const expression = plan.request.ConditionExpression;
    if (typeof expression !== 'string' || expression.length === 0) return true;
    const check = { TableName: plan.tableName, Key: plan.key, ConditionExpression: expression, ...expressionParameters(plan.request, expression) };
    try {
      await this.client.call('UpdateItem', check);
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    if (image === undefined) await this.client.call('DeleteItem', { TableName: plan.tableName, Key: plan.key });
    return true;
  }

  private failureReason(plan: PlannedWrite, image: AttributeMap | undefined): CancellationReason {
    const withItem = plan.returnOldImageOnFailure && image !== undefined;
    return { Code: 'ConditionalCheckFailed', Message: CONDITION_FAILED_MESSAGE, ...(withItem ? { Item: image } : {}) };
  }

  /** Restores every written item from its saved image (the items are distinct: all at once). */
  private async rollBack(applied: readonly AppliedWrite[]): Promise<void> {
    await Promise.all(
      applied.map(async ({ plan, image }) => {
        try {
          if (image === undefined) await this.client.call('DeleteItem', { TableName: plan.tableName, Key: plan.key });
          else await this.client.call('PutItem', { TableName: plan.tableName, Item: image });
        } catch (error) {
          throw DynamoDbError.internal(
            `Rolling back a cancelled transaction failed on ${plan.tableName} ${JSON.stringify(plan.key)}: ${(error as Error).message}`,
          );
        }
      }),
    );
  }

  private async readImage(tableName: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    const { Item: item } = await this.client.call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true });
    return isJsonObject(item) ? item : undefined;
  }

  /** The names of a table's key attributes: known, or read once (DescribeTable); a failed read is not kept. */
  private keyNames(tableName: string): Promise<readonly string[]> {
    const known = this.keySchemas.get(tableName);
    if (known !== undefined) return known;
    const names = this.describeKeyNames(tableName);
    this.keySchemas.set(tableName, names);
    names.catch(() => {
      if (this.keySchemas.get(tableName) === names) this.keySchemas.delete(tableName);
    });
    return names;
  }

  private async describeKeyNames(tableName: string): Promise<readonly string[]> {
    const { Table: table } = await this.client.call('DescribeTable', { TableName: tableName });
    const keySchema = isJsonObject(table) && Array.isArray(table.KeySchema) ? table.KeySchema : [];
    return keySchema.flatMap((element) => (isJsonObject(element) && typeof element.AttributeName === 'string' ? [element.AttributeName] : []));
  }
}

/** Each transaction item's one action, its field path (for errors) and its table. */
function parseWrites(items: readonly JsonObject[]): ParsedWrite[] {
  return items.map((item, index) => {
    const actions = WRITE_ACTIONS.filter((action) => item[action] !== undefined);
    if (actions.length !== 1 || !isJsonObject(item[actions[0]])) {
      throw DynamoDbError.validation('TransactItems can only contain one of Check, Put, Update or Delete');
    }
    const action = actions[0];
    const field = `transactItems.${index + 1}.member.${action.charAt(0).toLowerCase()}${action.slice(1)}`;
    const operation = requireObject(item[action], field);
    return { action, field, operation, tableName: requireString(operation.TableName, `${field}.tableName`) };
  });
}

/** The key attributes of `item`, per the table's key attribute names. */
function keyOfItem(item: AttributeMap, names: readonly string[]): AttributeMap {
  const key: AttributeMap = {};
  for (const name of names) {
    const value = item[name];
    if (value === undefined) throw DynamoDbError.validation(`One or more parameter values were invalid: Missing the key ${name} in the item`);
    key[name] = value;
  }
  return key;
}
