/** Test support: dynalite behind the edge on random ports, the template's tables created, and an SDK client on the edge. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { createTables, startDynamoDb, type LocalDynamoDb } from '../../../../local/dynamodb/dynamodb-local';
import { dynamoDbService } from '../../../../local/dynamodb/dynamodb-service';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { startedOnce } from '../started-once';
import { LOCAL_CONTEXT as CONTEXT } from '../../../unit/local/assembly/local-context';


export interface DynamoDbThroughEdge {
  readonly client: DynamoDBClient;
  readonly edgeUrl: string;
  readonly dynamoDb: LocalDynamoDb;
  readonly tableNames: string[];
  stop(): Promise<void>;
}

export function resolverFor(template: CfnTemplate, edgeUrl: string): IntrinsicResolver {
  return new IntrinsicResolver(template, CONTEXT, assignPhysicalIds(template, CONTEXT, { edgeUrl }));
}

/** A DynamoDB SDK client as a Lambda function of the local runtime has one: pointed at the edge, dummy credentials. */
export function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

export async function startDynamoDbThroughEdge(template: CfnTemplate): Promise<DynamoDbThroughEdge> {
  const dynamoDb = await startDynamoDb();
  const edge = new EdgeServer();
  edge.register(dynamoDbService(dynamoDb.endpoint));
  const { url } = await edge.listen();
  const tableNames = await createTables(url, template, resolverFor(template, url));
  const client = clientFor(url);
  return {
    client,
    edgeUrl: url,
    dynamoDb,
    tableNames,
    stop: async () => {
      client.destroy();
      await edge.close();
      await dynamoDb.stop();
    },
  };
}

/** dynalite behind the edge, with `template`'s tables, for the tests of the enclosing `describe`. */
export function useDynamoDbThroughEdge(template: CfnTemplate): DynamoDbThroughEdge {
  return startedOnce('dynalite behind the edge', () => startDynamoDbThroughEdge(template));
}
