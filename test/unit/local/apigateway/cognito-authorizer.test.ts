import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerDirectory } from '../../../../local/iam/api-callers';
import type { GatewayHttpRequest } from '../../../../local/apigateway/gateway-http';
import { API_REQUEST_CHANNEL, RestApiGateway, type ApiRequestReport } from '../../../../local/apigateway/rest-api-gateway';
import { readRestApis } from '../../../../local/apigateway/rest-api-model';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { LocalUserPool } from '../../../../local/cognito/user-pool';
import { LOCAL_CONTEXT } from '../assembly/local-context';

const PASSWORD = 'Correct-horse-1';

/**
 * An API with GET /orders behind a COGNITO_USER_POOLS authorizer on the pool `Customers`, GET /scoped needing a scope,
 * and GET /products open to all.
 */
function template(): CfnTemplate {
  const method = (resource: string, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: { Ref: 'Api' },
      ResourceId: { Ref: resource },
      HttpMethod: 'GET',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: 'Authorizer' },
      Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Join': ['', ['arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']] } },
      ...extra,
    },
  });
  return {
    Resources: {
      Customers: { Type: 'AWS::Cognito::UserPool', Properties: {} },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'shop' } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
      Authorizer: {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: { RestApiId: { Ref: 'Api' }, Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization', ProviderARNs: [{ 'Fn::GetAtt': ['Customers', 'Arn'] }] },
      },
      Orders: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'orders' } },
      Scoped: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'scoped' } },
      Products: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'products' } },
      OrdersGet: method('Orders'),
      ScopedGet: method('Scoped', { AuthorizationScopes: ['shop/admin'] }),
      ProductsGet: method('Products', { AuthorizationType: 'NONE', AuthorizerId: undefined }),
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::000000000000:role/r' } },
    },
  };
}

function setUp() {
  const cfn = template();
  const physical = assignPhysicalIds(cfn, LOCAL_CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  const [model] = readRestApis(cfn, new IntrinsicResolver(cfn, LOCAL_CONTEXT, physical), physical);
  const pool = new LocalUserPool({ id: 'us-east-1_Customers', issuer: 'http://127.0.0.1:4566/us-east-1_Customers', clients: [{ id: 'web', name: 'web', explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }] });
  const events: APIGatewayProxyEvent[] = [];
  const reports: ApiRequestReport[] = [];
  const gateway = new RestApiGateway({
    model,
    invoker: { invoke: async (_ref, event) => (events.push(event as APIGatewayProxyEvent), { ok: true, requestId: 'r', payload: '{"statusCode":200,"body":"{}"}', durationMs: 1 }) },
    callers: callerDirectory([]),
    region: 'us-east-1',
    accountId: '000000000000',
    userPools: (ref) => (ref === 'Customers' ? { issuer: pool.config.issuer, keys: pool.signer.jwks().keys, clientIds: ['web'] } : undefined),
    onRequest: (report) => reports.push(report),
  });
  pool.adminCreateUser('ada');
  pool.adminSetUserPassword('ada', PASSWORD, true);
  const signIn = () => {
    const result = pool.initiateAuth('web', 'USER_PASSWORD_AUTH', { USERNAME: 'ada', PASSWORD });
    if (!('AuthenticationResult' in result)) throw new Error('expected tokens');
    return result.AuthenticationResult;
  };
  return { gateway, events, reports, signIn, sub: pool.adminGetUser('ada').UserAttributes.find((a) => a.Name === 'sub')?.Value };
}

const request = (path: string, headers: [string, string][] = []): GatewayHttpRequest => ({
  method: 'GET',
  stage: 'prod',
  path,
  rawQuery: '',
  wirePath: `/prod${path}`,
  headers: [['Host', '127.0.0.1:3000'], ...headers],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
});

describe('a COGNITO_USER_POOLS method', () => {
  it("passes a request with the pool's ID token, and gives the function its claims", async () => {
    // Prepare
    const { gateway, events, signIn, sub } = setUp();

    // Act
    const response = await gateway.handle(request('/orders', [['Authorization', signIn().IdToken]]));

    // Assess
    expect(response.status).toBe(200);
    expect(events[0].requestContext.authorizer).toEqual({ claims: expect.objectContaining({ sub, 'cognito:username': 'ada', token_use: 'id', aud: 'web' }) });
  });

  it('answers 401 Unauthorized, without calling the function, to no token, a bad one and an access token, and logs why', async () => {
    const { gateway, events, reports, signIn } = setUp();

    for (const headers of [[], [['Authorization', 'Bearer nonsense']], [['Authorization', signIn().AccessToken]]] as [string, string][][]) {
      const response = await gateway.handle(request('/orders', headers));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body.toString())).toEqual({ message: 'Unauthorized' });
    }
    expect(events).toHaveLength(0);
    expect(reports.map((r) => r.authorizerError)).toEqual(['no token in the Authorization header', 'the token is not a JSON Web Token', expect.stringMatching(/takes an ID token/)]);
  });

  it('with authorization scopes, wants an access token holding one', async () => {
    const { gateway, signIn } = setUp();

    const withId = await gateway.handle(request('/scoped', [['Authorization', signIn().IdToken]]));
    const withAccess = await gateway.handle(request('/scoped', [['Authorization', signIn().AccessToken]]));

    expect(withId.status).toBe(401);
    // The pool's access tokens carry only aws.cognito.signin.user.admin, not shop/admin.
    expect(withAccess.status).toBe(401);
  });
});

describe("the request report's authorizer time", () => {
  it('is reported for a COGNITO_USER_POOLS method, whether the token passes or not', async () => {
    // Prepare
    const { gateway, reports, signIn } = setUp();

    // Act
    await gateway.handle(request('/orders', [['Authorization', signIn().IdToken]]));
    await gateway.handle(request('/orders', [['Authorization', 'Bearer nonsense']]));

    // Assess
    expect(reports.map((r) => r.status)).toEqual([200, 401]);
    for (const report of reports) {
      expect(report.authorizerMs).toEqual(expect.any(Number));
      expect(report.authorizerMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('is absent for a method without authorization', async () => {
    const { gateway, reports } = setUp();

    await gateway.handle(request('/products'));

    expect(reports).toHaveLength(1);
    expect(reports[0]).not.toHaveProperty('authorizerMs');
  });
});

describe('the API request diagnostics channel', () => {
  it('carries the same report as onRequest to an in-process subscriber', async () => {
    // Prepare
    const { gateway, reports, signIn } = setUp();
    const published: unknown[] = [];
    const listener = (message: unknown) => published.push(message);
    subscribe(API_REQUEST_CHANNEL, listener);

    // Act
    try {
      await gateway.handle(request('/orders', [['Authorization', signIn().IdToken]]));
    } finally {
      unsubscribe(API_REQUEST_CHANNEL, listener);
    }

    // Assess
    expect(published).toEqual(reports);
    expect(published[0]).toHaveProperty('authorizerMs');
  });
});
