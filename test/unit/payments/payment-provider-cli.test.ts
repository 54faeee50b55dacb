import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseProviderArgs, setProviderSettings } from '../../../bin/payment-provider';
import { InMemoryTables } from '../factories/fulfilment-tables';
import { fakeDynamoDbPerTest } from '../support/fake-dynamodb';

/** A cdk outputs file holding `outputs`, as `cdk deploy --outputs-file` writes it. */
function outputsFile(outputs: Record<string, Record<string, string>>): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'payment-provider-')), 'cdk-outputs.json');
  writeFileSync(file, JSON.stringify(outputs));
  return file;
}

describe('parseProviderArgs', () => {
  it('reads every setting, the table and the endpoint', () => {
    const command = parseProviderArgs([
      '--latency-ms', '200', '--failure-rate', '0.2', '--down', 'false', '--endpoint', 'http://localhost:4566', '--table', 'provider-table',
    ]);

    expect(command).toEqual({
      settings: { latencyMs: 200, failureRate: 0.2, down: false },
      tableName: 'provider-table',
      endpoint: 'http://localhost:4566',
    });
  });

  it('takes only the settings given', () => {
    expect(parseProviderArgs(['--down', 'true', '--table', 't']).settings).toEqual({ down: true });
  });

  it('finds the table in the PaymentProviderTableName output of the stack', () => {
    const file = outputsFile({ HybridShop: { PaymentProviderTableName: 'HybridShop-ProviderTable-1' } });

    expect(parseProviderArgs(['--latency-ms', '0', '--outputs', file]).tableName).toBe('HybridShop-ProviderTable-1');
  });

  it.each([
    [['--latency-ms', '-5', '--table', 't'], '--latency-ms must be at least 0'],
    [['--latency-ms', 'fast', '--table', 't'], '--latency-ms'],
    [['--failure-rate', '1.5', '--table', 't'], '--failure-rate must be at most 1'],
    [['--down', 'yes', '--table', 't'], '--down must be true or false'],
    [['--table', 't'], 'give at least one of'],
    [['--down', 'true'], 'give --outputs'],
    [['--down', 'true', '--table', 't', '--outputs', 'x.json'], 'not both'],
    [['--down', 'true', '--table', 't', '--colour', 'red'], 'unknown flag --colour'],
    [['--down'], "unexpected argument '--down'"],
  ])('rejects %p', (argv, message) => {
    expect(() => parseProviderArgs(argv)).toThrow(message);
  });

  it('rejects an outputs file without the table output', () => {
    const file = outputsFile({ HybridShop: { PublicApiUrl: 'https://example.com/' } });

    expect(() => parseProviderArgs(['--down', 'true', '--outputs', file])).toThrow('no PaymentProviderTableName output');
  });
});

describe('setProviderSettings', () => {
  const dynamo = fakeDynamoDbPerTest();
  let tables: InMemoryTables;

  beforeEach(() => {
    tables = new InMemoryTables(dynamo, { 'provider-table': ['provider'] });
  });

  it('writes only the given settings into the default item and answers the settings in force', async () => {
    // Prepare
    tables.seed('provider-table', { provider: 'default', latencyMs: 200, failureRate: 0.2, down: false });

    // Act
    const settings = await setProviderSettings({ settings: { down: true }, tableName: 'provider-table', region: 'us-east-1' });

    // Assess
    expect(settings).toEqual({ latencyMs: 200, failureRate: 0.2, down: true });
    expect(tables.get('provider-table', { provider: 'default' })).toEqual({ provider: 'default', latencyMs: 200, failureRate: 0.2, down: true });
    expect(dynamo.inputsOf('UpdateCommand')).toEqual([
      {
        TableName: 'provider-table',
        Key: { provider: 'default' },
        UpdateExpression: 'SET #down = :down',
        ExpressionAttributeNames: { '#down': 'down' },
        ExpressionAttributeValues: { ':down': true },
        ReturnValues: 'ALL_NEW',
      },
    ]);
  });

  it('fills the settings never written with their defaults', async () => {
    const settings = await setProviderSettings({ settings: { failureRate: 0.5 }, tableName: 'provider-table', region: 'us-east-1' });

    expect(settings).toEqual({ latencyMs: 50, failureRate: 0.5, down: false });
  });
});
