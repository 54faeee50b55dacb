import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type CallerClaims, customerClaims } from './caller-claims';

/**
 * A REST API (v1) proxy event for `GET /`, as API Gateway sends it for the signed-in test customer
 * (`TEST_CUSTOMER_ID`, see `withClaims`); override what the test is about.
 */
export function apiGatewayEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: { claims: customerClaims() },
      protocol: 'HTTP/1.1',
      httpMethod: overrides.httpMethod ?? 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'unit-test',
        userArn: null,
      },
      path: `/prod${overrides.path ?? '/'}`,
      stage: 'prod',
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'res123',
      resourcePath: overrides.resource ?? '/',
    },
    ...overrides,
  };
}

/**
 * `event` as the user-pool authorizer passes it for a caller with `claims`; `null`: with no verified caller at all,
 * as a route deployed without the authorizer would pass it.
 */
export function withClaims(event: APIGatewayProxyEvent, claims: CallerClaims | null): APIGatewayProxyEvent {
  return { ...event, requestContext: { ...event.requestContext, authorizer: claims === null ? null : { claims: { ...claims } } } };
}

/** A request with a JSON body (serialized unless given as a string) and `content-type: application/json`. */
export function jsonRequestEvent(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  return apiGatewayEvent({
    httpMethod: method,
    path,
    resource: path,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A Lambda context with `remainingMs` left to run. */
export function lambdaContext(remainingMs = 5_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'unit-test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unit-test-function',
    memoryLimitInMB: '256',
    awsRequestId: 'd00dfeed-0000-4000-8000-000000000002',
    logGroupName: '/aws/lambda/unit-test-function',
    logStreamName: '2024/01/01/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An RFC 9457 problem document as the handlers answer it. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string; available?: number }[];
}

/** The response body parsed as JSON. */
export function bodyOf<T = Record<string, unknown>>(result: APIGatewayProxyResult): T {
  return JSON.parse(result.body) as T;
}

/** The response as a problem document, after checking it is one. */
export function problemOf(result: APIGatewayProxyResult): ProblemBody {
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  return bodyOf<ProblemBody>(result);
}

/** The fields a problem names, in order. */
export function fieldsOf(result: APIGatewayProxyResult): string[] {
  return (problemOf(result).errors ?? []).map((error) => error.field);
}
