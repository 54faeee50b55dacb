/**
 * The start-up's edge: one port for the AWS wire protocols, `/_local/` and the LocalStack-style API paths. It
 * listens before the rest of the stack exists, because the template's values hold its URL (queue URLs, the
 * functions' `AWS_ENDPOINT_URL`), and stays closed (503) until the runtime has started; the emulators' services
 * register here, every other service registers in the stage that builds it, in its place in `EDGE_ROUTING_ORDER`.
 */
import { dynamoDbService } from '../dynamodb/dynamodb-service';
import { EdgeServer } from '../edge/edge-server';
import type { StreamActivity } from '../kinesis/stream-activity';
import { sqsService } from '../sqs/sqs-service';
import { EDGE_ROUTING_ORDER } from './edge-routing-order';
import type { StackToRun } from './read-stack';
import type { Emulators } from './start-emulators';
import type { Startup } from './startup';

export interface RunningEdge {
  readonly server: EdgeServer;
  readonly url: string;
  /** The puts into the streams, whoever made them: what wakes idle shard consumers (`KinesisBackend.activity`). */
  readonly streamActivity: StreamActivity;
}

export async function startEdge(options: { readonly port: number; readonly stack: StackToRun; readonly emulators: Emulators }, startup: Startup): Promise<RunningEdge> {
  const { stack, emulators } = options;
  const server = new EdgeServer({ routingOrder: EDGE_ROUTING_ORDER, closedUntilOpened: true });
  const streamActivity = emulators.kinesis.activity;
  streamActivity.onPut((put) => startup.metrics.streamPut(put));
  server.register(dynamoDbService(emulators.dynamoDb.endpoint));
  server.register(emulators.kinesis.edgeService());
  const { url } = await server.listen(options.port, '127.0.0.1');
  startup.onStop(() => server.close());
  // Queue URLs are on the edge, so the SQS service needs its URL.
  server.register(
    sqsService({
      fauxqsEndpoint: emulators.sqs.endpoint,
      edgeUrl: url,
      accountId: stack.accountId,
      region: stack.region,
      partition: stack.partition,
      timeScale: startup.timeScale,
    }),
  );
  startup.step(`edge on ${url} (DynamoDB, SQS, Kinesis, EventBridge, Lambda, CloudWatch, /_local/, REST APIs at /_aws/execute-api/{id}/{stage}/ and /restapis/{id}/{stage}/_user_request_/)`);
  return { server, url, streamActivity };
}
