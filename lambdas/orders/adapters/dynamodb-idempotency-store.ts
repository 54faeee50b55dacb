import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { conditionalWrite } from '../../shared/aws/dynamodb-errors';
import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from '../domain/idempotency';
import { fromAttributes, toAttributes } from './dynamodb-client';

/** Idempotency records in DynamoDB (key `idempotencyKey`, TTL attribute `expiresAt`). */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes({ idempotencyKey: key }), ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : (fromAttributes(out.Item) as unknown as IdempotencyRecord);
  }

  /** Put under "no record, or only one that TTL has not deleted yet". */
  create(claim: IdempotencyClaim, nowMs: number): Promise<boolean> {
    return conditionalWrite(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...claim, status: 'IN_PROGRESS' }),
          ConditionExpression: 'attribute_not_exists(idempotencyKey) OR expiresAt <= :nowSeconds',
          ExpressionAttributeValues: toAttributes({ ':nowSeconds': Math.floor(nowMs / 1000) }),
        }),
      ),
    );
  }

  /** Update under "still the status, lock and body that were read": two reclaimers cannot both win. */
  reclaim(seen: IdempotencyRecord, claim: IdempotencyClaim): Promise<boolean> {
    return this.update(claim, 'SET #status = :inProgress, lockExpiresAt = :lock, expiresAt = :expiresAt', {
      condition: '#status = :seenStatus AND lockExpiresAt = :seenLock AND bodyHash = :bodyHash',
      values: {
        ':inProgress': 'IN_PROGRESS',
        ':lock': claim.lockExpiresAt,
        ':expiresAt': claim.expiresAt,
        ':seenStatus': seen.status,
        ':seenLock': seen.lockExpiresAt,
        ':bodyHash': claim.bodyHash,
      },
    });
  }

  /** FAILED under "still our lock"; when another request has taken the key over, its record is left alone. */
  async markFailed(claim: IdempotencyClaim): Promise<void> {
    await this.update(claim, 'SET #status = :failed', {
      condition: '#status = :inProgress AND lockExpiresAt = :lock',
      values: { ':failed': 'FAILED', ':inProgress': 'IN_PROGRESS', ':lock': claim.lockExpiresAt },
    });
  }

  /** Update the claim's record (`#status` names `status`) under `condition`: false when the condition failed. */
  private update(claim: IdempotencyClaim, expression: string, { condition, values }: { condition: string; values: object }): Promise<boolean> {
    return conditionalWrite(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ idempotencyKey: claim.idempotencyKey }),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toAttributes(values),
        }),
      ),
    );
  }
}
