/**
 * The start-up's emulators: dynalite (DynamoDB), fauxqs (SQS) and Kinesis (the in-process shard log, or kinesis-local:
 * `kinesis-backend.ts`), started in parallel, as kinesis-local, a process of its own, takes the longest. Each one that
 * started is stopped again if another fails.
 */
import { startDynamoDb, type LocalDynamoDb } from '../dynamodb/dynamodb-local';
import { startKinesisBackend, type KinesisBackend, type KinesisBackendName } from '../kinesis/kinesis-backend';
import { startSqs, type LocalSqs } from '../sqs/sqs-local';
import type { StackToRun } from './read-stack';
import type { Startup } from './startup';

export interface Emulators {
  readonly dynamoDb: LocalDynamoDb;
  readonly sqs: LocalSqs;
  readonly kinesis: KinesisBackend;
}

export async function startEmulators(
  stack: Pick<StackToRun, 'region' | 'accountId' | 'partition'>,
  startup: Startup,
  options: { readonly kinesis: KinesisBackendName },
): Promise<Emulators> {
  const timed = async <T>(start: Promise<T>): Promise<{ value: T; ms: number }> => {
    const began = performance.now();
    const value = await start;
    return { value, ms: Math.round(performance.now() - began) };
  };
  const started = await Promise.allSettled([
    timed(startDynamoDb()),
    timed(startSqs({ region: stack.region })),
    timed(startKinesisBackend(options.kinesis, { accountId: stack.accountId, region: stack.region, partition: stack.partition })),
  ]);
  for (const emulator of started) if (emulator.status === 'fulfilled') startup.onStop(() => emulator.value.value.stop());
  const [dynamoStart, sqsStart, kinesisStart] = started;
  if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
  if (sqsStart.status === 'rejected') throw sqsStart.reason;
  if (kinesisStart.status === 'rejected') throw kinesisStart.reason;
  const [dynamoDb, sqs, kinesis] = [dynamoStart.value, sqsStart.value, kinesisStart.value];
  startup.step(
    `in parallel: DynamoDB (dynalite) on ${dynamoDb.value.endpoint} in ${dynamoDb.ms} ms, SQS (fauxqs) on ${sqs.value.endpoint} in ${sqs.ms} ms, ` +
      `${kinesis.value.description} in ${kinesis.ms} ms`,
  );
  return { dynamoDb: dynamoDb.value, sqs: sqs.value, kinesis: kinesis.value };
}
