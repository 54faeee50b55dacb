import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { adminCaller, callerDirectory, functionCaller } from '../../../../local/iam/api-callers';
import { GatewayHttpRequest } from '../../../../local/apigateway/gateway-http';
import { readRolePolicies } from '../../../../local/iam/iam-policy';
import { ApiRequestReport, FunctionInvoker, RestApiGateway } from '../../../../local/apigateway/rest-api-gateway';
import { readRestApis } from '../../../../local/apigateway/rest-api-model';
import { InvocationResult } from '../../../../local/lambda/function-pool';
import { TooManyRequestsError } from '../../../../local/lambda/lambda-errors';
import { resolvedShop } from './shop-template';

const ORDERS_CREDENTIALS = { accessKeyId: 'LOCALORDERS000000000', secretAccessKey: 'orders-secret', sessionToken: 'orders-token' };
const INVENTORY_CREDENTIALS = { accessKeyId: 'LOCALINVENTORY000000', secretAccessKey: 'inventory-secret', sessionToken: 'inventory-token' };

type Behaviour = (event: APIGatewayProxyEvent) => Promise<InvocationResult>;
const ok = (response: unknown): Behaviour => async () => ({ ok: true, requestId: 'r', payload: JSON.stringify(response), durationMs: 1 });

/** Both APIs of the shop template behind gateways whose functions are stubs, recording the events they get. */
function shop(behaviours: Record<string, Behaviour> = {}) {
  const { template, resolver, physical } = resolvedShop();
  const [publicModel, internalModel] = readRestApis(template, resolver, physical);
  const { policies } = readRolePolicies(template, resolver);
  const callers = callerDirectory([
    adminCaller({ accessKeyId: 'test', secretAccessKey: 'test' }, '000000000000'),
    functionCaller({
      credentials: ORDERS_CREDENTIALS,
      functionName: 'HybridShop-OrdersPlaceOrder',
      roleName: 'HybridShop-OrdersRole',
      roleId: 'AROAORDERS',
      accountId: '000000000000',
      statements: policies.get('OrdersRoleBBBB2222') ?? [],
    }),
    functionCaller({
      credentials: INVENTORY_CREDENTIALS,
      functionName: 'HybridShop-Inventory',
      roleName: 'HybridShop-InventoryRole',
      roleId: 'AROAINVENTORY',
      accountId: '000000000000',
      statements: policies.get('InventoryRoleDDDD4444') ?? [],
    }),
  ]);
  const events: { functionRef: string; event: APIGatewayProxyEvent; traceId?: string }[] = [];
  const reports: ApiRequestReport[] = [];
  const invoker: FunctionInvoker = {
    invoke: (functionRef, event, options) => {
      events.push({ functionRef, event: event as APIGatewayProxyEvent, traceId: options?.traceId });
      return (behaviours[functionRef] ?? ok({ statusCode: 200, body: '{"ok":true}' }))(event as APIGatewayProxyEvent);
    },
  };
  const gateway = (model: typeof publicModel) =>
    new RestApiGateway({ model, invoker, callers, region: 'us-east-1', accountId: '000000000000', onRequest: (r) => reports.push(r) });
  return { publicApi: gateway(publicModel), internalApi: gateway(internalModel), internalId: internalModel.id, events, reports };
}

function get(path: string, init: Partial<GatewayHttpRequest> = {}): GatewayHttpRequest {
  const [stage, ...rest] = path.replace(/^\//, '').split('?')[0].split('/');
  return {
    method: 'GET',
    stage,
    path: `/${rest.join('/')}`,
    rawQuery: path.split('?')[1] ?? '',
    wirePath: path.split('?')[0],
    headers: [['Host', '127.0.0.1:3000']],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    ...init,
  };
}

async function signedRequest(method: string, path: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, body = ''): Promise<GatewayHttpRequest> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({ method, protocol: 'http:', hostname: '127.0.0.1', port: 3001, path, headers: { host: '127.0.0.1:3001' }, body: body || undefined }),
  );
  return get(path, { method, headers: Object.entries(signed.headers).map(([k, v]) => [k, String(v)] as const), body: Buffer.from(body) });
}

const json = (response: { body: Buffer }) => JSON.parse(response.body.toString()) as Record<string, unknown>;
const header = (response: { headers: readonly (readonly [string, string])[] }, name: string) =>
  response.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

describe('RestApiGateway', () => {
  it('routes a request to its function with a proxy event and answers what the function returns', async () => {
    // Prepare
    const { publicApi, events, reports } = shop({
      CatalogGetProductFunctionBBBBBBBB: ok({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: '{"sku":"SKU-1"}' }),
    });

    // Act
    const response = await publicApi.handle(get('/prod/products/SKU-1?fields=price'));

    // Assess
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ sku: 'SKU-1' });
    expect(header(response, 'cache-control')).toBe('max-age=60');
    expect(header(response, 'x-amzn-RequestId')).toBe(events[0].event.requestContext.requestId);
    expect(events[0]).toMatchObject({
      functionRef: 'CatalogGetProductFunctionBBBBBBBB',
      event: { resource: '/products/{sku}', path: '/products/SKU-1', pathParameters: { sku: 'SKU-1' }, queryStringParameters: { fields: 'price' }, stageVariables: { flavour: 'local' } },
    });
    expect(reports[0]).toMatchObject({ method: 'GET', path: '/prod/products/SKU-1', status: 200, functionRef: 'CatalogGetProductFunctionBBBBBBBB' });
  });

  it("reports the trace its function's invocation carries, continuing the caller's", async () => {
    // Prepare
    const { publicApi, events, reports } = shop();
    const root = 'Root=1-5759e988-bd862e3fe1be46a994272793';

    // Act
    await publicApi.handle(get('/prod/products/SKU-1', { headers: [['Host', '127.0.0.1:3000'], ['X-Amzn-Trace-Id', `${root};Sampled=1`]] }));

    // Assess
    expect(events[0].traceId).toMatch(new RegExp(`^${root};Parent=[0-9a-f]{16};Sampled=1$`));
    expect(reports[0].traceId).toBe(events[0].traceId);
  });

  it("answers an unknown route with the API's MISSING_AUTHENTICATION_TOKEN response", async () => {
    // Act
    const response = await shop().publicApi.handle(get('/prod/nope'));

    // Assess
    expect(response.status).toBe(404);
    expect(header(response, 'content-type')).toBe('application/problem+json');
    expect(json(response)).toEqual({ title: 'Not Found', detail: 'No route matches GET /prod/nope', code: 'MISSING_AUTHENTICATION_TOKEN' });
  });

  it('answers an unknown route, method or stage with 403 Missing Authentication Token by default', async () => {
    // Prepare
    const { internalApi } = shop();

    // Act
    const responses = await Promise.all([internalApi.handle(get('/prod/nope')), internalApi.handle(get('/prod/reservations')), internalApi.handle(get('/dev/reservations'))]);

    // Assess
    for (const response of responses) {
      expect(response.status).toBe(403);
      expect(json(response)).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('answers 502 Internal server error when the function fails', async () => {
    // Prepare
    const { publicApi, reports } = shop({
      CatalogListProductsFunctionAAAAAAAA: async () => ({ ok: false, requestId: 'r', error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 5.00 seconds' }, durationMs: 5000 }),
    });

    // Act
    const response = await publicApi.handle(get('/prod/products'));

    // Assess
    expect(response.status).toBe(502);
    expect(json(response)).toEqual({ message: 'Internal server error' });
    expect(reports[0]).toMatchObject({ errorType: 'DEFAULT_5XX', functionError: 'Sandbox.Timedout' });
  });

  it('answers 502 when the function returns a malformed proxy response', async () => {
    const response = await shop({ CatalogListProductsFunctionAAAAAAAA: ok({ body: { not: 'a string' } }) }).publicApi.handle(get('/prod/products'));
    expect([response.status, json(response)]).toEqual([502, { message: 'Internal server error' }]);
  });

  it('answers 504 when the function outlasts the integration timeout', async () => {
    // Prepare: POST /orders has a 200 ms integration timeout in the template
    const { publicApi } = shop({ OrdersPlaceOrderFunctionCCCCCCCC: () => new Promise((resolve) => setTimeout(() => resolve({ ok: true, requestId: 'r', payload: '{}', durationMs: 1 }), 1000)) });

    // Act
    const response = await publicApi.handle(get('/prod/orders', { method: 'POST' }));

    // Assess
    expect(response.status).toBe(504);
    expect(json(response)).toEqual({ message: 'Endpoint request timed out' });
  });

  it('answers 500 when Lambda throttles the function, as API Gateway does for a proxy integration', async () => {
    // Prepare
    const { publicApi } = shop({
      CatalogListProductsFunctionAAAAAAAA: async () => {
        throw new TooManyRequestsError('catalog', 1);
      },
    });

    // Act
    const response = await publicApi.handle(get('/prod/products'));

    // Assess
    expect(response.status).toBe(500);
    expect(json(response)).toEqual({ message: 'Internal server error' });
  });

  it('answers 429 once the method bucket of the stage throttling is empty', async () => {
    // Prepare: POST /orders allows a burst of 1 and refills every 1000 s
    const { publicApi } = shop({ OrdersPlaceOrderFunctionCCCCCCCC: ok({ statusCode: 201, body: '{}' }) });

    // Act
    const first = await publicApi.handle(get('/prod/orders', { method: 'POST' }));
    const second = await publicApi.handle(get('/prod/orders', { method: 'POST' }));
    const otherRoute = await publicApi.handle(get('/prod/products'));

    // Assess
    expect([first.status, second.status, otherRoute.status]).toEqual([201, 429, 200]);
    expect(json(second)).toEqual({ message: 'Too Many Requests' });
  });

  it('reports the integration latency: from calling the function to its answer', async () => {
    // Prepare: on a fake clock, the function answers 50 ms after it is called
    const { publicApi, reports } = shop({
      CatalogListProductsFunctionAAAAAAAA: () => new Promise((resolve) => setTimeout(() => resolve({ ok: true, requestId: 'r', payload: '{"statusCode":200}', durationMs: 50 }), 50)),
    });
    jest.useFakeTimers();

    try {
      // Act
      const answer = publicApi.handle(get('/prod/products'));
      await jest.advanceTimersByTimeAsync(50);
      await answer;
    } finally {
      jest.useRealTimers();
    }

    // Assess
    expect(reports[0].integrationLatencyMs).toBe(50);
    expect(reports[0].durationMs).toBeGreaterThanOrEqual(50);
  });

  it('reports an integration latency for a throttled function, and none when the gateway answered by itself', async () => {
    // Prepare
    const { publicApi, reports } = shop({
      CatalogListProductsFunctionAAAAAAAA: async () => {
        throw new TooManyRequestsError('catalog', 1);
      },
    });

    // Act
    await publicApi.handle(get('/prod/products'));
    await publicApi.handle(get('/prod/nope'));

    // Assess
    expect(reports[0]).toMatchObject({ status: 500, errorType: 'INTEGRATION_FAILURE', integrationLatencyMs: expect.any(Number) });
    expect(reports[1].status).toBe(404);
    expect(reports[1].integrationLatencyMs).toBeUndefined();
  });

  it('answers a mock integration with its static response', async () => {
    const response = await shop().publicApi.handle(get('/prod/orders', { method: 'OPTIONS' }));
    expect([response.status, header(response, 'access-control-allow-origin')]).toEqual([204, '*']);
  });
});

describe('RestApiGateway IAM authorization', () => {
  it('refuses an unsigned request to an IAM route with 403 Missing Authentication Token', async () => {
    const response = await shop().internalApi.handle(get('/prod/reservations', { method: 'POST' }));
    expect([response.status, json(response)]).toEqual([403, { message: 'Missing Authentication Token' }]);
  });

  it("lets a function in when its role's policy allows the method ARN, and tells the handler who called", async () => {
    // Prepare
    const { internalApi, events } = shop({ InventoryCreateReservationFunctionDDDDDDDD: ok({ statusCode: 201, body: '{}' }) });

    // Act
    const response = await internalApi.handle(await signedRequest('POST', '/prod/reservations', ORDERS_CREDENTIALS, '{"orderId":"o-1"}'));

    // Assess
    expect(response.status).toBe(201);
    expect(events[0].event.requestContext.identity).toMatchObject({
      accessKey: ORDERS_CREDENTIALS.accessKeyId,
      caller: 'AROAORDERS:HybridShop-OrdersPlaceOrder',
      userArn: 'arn:aws:sts::000000000000:assumed-role/HybridShop-OrdersRole/HybridShop-OrdersPlaceOrder',
      accountId: '000000000000',
    });
  });

  it('denies a method the role was not granted with ACCESS_DENIED naming the caller and the resource', async () => {
    // Prepare
    const { internalApi, internalId } = shop();

    // Act
    const response = await internalApi.handle(await signedRequest('DELETE', '/prod/reservations/o-1', ORDERS_CREDENTIALS));

    // Assess
    expect(response.status).toBe(403);
    expect(json(response)).toEqual({
      message: `User: arn:aws:sts::000000000000:assumed-role/HybridShop-OrdersRole/HybridShop-OrdersPlaceOrder is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${internalId}/prod/DELETE/reservations/o-1`,
    });
  });

  it('denies a function whose role has no execute-api grant', async () => {
    const response = await shop().internalApi.handle(await signedRequest('POST', '/prod/reservations', INVENTORY_CREDENTIALS, '{}'));
    expect(response.status).toBe(403);
    expect(String(json(response).message)).toContain('assumed-role/HybridShop-InventoryRole/HybridShop-Inventory is not authorized');
  });

  it('lets the admin pair call every IAM route', async () => {
    const response = await shop().internalApi.handle(await signedRequest('DELETE', '/prod/reservations/o-1', { accessKeyId: 'test', secretAccessKey: 'test' }));
    expect(response.status).toBe(200);
  });

  it('refuses a signed request whose body was tampered with, with 403 INVALID_SIGNATURE', async () => {
    // Prepare
    const request = await signedRequest('POST', '/prod/reservations', ORDERS_CREDENTIALS, '{"orderId":"o-1"}');

    // Act
    const response = await shop().internalApi.handle({ ...request, body: Buffer.from('{"orderId":"o-2"}') });

    // Assess
    expect(response.status).toBe(403);
    expect(header(response, 'x-amzn-ErrorType')).toBe('InvalidSignatureException');
  });
});
