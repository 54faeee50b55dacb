import { type AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { PLAIN_CLIENT_CONFIG } from '../../shared/aws/plain-client-config';

let client: DynamoDBClient | undefined;

/**
 * The execution environment's one DynamoDB client, created on first use and reused by every invocation. Region,
 * credentials and `AWS_ENDPOINT_URL` come from the standard environment variables.
 *
 * The plain client, with items converted by `toAttributes` / `fromAttributes` where they are read and written: the
 * document client would do the same conversions for 8 KB more bundle, and the orders functions are at the budget.
 */
export function dynamoDbClient(): DynamoDBClient {
  client ??= new DynamoDBClient(PLAIN_CLIENT_CONFIG);
  return client;
}

export type AttributeMap = Record<string, AttributeValue>;

/** A plain object as DynamoDB attribute values; `undefined` fields are left out. */
export function toAttributes(value: object): AttributeMap {
  return marshall(value, { removeUndefinedValues: true });
}

/** DynamoDB attribute values as a plain object (numbers as JavaScript numbers). */
export function fromAttributes(item: AttributeMap): Record<string, unknown> {
  return unmarshall(item);
}
