import * as fs from 'node:fs';
import * as path from 'node:path';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { type DetailType, isDetailType, SOURCE_OF } from '../../../lambdas/shared/events/contracts';

/**
 * What the handlers call on AWS, read from their source (the tests cannot run them): the DynamoDB command classes they
 * import, and the events they build and publish. A module counts from the moment a handler's import graph reaches it,
 * so a handler is credited with every call of the adapters it imports, used or not.
 */

/** Every TypeScript file under `dir`. */
export function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? typeScriptFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const DYNAMODB_IMPORTS = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(?:client-dynamodb|lib-dynamodb)'/g;

/** The DynamoDB command classes `file` imports, e.g. GetCommand or TransactWriteItemsCommand. */
export function dynamoDbCommandsIn(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(DYNAMODB_IMPORTS)].flatMap((match) => match[1].match(/\b\w+Command\b/g) ?? []);
}

/** The operation a command class sends. The document client drops "Item(s)": GetCommand is GetItem, TransactWriteCommand TransactWriteItems. */
export function operationOf(command: string): dynamodb.Operation {
  const name = command.replace(/Command$/, '');
  const operation = Object.values(dynamodb.Operation).find((op) => op === name || op === `${name}Item` || op === `${name}Items`);
  if (!operation) throw new Error(`${command} is not a DynamoDB data-plane operation this test knows`);
  return operation;
}

/** A transaction item's kind → the IAM action it is checked against ("Using IAM with DynamoDB transactions"). */
const TRANSACTION_ITEM_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/**
 * The IAM actions (without `dynamodb:`) the DynamoDB calls of `file` need. A transaction has no action of its own: its
 * items are read from the file (`Put: {`, `Update: {` …) and each needs the action of the operation it stands for.
 */
export function dynamoDbActionsIn(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return dynamoDbCommandsIn(file).flatMap((command) => {
    const operation = operationOf(command);
    if (operation !== dynamodb.Operation.TRANSACT_WRITE_ITEMS && operation !== dynamodb.Operation.TRANSACT_GET_ITEMS) return [operation];
    const items = [...source.matchAll(/\b(Put|Update|Delete|ConditionCheck|Get)\s*:\s*\{/g)].map((match) => TRANSACTION_ITEM_ACTIONS[match[1]]);
    if (items.length === 0) throw new Error(`${file} sends ${command} but names no transaction item (Put: {, Update: { …) this test can read`);
    return items;
  });
}

const RELATIVE_IMPORTS = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.{1,2}\/[^']+)'/g;

/** `entry` and every module of the project it reaches through relative imports that exist at run time (not `import type`). */
export function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORTS)) {
      if (match[2] !== undefined) continue;
      const base = path.resolve(path.dirname(file), match[3]);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
      if (!resolved) throw new Error(`${file} imports ${match[3]}, which this test cannot find`);
      if (resolved.endsWith('.ts')) visit(resolved);
    }
  };
  visit(path.resolve(entry));
  return [...seen];
}

/** The DynamoDB IAM actions (without `dynamodb:`) a handler's module graph may need, sorted. */
export function dynamoDbActionsOf(entry: string): string[] {
  return [...new Set(moduleGraph(entry).flatMap(dynamoDbActionsIn))].sort();
}

/**
 * The event sources a handler publishes, sorted: none unless its module graph reaches the shared publisher
 * (`eventPublisher()`), else the source of every event type it builds (`newEvent('OrderPlaced', …)`).
 */
export function eventSourcesOf(entry: string): string[] {
  const sources = moduleGraph(entry).map((file) => fs.readFileSync(file, 'utf8'));
  if (!sources.some((source) => /\beventPublisher\(\)/.test(source) && !/export function eventPublisher\(/.test(source))) return [];
  const detailTypes = sources.flatMap((source) => [...source.matchAll(/\bnewEvent\(\s*'(\w+)'/g)].map((match) => match[1]));
  return [...new Set(detailTypes.map((detailType) => SOURCE_OF[asDetailType(detailType)]))].sort();
}

function asDetailType(value: string): DetailType {
  if (!isDetailType(value)) throw new Error(`newEvent('${value}') names no event type of the contracts`);
  return value;
}
