import type { APIGatewayProxyEvent } from 'aws-lambda';
import { GatewayHttpRequest } from './gateway-http';
import { RouteMatch } from './route-matcher';

/** The identity an IAM-authorized request carries into `requestContext.identity`. */
export interface CallerIdentity {
  readonly accessKey: string;
  readonly accountId: string;
  readonly caller: string;
  readonly user: string;
  readonly userArn: string;
}

export interface ProxyEventInput {
  readonly request: GatewayHttpRequest;
  readonly match: RouteMatch;
  readonly apiId: string;
  readonly accountId: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly requestTimeEpoch: number;
  /** The API's `BinaryMediaTypes`: a request of one of these types reaches the function base64-encoded. */
  readonly binaryMediaTypes: readonly string[];
  /** Set for IAM-authorized methods. */
  readonly identity?: CallerIdentity;
  /** Set for COGNITO_USER_POOLS methods: the token's claims, as strings (`requestContext.authorizer.claims`). */
  readonly claims?: Readonly<Record<string, string>>;
  /** The X-Ray trace header API Gateway adds as `X-Amzn-Trace-Id`. */
  readonly traceHeader: string;
}

/**
 * The Lambda proxy integration event (payload format 1.0) as API Gateway REST APIs shape it: headers with their
 * original case plus the X-Forwarded-* and X-Amzn-Trace-Id headers API Gateway adds, single- and multi-value
 * views of headers and query string, `null` where AWS sends null (no query, no path parameters, no stage
 * variables, no body), and the body base64-encoded only for binary media types.
 */
export function buildProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const { request, match } = input;
  const hostHeader = lastHeader(request.headers, 'host') ?? 'localhost';
  const port = /:(\d+)$/.exec(hostHeader)?.[1] ?? '80';
  const forwardedFor = lastHeader(request.headers, 'x-forwarded-for');
  const headerPairs: [string, string][] = request.headers
    .filter(([name]) => !['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id'].includes(name.toLowerCase()))
    .map(([name, value]) => [name, value]);
  headerPairs.push(
    ['X-Amzn-Trace-Id', input.traceHeader],
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp],
    ['X-Forwarded-Port', port],
    ['X-Forwarded-Proto', 'http'],
  );
  const { single: headers, multi: multiValueHeaders } = byName(headerPairs);
  const { single: queryStringParameters, multi: multiValueQueryStringParameters } = byName(new URLSearchParams(request.rawQuery));
  const hasQuery = Object.keys(queryStringParameters).length > 0;

  const contentType = lastHeader(request.headers, 'content-type') ?? '';
  const binary = request.body.length > 0 && isBinary(contentType, input.binaryMediaTypes);
  const stagePath = request.path === '' ? '/' : request.path;
  const identity = input.identity;
  const userAgent = lastHeader(request.headers, 'user-agent') ?? null;

  return {
    resource: match.resource.path,
    path: stagePath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: Object.keys(match.pathParameters).length > 0 ? { ...match.pathParameters } : null,
    stageVariables: Object.keys(input.stageVariables).length > 0 ? { ...input.stageVariables } : null,
    requestContext: {
      resourceId: match.resource.id,
      resourcePath: match.resource.path,
      httpMethod: request.method,
      extendedRequestId: input.extendedRequestId,
      requestTime: formatRequestTime(input.requestTimeEpoch),
      path: `/${request.stage}${stagePath === '/' ? '/' : stagePath}`,
      accountId: input.accountId,
      protocol: request.protocol,
      stage: request.stage,
      domainPrefix: hostHeader.split('.')[0].split(':')[0],
      requestTimeEpoch: input.requestTimeEpoch,
      requestId: input.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: identity?.accountId ?? null,
        cognitoIdentityId: null,
        caller: identity?.caller ?? null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: identity?.accessKey ?? null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: identity?.userArn ?? null,
        userAgent,
        user: identity?.user ?? null,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      },
      domainName: hostHeader,
      apiId: input.apiId,
      authorizer: input.claims ? { claims: input.claims } : undefined,
    },
    body: request.body.length === 0 ? null : binary ? request.body.toString('base64') : request.body.toString('utf8'),
    isBase64Encoded: binary,
  };
}

/** Whether a content type is one of the API's binary media types (`*` wildcards allowed, e.g. `image/*`). */
export function isBinary(contentType: string, binaryMediaTypes: readonly string[]): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return binaryMediaTypes.some((pattern) => {
    const [pt, ps] = pattern.toLowerCase().split('/');
    const [t, s] = type.split('/');
    return (pt === '*' || pt === t) && (ps === '*' || ps === s);
  });
}

/** `04/Mar/2020:19:15:17 +0000`, the format of `requestContext.requestTime`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Single- (last value) and multi-value views of name/value pairs, every name an own property (`__proto__` too). */
function byName(pairs: Iterable<readonly [string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } {
  const multi = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = multi.get(name);
    if (values) values.push(value);
    else multi.set(name, [value]);
  }
  return { single: Object.fromEntries([...multi].map(([name, values]) => [name, values[values.length - 1] ?? ''])), multi: Object.fromEntries(multi) };
}

function lastHeader(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  let found: string | undefined;
  for (const [key, value] of headers) if (key.toLowerCase() === name) found = value;
  return found;
}
