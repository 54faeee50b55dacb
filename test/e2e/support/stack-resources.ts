/**
 * Physical names of the stack's queues and tables that have no stack output (dead-letter and failure queues, the
 * idempotency, reservations and timeline tables), found the way an operator would: by listing them.
 *
 * CloudFormation names a resource without an explicit name `{stackName}-{logicalId}-{random suffix}`; LocalStack
 * does the same, and the local runtime `{stackName}-{logicalId}`. A logical id ends with 8 hexadecimal characters
 * of a hash, so `{stackName}-{logicalIdPrefix}` followed by those, an optional suffix and `.fifo` names one
 * resource whatever the target.
 */
import { DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { paginateListQueues, SQSClient } from '@aws-sdk/client-sqs';

/** No resource, or more than one, answers a name. */
export class StackResourceError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'StackResourceError';
  }
}

const REST_OF_NAME = /^(?:[0-9A-F]{8})?(?:-[A-Za-z0-9]+)?(?:\.fifo)?$/;

/**
 * The one name of `names` that is the stack's resource `logicalIdPrefix` (a logical id, or one without its hash).
 * @param kind for the error: `queue`, `table`
 */
export function pickStackResource(names: readonly string[], stackName: string, logicalIdPrefix: string, kind: string): string {
  const prefix = `${stackName}-${logicalIdPrefix}`;
  const found = names.filter((name) => name.startsWith(prefix) && REST_OF_NAME.test(name.slice(prefix.length)));
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new StackResourceError(`no ${kind} of stack ${stackName} is named ${prefix}…: is the stack deployed in this region, and is ${logicalIdPrefix} in its template?`);
  }
  throw new StackResourceError(`several ${kind}s answer ${prefix}…: ${found.join(', ')}; give a longer logical id`);
}

/** Finds queue URLs and table names by logical id (prefix), once each. */
export class StackResources {
  private readonly queues = new Map<string, Promise<string>>();
  private readonly tables = new Map<string, Promise<string>>();

  public constructor(
    private readonly stackName: string,
    private readonly sqs: SQSClient,
    private readonly dynamodb: DynamoDBClient,
  ) {}

  /** A queue's URL, e.g. `queueUrl('PaymentsCommandsDeadLetterQueue')`. */
  public queueUrl(logicalIdPrefix: string): Promise<string> {
    return memo(this.queues, logicalIdPrefix, async () => {
      const urls: string[] = [];
      for await (const page of paginateListQueues({ client: this.sqs }, { QueueNamePrefix: `${this.stackName}-${logicalIdPrefix}` })) {
        urls.push(...(page.QueueUrls ?? []));
      }
      const byName = new Map(urls.map((url) => [url.slice(url.lastIndexOf('/') + 1), url]));
      return byName.get(pickStackResource([...byName.keys()], this.stackName, logicalIdPrefix, 'queue')) as string;
    });
  }

  /** A table's name, e.g. `tableName('OrdersIdempotencyTable')`. */
  public tableName(logicalIdPrefix: string): Promise<string> {
    return memo(this.tables, logicalIdPrefix, async () => {
      const names: string[] = [];
      for await (const page of paginateListTables({ client: this.dynamodb }, { ExclusiveStartTableName: undefined })) {
        names.push(...(page.TableNames ?? []));
      }
      return pickStackResource(names, this.stackName, logicalIdPrefix, 'table');
    });
  }
}

function memo(cache: Map<string, Promise<string>>, key: string, find: () => Promise<string>): Promise<string> {
  let found = cache.get(key);
  if (!found) {
    found = find();
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}
