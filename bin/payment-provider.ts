#!/usr/bin/env node
/**
 * Changes the simulated payment provider's behaviour at run time: writes the settings item the payment worker reads
 * (at most a second later the new settings are in force).
 *
 *   npm run payments:provider -- --latency-ms 200 --failure-rate 0.2 --down false --outputs cdk-outputs.json
 *   npm run payments:provider -- --down true --table HybridShop-PaymentProviderTable…    # only what is given changes
 *   npm run payments:provider -- --down false --endpoint http://localhost:4566 --table …  # the local runtime
 *
 * Flags: `--latency-ms` (0..60000), `--failure-rate` (0..1, the share of charges declined), `--down` (true|false);
 * at least one. The table: `--table NAME`, or `--outputs FILE` (a `cdk deploy --outputs-file`) and its
 * `PaymentProviderTableName` output (`--stack`, default HybridShop). `--endpoint` sends the call there with the
 * local runtime's admin credentials (test/test); without it, your AWS credentials and AWS_REGION are used.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ProviderSettings,
  parseProviderSettings,
  providerSettingsSchema,
} from '../lambdas/payments/domain/payment-provider';
import { PROVIDER_SETTINGS_KEY } from '../lambdas/payments/adapters/dynamodb-provider-settings';
import { fieldErrors } from '../lambdas/shared/validation';

/** The command-line flag of each setting. */
const FLAGS: Record<keyof ProviderSettings, string> = {
  latencyMs: 'latency-ms',
  failureRate: 'failure-rate',
  down: 'down',
};

export interface ProviderCommand {
  /** Only the settings to change; the others keep their stored value (or default). */
  readonly settings: Partial<ProviderSettings>;
  readonly tableName: string;
  /** @default - the AWS endpoint of the region, with your own credentials */
  readonly endpoint?: string;
}

export interface SetProviderSettingsOptions extends ProviderCommand {
  readonly region: string;
  /** @default - `test`/`test` with an `endpoint`, else the SDK's default credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Write the given settings into the settings item; answers the settings now in force (defaults filled in). */
export async function setProviderSettings(options: SetProviderSettingsOptions): Promise<ProviderSettings> {
  const entries = Object.entries(options.settings).filter(([, value]) => value !== undefined);
  if (entries.length === 0) throw new Error('no setting to change');
  const credentials = options.credentials ?? (options.endpoint ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined);
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    }),
  );
  try {
    const out = await client.send(
      new UpdateCommand({
        TableName: options.tableName,
        Key: PROVIDER_SETTINGS_KEY,
        UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return parseProviderSettings(out.Attributes ?? {});
  } finally {
    client.destroy();
  }
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`unexpected argument '${key}'; see the usage at the top of bin/payment-provider.ts`);
    }
    args.set(key.slice(2), argv[++i]);
  }
  return args;
}

const KNOWN_FLAGS = new Set([...Object.values(FLAGS), 'endpoint', 'outputs', 'table', 'stack']);

/** `--down true` → true; anything but true/false is an error naming the flag. */
function parseBoolean(flag: string, text: string): boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  throw new Error(`--${flag} must be true or false, got '${text}'`);
}

/** The settings the flags ask for, checked against the same schema the worker reads them with. */
function settingsFrom(args: Map<string, string>): Partial<ProviderSettings> {
  const latency = args.get(FLAGS.latencyMs);
  const rate = args.get(FLAGS.failureRate);
  const down = args.get(FLAGS.down);
  const settings = {
    ...(latency === undefined ? {} : { latencyMs: latency.trim() === '' ? Number.NaN : Number(latency) }),
    ...(rate === undefined ? {} : { failureRate: rate.trim() === '' ? Number.NaN : Number(rate) }),
    ...(down === undefined ? {} : { down: parseBoolean(FLAGS.down, down) }),
  };
  if (Object.keys(settings).length === 0) {
    throw new Error(`give at least one of --${FLAGS.latencyMs}, --${FLAGS.failureRate}, --${FLAGS.down}`);
  }
  const result = providerSettingsSchema.safeParse(settings, { reportInput: true });
  if (!result.success) {
    const problems = fieldErrors(result.error.issues, 'settings').map(
      (error) => `--${FLAGS[error.field as keyof ProviderSettings] ?? error.field} ${error.message}`,
    );
    throw new Error(problems.join('; '));
  }
  return settings;
}

function tableNameFrom(args: Map<string, string>): string {
  const outputsFile = args.get('outputs');
  const table = args.get('table');
  if (outputsFile !== undefined && table !== undefined) throw new Error('give --outputs or --table, not both');
  if (table !== undefined) return table;
  if (outputsFile === undefined) throw new Error('give --outputs <cdk-outputs.json> or --table <name>');
  const stackName = args.get('stack') ?? 'HybridShop';
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string> | undefined>;
  const name = outputs[stackName]?.PaymentProviderTableName;
  if (!name) throw new Error(`${outputsFile} has no PaymentProviderTableName output for stack ${stackName}`);
  return name;
}

/** The command line (after `--`) as what to set where; an unknown flag or a bad value is an error naming it. */
export function parseProviderArgs(argv: readonly string[]): ProviderCommand {
  const args = parseFlags(argv);
  const unknown = [...args.keys()].filter((key) => !KNOWN_FLAGS.has(key));
  if (unknown.length > 0) throw new Error(`unknown flag ${unknown.map((key) => `--${key}`).join(', ')}`);
  const endpoint = args.get('endpoint');
  return { settings: settingsFrom(args), tableName: tableNameFrom(args), ...(endpoint ? { endpoint } : {}) };
}

if (require.main === module) {
  (async () => {
    const command = parseProviderArgs(process.argv.slice(2));
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (command.endpoint ? 'us-east-1' : undefined);
    if (!region) throw new Error('set AWS_REGION to the region the stack is deployed in');
    const settings = await setProviderSettings({ ...command, region });
    const changed = Object.entries(command.settings).map(([name, value]) => `${name}=${String(value)}`).join(', ');
    console.log(`payment provider (${command.tableName}): set ${changed}`);
    console.log(`now in force: latencyMs=${settings.latencyMs}, failureRate=${settings.failureRate}, down=${settings.down}`);
  })().catch((error: unknown) => {
    console.error(`payments:provider failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
