import { GatewayHttpRequest } from '../../../../local/apigateway/gateway-http';
import { buildProxyEvent, formatRequestTime, ProxyEventInput } from '../../../../local/apigateway/proxy-event';
import { ApiResource } from '../../../../local/apigateway/rest-api-model';

const productResource: ApiResource = { id: 'abc123', pathPart: '{sku}', path: '/products/{sku}', children: [], methods: new Map() };

function request(overrides: Partial<GatewayHttpRequest> = {}): GatewayHttpRequest {
  return {
    method: 'GET',
    stage: 'prod',
    path: '/products/SKU-1',
    rawQuery: '',
    wirePath: '/prod/products/SKU-1',
    headers: [
      ['Host', '127.0.0.1:3000'],
      ['User-Agent', 'curl/8.5.0'],
      ['Accept', '*/*'],
    ],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

function input(overrides: Partial<ProxyEventInput> = {}): ProxyEventInput {
  return {
    request: request(),
    match: { resource: productResource, method: { httpMethod: 'GET', authorizationType: 'NONE', integration: { type: 'UNSUPPORTED', description: '' } }, pathParameters: { sku: 'SKU-1' } },
    apiId: 'a1b2c3d4e5',
    accountId: '000000000000',
    stageVariables: {},
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'abcdefghijklmno=',
    requestTimeEpoch: Date.UTC(2026, 2, 4, 19, 15, 17),
    binaryMediaTypes: [],
    traceHeader: 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
    ...overrides,
  };
}

describe('buildProxyEvent', () => {
  it('shapes a GET without query or body as API Gateway does, with nulls where AWS sends null', () => {
    // Act
    const event = buildProxyEvent(input());

    // Assess
    expect(event).toEqual({
      resource: '/products/{sku}',
      path: '/products/SKU-1',
      httpMethod: 'GET',
      headers: {
        Host: '127.0.0.1:3000',
        'User-Agent': 'curl/8.5.0',
        Accept: '*/*',
        'X-Amzn-Trace-Id': 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
        'X-Forwarded-For': '127.0.0.1',
        'X-Forwarded-Port': '3000',
        'X-Forwarded-Proto': 'http',
      },
      multiValueHeaders: {
        Host: ['127.0.0.1:3000'],
        'User-Agent': ['curl/8.5.0'],
        Accept: ['*/*'],
        'X-Amzn-Trace-Id': ['Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0'],
        'X-Forwarded-For': ['127.0.0.1'],
        'X-Forwarded-Port': ['3000'],
        'X-Forwarded-Proto': ['http'],
      },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { sku: 'SKU-1' },
      stageVariables: null,
      requestContext: {
        resourceId: 'abc123',
        resourcePath: '/products/{sku}',
        httpMethod: 'GET',
        extendedRequestId: 'abcdefghijklmno=',
        requestTime: '04/Mar/2026:19:15:17 +0000',
        path: '/prod/products/SKU-1',
        accountId: '000000000000',
        protocol: 'HTTP/1.1',
        stage: 'prod',
        domainPrefix: '127',
        requestTimeEpoch: Date.UTC(2026, 2, 4, 19, 15, 17),
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        identity: {
          cognitoIdentityPoolId: null,
          accountId: null,
          cognitoIdentityId: null,
          caller: null,
          sourceIp: '127.0.0.1',
          principalOrgId: null,
          accessKey: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          userArn: null,
          userAgent: 'curl/8.5.0',
          user: null,
          apiKey: null,
          apiKeyId: null,
          clientCert: null,
        },
        domainName: '127.0.0.1:3000',
        apiId: 'a1b2c3d4e5',
        authorizer: undefined,
      },
      body: null,
      isBase64Encoded: false,
    });
  });

  it('keeps the last value of a repeated header or query parameter in the single-value views and all of them in the multi-value ones', () => {
    // Act
    const event = buildProxyEvent(
      input({ request: request({ rawQuery: 'tag=a&tag=b&limit=3', headers: [['Host', 'h'], ['X-Tag', 'one'], ['X-Tag', 'two']] }) }),
    );

    // Assess
    expect(event.queryStringParameters).toEqual({ tag: 'b', limit: '3' });
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], limit: ['3'] });
    expect(event.headers['X-Tag']).toBe('two');
    expect(event.multiValueHeaders['X-Tag']).toEqual(['one', 'two']);
  });

  it('passes a text body as a string and a binary media type base64-encoded', () => {
    // Prepare
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

    // Act
    const text = buildProxyEvent(input({ request: request({ method: 'POST', body: Buffer.from('{"a":1}'), headers: [['Content-Type', 'application/json']] }) }));
    const binary = buildProxyEvent(
      input({ binaryMediaTypes: ['image/*'], request: request({ method: 'POST', body: png, headers: [['Content-Type', 'image/png']] }) }),
    );

    // Assess
    expect([text.body, text.isBase64Encoded]).toEqual(['{"a":1}', false]);
    expect([binary.body, binary.isBase64Encoded]).toEqual([png.toString('base64'), true]);
  });

  it('fills the identity of an IAM-authorized caller and the stage variables', () => {
    // Act
    const event = buildProxyEvent(
      input({
        stageVariables: { flavour: 'local' },
        identity: {
          accessKey: 'LOCALABC',
          accountId: '000000000000',
          caller: 'AROAEXAMPLE:orders-fn',
          user: 'AROAEXAMPLE:orders-fn',
          userArn: 'arn:aws:sts::000000000000:assumed-role/OrdersRole/orders-fn',
        },
      }),
    );

    // Assess
    expect(event.stageVariables).toEqual({ flavour: 'local' });
    expect(event.requestContext.identity).toMatchObject({
      accessKey: 'LOCALABC',
      accountId: '000000000000',
      caller: 'AROAEXAMPLE:orders-fn',
      user: 'AROAEXAMPLE:orders-fn',
      userArn: 'arn:aws:sts::000000000000:assumed-role/OrdersRole/orders-fn',
    });
  });

  it('appends the client to an incoming X-Forwarded-For', () => {
    const event = buildProxyEvent(input({ request: request({ headers: [['X-Forwarded-For', '203.0.113.7']], sourceIp: '10.0.0.1' }) }));
    expect(event.headers['X-Forwarded-For']).toBe('203.0.113.7, 10.0.0.1');
  });
});

describe('formatRequestTime', () => {
  it('renders the CLF-style time API Gateway uses', () => {
    expect(formatRequestTime(Date.UTC(2020, 2, 4, 9, 5, 7))).toBe('04/Mar/2020:09:05:07 +0000');
  });
});
