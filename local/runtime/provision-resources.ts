/**
 * The start-up's resources: the stack's local physical ids and the resolver of its intrinsics, then what the stack
 * creates in the emulators and in the runtime itself: DynamoDB tables, Cognito user pools, SQS queues and Kinesis
 * streams. Also the runtime's own clients on fauxqs and Kinesis, which later stages share.
 */
import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { assignPhysicalIds, IntrinsicResolver, type ResolverContext } from '../assembly/intrinsics';
import type { PhysicalIds } from '../assembly/template-refs';
import type { LocalUserPool } from '../cognito/user-pool';
import { readUserPools } from '../cognito/user-pools-from-template';
import { createTables } from '../dynamodb/dynamodb-local';
import type { KinesisWireClient } from '../kinesis/kinesis-wire-client';
import { createStreams, type LocalStream } from '../kinesis/stream-provisioning';
import { fauxqsClient } from '../sqs/fauxqs-client';
import { QueueAddressing } from '../sqs/queue-addressing';
import { createQueues, type LocalQueue } from '../sqs/queue-provisioning';
import type { StackToRun } from './read-stack';
import type { Emulators } from './start-emulators';
import type { Startup } from './startup';

export interface Resources {
  /** What the intrinsics resolve the stack's own values to (its region, account, stack id…). */
  readonly context: ResolverContext;
  readonly resolver: IntrinsicResolver;
  readonly physical: PhysicalIds;
  /** By logical id. */
  readonly userPools: ReadonlyMap<string, LocalUserPool>;
  readonly queues: readonly LocalQueue[];
  readonly streams: readonly LocalStream[];
  /** An SDK client on fauxqs, for the runtime's own work (the SQS event source mappings). */
  readonly fauxqs: SQSClient;
  /** A client on Kinesis, shared by the Kinesis event source mappings and EventBridge's Kinesis targets. */
  readonly kinesisWire: KinesisWireClient;
}

export async function provisionResources(
  options: { readonly stack: StackToRun; readonly emulators: Emulators; readonly edgeUrl: string },
  startup: Startup,
): Promise<Resources> {
  const { stack, emulators, edgeUrl } = options;
  const { template, region, accountId, partition } = stack;
  const context: ResolverContext = {
    region,
    accountId,
    partition,
    urlSuffix: stack.urlSuffix,
    stackName: stack.stackName,
    stackId: `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stack.stackName}/${randomUUID()}`,
  };
  const physical = assignPhysicalIds(template, context, { edgeUrl });
  const resolver = new IntrinsicResolver(template, context, physical);
  const tables = await createTables(emulators.dynamoDb.endpoint, template, resolver);
  startup.step(`${tables.length} DynamoDB tables: ${tables.join(', ') || '(none)'}`);

  const userPools = readUserPools(template, resolver, physical, edgeUrl);
  if (userPools.size > 0) {
    startup.step(`${userPools.size} Cognito user pools: ${[...userPools.values()].map((pool) => `${pool.id} (${pool.config.clients.length} app clients)`).join(', ')}`);
  }

  const fauxqs = fauxqsClient(emulators.sqs.endpoint, region);
  startup.onStop(async () => fauxqs.destroy());
  const kinesisClient = emulators.kinesis.sdkClient(region);
  startup.onStop(async () => kinesisClient.destroy());
  const kinesisWire = emulators.kinesis.wireClient();
  startup.onStop(async () => kinesisWire.close());
  const { timeScale } = startup;
  const [queues, streams] = await Promise.all([
    createQueues({ sqs: fauxqs, template, resolver, addressing: new QueueAddressing({ edgeUrl, accountId, partition }), timeScale }),
    createStreams({ kinesis: kinesisClient, template, resolver }),
  ]);
  startup.step(`${queues.length} SQS queues, ${streams.length} Kinesis streams: ${[...queues, ...streams].map((q) => q.name).join(', ') || '(none)'}`);
  if (!timeScale.isRealTime) {
    const visibilities = [...new Set(queues.map((q) => q.visibilityTimeoutSeconds))].sort((a, b) => a - b).join(', ');
    startup.log(
      `  time scale ${timeScale.factor}: SQS visibility timeouts now ${visibilities || '-'} s; message delays, long polls and the ` +
        'EventBridge, Lambda async and Kinesis retry backoffs scaled too (function and API timeouts are not)',
    );
  }
  return { context, resolver, physical, userPools, queues, streams, fauxqs, kinesisWire };
}
