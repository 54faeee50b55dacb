import * as path from 'node:path';
import type { LambdaFunctionConfig } from '../../../../local/lambda/function-config';

/** The folder of the fixture handlers (index.mjs: one export per behaviour; broken.mjs fails to load). */
export const FIXTURE_CODE_DIR = path.join(__dirname, 'fixtures', 'handlers');

/** A function config running a fixture handler; override what a test is about. */
export function functionConfig(overrides: Partial<LambdaFunctionConfig> = {}): LambdaFunctionConfig {
  return {
    logicalId: 'CatalogEchoFunction1A2B3C4D',
    shortName: 'CatalogEchoFunction',
    functionName: 'HybridShop-CatalogEchoFunction1A2B3C4D',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-CatalogEchoFunction1A2B3C4D',
    codeDir: FIXTURE_CODE_DIR,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    timeoutSeconds: 3,
    memorySizeMb: 256,
    environment: { TABLE_NAME: 'HybridShop-ProductsTable' },
    region: 'us-east-1',
    endpointUrl: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'LOCALABCDEF0123456', secretAccessKey: 'secret', sessionToken: 'token' },
    tracingActive: true,
    logGroupName: '/aws/lambda/HybridShop-CatalogEchoFunction1A2B3C4D',
    logFormat: 'JSON',
    ...overrides,
  };
}
