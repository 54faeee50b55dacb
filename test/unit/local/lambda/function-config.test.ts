import { rewriteExecuteApiUrl } from '../../../../local/apigateway/execute-api-urls';
import { lambdaEnvironment, readFunctionConfigs } from '../../../../local/lambda/function-config';
import { functionCredentials } from '../../../../local/lambda/local-credentials';
import { resolvedShop } from '../apigateway/shop-template';
import { functionConfig } from './function-config-factory';

function read(overrides: { rewriteValue?: (value: string) => string } = {}) {
  const { template, resolver, physical } = resolvedShop();
  return {
    physical,
    ...readFunctionConfigs({
      template,
      resolver,
      physical,
      codeDir: (logicalId) => `/assets/${logicalId}`,
      region: 'us-east-1',
      accountId: '000000000000',
      partition: 'aws',
      endpointUrl: 'http://127.0.0.1:4566',
      credentialsFor: (logicalId) => functionCredentials(logicalId, 'seed'),
      ...overrides,
    }),
  };
}

describe('readFunctionConfigs', () => {
  it('reads each function with its local name, ARN, handler, limits, role and logging', () => {
    // Act
    const { functions, skipped, warnings } = read();

    // Assess
    const placeOrder = functions.find((f) => f.logicalId === 'OrdersPlaceOrderFunctionCCCCCCCC');
    expect(placeOrder).toMatchObject({
      shortName: 'OrdersPlaceOrderFunction',
      functionName: 'HybridShop-OrdersPlaceOrderFunctionCCCCCCCC',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-OrdersPlaceOrderFunctionCCCCCCCC',
      codeDir: '/assets/OrdersPlaceOrderFunctionCCCCCCCC',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeoutSeconds: 5,
      memorySizeMb: 256,
      roleLogicalId: 'OrdersRoleBBBB2222',
      roleName: 'HybridShop-OrdersRoleBBBB2222',
      tracingActive: true,
      logFormat: 'JSON',
      applicationLogLevel: 'INFO',
    });
    expect(functions).toHaveLength(4);
    expect(skipped).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('resolves the environment and passes every value through rewriteValue', () => {
    // Prepare
    const { physical } = resolvedShop();
    const apiId = physical.get('InternalApiRestApi5E6F7A8B')?.ref ?? '';

    // Act
    const { functions } = read({ rewriteValue: (v) => rewriteExecuteApiUrl(v, [{ apiId, localOrigin: 'http://127.0.0.1:3001' }], 'us-east-1', 'amazonaws.com') });

    // Assess
    expect(functions.find((f) => f.logicalId === 'OrdersPlaceOrderFunctionCCCCCCCC')?.environment).toEqual({
      INVENTORY_API_URL: 'http://127.0.0.1:3001/prod/',
      LOG_LEVEL: 'INFO',
    });
  });

  it('gives every function its own credentials', () => {
    const keys = read().functions.map((f) => f.credentials.accessKeyId);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => /^LOCAL[0-9A-F]{15}$/.test(k))).toBe(true);
  });

  it('skips functions the runtime cannot run, saying why', () => {
    // Prepare
    const { template, resolver, physical } = resolvedShop();
    template.Resources.PythonFn = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'index.handler', Code: { ZipFile: 'x' } } };

    // Act
    const { skipped } = readFunctionConfigs({
      template,
      resolver,
      physical,
      codeDir: () => '/x',
      region: 'us-east-1',
      accountId: '000000000000',
      partition: 'aws',
      endpointUrl: 'http://127.0.0.1:4566',
      credentialsFor: (id) => functionCredentials(id, 'seed'),
    });

    // Assess
    expect(skipped).toEqual([{ logicalId: 'PythonFn', reason: 'runtime python3.12 is not Node.js' }]);
  });
});

describe('lambdaEnvironment', () => {
  it("adds what Lambda sets to the template's variables, credentials and endpoint included", () => {
    // Act
    const env = lambdaEnvironment(functionConfig(), '2026/03/04/[$LATEST]abc');

    // Assess
    expect(env).toMatchObject({
      TABLE_NAME: 'HybridShop-ProductsTable',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'HybridShop-CatalogEchoFunction1A2B3C4D',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/HybridShop-CatalogEchoFunction1A2B3C4D',
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/03/04/[$LATEST]abc',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: functionConfig().codeDir,
      TZ: ':UTC',
      AWS_ACCESS_KEY_ID: 'LOCALABCDEF0123456',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
    });
  });

  it("never lets the template override Lambda's own variables", () => {
    const env = lambdaEnvironment(functionConfig({ environment: { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAREAL' } }), 'stream');
    expect([env.AWS_REGION, env.AWS_ACCESS_KEY_ID]).toEqual(['us-east-1', 'LOCALABCDEF0123456']);
  });
});
