import { Duration, RemovalPolicy, Size, SizeRoundingBehavior, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALARM_EVALUATION, ALARM_PERIOD, type AlarmEvaluation, alarmEvaluationProblems, createPatternAlarm, describeEvaluation } from './alarm-defaults';
import { ApiGatewayCloudWatchRole } from './api-gateway-cloudwatch-role';
import { ApiWebAcl, type ApiWebAclOptions, apiWebAclProblems, WEB_ACL_NAME } from './api-web-acl';
import { sideBySide } from './health-dashboard';
import { PropsError } from './problems-error';
import type { ServiceFunction } from './service-function';

export interface SyncApiProps {
  /** Name of the REST API; also the `ApiName` dimension of its metrics. */
  readonly apiName: string;
  /**
   * Description shown in the API Gateway console.
   *
   * @default - the API has no description
   */
  readonly description?: string;
  /**
   * Name of the stage the API is deployed to; the first segment of every URL path.
   *
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Steady-state requests per second the stage accepts, across all routes, before answering 429.
   *
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the stage accepts at once above the steady rate (token-bucket size).
   *
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Largest request body a routed function accepts. API Gateway cannot enforce a limit below its own 10 MB, so this
   * becomes `HTTP_MAX_BODY_BYTES` on every routed function and the shared handler middleware answers 413 above it.
   * With `webAcl`, WAF answers 413 first, before any function is invoked (up to 64 KiB, what WAF can inspect).
   *
   * @default Size.kibibytes(16)
   */
  readonly maxRequestBodySize?: Size;
  /**
   * Put a WAF web ACL (ApiWebAcl) in front of the stage, named `apiName`: a per-IP rate limit, and bodies above
   * `maxRequestBodySize` blocked before a function runs. A web ACL costs about $5 a month plus $1 per rule and
   * $0.60 per million requests.
   *
   * @default - no web ACL: associate one yourself, or acknowledge cdk-nag's AwsSolutions-APIG3 on `stage` with the reason
   */
  readonly webAcl?: ApiWebAclOptions;
  /**
   * How long the access log group keeps events.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Set API Gateway's account-level CloudWatch Logs role, which access logging needs, through the stack's one
   * ApiGatewayCloudWatchRole (shared by every SyncApi in the stack, retained when the stack is deleted). Turn it off
   * when the account's role is managed elsewhere (an account baseline, another stack); a stage then fails to deploy
   * in an account and region where no role is set.
   *
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * The latency alarm fires when p99 `Latency` over 5 minutes reaches this.
   *
   * @default Duration.seconds(2)
   */
  readonly latencyP99Threshold?: Duration;
  /**
   * The integration latency alarm fires when p99 `IntegrationLatency` over 5 minutes reaches this.
   *
   * @default Duration.millis(1500)
   */
  readonly integrationLatencyP99Threshold?: Duration;
  /**
   * The server error alarm fires when 5XX responses reach this percentage of requests over 5 minutes.
   *
   * @default 1
   */
  readonly serverErrorRateThreshold?: number;
  /**
   * How many 5-minute periods at or above a latency threshold, out of how many, fire the latency and the integration
   * latency alarms.
   *
   * @default ALARM_EVALUATION.latency (3 of 5)
   */
  readonly latencyAlarmEvaluation?: AlarmEvaluation;
  /**
   * How many 5-minute periods at or above the 5XX rate threshold, out of how many, fire the server error alarm.
   *
   * @default ALARM_EVALUATION.errors (3 of 5)
   */
  readonly serverErrorRateAlarmEvaluation?: AlarmEvaluation;
  /**
   * Where the API's alarms go.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * The user pools whose users may call `USER_POOL` routes: one Cognito user-pool authorizer for the API checks the
   * ID token in the `Authorization` header (signature, issuer, audience, expiry, token use) before any function runs,
   * and passes its claims to the function (`requestContext.authorizer.claims`).
   *
   * @default - none: a `USER_POOL` route is refused
   */
  readonly userPools?: readonly cognito.IUserPool[];
}

/**
 * Who may call a route: anyone (`NONE`), only SigV4-signed callers whose IAM policy allows it (`IAM`), or only users
 * signed in to one of the API's `userPools` with a valid ID token (`USER_POOL`; a missing, expired or forged token
 * gets 401 before any function runs).
 */
export type RouteAuthorization = 'NONE' | 'IAM' | 'USER_POOL';

export interface RouteOptions {
  /**
   * How callers of the route are authorized.
   *
   * @default 'NONE'
   */
  readonly authorization?: RouteAuthorization;
}

/** The alarms every SyncApi owns. */
export interface SyncApiAlarms {
  /** p99 `Latency` (what clients wait) ≥ `latencyP99Threshold`, in `latencyAlarmEvaluation` of the periods. */
  readonly latencyP99: cloudwatch.Alarm;
  /** p99 `IntegrationLatency` (what the functions take) ≥ `integrationLatencyP99Threshold`, in `latencyAlarmEvaluation` of the periods. */
  readonly integrationLatencyP99: cloudwatch.Alarm;
  /** 100 × `5XXError` / `Count` ≥ `serverErrorRateThreshold` percent, in `serverErrorRateAlarmEvaluation` of the periods. */
  readonly serverErrorRate: cloudwatch.Alarm;
}

/** Thrown by `addRoute` and `grantInvoke` for a route they cannot create or find. */
export class SyncApiRouteError extends Error {
  public constructor(
    public readonly constructPath: string,
    public readonly route: string,
    public readonly problem: string,
  ) {
    super(`Invalid route '${route}' on SyncApi ${constructPath}: ${problem}`);
    this.name = 'SyncApiRouteError';
  }
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'ANY'] as const;
/** A path segment: a literal, `{name}` or a greedy `{name+}`. */
const PATH_SEGMENT = /^(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\+?\})$/;
const PATH_PARAMETER = /^\{([A-Za-z_][A-Za-z0-9_]*)\+?\}$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Lambda's synchronous invocation payload limit, which the proxy event (body plus envelope) must fit in. */
const MAX_BODY = Size.mebibytes(6);

/**
 * Seconds a client is told to wait (`Retry-After`) when the API sheds its request: the stage throttle (THROTTLED,
 * 429), or a function with no concurrency left (INTEGRATION_FAILURE, 503). A second is about how long an invocation
 * of the shop's functions holds its concurrency under load, so capacity has come free by then.
 */
export const SHED_RETRY_AFTER_SECONDS = 1;

/**
 * API Gateway's own errors (no route, throttled, timeouts, bad signatures…) as RFC 9457 problem documents, each
 * with the status code API Gateway gives that type by default, except MISSING_AUTHENTICATION_TOKEN (404) and
 * INTEGRATION_FAILURE (503). Gateway response templates get plain `$context` substitution, no VTL, so `status` is
 * written per type here; `$context.error.messageString` is already a quoted JSON string. Nothing can escape a value
 * there (no `$util.escapeJavaScript`), so a template writes into its JSON only values that need no escaping: that
 * quoted string, the response type and the method (an HTTP token, which holds no `"` or `\`), never the request path.
 *
 * Load is shed fast, never held (docs/decisions/0012-shed-sync-load-at-once.md): Lambda queues no synchronous
 * invocation, so a function out of concurrency (reserved or the account's) is throttled at once, and API Gateway
 * answers a throttled Lambda proxy integration with INTEGRATION_FAILURE. That becomes 503 Service Unavailable with
 * `Retry-After`, as the stage's own throttle (THROTTLED) becomes 429 with `Retry-After`: the client knows at once
 * that it may retry, and when.
 */
const GATEWAY_RESPONSES: readonly {
  readonly type: apigateway.ResponseType;
  readonly status: number;
  readonly title: string;
  /** Sent as `Retry-After`: the request was shed, and may be retried then. */
  readonly retryAfterSeconds?: number;
}[] = [
  { type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, status: 400, title: 'Bad Request' },
  { type: apigateway.ResponseType.BAD_REQUEST_BODY, status: 400, title: 'Bad Request' },
  { type: apigateway.ResponseType.UNAUTHORIZED, status: 401, title: 'Unauthorized' },
  { type: apigateway.ResponseType.ACCESS_DENIED, status: 403, title: 'Forbidden' },
  { type: apigateway.ResponseType.EXPIRED_TOKEN, status: 403, title: 'Forbidden' },
  { type: apigateway.ResponseType.INVALID_API_KEY, status: 403, title: 'Forbidden' },
  { type: apigateway.ResponseType.INVALID_SIGNATURE, status: 403, title: 'Forbidden' },
  { type: apigateway.ResponseType.WAF_FILTERED, status: 403, title: 'Forbidden' },
  { type: apigateway.ResponseType.RESOURCE_NOT_FOUND, status: 404, title: 'Not Found' },
  { type: apigateway.ResponseType.REQUEST_TOO_LARGE, status: 413, title: 'Content Too Large' },
  { type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, title: 'Unsupported Media Type' },
  { type: apigateway.ResponseType.THROTTLED, status: 429, title: 'Too Many Requests', retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
  { type: apigateway.ResponseType.QUOTA_EXCEEDED, status: 429, title: 'Too Many Requests' },
  { type: apigateway.ResponseType.API_CONFIGURATION_ERROR, status: 500, title: 'Internal Server Error' },
  { type: apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, status: 500, title: 'Internal Server Error' },
  { type: apigateway.ResponseType.AUTHORIZER_FAILURE, status: 500, title: 'Internal Server Error' },
  { type: apigateway.ResponseType.INTEGRATION_FAILURE, status: 503, title: 'Service Unavailable', retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
  { type: apigateway.ResponseType.INTEGRATION_TIMEOUT, status: 504, title: 'Gateway Timeout' },
];

const PROBLEM_JSON_HEADERS = { 'Content-Type': "'application/problem+json'" };

function problemTemplate(title: string, status: number | undefined, detail: string, errors?: string): Record<string, string> {
  // `status` is an optional member (RFC 9457 §3.1.2): the DEFAULT_* fallbacks cannot know their code, so they omit it.
  const statusMember = status === undefined ? '' : `"status":${status},`;
  const errorsMember = errors === undefined ? '' : `,"errors":${errors}`;
  return {
    'application/json': `{"type":"about:blank","title":"${title}",${statusMember}"detail":${detail},"code":"$context.error.responseType"${errorsMember}}`,
  };
}

/**
 * An API Gateway REST API whose routes are Lambda proxy integrations to ServiceFunctions, with the project's
 * defaults: regional endpoint, JSON access logs in their own log group (and the account-level CloudWatch Logs role
 * they need, once per stack), stage throttling, X-Ray tracing, every API Gateway error as `application/problem+json`,
 * a request-size limit enforced by the handlers, and alarms on p99 latency, p99 integration latency and the 5XX rate;
 * with `webAcl`, a WAF web ACL in front of the stage (a per-IP rate limit, and the size limit enforced before the handlers).
 */
export class SyncApi extends Construct {
  public readonly restApi: apigateway.RestApi;
  public readonly stage: apigateway.Stage;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly alarms: SyncApiAlarms;
  /** The stage's web ACL, when `webAcl` was given. */
  public readonly webAcl?: ApiWebAcl;
  /** The stage's base URL, e.g. `https://{id}.execute-api.{region}.amazonaws.com/prod/`. */
  public readonly url: string;

  private readonly stageName: string;
  private readonly maxBodyBytes: number;
  private readonly requestValidator: apigateway.RequestValidator;
  private readonly routes = new Set<string>();
  private readonly userPools: readonly cognito.IUserPool[];
  private authorizer?: apigateway.CognitoUserPoolsAuthorizer;

  public constructor(scope: Construct, id: string, props: SyncApiProps) {
    super(scope, id);
    this.stageName = props.stageName ?? 'prod';
    this.userPools = props.userPools ?? [];
    const rateLimit = props.throttlingRateLimit ?? 100;
    const burstLimit = props.throttlingBurstLimit ?? 200;
    const maxBody = props.maxRequestBodySize ?? Size.kibibytes(16);
    const latencyThreshold = props.latencyP99Threshold ?? Duration.seconds(2);
    const integrationLatencyThreshold = props.integrationLatencyP99Threshold ?? Duration.millis(1500);
    const errorRateThreshold = props.serverErrorRateThreshold ?? 1;
    const evaluations: AlarmEvaluations = {
      latency: props.latencyAlarmEvaluation ?? ALARM_EVALUATION.latency,
      serverErrorRate: props.serverErrorRateAlarmEvaluation ?? ALARM_EVALUATION.errors,
    };
    validate(this.node.path, props, {
      stageName: this.stageName,
      rateLimit,
      burstLimit,
      maxBody,
      latencyThreshold,
      integrationLatencyThreshold,
      errorRateThreshold,
      evaluations,
    });
    this.maxBodyBytes = maxBody.toBytes();

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: props.apiName,
      description: props.description,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Not RestApi's own role: it would create an account setting per API, and two APIs of a stack would fight
      // over it. The stack's one ApiGatewayCloudWatchRole is attached below instead.
      cloudWatchRole: false,
      disableExecuteApiEndpoint: false,
      deployOptions: {
        stageName: this.stageName,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: accessLogFormat(),
        // `loggingLevel` (execution logs) stays OFF: the access log already records every request's outcome, and
        // API Gateway would write execution logs to log groups it creates itself, outside the stack.
      },
    });
    this.stage = this.restApi.deploymentStage;
    if (props.cloudWatchRole ?? true) ApiGatewayCloudWatchRole.of(this).attach(this.restApi);
    this.url = this.restApi.url;

    // Enforces what each route declares: today its path parameters. No route declares a body model, so body
    // validation stays with the handlers' schemas (one schema per body, answering problem+json that names the
    // offending field); a model added to a route later is enforced without further change.
    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    this.addGatewayResponses();
    this.alarms = this.createAlarms(props.alarmAction, latencyThreshold, integrationLatencyThreshold, errorRateThreshold, evaluations);
    if (props.webAcl !== undefined) {
      this.webAcl = new ApiWebAcl(this, 'WebAcl', { ...props.webAcl, stage: this.stage, webAclName: props.apiName, maxRequestBodySize: maxBody });
    }

    // AwsSolutions-APIG3 (no WAF) is not acknowledged here: without `webAcl` whether a WAF is needed is the deployer's
    // call, and only the deployer knows the reason.
    Validations.of(this.stage).acknowledge(
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Execution logs stay off: the JSON access log records every request (status, latency, error type), and API Gateway ' +
          'would write execution logs to API-Gateway-Execution-Logs_* groups it creates outside the stack, kept forever and left by cdk destroy.',
      },
    );
  }

  /**
   * Routes `method path` (e.g. `GET /products/{sku}`) to `target` through a Lambda proxy integration, creating the
   * resources along the path, and tells `target` the body limit (`HTTP_MAX_BODY_BYTES`; a function routed by two
   * SyncApis keeps the limit of the last one).
   */
  public addRoute(method: string, path: string, target: ServiceFunction, options: RouteOptions = {}): apigateway.Method {
    const httpMethod = this.checkRoute(method, path);
    const route = `${httpMethod} ${path}`;
    if (this.routes.has(route)) {
      throw new SyncApiRouteError(this.node.path, route, 'it is already routed; each method and path takes one target.');
    }
    const authorization = options.authorization ?? 'NONE';
    if (authorization !== 'NONE' && authorization !== 'IAM' && authorization !== 'USER_POOL') {
      throw new SyncApiRouteError(this.node.path, route, `authorization is '${String(authorization)}': use 'NONE', 'IAM' or 'USER_POOL'.`);
    }
    if (authorization === 'USER_POOL' && this.userPools.length === 0) {
      throw new SyncApiRouteError(this.node.path, route, "authorization is 'USER_POOL' but the API has no userPools: give SyncApiProps.userPools.");
    }
    this.routes.add(route);

    const requestParameters: Record<string, boolean> = {};
    for (const segment of path.split('/')) {
      const name = PATH_PARAMETER.exec(segment)?.[1];
      if (name) requestParameters[`method.request.path.${name}`] = true;
    }
    const resource = path === '/' ? this.restApi.root : this.restApi.root.resourceForPath(path);
    const apiMethod = resource.addMethod(httpMethod, new apigateway.LambdaIntegration(target.function, { proxy: true }), {
      ...(authorization === 'USER_POOL'
        ? { authorizationType: apigateway.AuthorizationType.COGNITO, authorizer: this.userPoolAuthorizer() }
        : { authorizationType: authorization === 'IAM' ? apigateway.AuthorizationType.IAM : apigateway.AuthorizationType.NONE }),
      requestValidator: this.requestValidator,
      requestParameters,
    });
    target.function.addEnvironment('HTTP_MAX_BODY_BYTES', String(this.maxBodyBytes));

    if (authorization === 'NONE') {
      Validations.of(apiMethod).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: `${route} is a public route of the shop, open to anonymous clients by design.` },
        { id: 'AwsSolutions-COG4', reason: `${route} is a public route of the shop, open to anonymous clients by design.` },
      );
    } else if (authorization === 'IAM') {
      Validations.of(apiMethod).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: `${route} is called by our own services, authorized by IAM (SigV4) rather than a user pool.`,
      });
    }
    return apiMethod;
  }

  /**
   * Allows `grantee` to call the route `method path` (`execute-api:Invoke` on this stage only). Path parameters
   * become `*`, because IAM matches the concrete request path: `/reservations/{orderId}` grants
   * `/reservations/*`.
   */
  public grantInvoke(grantee: iam.IGrantable, method: string, path: string): iam.Grant {
    const httpMethod = this.checkRoute(method, path);
    const route = `${httpMethod} ${path}`;
    if (!this.routes.has(route)) {
      throw new SyncApiRouteError(this.node.path, route, 'no such route; call addRoute first, with the same method and path.');
    }
    const iamPath = path
      .split('/')
      .map((segment) => (PATH_PARAMETER.test(segment) ? '*' : segment))
      .join('/');
    const arn = this.restApi.arnForExecuteApi(httpMethod, iamPath, this.stageName);
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: [arn] });
    if (iamPath !== path && Construct.isConstruct(grantee.grantPrincipal)) {
      // cdk-nag names each wildcard finding by its flattened resource; this one is the path parameter's `*`.
      Validations.of(grantee.grantPrincipal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(this).resolve(arn))}]`,
        reason: `${route} takes a path parameter, and IAM matches the concrete request path, so the grant ends in '*'.`,
      });
    }
    return grant;
  }

  /** The API's latency (p99 latency and integration latency against their alarms) and traffic (requests, 4XX, 5XX) side by side. */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    const name = this.node.id;
    return sideBySide(
      {
        title: `${name}: p99 latency (ms)`,
        left: [
          this.stage.metricLatency({ statistic: 'p99', period: ALARM_PERIOD, label: 'latency' }),
          this.stage.metricIntegrationLatency({ statistic: 'p99', period: ALARM_PERIOD, label: 'integration latency' }),
        ],
        leftAnnotations: [this.alarms.latencyP99.toAnnotation(), this.alarms.integrationLatencyP99.toAnnotation()],
      },
      {
        title: `${name}: requests`,
        left: [
          this.stage.metricCount({ statistic: 'Sum', period: ALARM_PERIOD, label: 'requests' }),
          this.stage.metricClientError({ statistic: 'Sum', period: ALARM_PERIOD, label: '4XX' }),
          this.stage.metricServerError({ statistic: 'Sum', period: ALARM_PERIOD, label: '5XX' }),
        ],
      },
    );
  }

  /**
   * The API's one user-pool authorizer, created with its first `USER_POOL` route. It reads the ID token from the
   * `Authorization` header, and API Gateway caches each token's verdict for 5 minutes (its default), so a customer's
   * burst of calls pays for one verification.
   */
  private userPoolAuthorizer(): apigateway.CognitoUserPoolsAuthorizer {
    this.authorizer ??= new apigateway.CognitoUserPoolsAuthorizer(this, 'UserPoolAuthorizer', {
      cognitoUserPools: [...this.userPools],
      identitySource: apigateway.IdentitySource.header('Authorization'),
    });
    return this.authorizer;
  }

  /** Checks `method` and `path` and returns the method in upper case. */
  private checkRoute(method: string, path: string): string {
    const httpMethod = method.toUpperCase();
    const route = `${method} ${path}`;
    if (!(HTTP_METHODS as readonly string[]).includes(httpMethod)) {
      throw new SyncApiRouteError(this.node.path, route, `method '${method}' is not one of ${HTTP_METHODS.join(', ')}.`);
    }
    const segments = path.split('/').slice(1);
    const valid = path === '/' || (path.startsWith('/') && segments.every((segment) => PATH_SEGMENT.test(segment)));
    if (!valid) {
      throw new SyncApiRouteError(
        this.node.path,
        route,
        `path '${path}' must start with '/' and hold only literal segments, '{name}' or a greedy '{name+}', e.g. '/products/{sku}'.`,
      );
    }
    return httpMethod;
  }

  private addGatewayResponses(): void {
    const group = new Construct(this, 'GatewayResponses');
    const add = (type: apigateway.ResponseType, title: string, status: number | undefined, detail: string, errors?: string, retryAfterSeconds?: number): void => {
      new apigateway.GatewayResponse(group, type.responseType, {
        restApi: this.restApi,
        type,
        statusCode: status === undefined ? undefined : String(status),
        responseHeaders: {
          ...PROBLEM_JSON_HEADERS,
          // A 401 names the scheme the client should answer with (RFC 9110 §11.6.1): a token in Authorization.
          ...(type === apigateway.ResponseType.UNAUTHORIZED ? { 'WWW-Authenticate': "'Bearer'" } : {}),
          ...(retryAfterSeconds !== undefined ? { 'Retry-After': `'${retryAfterSeconds}'` } : {}),
        },
        templates: problemTemplate(title, status, detail, errors),
      });
    };
    for (const { type, status, title, retryAfterSeconds } of GATEWAY_RESPONSES) add(type, title, status, '$context.error.messageString', undefined, retryAfterSeconds);
    // API Gateway answers an unknown path or method with MISSING_AUTHENTICATION_TOKEN (403); clients should see
    // 404. The same response type is what an unsigned call to an IAM route gets, so that too becomes this 404.
    add(
      apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
      'Not Found',
      404,
      '"No route matches $context.httpMethod on this path (an IAM route also answers this to an unsigned request)."',
      // Like every other 4xx, it names what the client got wrong: the path, for the method. The path itself is left
      // out: a `"` or `\` in it would break the JSON, and the client knows which path it called.
      '[{"field":"path","message":"no route for $context.httpMethod on this path"}]',
    );
    // Fallbacks for any type not listed above. Their status code stays unset on purpose: setting it would
    // overwrite the status code of every 4XX (or 5XX) response type.
    add(apigateway.ResponseType.DEFAULT_4XX, 'Client Error', undefined, '$context.error.messageString');
    add(apigateway.ResponseType.DEFAULT_5XX, 'Server Error', undefined, '$context.error.messageString');
  }

  private createAlarms(
    alarmAction: cloudwatch.IAlarmAction | undefined,
    latencyThreshold: Duration,
    integrationLatencyThreshold: Duration,
    errorRateThreshold: number,
    evaluations: AlarmEvaluations,
  ): SyncApiAlarms {
    const group = new Construct(this, 'Alarms');
    const name = this.node.path;
    return {
      latencyP99: createPatternAlarm(group, 'LatencyP99', {
        metric: this.stage.metricLatency({ statistic: 'p99', period: ALARM_PERIOD }),
        threshold: latencyThreshold.toMilliseconds(),
        evaluation: evaluations.latency,
        description: `${name}: p99 latency reached ${latencyThreshold.toHumanString()} ${describeEvaluation(evaluations.latency)}.`,
        alarmAction,
      }),
      integrationLatencyP99: createPatternAlarm(group, 'IntegrationLatencyP99', {
        metric: this.stage.metricIntegrationLatency({ statistic: 'p99', period: ALARM_PERIOD }),
        threshold: integrationLatencyThreshold.toMilliseconds(),
        evaluation: evaluations.latency,
        description:
          `${name}: p99 integration latency reached ${integrationLatencyThreshold.toHumanString()} ` +
          `${describeEvaluation(evaluations.latency)}.`,
        alarmAction,
      }),
      serverErrorRate: createPatternAlarm(group, 'ServerErrorRate', {
        metric: new cloudwatch.MathExpression({
          expression: '100 * errors / requests',
          usingMetrics: {
            errors: this.stage.metricServerError({ statistic: 'Sum', period: ALARM_PERIOD }),
            requests: this.stage.metricCount({ statistic: 'Sum', period: ALARM_PERIOD }),
          },
          period: ALARM_PERIOD,
          label: '5XX responses (% of requests)',
        }),
        threshold: errorRateThreshold,
        evaluation: evaluations.serverErrorRate,
        description: `${name}: 5XX responses reached ${errorRateThreshold}% of requests ${describeEvaluation(evaluations.serverErrorRate)}.`,
        alarmAction,
      }),
    };
  }
}

/** One JSON object per request; every value is a string so a missing one (`-`) keeps the line valid JSON. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const field = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: field.contextRequestId(),
      requestTime: field.contextRequestTime(),
      ip: field.contextIdentitySourceIp(),
      caller: field.contextIdentityUserArn(),
      method: field.contextHttpMethod(),
      path: field.contextPath(),
      resourcePath: field.contextResourcePath(),
      protocol: field.contextProtocol(),
      status: field.contextStatus(),
      responseLength: field.contextResponseLength(),
      latency: field.contextResponseLatency(),
      integrationLatency: field.contextIntegrationLatency(),
      errorType: field.contextErrorResponseType(),
      xrayTraceId: field.contextXrayTraceId(),
    }),
  );
}

/** A resolved CloudFormation value as cdk-nag prints it in finding IDs: `Ref` → `<Id>`, `GetAtt` → `<Id.Attr>`. */
function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [id, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(id)}.${flattenReference(attribute)}>`;
    }
    if ('Ref' in node) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

interface AlarmEvaluations {
  readonly latency: AlarmEvaluation;
  readonly serverErrorRate: AlarmEvaluation;
}

interface ResolvedProps {
  readonly stageName: string;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly maxBody: Size;
  readonly latencyThreshold: Duration;
  readonly integrationLatencyThreshold: Duration;
  readonly errorRateThreshold: number;
  readonly evaluations: AlarmEvaluations;
}

function validate(constructPath: string, props: SyncApiProps, resolved: ResolvedProps): void {
  const problems: string[] = [];
  const { stageName, rateLimit, burstLimit, maxBody, latencyThreshold, integrationLatencyThreshold, errorRateThreshold } =
    resolved;
  if (props.apiName.trim() === '') {
    problems.push(`apiName is empty: name the API, e.g. 'PublicApi'.`);
  }
  if (!STAGE_NAME.test(stageName)) {
    problems.push(`stageName is '${stageName}': use 1 to 128 letters, digits, '-' or '_', e.g. 'prod'.`);
  }
  if (!(Number.isFinite(rateLimit) && rateLimit > 0)) {
    problems.push(`throttlingRateLimit is ${rateLimit}: use a number of requests per second above 0, e.g. 100.`);
  }
  if (!(Number.isInteger(burstLimit) && burstLimit > 0)) {
    problems.push(`throttlingBurstLimit is ${burstLimit}: use a whole number of requests above 0, e.g. 200.`);
  }
  if (!maxBody.isUnresolved()) {
    const bytes = maxBody.toBytes({ rounding: SizeRoundingBehavior.NONE });
    if (!(bytes >= 1 && bytes <= MAX_BODY.toBytes())) {
      problems.push(
        `maxRequestBodySize is ${bytes} bytes: use 1 byte to 6 MiB (Lambda's synchronous payload limit), e.g. Size.kibibytes(16).`,
      );
    }
  }
  const latencyMs = latencyThreshold.isUnresolved() ? undefined : latencyThreshold.toMilliseconds();
  const integrationMs = integrationLatencyThreshold.isUnresolved() ? undefined : integrationLatencyThreshold.toMilliseconds();
  if (latencyMs !== undefined && latencyMs <= 0) {
    problems.push(`latencyP99Threshold is ${latencyMs} ms: use a duration above 0, e.g. Duration.seconds(2).`);
  }
  if (integrationMs !== undefined && integrationMs <= 0) {
    problems.push(`integrationLatencyP99Threshold is ${integrationMs} ms: use a duration above 0, e.g. Duration.millis(1500).`);
  }
  if (latencyMs !== undefined && integrationMs !== undefined && latencyMs > 0 && integrationMs > latencyMs) {
    problems.push(
      `integrationLatencyP99Threshold (${integrationMs} ms) is above latencyP99Threshold (${latencyMs} ms): Latency includes ` +
        'IntegrationLatency, so lower the integration threshold or raise the latency one.',
    );
  }
  if (!(Number.isFinite(errorRateThreshold) && errorRateThreshold > 0 && errorRateThreshold <= 100)) {
    problems.push(`serverErrorRateThreshold is ${errorRateThreshold}: use a percentage in (0, 100], e.g. 1.`);
  }
  problems.push(
    ...alarmEvaluationProblems('latencyAlarmEvaluation', resolved.evaluations.latency),
    ...alarmEvaluationProblems('serverErrorRateAlarmEvaluation', resolved.evaluations.serverErrorRate),
  );
  if (props.webAcl !== undefined) {
    if (!WEB_ACL_NAME.test(props.apiName)) {
      problems.push(`apiName is '${props.apiName}' with a webAcl, which is named after it: use 1 to 128 letters, digits, '-' or '_'.`);
    }
    // A body limit out of its own range is reported above; the web ACL adds only its 64 KiB ceiling.
    const bytes = maxBody.isUnresolved() ? undefined : maxBody.toBytes({ rounding: SizeRoundingBehavior.NONE });
    const bodyInRange = bytes === undefined || (bytes >= 1 && bytes <= MAX_BODY.toBytes());
    problems.push(...apiWebAclProblems({ ...props.webAcl, ...(bodyInRange ? { maxRequestBodySize: maxBody } : {}) }, 'webAcl.'));
  }
  if (problems.length > 0) throw new PropsError('SyncApi', constructPath, problems);
}
