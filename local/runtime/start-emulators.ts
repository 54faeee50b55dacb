/**
 * The start-up's emulators: dynalite (DynamoDB), fauxqs (SQS) and Kinesis (the in-process shard log, or kinesis-local:
 * `kinesis-backend.ts`), started in parallel, as kinesis-local, a process of its own, takes the longest; fauxqs and
 * kinesis-local may have been started ahead, while the process loaded the runtime (`emulators-ahead.ts`). Each one that
 * started is stopped again if another fails.
 */
import { startDynamoDb, type LocalDynamoDb } from '../dynamodb/dynamodb-local';
import { startKinesisBackend, type KinesisBackend, type KinesisBackendName } from '../kinesis/kinesis-backend';
import { startSqs, type LocalSqs } from '../sqs/sqs-local';
import { stopEmulatorsAhead, timed, type EmulatorsAhead } from './emulators-ahead';
import type { StackToRun } from './read-stack';
import type { Startup } from './startup';

export interface Emulators {
  readonly dynamoDb: LocalDynamoDb;
  readonly sqs: LocalSqs;
  readonly kinesis: KinesisBackend;
}

/**
 * @param options.ahead fauxqs and kinesis-local started ahead (`emulators-ahead.ts`): taken over when they run for the
 * stack's account and region and the same Kinesis backend, else stopped and started anew
 */
export async function startEmulators(
  stack: Pick<StackToRun, 'region' | 'accountId' | 'partition'>,
  startup: Startup,
  options: { readonly kinesis: KinesisBackendName; readonly ahead?: EmulatorsAhead },
): Promise<Emulators> {
  const { ahead } = options;
  const fits = ahead !== undefined && ahead.region === stack.region && ahead.accountId === stack.accountId && ahead.kinesisBackend === options.kinesis;
  if (ahead !== undefined && !fits) void stopEmulatorsAhead(ahead);
  const kinesisAhead = fits ? ahead.kinesis?.then(({ value }) => value) : undefined;
  const started = await Promise.allSettled([
    timed(startDynamoDb()),
    fits ? ahead.sqs : timed(startSqs({ region: stack.region })),
    timed(startKinesisBackend(options.kinesis, { accountId: stack.accountId, region: stack.region, partition: stack.partition }, kinesisAhead)),
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
