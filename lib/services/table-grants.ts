import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ProblemsError } from '../patterns/problems-error';

/**
 * The DynamoDB item and query actions a function may be granted on a table, as IAM names them (without `dynamodb:`).
 *
 * The transactions have no action of their own: IAM checks each item of a TransactWriteItems or TransactGetItems
 * against the action of the operation it stands for, on the item's table (`Put` → PutItem, `Update` → UpdateItem,
 * `Delete` → DeleteItem, `ConditionCheck` → ConditionCheckItem, `Get` → GetItem). Grant those.
 */
export const TABLE_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'ConditionCheckItem',
] as const;

export type TableAction = (typeof TABLE_ACTIONS)[number];

/** Thrown by `grantTableActions` with every problem of the grant at once. */
export class TableGrantError extends ProblemsError {
  public constructor(
    public readonly table: string,
    public readonly grantee: string,
    problems: readonly string[],
  ) {
    super(`Invalid grant on ${table} to ${grantee}`, problems);
  }
}

/**
 * Allows `grantee` exactly `actions` on `table` (and its indexes): the operations its code calls, not read-write on
 * everything. List each action once.
 */
export function grantTableActions(table: dynamodb.ITable, grantee: iam.IGrantable, actions: readonly TableAction[]): iam.Grant {
  const problems: string[] = [];
  if (actions.length === 0) {
    problems.push("actions is empty: list the operations the grantee calls on the table, e.g. ['GetItem'].");
  }
  const unknown = actions.filter((action) => !(TABLE_ACTIONS as readonly string[]).includes(action));
  if (unknown.length > 0) {
    problems.push(`actions has ${unknown.map((a) => `'${a}'`).join(', ')}: use DynamoDB item or query actions (${TABLE_ACTIONS.join(', ')}).`);
  }
  const repeated = [...new Set(actions.filter((action, index) => actions.indexOf(action) !== index))];
  if (repeated.length > 0) {
    problems.push(`actions lists ${repeated.map((a) => `'${a}'`).join(', ')} more than once: list each action once.`);
  }
  if (problems.length > 0) {
    const granteePath = Construct.isConstruct(grantee) ? grantee.node.path : String(grantee.grantPrincipal);
    throw new TableGrantError(table.node.path, granteePath, problems);
  }
  return table.grant(grantee, ...actions.map((action) => `dynamodb:${action}`));
}
