/**
 * The start-up's emulators: dynalite (DynamoDB), fauxqs (SQS) and kinesis-local (Kinesis), started in parallel, as
 * kinesis-local, a process of its own, takes the longest; fauxqs and kinesis-local may have been started ahead, while
 * the process loaded the runtime (`emulators-ahead.ts`). Each one that started is stopped again if another fails.
 */
import { startDynamoDb, type LocalDynamoDb } from '../dynamodb/dynamodb-local';
import { startKinesis, type LocalKinesis } from '../kinesis/kinesis-local';
import { startSqs, type LocalSqs } from '../sqs/sqs-local';
import { stopEmulatorsAhead, timed, type EmulatorsAhead } from './emulators-ahead';
import type { StackToRun } from './read-stack';
import type { Startup } from './startup';

export interface Emulators {
  readonly dynamoDb: LocalDynamoDb;
  readonly sqs: LocalSqs;
  readonly kinesis: LocalKinesis;
}

/**
 * @param ahead fauxqs and kinesis-local started ahead (`emulators-ahead.ts`): taken over when they run for the stack's
 * account and region, else stopped and started anew
 */
export async function startEmulators(stack: Pick<StackToRun, 'region' | 'accountId'>, startup: Startup, ahead?: EmulatorsAhead): Promise<Emulators> {
  const fits = ahead !== undefined && ahead.region === stack.region && ahead.accountId === stack.accountId;
  if (ahead !== undefined && !fits) void stopEmulatorsAhead(ahead);
  const started = await Promise.allSettled([
    timed(startDynamoDb()),
    fits ? ahead.sqs : timed(startSqs({ region: stack.region })),
    fits ? ahead.kinesis : timed(startKinesis({ accountId: stack.accountId, region: stack.region })),
  ]);
  for (const emulator of started) if (emulator.status === 'fulfilled') startup.onStop(() => emulator.value.value.stop());
  const [dynamoStart, sqsStart, kinesisStart] = started;
  if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
  if (sqsStart.status === 'rejected') throw sqsStart.reason;
  if (kinesisStart.status === 'rejected') throw kinesisStart.reason;
  const [dynamoDb, sqs, kinesis] = [dynamoStart.value, sqsStart.value, kinesisStart.value];
  startup.step(
    `in parallel: DynamoDB (dynalite) on ${dynamoDb.value.endpoint} in ${dynamoDb.ms} ms, SQS (fauxqs) on ${sqs.value.endpoint} in ${sqs.ms} ms, ` +
      `Kinesis (kinesis-local) on ${kinesis.value.endpoint} in ${kinesis.ms} ms`,
  );
  return { dynamoDb: dynamoDb.value, sqs: sqs.value, kinesis: kinesis.value };
}
