import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PropsError } from '../../../lib/patterns/problems-error';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { SHED_RETRY_AFTER_SECONDS, SyncApi, SyncApiRouteError, type RouteAuthorization, type SyncApiProps } from '../../../lib/patterns/sync-api';
import { HELLO, TempApps, unbundledStacks } from '../support/apps';
import { itRejectsInvalidAlarmEvaluations, nagFindings, propsProblemsThrown } from '../support/checks';
import { ALARM_DEFAULTS, expectNoAlarmActions, expectRolePolicy, FIVE_MINUTE_PERIODS, getAttArn, logicalId, propertiesOf, renderedSideBySide, resourceOf, THREE_OF_FIVE } from '../support/template';

const apps = new TempApps('sync-api');

describe('SyncApi', () => {
  const { stack, topic, alarmAction } = apps.createStack('SyncApiTest');
  // Prepare: one stack with both patterns, synthesized once.
  const catalogFn = new ServiceFunction(stack, 'Catalog', { entry: HELLO, serviceName: 'catalog' });
  const inventoryFn = new ServiceFunction(stack, 'Inventory', { entry: HELLO, serviceName: 'inventory' });
  const customFn = new ServiceFunction(stack, 'Custom', { entry: HELLO, serviceName: 'custom' });
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

  const api = new SyncApi(stack, 'Api', { apiName: 'shop-public' });
  api.addRoute('GET', '/products', catalogFn);
  const getProduct = api.addRoute('GET', '/products/{sku}', catalogFn);
  api.addRoute('POST', '/reservations', inventoryFn, { authorization: 'IAM' });
  const deleteReservation = api.addRoute('delete', '/reservations/{orderId}', inventoryFn, { authorization: 'IAM' });
  api.grantInvoke(caller, 'POST', '/reservations');
  api.grantInvoke(caller, 'DELETE', '/reservations/{orderId}');

  const custom = new SyncApi(stack, 'CustomApi', {
    apiName: 'shop-custom',
    description: 'An API with every prop set',
    stageName: 'v1',
    throttlingRateLimit: 10,
    throttlingBurstLimit: 20,
    maxRequestBodySize: Size.mebibytes(1),
    accessLogRetention: logs.RetentionDays.ONE_WEEK,
    latencyP99Threshold: Duration.seconds(5),
    integrationLatencyP99Threshold: Duration.seconds(4),
    serverErrorRateThreshold: 5,
    latencyAlarmEvaluation: { datapointsToAlarm: 2, evaluationPeriods: 2 },
    serverErrorRateAlarmEvaluation: { datapointsToAlarm: 1, evaluationPeriods: 1 },
    alarmAction,
  });
  custom.addRoute('POST', '/things', customFn);

  const guarded = new SyncApi(stack, 'GuardedApi', { apiName: 'shop-guarded', maxRequestBodySize: Size.kibibytes(4), webAcl: { rateLimitPerIp: 500 } });
  guarded.addRoute('POST', '/things', new ServiceFunction(stack, 'Guarded', { entry: HELLO, serviceName: 'guarded' }));

  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('by default', () => {
    it('creates a regional REST API named apiName with its execute-api endpoint on', () => {
      expect(propertiesOf(template, api.restApi)).toEqual({
        Name: 'shop-public',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        DisableExecuteApiEndpoint: false,
      });
    });

    it("sets API Gateway's account-level CloudWatch Logs role once for the stack, shared by both APIs", () => {
      // Act
      const accounts = template.findResources('AWS::ApiGateway::Account');
      const roles = template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
      });

      // Assess
      expect(Object.keys(accounts)).toHaveLength(1);
      expect(Object.keys(roles)).toHaveLength(1);
      const [roleId] = Object.keys(roles);
      expect(Object.values(accounts)[0].Properties).toEqual({ CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
      expect(roles[roleId].Properties.ManagedPolicyArns).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] },
      ]);
    });

    it('keeps the role and the account setting when the stack is deleted, since other APIs of the account may log through them', () => {
      for (const type of ['AWS::ApiGateway::Account', 'AWS::IAM::Role']) {
        const [resource] = Object.values(
          template.findResources(type, type === 'AWS::IAM::Role' ? { Properties: { Description: Match.stringLikeRegexp('account-level') } } : {}),
        );
        expect([type, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([type, 'Retain', 'Retain']);
      }
    });

    it('creates every stage after the account setting, and the setting after the REST APIs', () => {
      // Prepare
      const [accountId] = Object.keys(template.findResources('AWS::ApiGateway::Account'));

      // Assess: access logging fails on a stage created before the account has a role
      for (const syncApi of [api, custom]) expect(resourceOf(template, syncApi.stage).DependsOn).toContain(accountId);
      expect(template.toJSON().Resources[accountId].DependsOn).toEqual(expect.arrayContaining([logicalId(api.restApi), logicalId(custom.restApi)]));
    });

    it('deploys the prod stage with tracing, metrics and 100 rps / 200 burst throttling', () => {
      expect(propertiesOf(template, api.stage)).toMatchObject({
        StageName: 'prod',
        RestApiId: { Ref: logicalId(api.restApi) },
        TracingEnabled: true,
        MethodSettings: [
          {
            HttpMethod: '*',
            ResourcePath: '/*',
            MetricsEnabled: true,
            DataTraceEnabled: false,
            ThrottlingRateLimit: 100,
            ThrottlingBurstLimit: 200,
          },
        ],
      });
    });

    it('leaves execution logging off', () => {
      expect(propertiesOf(template, api.stage).MethodSettings[0].LoggingLevel).toBeUndefined();
    });

    it('writes one JSON access log line per request to its own log group', () => {
      // Act
      const { DestinationArn, Format } = propertiesOf(template, api.stage).AccessLogSetting;

      // Assess
      expect(DestinationArn).toEqual(getAttArn(api.accessLogGroup));
      expect(JSON.parse(Format)).toMatchObject({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        latency: '$context.responseLatency',
        integrationLatency: '$context.integrationLatency',
      });
    });

    it('keeps access logs 30 days and deletes them with the stack', () => {
      expect(resourceOf(template, api.accessLogGroup)).toEqual({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        UpdateReplacePolicy: 'Delete',
        DeletionPolicy: 'Delete',
      });
    });

    it('exposes the stage URL', () => {
      expect(stack.resolve(api.url)).toEqual({
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: logicalId(api.restApi) },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
            { Ref: logicalId(api.stage) },
            '/',
          ],
        ],
      });
    });
  });

  describe('gateway responses', () => {
    const gatewayResponse = (type: string) => {
      const found = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).filter(
        (resource) =>
          resource.Properties.ResponseType === type && resource.Properties.RestApiId.Ref === logicalId(api.restApi),
      );
      expect(found).toHaveLength(1);
      return found[0].Properties;
    };
    /** What API Gateway would send: its plain `$context` substitution applied to the template. */
    const render = (type: string, context: Record<string, string>): unknown => {
      let body: string = gatewayResponse(type).ResponseTemplates['application/json'];
      for (const [name, value] of Object.entries(context)) body = body.split(name).join(value);
      return JSON.parse(body);
    };
    const context = {
      '$context.error.messageString': JSON.stringify('Too "many" requests'),
      '$context.error.responseType': 'THE_TYPE',
      '$context.httpMethod': 'PATCH',
      '$context.path': '/prod/nowhere',
    };

    it.each([
      ['BAD_REQUEST_PARAMETERS', 400, 'Bad Request'],
      ['BAD_REQUEST_BODY', 400, 'Bad Request'],
      ['UNAUTHORIZED', 401, 'Unauthorized'],
      ['ACCESS_DENIED', 403, 'Forbidden'],
      ['EXPIRED_TOKEN', 403, 'Forbidden'],
      ['INVALID_API_KEY', 403, 'Forbidden'],
      ['INVALID_SIGNATURE', 403, 'Forbidden'],
      ['WAF_FILTERED', 403, 'Forbidden'],
      ['RESOURCE_NOT_FOUND', 404, 'Not Found'],
      ['REQUEST_TOO_LARGE', 413, 'Content Too Large'],
      ['UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported Media Type'],
      ['THROTTLED', 429, 'Too Many Requests'],
      ['QUOTA_EXCEEDED', 429, 'Too Many Requests'],
      ['API_CONFIGURATION_ERROR', 500, 'Internal Server Error'],
      ['AUTHORIZER_CONFIGURATION_ERROR', 500, 'Internal Server Error'],
      ['AUTHORIZER_FAILURE', 500, 'Internal Server Error'],
      ['INTEGRATION_FAILURE', 503, 'Service Unavailable'],
      ['INTEGRATION_TIMEOUT', 504, 'Gateway Timeout'],
    ])('answers %s with %d and an application/problem+json body', (type, status, title) => {
      expect(gatewayResponse(type)).toMatchObject({
        StatusCode: String(status),
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
      });
      expect(render(type, context)).toEqual({
        type: 'about:blank',
        title,
        status,
        detail: 'Too "many" requests',
        code: 'THE_TYPE',
      });
    });

    it.each([
      ['THROTTLED', 429],
      ['INTEGRATION_FAILURE', 503],
    ])('sheds load fast: answers %s with %d and Retry-After, so the client retries later instead of waiting', (type, status) => {
      expect(gatewayResponse(type)).toMatchObject({
        StatusCode: String(status),
        ResponseParameters: { 'gatewayresponse.header.Retry-After': `'${SHED_RETRY_AFTER_SECONDS}'` },
      });
    });

    it('sends Retry-After only where the request was shed, not on a timeout or a quota', () => {
      const withRetryAfter = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'))
        .filter((resource) => resource.Properties.RestApiId.Ref === logicalId(api.restApi))
        .filter((resource) => 'gatewayresponse.header.Retry-After' in resource.Properties.ResponseParameters)
        .map((resource) => resource.Properties.ResponseType as string);
      expect(withRetryAfter.sort()).toEqual(['INTEGRATION_FAILURE', 'THROTTLED']);
    });

    it('names the scheme to answer a 401 with (WWW-Authenticate), and only on UNAUTHORIZED', () => {
      expect(gatewayResponse('UNAUTHORIZED').ResponseParameters).toEqual({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.WWW-Authenticate': "'Bearer'",
      });
      expect(gatewayResponse('ACCESS_DENIED').ResponseParameters).not.toHaveProperty(['gatewayresponse.header.WWW-Authenticate']);
    });

    it('answers an unknown route with 404 naming the method and the path as the field', () => {
      expect(gatewayResponse('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({
        StatusCode: '404',
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
      });
      expect(render('MISSING_AUTHENTICATION_TOKEN', context)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No route matches PATCH on this path (an IAM route also answers this to an unsigned request).',
        code: 'THE_TYPE',
        errors: [{ field: 'path', message: 'no route for PATCH on this path' }],
      });
    });

    it('keeps every body valid JSON whatever the request path holds, since a gateway response cannot escape a value', () => {
      // Prepare: a path with a double quote and a backslash, as a client may send it raw
      const hostile = { ...context, '$context.path': '/prod/orders/a"b\\c', '$context.resourcePath': '/orders/"{id}\\' };
      const types = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'))
        .filter((resource) => resource.Properties.RestApiId.Ref === logicalId(api.restApi))
        .map((resource) => resource.Properties.ResponseType as string);

      // Assess
      expect(types.length).toBeGreaterThanOrEqual(21);
      for (const type of types) expect(() => render(type, hostile)).not.toThrow();
    });

    it('writes into its bodies only the $context values that need no escaping in JSON', () => {
      // A quoted JSON string, an enum of response types, and the method: an HTTP token, which holds no `"` or `\`.
      const safe = ['$context.error.messageString', '$context.error.responseType', '$context.httpMethod'];
      const used = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'))
        .filter((resource) => resource.Properties.RestApiId.Ref === logicalId(api.restApi))
        .flatMap((resource) => Object.values(resource.Properties.ResponseTemplates as Record<string, string>))
        .flatMap((body) => body.match(/\$!?\{?context(?:\.[A-Za-z0-9_]+)+/g) ?? []);

      expect(used.length).toBeGreaterThan(0);
      expect([...new Set(used)].filter((reference) => !safe.includes(reference))).toEqual([]);
    });

    it.each([
      ['DEFAULT_4XX', 'Client Error'],
      ['DEFAULT_5XX', 'Server Error'],
    ])('falls back to %s as problem+json, leaving each type its own status code', (type, title) => {
      expect(gatewayResponse(type)).toMatchObject({
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
      });
      expect(gatewayResponse(type).StatusCode).toBeUndefined();
      expect(render(type, context)).toEqual({ type: 'about:blank', title, detail: 'Too "many" requests', code: 'THE_TYPE' });
    });

    it('customizes every response type API Gateway has', () => {
      // Prepare
      const allTypes = Object.values(apigateway.ResponseType)
        .filter((value): value is apigateway.ResponseType => value instanceof apigateway.ResponseType)
        .map((value) => value.responseType);

      // Assess
      expect(allTypes.length).toBeGreaterThanOrEqual(21);
      for (const type of allTypes) gatewayResponse(type);
    });
  });

  describe('routes', () => {
    const methodOf = (method: apigateway.Method) => propertiesOf(template, method);

    it('creates the resources along the path', () => {
      // Act
      const products = resourceOf(template, getProduct.resource.parentResource!);
      const sku = resourceOf(template, getProduct.resource);

      // Assess
      expect(products.Properties).toMatchObject({
        PathPart: 'products',
        ParentId: { 'Fn::GetAtt': [logicalId(api.restApi), 'RootResourceId'] },
      });
      expect(sku.Properties).toMatchObject({ PathPart: '{sku}', ParentId: { Ref: logicalId(getProduct.resource.parentResource!) } });
    });

    it('integrates each route with its function through a Lambda proxy', () => {
      expect(methodOf(getProduct)).toMatchObject({
        HttpMethod: 'GET',
        ResourceId: { Ref: logicalId(getProduct.resource) },
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':apigateway:',
                { Ref: 'AWS::Region' },
                ':lambda:path/2015-03-31/functions/',
                getAttArn(catalogFn),
                '/invocations',
              ],
            ],
          },
        },
      });
    });

    it('leaves public routes open to anyone', () => {
      expect(methodOf(getProduct).AuthorizationType).toBe('NONE');
    });

    it('requires IAM authorization on internal routes', () => {
      expect(methodOf(deleteReservation)).toMatchObject({ HttpMethod: 'DELETE', AuthorizationType: 'AWS_IAM' });
    });

    it('declares path parameters as required and validates requests against them', () => {
      // Act
      const validatorId = methodOf(deleteReservation).RequestValidatorId.Ref;

      // Assess
      expect(methodOf(deleteReservation).RequestParameters).toEqual({ 'method.request.path.orderId': true });
      expect(template.toJSON().Resources[validatorId].Properties).toEqual({
        RestApiId: { Ref: logicalId(api.restApi) },
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
    });

    it('tells every routed function the default 16 KiB body limit', () => {
      for (const fn of [catalogFn, inventoryFn]) {
        expect(propertiesOf(template, fn).Environment.Variables.HTTP_MAX_BODY_BYTES).toBe('16384');
      }
    });

    it('tells routed functions a custom body limit', () => {
      expect(propertiesOf(template, customFn).Environment.Variables.HTTP_MAX_BODY_BYTES).toBe('1048576');
    });

    describe('rejects', () => {
      const freshApi = (): { api: SyncApi; fn: ServiceFunction } => {
        const scope = new Stack(apps.create(), 'Routes');
        return {
          api: new SyncApi(scope, 'Api', { apiName: 'routes' }),
          fn: new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'routes' }),
        };
      };
      let fresh: { api: SyncApi; fn: ServiceFunction };
      beforeAll(() => {
        fresh = freshApi();
        fresh.api.addRoute('GET', '/orders/{id}', fresh.fn);
      });

      it('a method API Gateway does not know', () => {
        expect(() => fresh.api.addRoute('FETCH', '/orders', fresh.fn)).toThrow(
          new SyncApiRouteError('Routes/Api', 'FETCH /orders', "method 'FETCH' is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, ANY."),
        );
      });

      it.each(['orders', '/orders/', '/orders//items', '/orders/{id', '/orders/{}', '/orders/a b'])('the malformed path %p', (badPath) => {
        expect(() => fresh.api.addRoute('GET', badPath, fresh.fn)).toThrow(SyncApiRouteError);
        expect(() => fresh.api.addRoute('GET', badPath, fresh.fn)).toThrow(/must start with '\/' and hold only literal segments/);
      });

      it('an authorization other than NONE, IAM or USER_POOL', () => {
        expect(() =>
          fresh.api.addRoute('POST', '/orders', fresh.fn, { authorization: 'COGNITO' as RouteAuthorization }),
        ).toThrow(/authorization is 'COGNITO': use 'NONE', 'IAM' or 'USER_POOL'\./);
      });

      it('a USER_POOL route on an API without userPools', () => {
        expect(() => fresh.api.addRoute('POST', '/orders', fresh.fn, { authorization: 'USER_POOL' })).toThrow(
          new SyncApiRouteError('Routes/Api', 'POST /orders', "authorization is 'USER_POOL' but the API has no userPools: give SyncApiProps.userPools."),
        );
      });

      it('a second target for a route', () => {
        expect(() => fresh.api.addRoute('get', '/orders/{id}', fresh.fn)).toThrow(/GET \/orders\/\{id\}.*already routed/);
      });

      it('a grant on a route that was never added', () => {
        expect(() => fresh.api.grantInvoke(caller, 'DELETE', '/orders/{id}')).toThrow(/no such route; call addRoute first/);
      });
    });
  });

  describe('webAcl', () => {
    const webAclsOf = () => Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter(([, r]) => r.Type === 'AWS::WAFv2::WebACL');

    it('puts no web ACL in front of a stage unless asked', () => {
      expect(api.webAcl).toBeUndefined();
      expect(custom.webAcl).toBeUndefined();
      expect(webAclsOf()).toHaveLength(1);
    });

    it("associates a web ACL named apiName with the stage, blocking bodies over the API's own limit and the given rate per IP", () => {
      // Act
      const [[webAclId, webAcl]] = webAclsOf();
      const rules = webAcl.Properties.Rules as { Name: string; Statement: Record<string, Record<string, unknown>> }[];

      // Assess
      expect(guarded.webAcl?.webAclName).toBe('shop-guarded');
      expect(webAcl.Properties.Name).toBe('shop-guarded');
      expect(rules.map((rule) => [rule.Name, rule.Statement.RateBasedStatement?.Limit ?? rule.Statement.SizeConstraintStatement?.Size])).toEqual([
        ['RateLimitPerIp', 500],
        ['BodySizeLimit', 4096],
      ]);
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: { 'Fn::GetAtt': [webAclId, 'Arn'] },
        ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(guarded.restApi) }, '/stages/', { Ref: logicalId(guarded.stage) }])] },
      });
    });
  });

  describe('grantInvoke', () => {
    const invokeArn = (stage: string, suffix: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':execute-api:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':',
          { Ref: logicalId(api.restApi) },
          `/${stage}/${suffix}`,
        ],
      ],
    });

    it('allows execute-api:Invoke on exactly the route in the stage, path parameters as wildcards', () => {
      expectRolePolicy(template, caller, [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: invokeArn('prod', 'POST/reservations') },
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: invokeArn('prod', 'DELETE/reservations/*') },
      ]);
    });
  });

  describe('alarms', () => {
    const apiDimensions = (syncApi: SyncApi, apiName: string) => [
      { Name: 'ApiName', Value: apiName },
      { Name: 'Stage', Value: { Ref: logicalId(syncApi.stage) } },
    ];
    const alarmDefaults = { ...THREE_OF_FIVE, ...ALARM_DEFAULTS };

    it('watches the stage by a Ref, which CloudFormation resolves to the stage name', () => {
      expect(propertiesOf(template, api.stage).StageName).toBe('prod');
    });

    it.each([
      ['p99 latency over 5 minutes reaches 2 seconds in 3 of the last 5 periods, not in one slow period', 'latencyP99', 'Latency', 2000],
      ['p99 integration latency over 5 minutes reaches 1.5 seconds in 3 of the last 5 periods', 'integrationLatencyP99', 'IntegrationLatency', 1500],
    ] as const)('fires when %s', (_when, alarm, MetricName, Threshold) => {
      expect(propertiesOf(template, api.alarms[alarm])).toMatchObject({
        ...alarmDefaults,
        ...FIVE_MINUTE_PERIODS,
        Namespace: 'AWS/ApiGateway',
        MetricName,
        Dimensions: apiDimensions(api, 'shop-public'),
        ExtendedStatistic: 'p99',
        Threshold,
      });
    });

    it('fires when 5XX responses reach 1% of requests in 3 of the last 5 periods of 5 minutes', () => {
      const metricStat = (metricName: string) => ({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: apiDimensions(api, 'shop-public') },
        Period: 300,
        Stat: 'Sum',
      });

      expect(propertiesOf(template, api.alarms.serverErrorRate)).toMatchObject({
        ...alarmDefaults,
        Threshold: 1,
        Metrics: [
          { Id: 'expr_1', Expression: '100 * errors / requests', ReturnData: true },
          { Id: 'errors', MetricStat: metricStat('5XXError'), ReturnData: false },
          { Id: 'requests', MetricStat: metricStat('Count'), ReturnData: false },
        ],
      });
    });

    it('has no action unless one is given', () => {
      expectNoAlarmActions(template, Object.values(api.alarms));
    });

    it('applies custom thresholds and evaluations, and sends every alarm to alarmAction', () => {
      expect(propertiesOf(template, custom.alarms.latencyP99)).toMatchObject({
        Dimensions: apiDimensions(custom, 'shop-custom'),
        Threshold: 5000,
        DatapointsToAlarm: 2,
        EvaluationPeriods: 2,
        AlarmActions: [{ Ref: logicalId(topic) }],
      });
      expect(propertiesOf(template, custom.alarms.integrationLatencyP99)).toMatchObject({
        Threshold: 4000,
        DatapointsToAlarm: 2,
        EvaluationPeriods: 2,
        AlarmActions: [{ Ref: logicalId(topic) }],
      });
      expect(propertiesOf(template, custom.alarms.serverErrorRate)).toMatchObject({
        Threshold: 5,
        DatapointsToAlarm: 1,
        EvaluationPeriods: 1,
        AlarmActions: [{ Ref: logicalId(topic) }],
        AlarmDescription: 'SyncApiTest/CustomApi: 5XX responses reached 5% of requests in 5 minutes.',
      });
    });
  });

  describe('dashboardWidgets', () => {
    it('shows p99 latency and integration latency against their alarms beside requests, 4XX and 5XX', () => {
      // Act
      const [latency, traffic] = renderedSideBySide(stack, api.dashboardWidgets());
      const stageName = JSON.stringify({ Ref: logicalId(api.stage) });

      // Assess
      expect(latency).toContain('"IntegrationLatency"');
      expect(latency).toContain(stageName);
      expect(latency).toContain('"value":2000');
      expect(latency).toContain('"value":1500');
      expect(traffic).toContain('"5XXError"');
      expect(traffic).toContain('"4XXError"');
      expect(traffic).toContain(stageName);
    });
  });

  describe('with every prop set', () => {
    it('deploys the named stage with the given throttling', () => {
      expect(propertiesOf(template, custom.stage)).toMatchObject({
        StageName: 'v1',
        MethodSettings: [{ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }],
      });
    });

    it('applies the description and the access log retention', () => {
      expect(propertiesOf(template, custom.restApi).Description).toBe('An API with every prop set');
      expect(propertiesOf(template, custom.accessLogGroup)).toEqual({ RetentionInDays: 7 });
    });
  });

  describe('with cloudWatchRole false', () => {
    it('leaves the account-level role to whoever manages it when cloudWatchRole is false', () => {
      // Act
      const scope = new Stack(apps.create(), 'NoAccountRole');
      const noRole = new SyncApi(scope, 'Api', { apiName: 'managed-elsewhere', cloudWatchRole: false });
      noRole.addRoute('GET', '/products', new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'catalog' }));
      const synthesized = Template.fromStack(scope);

      // Assess
      synthesized.resourceCountIs('AWS::ApiGateway::Account', 0);
      expect(Object.keys(synthesized.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('account-level') } }))).toEqual([]);
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const construct =
      (overrides: Partial<SyncApiProps>): (() => SyncApi) =>
      () =>
        new SyncApi(invalidStack(), 'Api', { apiName: 'invalid', ...overrides });
    const problemsOf = propsProblemsThrown('SyncApi');

    it("rejects web ACL limits WAF does not take, naming each as webAcl's", () => {
      expect(problemsOf(construct({ webAcl: { rateLimitPerIp: 5, rateLimitWindow: Duration.minutes(3) } }))).toEqual([
        expect.stringMatching(/^webAcl\.rateLimitPerIp is 5: WAF takes a whole number of requests from 10 to 2,000,000,000/),
        expect.stringMatching(/^webAcl\.rateLimitWindow is 3 minutes: WAF counts over 1, 2, 5 or 10 minutes/),
      ]);
    });

    it('rejects a body limit above the 64 KiB WAF can inspect when a web ACL would enforce it', () => {
      expect(problemsOf(construct({ maxRequestBodySize: Size.kibibytes(65), webAcl: {} }))).toEqual([
        expect.stringMatching(/^maxRequestBodySize is 66560 bytes with a web ACL: WAF inspects at most the first 64 KiB/),
      ]);
      expect(() => construct({ maxRequestBodySize: Size.kibibytes(65) })()).not.toThrow();
    });

    it('rejects an apiName a web ACL cannot be named after', () => {
      expect(problemsOf(construct({ apiName: 'shop public', webAcl: {} }))).toEqual([
        "apiName is 'shop public' with a webAcl, which is named after it: use 1 to 128 letters, digits, '-' or '_'.",
      ]);
    });

    it('rejects an empty apiName', () => {
      expect(problemsOf(construct({ apiName: '' }))).toEqual([expect.stringMatching(/^apiName is empty/)]);
    });

    it.each(['', 'prod stage', 'a'.repeat(129)])('rejects the stage name %p', (stageName) => {
      expect(problemsOf(construct({ stageName }))).toEqual([expect.stringMatching(/^stageName is '.*': use 1 to 128 letters/)]);
    });

    itRejectsInvalidAlarmEvaluations<SyncApiProps>(['latencyAlarmEvaluation', 'serverErrorRateAlarmEvaluation'], problemsOf, construct);

    it.each([0, -1, Number.POSITIVE_INFINITY])('rejects a throttling rate limit of %p', (throttlingRateLimit) => {
      expect(problemsOf(construct({ throttlingRateLimit }))).toEqual([expect.stringMatching(/^throttlingRateLimit is/)]);
    });

    it.each([0, 2.5])('rejects a throttling burst limit of %p', (throttlingBurstLimit) => {
      expect(problemsOf(construct({ throttlingBurstLimit }))).toEqual([expect.stringMatching(/^throttlingBurstLimit is/)]);
    });

    it.each([Size.bytes(0), Size.mebibytes(7)])('rejects a body limit outside 1 byte to 6 MiB (%#)', (maxRequestBodySize) => {
      expect(problemsOf(construct({ maxRequestBodySize }))).toEqual([
        expect.stringMatching(/^maxRequestBodySize is \d+ bytes: use 1 byte to 6 MiB/),
      ]);
    });

    it('rejects zero latency thresholds', () => {
      expect(problemsOf(construct({ latencyP99Threshold: Duration.millis(0), integrationLatencyP99Threshold: Duration.millis(0) }))).toEqual([
        expect.stringMatching(/^latencyP99Threshold is 0 ms/),
        expect.stringMatching(/^integrationLatencyP99Threshold is 0 ms/),
      ]);
    });

    it('rejects an integration latency threshold above the latency threshold', () => {
      expect(
        problemsOf(construct({ latencyP99Threshold: Duration.seconds(1), integrationLatencyP99Threshold: Duration.seconds(2) })),
      ).toEqual([
        'integrationLatencyP99Threshold (2000 ms) is above latencyP99Threshold (1000 ms): Latency includes IntegrationLatency, ' +
          'so lower the integration threshold or raise the latency one.',
      ]);
    });

    it.each([0, -1, 101, Number.NaN])('rejects a server error rate threshold of %p percent', (serverErrorRateThreshold) => {
      expect(problemsOf(construct({ serverErrorRateThreshold }))).toEqual([
        expect.stringMatching(/^serverErrorRateThreshold is .*: use a percentage in \(0, 100\]/),
      ]);
    });

    it('reports every problem in one error naming the construct', () => {
      // Act
      const act = construct({ stageName: 'bad stage', throttlingRateLimit: 0, serverErrorRateThreshold: 200 });

      // Assess
      expect(act).toThrow(PropsError);
      expect(act).toThrow(/^Invalid SyncApi props at Invalid\d+\/Api:\n- stageName .*\n- throttlingRateLimit .*\n- serverErrorRateThreshold /);
    });
  });

  describe('cdk-nag', () => {
    it('leaves the missing web ACL (APIG3) to the deployer, and satisfies it when the API has one', () => {
      const apig3 = nagFindings(stack)
        .filter((finding) => finding.startsWith('AwsSolutions-APIG3 '))
        .map((finding) => finding.split(' at ')[1]);
      expect(apig3.sort()).toEqual([api.stage.node.defaultChild!.node.path, custom.stage.node.defaultChild!.node.path].sort());
    });

    it('leaves no unacknowledged AwsSolutions error on a stack with both patterns', () => {
      // The topic is the test's own alarm target, not part of either pattern.
      expect(nagFindings(stack, { severity: 'error', except: [topic] })).toEqual([]);
    });

    it('synthesizes with AwsSolutionsChecks registered as a validation plugin', () => {
      // Prepare
      const app = apps.create({ withNag: true });
      const scope = new Stack(app, 'Nag');
      const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'nag' });
      const nagApi = new SyncApi(scope, 'Api', { apiName: 'nag', webAcl: {} });
      nagApi.addRoute('GET', '/things/{id}', fn);
      nagApi.addRoute('DELETE', '/things/{id}', fn, { authorization: 'IAM' });
      nagApi.grantInvoke(fn.function, 'DELETE', '/things/{id}');
      const internal = new SyncApi(scope, 'InternalApi', { apiName: 'nag-internal' });
      internal.addRoute('GET', '/things', fn, { authorization: 'IAM' });
      Validations.of(internal.stage).acknowledge({ id: 'AwsSolutions-APIG3', reason: 'IAM-authorized on every route.' });

      // Act & Assess
      expect(() => app.synth()).not.toThrow();
    });
  });
});
