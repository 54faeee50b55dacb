import type { EdgeRequest } from '../../../../local/edge/edge-server';
import { lambdaInvokeEdgeService } from '../../../../local/lambda/async-invoke-api';
import { AsyncInvoker, lambdaFunctions, type AsyncDestinations } from '../../../../local/lambda/async-invoker';
import { LambdaService } from '../../../../local/lambda/lambda-service';
import { functionConfig } from '../../../unit/local/lambda/function-config-factory';

const FAIL_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-Fail';

function invokeRequest(functionName: string, body: unknown, invocationType?: string): EdgeRequest {
  return {
    method: 'POST',
    url: new URL(`/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, 'http://127.0.0.1:4566'),
    headers: { 'content-type': 'application/json', ...(invocationType ? { 'x-amz-invocation-type': invocationType } : {}) },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

describe('the Lambda Invoke API on the edge', () => {
  let service: LambdaService;
  let invoker: AsyncInvoker;
  const dead: { queueArn: string; body: string }[] = [];

  beforeAll(() => {
    service = new LambdaService([
      functionConfig(),
      functionConfig({ logicalId: 'FailFunction11111111', shortName: 'FailFunction', functionName: 'HybridShop-Fail', arn: FAIL_ARN, handler: 'index.fail' }),
    ]);
    const destinations: AsyncDestinations = {
      sendMessage: async (queueArn, body) => {
        dead.push({ queueArn, body });
      },
      putEvent: async () => undefined,
    };
    invoker = new AsyncInvoker({
      functions: lambdaFunctions(service),
      destinations,
      configs: new Map([['FailFunction11111111', { maximumRetryAttempts: 1, maximumEventAgeSeconds: 60, onFailure: 'arn:aws:sqs:us-east-1:000000000000:failures' }]]),
      timing: { retryBaseDelayMs: 1 },
    });
  });

  afterAll(async () => {
    invoker.stop();
    await service.stop();
  });

  const api = () => lambdaInvokeEdgeService({ functions: lambdaFunctions(service), invoker });

  it('matches POST /2015-03-31/functions/{name}/invocations only', () => {
    expect(api().matches(invokeRequest('x', {}))).toBe(true);
    expect(api().matches({ ...invokeRequest('x', {}), method: 'GET' })).toBe(false);
    expect(api().matches({ ...invokeRequest('x', {}), url: new URL('http://127.0.0.1:4566/2015-03-31/functions/x') })).toBe(false);
  });

  it('runs RequestResponse invocations and answers the result', async () => {
    // Act
    const response = await api().handle(invokeRequest('HybridShop-CatalogEchoFunction1A2B3C4D', { hello: 'world' }));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers?.['x-amz-executed-version']).toBe('$LATEST');
    expect(JSON.parse(String(response.body)).event).toEqual({ hello: 'world' });
  });

  it('answers a function error with 200 and X-Amz-Function-Error', async () => {
    // Act
    const response = await api().handle(invokeRequest(FAIL_ARN, {}, 'RequestResponse'));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers?.['x-amz-function-error']).toBe('Unhandled');
    expect(JSON.parse(String(response.body))).toMatchObject({ errorType: 'OutOfStockError', errorMessage: 'SKU-1 is out of stock' });
  });

  it('accepts Event invocations with 202, then retries and reaches the on-failure destination', async () => {
    // Act
    const response = await api().handle(invokeRequest(FAIL_ARN, { orderId: 'o-1' }, 'Event'));
    await invoker.settled();

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers?.['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0].body).requestContext).toMatchObject({
      requestId: response.headers?.['x-amzn-requestid'],
      condition: 'RetriesExhausted',
      approximateInvokeCount: 2,
    });
  });

  it('answers DryRun with 204', async () => {
    expect((await api().handle(invokeRequest(FAIL_ARN, {}, 'DryRun'))).status).toBe(204);
  });

  it('answers 404 ResourceNotFoundException for an unknown function', async () => {
    // Act
    const response = await api().handle(invokeRequest('nope', {}));

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers?.['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(JSON.parse(String(response.body))).toEqual({ Type: 'User', message: 'Function not found: nope' });
  });

  it('answers 400 for a body that is not JSON, and for an unknown invocation type', async () => {
    expect((await api().handle(invokeRequest(FAIL_ARN, '{oops'))).headers?.['x-amzn-errortype']).toBe('InvalidRequestContentException');
    expect((await api().handle(invokeRequest(FAIL_ARN, {}, 'Later'))).headers?.['x-amzn-errortype']).toBe('ValidationException');
  });
});
