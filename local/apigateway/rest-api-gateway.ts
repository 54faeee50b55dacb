import { randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { InvocationResult, InvokeOptions, newTraceId } from '../lambda/function-pool';
import { TooManyRequestsError, UnknownFunctionError } from '../lambda/lambda-errors';
import { randomBase64Url, randomHex } from '../lambda/random-ids';
import { CallerDirectory } from '../iam/api-callers';
import { GatewayHttpRequest, GatewayHttpResponse, headerValue } from './gateway-http';
import { GatewayErrorType, renderGatewayError, ResponseContext } from './gateway-responses';
import { evaluatePolicy } from '../iam/iam-policy';
import { buildProxyEvent, CallerIdentity, formatRequestTime } from './proxy-event';
import { MalformedProxyResponseError, mapProxyResponse } from './proxy-response';
import { ApiMethod, ApiStage, RestApiModel, ThrottleLimit } from './rest-api-model';
import { matchRoute, RouteMatch } from './route-matcher';
import { verifySigV4 } from '../iam/sigv4-verifier';
import { authorizerClaims, verifyCognitoToken, type TrustedPool } from '../cognito/token-verifier';
import { TokenBucket } from './token-bucket';

/** API Gateway's payload limit. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * The diagnostics channel every request's report is published on too, for in-process tools (the bench) that need
 * more of it than the runtime's log line carries. Nothing is published while no one subscribes.
 */
export const API_REQUEST_CHANNEL = 'hybrid-shop:local:apigateway:request';
const requestChannel = channel(API_REQUEST_CHANNEL);

/** What the gateway needs from Lambda. */
export interface FunctionInvoker {
  invoke(functionRef: string, event: unknown, options?: InvokeOptions): Promise<InvocationResult>;
}

/** One line per request for the log. */
export interface ApiRequestReport {
  readonly apiLogicalId: string;
  readonly apiName: string;
  readonly method: string;
  /** The full path, stage included: `/prod/orders`. */
  readonly path: string;
  readonly status: number;
  /** From the request's arrival to the response (CloudWatch's `Latency`). */
  readonly durationMs: number;
  /**
   * From calling the integration to its answer (CloudWatch's `IntegrationLatency`); absent when no integration was
   * called (the gateway answered itself: routing, throttling, auth).
   */
  readonly integrationLatencyMs?: number;
  readonly requestId: string;
  /**
   * The X-Ray trace header the request was traced with (continued from the caller's, or new), which its function's
   * invocation carries too. The gateway sets it on every request; a report made up elsewhere (a log line's) may
   * have none.
   */
  readonly traceId?: string;
  /** The function the route integrates, when one was reached. */
  readonly functionRef?: string;
  /** The gateway response type, for errors API Gateway answered itself. */
  readonly errorType?: GatewayErrorType;
  /** Why the function failed, when it did. */
  readonly functionError?: string;
  /** Why a COGNITO_USER_POOLS authorizer refused the request's token (the client is told only "Unauthorized"). */
  readonly authorizerError?: string;
  /**
   * How long a COGNITO_USER_POOLS authorizer took on this request (verifying the token, shaping its claims), whether
   * it let the request through or not: the authorizer's cost per request, measured rather than estimated. Not
   * rounded, as it is well under a millisecond; absent for other authorization types.
   */
  readonly authorizerMs?: number;
}

export interface RestApiGatewayOptions {
  readonly model: RestApiModel;
  readonly invoker: FunctionInvoker;
  /** Who may sign requests to IAM-authorized methods. */
  readonly callers: CallerDirectory;
  /**
   * The user pool a COGNITO_USER_POOLS authorizer names (a template logical id, or an ARN), as its tokens are
   * verified; undefined for a pool the runtime does not serve.
   *
   * @default - no user pools: COGNITO_USER_POOLS methods answer 500, as a misconfigured authorizer would
   */
  readonly userPools?: (ref: string) => TrustedPool | undefined;
  readonly region: string;
  readonly accountId: string;
  /**
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Receives a report after every request.
   *
   * @default - no reports
   */
  readonly onRequest?: (report: ApiRequestReport) => void;
  /**
   * The gateway's clock for timestamps and signature expiry (epoch ms).
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

interface RequestState {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly requestTimeEpoch: number;
  readonly traceHeader: string;
  readonly started: number;
  stage?: ApiStage;
  match?: RouteMatch;
  functionRef?: string;
  functionError?: string;
  authorizerError?: string;
  authorizerMs?: number;
  integrationLatencyMs?: number;
}

/**
 * One REST API served locally: stage → route → throttling → IAM (SigV4 + the caller's policies) or a Cognito user
 * pool's token → integration,
 * with API Gateway's own errors rendered through the API's gateway responses.
 */
export class RestApiGateway {
  /** Per stage, one bucket per method. */
  private readonly buckets = new Map<ApiStage, Map<ApiMethod, TokenBucket>>();
  private readonly now: () => number;

  public constructor(private readonly options: RestApiGatewayOptions) {
    this.now = options.now ?? Date.now;
  }

  public get model(): RestApiModel {
    return this.options.model;
  }

  public async handle(request: GatewayHttpRequest): Promise<GatewayHttpResponse> {
    const incomingTrace = headerValue(request.headers, 'x-amzn-trace-id');
    const state: RequestState = {
      requestId: randomUUID(),
      extendedRequestId: `${randomBase64Url(12).replace(/[-_]/g, 'x').slice(0, 15)}=`,
      requestTimeEpoch: this.now(),
      traceHeader: continueTrace(incomingTrace),
      started: performance.now(),
    };
    const response = await this.route(request, state);
    const headers = [
      ...response.headers,
      ['x-amzn-RequestId', state.requestId] as const,
      ['x-amz-apigw-id', state.extendedRequestId] as const,
      ['X-Amzn-Trace-Id', state.traceHeader] as const,
    ];
    const errorType = response.errorType;
    const report: ApiRequestReport = {
      apiLogicalId: this.model.logicalId,
      apiName: this.model.name,
      method: request.method,
      path: `/${request.stage}${request.path === '' ? '/' : request.path}`,
      status: response.status,
      durationMs: Math.round(performance.now() - state.started),
      ...(state.integrationLatencyMs !== undefined ? { integrationLatencyMs: state.integrationLatencyMs } : {}),
      requestId: state.requestId,
      traceId: state.traceHeader,
      ...(state.functionRef ? { functionRef: state.functionRef } : {}),
      ...(errorType ? { errorType } : {}),
      ...(state.functionError ? { functionError: state.functionError } : {}),
      ...(state.authorizerError ? { authorizerError: state.authorizerError } : {}),
      ...(state.authorizerMs !== undefined ? { authorizerMs: state.authorizerMs } : {}),
    };
    this.options.onRequest?.(report);
    if (requestChannel.hasSubscribers) requestChannel.publish(report);
    return { status: response.status, headers, body: response.body };
  }

  private async route(request: GatewayHttpRequest, state: RequestState): Promise<GatewayHttpResponse & { errorType?: GatewayErrorType }> {
    const stage = this.model.stages.get(request.stage);
    state.stage = stage;
    if (!stage) return this.error(request, state, 'MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    if (request.body.length > MAX_PAYLOAD_BYTES) return this.error(request, state, 'REQUEST_TOO_LARGE', 'Request Too Long');

    const match = matchRoute(this.model.root, request.method, request.path);
    state.match = match;
    if (!match) return this.error(request, state, 'MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');

    if (!this.bucketFor(stage, match).tryTake()) return this.error(request, state, 'THROTTLED', 'Too Many Requests');

    let identity: CallerIdentity | undefined;
    let claims: Record<string, string> | undefined;
    const authorization = match.method.authorizationType;
    if (authorization === 'AWS_IAM') {
      const verdict = await verifySigV4(request, this.options.callers, { region: this.options.region, now: () => new Date(this.now()) });
      if (!verdict.ok) return this.error(request, state, verdict.type, verdict.message);
      const resource = this.executeApiArn(request);
      const decision = verdict.caller.statements === 'all' ? 'Allow' : evaluatePolicy(verdict.caller.statements, 'execute-api:Invoke', resource);
      if (decision !== 'Allow') {
        const explicit = decision === 'ExplicitDeny' ? ' with an explicit deny' : '';
        return this.error(request, state, 'ACCESS_DENIED', `User: ${verdict.caller.arn} is not authorized to perform: execute-api:Invoke on resource: ${resource}${explicit}`);
      }
      identity = {
        accessKey: verdict.caller.credentials.accessKeyId,
        accountId: verdict.caller.accountId,
        caller: verdict.caller.callerId,
        user: verdict.caller.user,
        userArn: verdict.caller.arn,
      };
    } else if (authorization === 'COGNITO_USER_POOLS' && match.method.cognito) {
      const { userPoolRefs, identityHeader, scopes } = match.method.cognito;
      const pools = userPoolRefs.map((ref) => this.options.userPools?.(ref)).filter((pool): pool is TrustedPool => pool !== undefined);
      if (pools.length === 0) return this.error(request, state, 'API_CONFIGURATION_ERROR', `No user pool of ${userPoolRefs.join(', ')} is served by the local runtime`);
      const authorizerStarted = performance.now();
      const verdict = verifyCognitoToken(headerValue(request.headers, identityHeader), pools, { scopes, now: () => this.now() });
      // API Gateway says only "Unauthorized"; the reason goes to the runtime's log line, as CloudWatch would hold it.
      if (!verdict.ok) {
        state.authorizerMs = performance.now() - authorizerStarted;
        state.authorizerError = verdict.reason;
        return this.error(request, state, 'UNAUTHORIZED', 'Unauthorized');
      }
      claims = authorizerClaims(verdict.claims);
      state.authorizerMs = performance.now() - authorizerStarted;
    } else if (authorization !== 'NONE') {
      return this.error(request, state, 'API_CONFIGURATION_ERROR', `Authorization type ${authorization} is not supported by the local runtime`);
    }

    const integration = match.method.integration;
    if (integration.type === 'MOCK') {
      state.integrationLatencyMs = 0;
      return { status: integration.statusCode, headers: Object.entries(integration.headers), body: Buffer.from(integration.body) };
    }
    if (integration.type === 'UNSUPPORTED') {
      return this.error(request, state, 'API_CONFIGURATION_ERROR', `${integration.description} is not supported by the local runtime`);
    }

    state.functionRef = integration.functionRef;
    const event = buildProxyEvent({
      request,
      match,
      apiId: this.model.id,
      accountId: this.options.accountId,
      stageVariables: stage.variables,
      requestId: state.requestId,
      extendedRequestId: state.extendedRequestId,
      requestTimeEpoch: state.requestTimeEpoch,
      binaryMediaTypes: this.model.binaryMediaTypes,
      traceHeader: state.traceHeader,
      ...(identity ? { identity } : {}),
      ...(claims ? { claims } : {}),
    });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), integration.timeoutMs);
    });
    const integrationStarted = performance.now();
    try {
      // The function keeps running after an integration timeout, as in AWS; only the client stops waiting.
      const invocation = this.options.invoker.invoke(integration.functionRef, event, { traceId: state.traceHeader });
      invocation.catch(() => undefined);
      const result = await Promise.race([invocation, timedOut]).finally(() => {
        state.integrationLatencyMs = Math.round(performance.now() - integrationStarted);
      });
      if (result === 'timeout') return this.error(request, state, 'INTEGRATION_TIMEOUT', 'Endpoint request timed out');
      if (!result.ok) {
        state.functionError = result.error.errorType;
        return this.error(request, state, 'DEFAULT_5XX', 'Internal server error');
      }
      return mapProxyResponse(result.payload);
    } catch (error) {
      if (error instanceof MalformedProxyResponseError) {
        state.functionError = error.message;
        return this.error(request, state, 'DEFAULT_5XX', 'Internal server error');
      }
      if (error instanceof TooManyRequestsError) {
        state.functionError = error.errorType;
        return this.error(request, state, 'INTEGRATION_FAILURE', 'Internal server error');
      }
      if (error instanceof UnknownFunctionError) {
        state.functionError = error.message;
        return this.error(request, state, 'API_CONFIGURATION_ERROR', 'Internal server error');
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`: what IAM policies are checked against. */
  private executeApiArn(request: GatewayHttpRequest): string {
    const path = request.path.replace(/^\//, '');
    return `arn:${this.options.partition ?? 'aws'}:execute-api:${this.options.region}:${this.options.accountId}:${this.model.id}/${request.stage}/${request.method.toUpperCase()}/${path}`;
  }

  /** One bucket per method: the method's own MethodSettings, else the stage's. */
  private bucketFor(stage: ApiStage, match: RouteMatch): TokenBucket {
    let byMethod = this.buckets.get(stage);
    if (!byMethod) this.buckets.set(stage, (byMethod = new Map()));
    let bucket = byMethod.get(match.method);
    if (!bucket) {
      const method = match.method.httpMethod;
      const limit: ThrottleLimit =
        stage.methodThrottles.get(`${match.resource.path} ${method}`) ?? stage.methodThrottles.get(`${match.resource.path} *`) ?? stage.defaultThrottle;
      bucket = new TokenBucket(limit);
      byMethod.set(match.method, bucket);
    }
    return bucket;
  }

  private error(request: GatewayHttpRequest, state: RequestState, type: GatewayErrorType, message: string): GatewayHttpResponse & { errorType: GatewayErrorType } {
    const query = new URLSearchParams(request.rawQuery);
    const ctx: ResponseContext = {
      context: {
        accountId: this.options.accountId,
        apiId: this.model.id,
        domainName: headerValue(request.headers, 'host') ?? '',
        extendedRequestId: state.extendedRequestId,
        httpMethod: request.method,
        path: `/${request.stage}${request.path === '' ? '/' : request.path}`,
        protocol: request.protocol,
        requestId: state.requestId,
        requestTime: formatRequestTime(state.requestTimeEpoch),
        requestTimeEpoch: String(state.requestTimeEpoch),
        resourceId: state.match?.resource.id ?? '',
        resourcePath: state.match?.resource.path ?? '',
        stage: request.stage,
        'identity.sourceIp': request.sourceIp,
        'identity.userAgent': headerValue(request.headers, 'user-agent') ?? '',
        'xrayTraceId': state.traceHeader.split(';')[0].replace(/^Root=/, ''),
      },
      stageVariables: state.stage?.variables ?? {},
      requestHeader: (name) => headerValue(request.headers, name),
      queryParameters: Object.fromEntries(query),
      pathParameters: state.match?.pathParameters ?? {},
    };
    return { ...renderGatewayError(type, message, this.model.gatewayResponses, ctx), errorType: type };
  }
}

/** API Gateway continues the caller's trace (same Root and sampling decision) or starts a new one. */
function continueTrace(incoming: string | undefined): string {
  const root = incoming ? /Root=([^;]+)/.exec(incoming)?.[1] : undefined;
  if (!root) return newTraceId(false);
  const sampled = /Sampled=([01?])/.exec(incoming ?? '')?.[1] ?? '0';
  return `Root=${root};Parent=${randomHex(8)};Sampled=${sampled}`;
}
