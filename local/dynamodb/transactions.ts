/**
 * DynamoDB transactions, emulated over dynalite's single-item operations.
 *
 * dynalite has no TransactWriteItems / TransactGetItems (it answers UnknownOperationException) and ignores
 * `ReturnValuesOnConditionCheckFailure`. The services rely on both, so the edge runs them here. The caller (the
 * edge's DynamoDB service) holds an exclusive lock around every call of this class that also gates every other
 * DynamoDB request through the edge: a transaction runs alone, which gives it isolation against every client of
 * the edge.
 *
 * TransactWriteItems: the items are validated (1 to 100, one action each, no item twice); then, in order, each
 * item's current image is read (GetItem, ConsistentRead) and its action runs with its ConditionExpression. A
 * ConditionCheck is a conditional UpdateItem with no update (it rewrites the item unchanged; when the item did not
 * exist, the key-only item dynalite creates is deleted at once). After the first ConditionalCheckFailed, the
 * remaining items' conditions are only evaluated (nothing more is written) so that CancellationReasons reports
 * every failing item, as AWS does; then every item already written is restored from its saved image (PutItem of
 * the old image, or DeleteItem when there was none), and the answer is `TransactionCanceledException` in AWS's
 * shape, with the old `Item` for items that asked `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
 *
 * Differences from AWS, on purpose or by necessity:
 * - never TransactionConflict (transactions are serialized; nothing can conflict) nor TransactionInProgress;
 * - `ClientRequestToken` idempotency is not kept: a retried token runs the transaction again;
 * - a ValidationException raised by one item (bad expression, type mismatch) rolls back and is answered as a
 *   ValidationException, where AWS answers some of these (runtime type errors) as a cancellation reason
 *   `ValidationError`;
 * - `ReturnConsumedCapacity` / `ReturnItemCollectionMetrics` are accepted and ignored; no transaction size limit
 *   (4 MB) is checked; isolation is stronger than AWS's (serializable against every request, reads included).
 * - a plain PutItem / UpdateItem / DeleteItem that asks `ReturnValuesOnConditionCheckFailure: ALL_OLD` and fails
 *   its condition is run again under the lock after reading the image (a failed conditional write has no effect,
 *   so running it again is invisible); if it fails again, the image goes in the error's `Item` as AWS does.
 */
import { DynamoDbError, DynamoDbWireClient, isJsonObject, type AttributeMap, type JsonObject, type JsonValue } from './wire-client';

/** The most items one transaction may hold (TransactWriteItems and TransactGetItems). */
export const MAX_TRANSACTION_ITEMS = 100;

const WRITE_ACTIONS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;
type WriteAction = (typeof WRITE_ACTIONS)[number];

/** A single-item write that honours `ReturnValuesOnConditionCheckFailure`. */
export type ConditionalWriteOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

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
  constructor(private readonly client: DynamoDbWireClient) {}

  /** TransactWriteItems over single-item operations; the caller must hold the exclusive lock. */
  async transactWriteItems(input: JsonObject): Promise<JsonObject> {
    const plans = await this.planWrites(requireTransactItems(input));
    const applied: AppliedWrite[] = [];
    const reasons: CancellationReason[] = [];
    try {
      for (const plan of plans) {
        const image = await this.readImage(plan.tableName, plan.key);
        const cancelled = reasons.some((reason) => reason.Code !== 'None');
        const passed = cancelled ? await this.conditionHolds(plan, image) : await this.apply(plan, image);
        if (passed && !cancelled && plan.action !== 'ConditionCheck') applied.push({ plan, image });
        reasons.push(passed ? { Code: 'None' } : this.failureReason(plan, image));
      }
    } catch (error) {
      await this.rollBack(applied);
      throw error;
    }
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
    const responses: JsonObject[] = [];
    for (const get of gets) {
      const { Item: item } = await this.client.call('GetItem', get);
      responses.push(isJsonObject(item) ? { Item: item } : {});
    }
    return { Responses: responses };
  }

  /**
   * Runs a PutItem / UpdateItem / DeleteItem whose condition failed once, again, after reading the item's image;
   * when the condition fails again, the error carries the image as `Item`. The caller must hold the exclusive lock.
   */
  async conditionalWriteReturningOldImage(operation: ConditionalWriteOperation, input: JsonObject): Promise<JsonObject> {
    const tableName = requireString(input.TableName, 'tableName');
    const key =
      operation === 'PutItem'
        ? await this.keyOf(tableName, requireObject(input.Item, 'item'), new Map())
        : requireObject(input.Key, 'key');
    const image = await this.readImage(tableName, key);
    try {
      return await this.client.call(operation, input);
    } catch (error) {
      if (isConditionFailure(error)) throw conditionFailed(image);
      throw error;
    }
  }

  private async planWrites(items: readonly JsonObject[]): Promise<PlannedWrite[]> {
    const keySchemas = new Map<string, readonly string[]>();
    const seen = new Set<string>();
    const plans: PlannedWrite[] = [];
    for (const [index, item] of items.entries()) {
      const actions = WRITE_ACTIONS.filter((action) => item[action] !== undefined);
      if (actions.length !== 1 || !isJsonObject(item[actions[0]])) {
        throw DynamoDbError.validation('TransactItems can only contain one of Check, Put, Update or Delete');
      }
      const action = actions[0];
      const field = `transactItems.${index + 1}.member.${action.charAt(0).toLowerCase()}${action.slice(1)}`;
      const operation = requireObject(item[action], field);
      const tableName = requireString(operation.TableName, `${field}.tableName`);
      const key =
        action === 'Put'
          ? await this.keyOf(tableName, requireObject(operation.Item, `${field}.item`), keySchemas)
          : requireObject(operation.Key, `${field}.key`);
      if (action === 'ConditionCheck') requireString(operation.ConditionExpression, `${field}.conditionExpression`);
      if (action === 'Update') requireString(operation.UpdateExpression, `${field}.updateExpression`);
      const identity = itemIdentity(tableName, key);
      if (seen.has(identity)) throw DynamoDbError.validation('Transaction request cannot include multiple operations on one item');
      seen.add(identity);
      plans.push({
        action,
        tableName,
        key,
        request: operation,
        returnOldImageOnFailure: operation.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
      });
    }
    return plans;
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

  /** Restores every written item from its saved image, last first. */
  private async rollBack(applied: readonly AppliedWrite[]): Promise<void> {
    for (const { plan, image } of [...applied].reverse()) {
      try {
        if (image === undefined) await this.client.call('DeleteItem', { TableName: plan.tableName, Key: plan.key });
        else await this.client.call('PutItem', { TableName: plan.tableName, Item: image });
      } catch (error) {
        throw DynamoDbError.internal(
          `Rolling back a cancelled transaction failed on ${plan.tableName} ${JSON.stringify(plan.key)}: ${(error as Error).message}`,
        );
      }
    }
  }

  private async readImage(tableName: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    const { Item: item } = await this.client.call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true });
    return isJsonObject(item) ? item : undefined;
  }

  /** The key attributes of `item`, per the table's key schema (DescribeTable, once per table and call). */
  private async keyOf(tableName: string, item: AttributeMap, schemas: Map<string, readonly string[]>): Promise<AttributeMap> {
    let names = schemas.get(tableName);
    if (names === undefined) {
      const { Table: table } = await this.client.call('DescribeTable', { TableName: tableName });
      const keySchema = isJsonObject(table) && Array.isArray(table.KeySchema) ? table.KeySchema : [];
      names = keySchema.flatMap((element) => (isJsonObject(element) && typeof element.AttributeName === 'string' ? [element.AttributeName] : []));
      schemas.set(tableName, names);
    }
    const key: AttributeMap = {};
    for (const name of names) {
      const value = item[name];
      if (value === undefined) throw DynamoDbError.validation(`One or more parameter values were invalid: Missing the key ${name} in the item`);
      key[name] = value;
    }
    return key;
  }
}
