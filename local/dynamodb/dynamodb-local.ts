/**
 * DynamoDB for the local runtime: dynalite (a DynamoDB emulator on LevelDB, in memory) in a worker thread of this
 * process (`dynalite-worker.mjs`), and the tables of a template created in it. Its thread keeps dynalite's work off
 * the runtime's main thread, which plays the gateway, the edge, EventBridge and the pollers: under load, that one
 * thread was the bottleneck, and every DynamoDB call of every function crossed it twice (the edge) and ran there
 * (dynalite). The runtime still emulates transactions on the main thread, with its table locks (`transactions.ts`).
 *
 * What dynalite does not keep from a table definition: streams (`StreamSpecification`), time to live
 * (`TimeToLiveSpecification`: dynalite has no UpdateTimeToLive, and never expires items), encryption, point-in-time
 * recovery, deletion protection, contributor insights, tags, table class. Capacity is accepted but never
 * throttles. A global table (`AWS::DynamoDB::GlobalTable`, what `TableV2` synthesizes) is created as one table.
 */
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type Projection,
  type ProvisionedThroughput,
} from '@aws-sdk/client-dynamodb';
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { IntrinsicResolver } from '../assembly/intrinsics';
import { startEmulatorWorker, stopEmulatorWorker, workerCpuMs } from '../shared/emulator-worker';
import { DynaliteChannel, registerDynaliteChannel, unregisterDynaliteChannel } from './dynalite-channel';
import { emulatorSdkConfig } from '../shared/emulator-sdk-config';
import { isRecord } from '../shared/json';

export interface LocalDynamoDb {
  /** dynalite's own endpoint (`http://127.0.0.1:{port}`); clients of this process call it through its worker's line. */
  readonly endpoint: string;
  /** CPU time (user + system, ms) dynalite's thread has used; 0 once stopped. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** dynalite did not start (its worker failed, or did not answer in time). */
export class DynamoDbStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbStartError';
  }
}

/** A table of the template cannot be created (a property has a shape the local runtime does not understand). */
export class TableDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableDefinitionError';
  }
}

const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);
/** Capacity for a provisioned table whose template gives none the emulator can read (dynalite never throttles). */
const DEFAULT_CAPACITY: ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
const ACTIVE_DEADLINE_MS = 10_000;
const ACTIVE_POLL_MS = 10;

/** The program the worker runs (a sibling of this file, plain JavaScript). */
const WORKER = path.join(__dirname, 'dynalite-worker.mjs');
const START_TIMEOUT_MS = 15_000;

/**
 * Starts dynalite in a worker thread, on 127.0.0.1. A `DynamoDbWireClient` of this process (the edge's) calls it over
 * the worker's message port, without HTTP (see `dynalite-channel.ts`); other clients use the endpoint. A call under
 * way when the worker exits fails with `DynaliteChannelClosedError`, as does every later one.
 * @param options.port the port. @default 0 - a free port chosen by the system
 */
export async function startDynamoDb(options?: { readonly port?: number }): Promise<LocalDynamoDb> {
  const { port1: here, port2: there } = new MessageChannel();
  const { worker, port } = await startEmulatorWorker({
    program: WORKER,
    workerData: { port: options?.port ?? 0, requests: there },
    transferList: [there],
    startTimeoutMs: START_TIMEOUT_MS,
    name: 'dynalite',
    startError: (message) => new DynamoDbStartError(message),
  }).catch((error: unknown) => {
    here.close();
    throw error;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const channel = new DynaliteChannel(here);
  channel.closeWhenEnds(worker);
  registerDynaliteChannel(endpoint, channel);
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    cpuMs: async () => (stopped ? 0 : workerCpuMs(worker)),
    stop: () => {
      if (stopped) return stopped;
      unregisterDynaliteChannel(endpoint);
      channel.close('dynalite was stopped before it answered');
      stopped = stopEmulatorWorker(worker);
      return stopped;
    },
  };
}

/**
 * Creates every `AWS::DynamoDB::Table` / `AWS::DynamoDB::GlobalTable` of the template (whose condition holds) at
 * `endpoint`, named as `Ref` resolves them, and waits until they are ACTIVE. A table that already exists is kept.
 * @returns the table names
 */
export async function createTables(endpoint: string, template: CfnTemplate, resolver: IntrinsicResolver): Promise<string[]> {
  const inputs = Object.entries(template.Resources)
    .filter(([, resource]) => TABLE_TYPES.has(resource.Type))
    .filter(([, resource]) => resource.Condition === undefined || resolver.conditionHolds(resource.Condition))
    .map(([logicalId, resource]) => {
      const properties = resolver.resolve(resource.Properties ?? {});
      if (!isRecord(properties)) throw new TableDefinitionError(`${logicalId}: Properties is not an object`);
      return tableInput(logicalId, resolver.resolveString({ Ref: logicalId }), properties);
    });
  const client = new DynamoDBClient(emulatorSdkConfig(endpoint, 'us-east-1'));
  try {
    await Promise.all(inputs.map((input) => createTable(client, input)));
    return inputs.map((input) => input.TableName ?? '');
  } finally {
    client.destroy();
  }
}

async function createTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const deadline = Date.now() + ACTIVE_DEADLINE_MS;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new TableDefinitionError(`Table ${input.TableName} is still ${table?.TableStatus} after ${ACTIVE_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
}

function tableInput(logicalId: string, tableName: string, properties: Record<string, unknown>): CreateTableCommandInput {
  const where = (property: string): string => `${logicalId}.${property}`;
  const provisioned = properties.BillingMode !== 'PAY_PER_REQUEST';
  const tableCapacity = provisioned ? throughput(properties.ProvisionedThroughput) : undefined;
  const globalIndexes = listOf(properties.GlobalSecondaryIndexes, where('GlobalSecondaryIndexes')).map(
    (index, position): GlobalSecondaryIndex => ({
      ...indexBase(index, where(`GlobalSecondaryIndexes.${position}`)),
      ...(provisioned ? { ProvisionedThroughput: throughput(index.ProvisionedThroughput) ?? tableCapacity ?? DEFAULT_CAPACITY } : {}),
    }),
  );
  const localIndexes = listOf(properties.LocalSecondaryIndexes, where('LocalSecondaryIndexes')).map(
    (index, position): LocalSecondaryIndex => indexBase(index, where(`LocalSecondaryIndexes.${position}`)),
  );
  return {
    TableName: tableName,
    KeySchema: keySchema(properties.KeySchema, where('KeySchema')),
    AttributeDefinitions: listOf(properties.AttributeDefinitions, where('AttributeDefinitions')).map(
      (definition, position): AttributeDefinition => {
        const type = definition.AttributeType;
        if (typeof definition.AttributeName !== 'string' || (type !== 'S' && type !== 'N' && type !== 'B')) {
          throw new TableDefinitionError(`${where(`AttributeDefinitions.${position}`)} needs AttributeName and AttributeType S, N or B`);
        }
        return { AttributeName: definition.AttributeName, AttributeType: type };
      },
    ),
    ...(provisioned
      ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: tableCapacity ?? DEFAULT_CAPACITY }
      : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(globalIndexes.length > 0 ? { GlobalSecondaryIndexes: globalIndexes } : {}),
    ...(localIndexes.length > 0 ? { LocalSecondaryIndexes: localIndexes } : {}),
  };
}

function listOf(value: unknown, where: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new TableDefinitionError(`${where} is not a list of objects`);
  return value;
}

function keySchema(value: unknown, where: string): KeySchemaElement[] {
  return listOf(value, where).map((element, position) => {
    const keyType = element.KeyType;
    if (typeof element.AttributeName !== 'string' || (keyType !== 'HASH' && keyType !== 'RANGE')) {
      throw new TableDefinitionError(`${where}.${position} needs AttributeName and KeyType HASH or RANGE`);
    }
    return { AttributeName: element.AttributeName, KeyType: keyType };
  });
}

function indexBase(index: Record<string, unknown>, where: string): { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection } {
  if (typeof index.IndexName !== 'string') throw new TableDefinitionError(`${where} has no IndexName`);
  return { IndexName: index.IndexName, KeySchema: keySchema(index.KeySchema, `${where}.KeySchema`), Projection: projection(index.Projection, where) };
}

function projection(value: unknown, where: string): Projection {
  if (!isRecord(value)) return { ProjectionType: 'ALL' };
  const type = value.ProjectionType ?? 'ALL';
  if (type !== 'ALL' && type !== 'KEYS_ONLY' && type !== 'INCLUDE') throw new TableDefinitionError(`${where}.Projection has ProjectionType ${String(type)}`);
  const nonKey = Array.isArray(value.NonKeyAttributes) ? value.NonKeyAttributes.filter((name) => typeof name === 'string') : [];
  return { ProjectionType: type, ...(type === 'INCLUDE' ? { NonKeyAttributes: nonKey } : {}) };
}

/** Read/write capacity from a template (numbers or numeric strings); undefined when absent or unreadable. */
function throughput(value: unknown): ProvisionedThroughput | undefined {
  if (!isRecord(value)) return undefined;
  const read = Number(value.ReadCapacityUnits);
  const write = Number(value.WriteCapacityUnits);
  return read >= 1 && write >= 1 ? { ReadCapacityUnits: read, WriteCapacityUnits: write } : undefined;
}
