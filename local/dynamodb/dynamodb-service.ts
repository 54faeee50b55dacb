/**
 * DynamoDB on the edge: requests (`X-Amz-Target: DynamoDB_20120810.*`) go to dynalite as they are, except what
 * dynalite lacks, which the edge emulates (see `transactions.ts` for how, and how it differs from
 * AWS): TransactWriteItems, TransactGetItems, and `ReturnValuesOnConditionCheckFailure: ALL_OLD` on PutItem,
 * UpdateItem and DeleteItem.
 *
 * Every request holds the readers/writer locks of the tables it names (see `table-locks.ts`): other
 * requests share them and run in parallel; a transaction takes its tables' locks exclusively and so runs alone on
 * them, isolated from every request to those tables. The locks are this (the main) thread's; dynalite itself runs in a
 * worker thread, called over its message port, not over HTTP (see `dynalite-channel.ts`).
 */
import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { type EdgeRequest, type EdgeResponse, type EdgeService, targetOf } from '../edge/edge-server';
import { forwardedRequest, forwardedResponse } from '../edge/forwarding';
import type { EmulatorResponse } from '../shared/emulator-client';
import { isJsonObject, type JsonObject } from '../shared/json';
import { TableLocks } from './table-locks';
import { DynamoDbTransactions, type ConditionalWriteOperation } from './transactions';
import { DynamoDbError, DynamoDbWireClient } from './wire-client';

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** Operations that may change a table's key schema: the transactions forget what they know of it. */
const SCHEMA_CHANGES: ReadonlySet<string> = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);
const CONDITIONAL_WRITES: ReadonlySet<string> = new Set<ConditionalWriteOperation>(['PutItem', 'UpdateItem', 'DeleteItem']);

function isConditionalWrite(operation: string): operation is ConditionalWriteOperation {
  return CONDITIONAL_WRITES.has(operation);
}

function jsonResponse(status: number, body: JsonObject): EdgeResponse {
  const text = JSON.stringify(body);
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'x-amz-crc32': String(crc32(text)),
    },
    body: text,
  };
}

/** Runs emulated work and renders its answer, or its DynamoDB error, as AWS would. */
async function emulated(work: () => Promise<JsonObject>): Promise<EdgeResponse> {
  try {
    return jsonResponse(200, await work());
  } catch (error) {
    const failure = error instanceof DynamoDbError ? error : DynamoDbError.internal((error as Error).message);
    return jsonResponse(failure.status, failure.body);
  }
}

/** The body as JSON, or undefined when it is not a JSON object (dynalite answers that request with its error). */
function parseLeniently(body: Buffer): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The tables a request names: one `TableName`, the tables of a batch's `RequestItems`, or of each transaction item. */
export function tablesOf(operation: string, input: JsonObject | undefined): string[] {
  if (input === undefined) return [];
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') return isJsonObject(input.RequestItems) ? Object.keys(input.RequestItems) : [];
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const items = Array.isArray(input.TransactItems) ? input.TransactItems : [];
    return items.flatMap((item) => {
      const action = isJsonObject(item) ? Object.values(item).find(isJsonObject) : undefined;
      return action !== undefined && typeof action.TableName === 'string' ? [action.TableName] : [];
    });
  }
  return typeof input.TableName === 'string' ? [input.TableName] : [];
}

function parseInput(body: Buffer): JsonObject {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw DynamoDbError.serialization('The request body is not a JSON object');
}

function isConditionFailure(response: EmulatorResponse): boolean {
  return response.status === 400 && response.body.includes('ConditionalCheckFailedException');
}

/**
 * Matches X-Amz-Target `DynamoDB_20120810.*`; proxies to dynalite, and handles TransactWriteItems, TransactGetItems
 * and ReturnValuesOnConditionCheckFailure itself, with the lock. `client` is dynalite's (a test passes its own).
 */
export function dynamoDbService(upstreamEndpoint: string, client = new DynamoDbWireClient(upstreamEndpoint)): EdgeService {
  const transactions = new DynamoDbTransactions(client);
  const locks = new TableLocks();

  const forward = (req: EdgeRequest): Promise<EmulatorResponse> => client.send({ ...forwardedRequest(req), method: 'POST' });

  const conditionalWrite = async (req: EdgeRequest, operation: ConditionalWriteOperation, input: JsonObject | undefined): Promise<EdgeResponse> => {
    const tables = tablesOf(operation, input);
    const firstTry = await locks.shared(tables, () => forward(req));
    if (input?.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD' || !isConditionFailure(firstTry)) {
      return forwardedResponse(firstTry);
    }
    return emulated(() => locks.exclusive(tables, () => transactions.conditionalWriteReturningOldImage(operation, input)));
  };

  return {
    name: 'dynamodb',
    matches: (req) => targetOf(req).startsWith(TARGET_PREFIX),
    handle: async (req) => {
      const operation = targetOf(req).slice(TARGET_PREFIX.length);
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        return emulated(async () => {
          const input = parseInput(req.body);
          const run = operation === 'TransactWriteItems' ? () => transactions.transactWriteItems(input) : () => transactions.transactGetItems(input);
          return locks.exclusive(tablesOf(operation, input), run);
        });
      }
      const input = parseLeniently(req.body);
      if (isConditionalWrite(operation)) return conditionalWrite(req, operation, input);
      const tables = tablesOf(operation, input);
      const answer = await locks.shared(tables, () => forward(req));
      if (SCHEMA_CHANGES.has(operation)) for (const table of tables) transactions.forgetKeySchema(table);
      return forwardedResponse(answer);
    },
    close: async () => client.close(),
  };
}
