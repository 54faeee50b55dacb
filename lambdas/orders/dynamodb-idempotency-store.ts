import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../shared/aws/dynamodb-errors';
import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from './domain/idempotency';

/** Await a conditional write: true when it was applied, false when its condition failed. */
async function applied(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Idempotency records in DynamoDB (key `idempotencyKey`, TTL attribute `expiresAt`). */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { idempotencyKey: key }, ConsistentRead: true }),
    );
    return out.Item as IdempotencyRecord | undefined;
  }

  /** Put under "no record, or only one that TTL has not deleted yet". */
  create(claim: IdempotencyClaim, nowMs: number): Promise<boolean> {
    return applied(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...claim, status: 'IN_PROGRESS' },
          ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
          ExpressionAttributeValues: { ':nowSeconds': Math.floor(nowMs / 1000) },
        }),
      ),
    );
  }

  /** Update under "still the status, lock and body that were read": two reclaimers cannot both win. */
  reclaim(seen: IdempotencyRecord, claim: IdempotencyClaim): Promise<boolean> {
    return applied(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { idempotencyKey: claim.idempotencyKey },
          UpdateExpression: 'SET #status = :inProgress, lockExpiresAt = :lock, expiresAt = :expiresAt',
          ConditionExpression: '#status = :seenStatus AND lockExpiresAt = :seenLock AND bodyHash = :bodyHash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':inProgress': 'IN_PROGRESS',
            ':lock': claim.lockExpiresAt,
            ':expiresAt': claim.expiresAt,
            ':seenStatus': seen.status,
            ':seenLock': seen.lockExpiresAt,
            ':bodyHash': claim.bodyHash,
          },
        }),
      ),
    );
  }

  /** FAILED under "still our lock"; when another request has taken the key over, its record is left alone. */
  async markFailed(claim: IdempotencyClaim): Promise<void> {
    await applied(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { idempotencyKey: claim.idempotencyKey },
          UpdateExpression: 'SET #status = :failed',
          ConditionExpression: '#status = :inProgress AND lockExpiresAt = :lock',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED', ':inProgress': 'IN_PROGRESS', ':lock': claim.lockExpiresAt },
        }),
      ),
    );
  }
}
