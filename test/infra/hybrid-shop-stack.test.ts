import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { HybridShopStack, HybridShopStackPropsError, stackNameFor } from '../../lib/hybrid-shop-stack';
import { ALARM_EVALUATION, type AlarmEvaluation } from '../../lib/patterns/alarm-defaults';
import { EventFanout } from '../../lib/patterns/event-fanout';
import { EventLog } from '../../lib/patterns/event-log';
import { ServiceFunction } from '../../lib/patterns/service-function';
import { SyncApi } from '../../lib/patterns/sync-api';
import { TABLE_ALARM_OPERATIONS } from '../../lib/patterns/table-alarms';
import { CatalogService } from '../../lib/services/catalog-service';
import { ASYNC_CONSUMER_RESERVED_CONCURRENCY, CUSTOMER_FACING_RESERVED_CONCURRENCY, QUEUE_MAX_CONCURRENCY, requiredAccountConcurrency, total } from '../../lib/services/concurrency-budget';
import { InventoryService } from '../../lib/services/inventory-service';
import { OrdersService } from '../../lib/services/orders-service';
import { TABLE_ACTIONS, type TableAction } from '../../lib/services/table-grants';
import { nagFindings } from './support/checks';
import { cdkJsonContext } from './support/cdk-json';
import { dynamoDbActionsOf, dynamoDbCommandsIn, eventSourcesOf, operationOf, typeScriptFiles } from './support/handler-sdk-calls';
import { logicalId, type Resources, resourcesOf } from './support/template';

let stack: HybridShopStack;
let template: Template;
let resources: Resources;

beforeAll(() => {
  // cdk.json's context, feature flags included: the template `cdk deploy` deploys.
  const app = new App({ context: cdkJsonContext() });
  stack = new HybridShopStack(app, 'HybridShop');
  template = Template.fromStack(stack);
  resources = resourcesOf(template);
}, 120_000);

/** A HybridShopStack that is not bundled: for the tests that only read its template or its errors. */
const unbundledStack = (id: string, props: ConstructorParameters<typeof HybridShopStack>[2] = {}): HybridShopStack =>
  new HybridShopStack(new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } }), id, props);

const logicalIdOf = (type: string, prefix: string): string => {
  const id = Object.keys(resources).find((k) => k.startsWith(prefix) && resources[k].Type === type);
  if (!id) throw new Error(`no ${type} whose logical id starts with ${prefix}`);
  return id;
};

describe('HybridShopStack', () => {
  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  /** Each API's routes (`METHOD /path`) with the authorization of their method and its authorizer's logical id. */
  const routesOf = (api: string): Record<string, { type: unknown; authorizer?: string }> => {
    const restApi = logicalIdOf('AWS::ApiGateway::RestApi', api);
    const pathOf = (resourceId: string): string => {
      const resource = resources[resourceId].Properties;
      const parent = resource.ParentId as { Ref?: string };
      return `${parent.Ref === undefined ? '' : pathOf(parent.Ref)}/${String(resource.PathPart)}`;
    };
    return Object.fromEntries(
      Object.values(resources)
        .filter((r) => r.Type === 'AWS::ApiGateway::Method' && (r.Properties.RestApiId as { Ref: string }).Ref === restApi)
        .map((m) => [
          `${String(m.Properties.HttpMethod)} ${pathOf((m.Properties.ResourceId as { Ref: string }).Ref)}`,
          { type: m.Properties.AuthorizationType, ...(m.Properties.AuthorizerId ? { authorizer: (m.Properties.AuthorizerId as { Ref: string }).Ref } : {}) },
        ]),
    );
  };

  it("puts the public API's order and analytics routes behind the customers' user pool, and leaves the catalog open", () => {
    // Prepare
    const authorizer = logicalIdOf('AWS::ApiGateway::Authorizer', 'PublicApi');
    const signedIn = { type: 'COGNITO_USER_POOLS', authorizer };
    const open = { type: 'NONE' };

    // Act
    const routes = routesOf('PublicApi');

    // Assess
    expect(routes).toEqual({
      'GET /products': open,
      'GET /products/{sku}': open,
      'POST /orders': signedIn,
      'GET /orders/{id}': signedIn,
      'POST /orders/{id}/cancel': signedIn,
      'GET /orders/{id}/timeline': signedIn,
      'GET /analytics/sales': signedIn,
    });
  });

  it('puts every internal route behind IAM auth', () => {
    const routes = routesOf('InternalApi');

    expect(Object.keys(routes).sort()).toEqual(['DELETE /reservations/{orderId}', 'POST /reservations']);
    for (const route of Object.values(routes)) expect(route).toEqual({ type: 'AWS_IAM' });
  });

  it("authorizes with one Cognito user-pool authorizer, on the public API, that takes the customers' ID tokens from Authorization", () => {
    const authorizers = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Authorizer');

    expect(authorizers).toHaveLength(1);
    expect(authorizers[0].Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      RestApiId: { Ref: logicalIdOf('AWS::ApiGateway::RestApi', 'PublicApi') },
      ProviderARNs: [{ 'Fn::GetAtt': [logicalIdOf('AWS::Cognito::UserPool', 'Customers'), 'Arn'] }],
      IdentitySource: 'method.request.header.Authorization',
    });
  });

  it("has the customers' one user pool, with its one client and the staff group", () => {
    const pool = logicalIdOf('AWS::Cognito::UserPool', 'Customers');

    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'HybridShop-customers',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: pool },
      ClientName: 'web',
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { UserPoolId: { Ref: pool }, GroupName: 'staff' });
  });

  it('throttles the public stage above the proven load (200 orders/s) and the internal one above two calls per order', () => {
    const throttleOf = (api: string) => {
      const stage = resources[logicalIdOf('AWS::ApiGateway::Stage', api)].Properties;
      const [setting] = stage.MethodSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }[];
      return [setting.ThrottlingRateLimit, setting.ThrottlingBurstLimit];
    };
    expect(throttleOf('PublicApi')).toEqual([2_000, 4_000]);
    expect(throttleOf('InternalApi')).toEqual([1_000, 2_000]);
  });

  it("sets API Gateway's account CloudWatch Logs role once, before either API's stage, so a first deploy can log", () => {
    const accounts = Object.keys(resources).filter((k) => resources[k].Type === 'AWS::ApiGateway::Account');
    const stages = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Stage');
    expect(accounts).toHaveLength(1);
    expect(stages).toHaveLength(2);
    const dependsOn = (id: string) => (template.toJSON().Resources[id].DependsOn as string[] | undefined) ?? [];
    for (const [id] of stages) expect(dependsOn(id)).toContain(accounts[0]);
  });

  it('leaves the account CloudWatch Logs role alone when apiGatewayCloudWatchRole is false', () => {
    const managedElsewhere = Template.fromStack(unbundledStack('HybridShop', { apiGatewayCloudWatchRole: false }));
    managedElsewhere.resourceCountIs('AWS::ApiGateway::Account', 0);
    const apiGatewayRoles = (t: Template) =>
      Object.keys(t.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } } }));
    expect(apiGatewayRoles(template)).toHaveLength(1);
    expect(apiGatewayRoles(managedElsewhere)).toEqual([]);
  });

  it("points each stage's access logs at its log group by the plain log-group ARN, without the Arn attribute's ':*'", () => {
    for (const [api, group] of [
      ['PublicApi', 'PublicApiAccessLogs'],
      ['InternalApi', 'InternalApiAccessLogs'],
    ]) {
      const stage = resources[logicalIdOf('AWS::ApiGateway::Stage', api)].Properties;
      expect((stage.AccessLogSetting as { DestinationArn: unknown }).DestinationArn).toEqual({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:', { Ref: logicalIdOf('AWS::Logs::LogGroup', group) }],
        ],
      });
    }
  });

  it('lets the order function invoke exactly POST /reservations on the internal API', () => {
    const placeOrderRole = (resources[logicalIdOf('AWS::Lambda::Function', 'OrdersPlaceOrder')].Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const policies = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(placeOrderRole),
    );
    const statements = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
    const invoke = statements.filter((s) => [s.Action].flat().includes('execute-api:Invoke'));
    expect(invoke).toHaveLength(1);
    const resource = JSON.stringify(invoke[0].Resource);
    expect(resource).toContain(logicalIdOf('AWS::ApiGateway::RestApi', 'InternalApi'));
    expect(resource).toContain('/POST/reservations');
  });

  it('gives the order function the internal API URL, a 1 s inventory timeout and a 5 s function timeout', () => {
    const fn = resources[logicalIdOf('AWS::Lambda::Function', 'OrdersPlaceOrder')].Properties;
    const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.INVENTORY_API_URL)).toContain(logicalIdOf('AWS::ApiGateway::RestApi', 'InternalApi'));
    expect(env.INVENTORY_TIMEOUT_MS).toBe('1000');
    expect(fn.Timeout).toBe(5);
  });

  it('creates on-demand tables with point-in-time recovery, and a TTL on idempotency records', () => {
    const tables = Object.values(resources).filter((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(11);
    for (const t of tables) {
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'idempotencyKey', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('sends every alarm to the one alarm topic', () => {
    const topic = logicalIdOf('AWS::SNS::Topic', 'AlarmTopic');
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(6 * 3 + 2 * 3);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });

  const functionEnvironments = (): Record<string, unknown>[] =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Properties.Environment as { Variables: Record<string, unknown> }).Variables);

  it('points every alarm dimension at a resource of the kind its namespace measures', () => {
    const dimensionsOf = (alarm: Resources[string]): { ns: string; dims: { Name: string; Value: unknown }[] }[] => {
      const p = alarm.Properties;
      if (p.Namespace) return [{ ns: p.Namespace as string, dims: (p.Dimensions as { Name: string; Value: unknown }[]) ?? [] }];
      const metrics = (p.Metrics as { MetricStat?: { Metric: { Namespace: string; Dimensions?: { Name: string; Value: unknown }[] } } }[]) ?? [];
      return metrics.filter((m) => m.MetricStat).map((m) => ({ ns: m.MetricStat!.Metric.Namespace, dims: m.MetricStat!.Metric.Dimensions ?? [] }));
    };
    const apiNames = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::RestApi').map((r) => r.Properties.Name);
    const refTo = (value: unknown): string | undefined => (value as { Ref?: string }).Ref;
    const getAttOf = (value: unknown): string[] | undefined => (value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    let checked = 0;
    for (const alarm of alarms) {
      for (const { ns, dims } of dimensionsOf(alarm)) {
        expect(dims.length).toBeGreaterThan(0);
        for (const d of dims) {
          if (ns === 'AWS/Lambda') {
            expect(d.Name).toBe('FunctionName');
            expect(resources[(d.Value as { Ref: string }).Ref].Type).toBe('AWS::Lambda::Function');
          } else if (ns === 'AWS/ApiGateway' && d.Name === 'ApiName') {
            expect(apiNames).toContainEqual(d.Value);
          } else if (ns === 'AWS/ApiGateway' && d.Name === 'Stage') {
            const ref = (d.Value as { Ref?: string }).Ref;
            if (ref) expect(resources[ref].Type).toBe('AWS::ApiGateway::Stage');
            else expect(d.Value).toBe('prod');
          } else if (ns === 'AWS/SQS') {
            expect(d.Name).toBe('QueueName');
            const [queue, attribute] = getAttOf(d.Value) ?? [];
            expect([resources[queue]?.Type, attribute]).toEqual(['AWS::SQS::Queue', 'QueueName']);
          } else if (ns === 'AWS/Kinesis') {
            expect(d.Name).toBe('StreamName');
            expect(resources[refTo(d.Value) ?? '']?.Type).toBe('AWS::Kinesis::Stream');
          } else if (ns === 'AWS/Events' && d.Name === 'EventBusName') {
            expect(resources[refTo(d.Value) ?? '']?.Type).toBe('AWS::Events::EventBus');
          } else if (ns === 'AWS/DynamoDB' && d.Name === 'TableName') {
            expect(resources[refTo(d.Value) ?? '']?.Type).toBe('AWS::DynamoDB::Table');
          } else if (ns === 'AWS/DynamoDB' && d.Name === 'Operation') {
            expect(TABLE_ALARM_OPERATIONS).toContain(d.Value);
          } else if (ns === 'HybridShop' && d.Name === 'service') {
            // An EMF metric: some function publishes into this namespace under this service name.
            expect(functionEnvironments()).toContainEqual(expect.objectContaining({ POWERTOOLS_METRICS_NAMESPACE: ns, POWERTOOLS_SERVICE_NAME: d.Value }));
          } else if (ns === 'HybridShop' && d.Name === 'State') {
            expect(d.Value).toBe('OPEN');
          } else if (ns === 'AWS/Events' && d.Name === 'RuleName') {
            // A rule on a custom bus: Ref is "bus|rule", CloudWatch publishes the bare rule name.
            const select = (d.Value as { 'Fn::Select': [number, { 'Fn::Split': [string, { Ref: string }] }] })['Fn::Select'];
            expect(select[0]).toBe(1);
            expect(resources[select[1]['Fn::Split'][1].Ref].Type).toBe('AWS::Events::Rule');
          } else {
            throw new Error(`unexpected dimension ${ns} ${d.Name}`);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(alarms.length);
  });

  it("lets CloudWatch publish to the alarm topic for this account's alarms named after the stack, and nothing else", () => {
    // Prepare
    const topic = logicalIdOf('AWS::SNS::Topic', 'AlarmTopic');
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy');

    // Assess: the policy replaces SNS's default one, so without this statement no alarm would ever notify.
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Topics).toEqual([{ Ref: topic }]);
    const statements = (policies[0].Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toContainEqual({
      Sid: 'AllowThisStacksCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topic },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:HybridShop/*']],
          },
        },
      },
    });
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toHaveLength(1);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it("names every alarm '<stack name>/<construct path>', so the topic policy's 'HybridShop/*' admits exactly this stack's", () => {
    // Act
    const alarms = stack.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    const composites = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm');

    // Assess: CloudFormation's generated names (`HybridShop-<logical id>-<suffix>`) would share a prefix with another
    // stage's (`HybridShop-dev-…`); these do not.
    expect(alarms).toHaveLength(128);
    for (const alarm of alarms) {
      const properties = resources[stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm)].Properties;
      expect(properties.AlarmName).toBe(alarm.node.path);
    }
    expect(resources[logicalIdOf('AWS::CloudWatch::Alarm', 'OrdersPlaceOrderAlarmsErrors')].Properties.AlarmName).toBe('HybridShop/Orders/PlaceOrder/Alarms/Errors');
    expect(composites.map((alarm) => alarm.Properties.AlarmName)).toEqual([
      'HybridShop/shop-health-part-1',
      'HybridShop/shop-health-part-2',
      'HybridShop/shop-health-part-3',
      'HybridShop/shop-health',
    ]);
  });

  it('subscribes no address to the alarm topic unless alarmEmail is given', () => {
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('subscribes alarmEmail to the alarm topic', () => {
    // Act
    const withEmail = Template.fromStack(unbundledStack('HybridShop', { alarmEmail: 'ops@example.com' }));

    // Assess
    withEmail.resourceCountIs('AWS::SNS::Subscription', 1);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalIdOf('AWS::SNS::Topic', 'AlarmTopic') },
    });
  });

  it.each(['ops', 'ops@example', 'ops@example.com,dev@example.com', 'ops @example.com', ''])(
    'rejects the alarmEmail %p, naming the option and an example',
    (alarmEmail) => {
      expect(() => unbundledStack('HybridShop', { alarmEmail })).toThrow(HybridShopStackPropsError);
      expect(() => unbundledStack('HybridShop', { alarmEmail })).toThrow(
        `alarmEmail is '${alarmEmail}': give one e-mail address, e.g. \`cdk deploy -c alarmEmail=ops@example.com\`, or leave it unset.`,
      );
    },
  );

  it('watches every DynamoDB table for throttling and for DynamoDB system errors', () => {
    const tables = Object.keys(resources).filter((k) => resources[k].Type === 'AWS::DynamoDB::Table');
    const watched = (metricName: string) =>
      Object.values(resources)
        .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
        .flatMap((alarm) => (alarm.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: { Ref?: string } }[] } } }[] | undefined) ?? [])
        .filter((query) => query.MetricStat?.Metric.MetricName === metricName)
        .map((query) => query.MetricStat!.Metric.Dimensions.find((d) => d.Name === 'TableName')?.Value.Ref);
    expect(tables).toHaveLength(11);
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) expect(new Set(watched(metricName))).toEqual(new Set(tables));
    // One SystemErrors metric per operation and table.
    expect(watched('SystemErrors').sort()).toEqual(tables.flatMap((table) => TABLE_ALARM_OPERATIONS.map(() => table)).sort());
  });

  it("watches the system errors of every DynamoDB operation the handlers call, as their SDK imports show", () => {
    // Prepare: the command classes the handlers import from the DynamoDB clients, e.g. GetCommand or GetItemCommand
    const commands = new Set(typeScriptFiles(path.join(__dirname, '../../lambdas')).flatMap(dynamoDbCommandsIn));

    // Assess
    expect(commands.size).toBeGreaterThan(5);
    expect(new Set([...commands].map(operationOf))).toEqual(new Set(TABLE_ALARM_OPERATIONS));
  });

  it('alarms on throttled reads of the order-event log, whose one shard its two consumers share', () => {
    const stream = logicalIdOf('AWS::Kinesis::Stream', 'OrderEventLog');
    const consumers = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.EventSourceArn).includes(stream),
    );
    expect(consumers).toHaveLength(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Kinesis',
      MetricName: 'ReadProvisionedThroughputExceeded',
      Dimensions: [{ Name: 'StreamName', Value: { Ref: stream } }],
      Statistic: 'Sum',
      Threshold: 1,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 5,
    });
  });

  it('alarms on the breaker metric the order function really publishes when its breaker opens', async () => {
    // Prepare: the order function's metrics environment, as the template gives it
    const placeOrder = resources[logicalIdOf('AWS::Lambda::Function', 'OrdersPlaceOrder')].Properties;
    const environment = (placeOrder.Environment as { Variables: Record<string, string> }).Variables;
    const lines: string[] = [];
    const saved = { ...process.env };
    process.env.POWERTOOLS_METRICS_NAMESPACE = environment.POWERTOOLS_METRICS_NAMESPACE;
    process.env.POWERTOOLS_SERVICE_NAME = environment.POWERTOOLS_SERVICE_NAME;
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    // Act: the real telemetry module, on a breaker that opens at its first failure
    try {
      await jest.isolateModulesAsync(async () => {
        const { reportStateChanges } = await import('../../lambdas/orders/adapters/circuit-breaker-telemetry');
        const { CircuitBreaker } = await import('../../lambdas/orders/domain/circuit-breaker');
        const breaker = new CircuitBreaker({ failureThreshold: 1, windowMs: 10_000, openMs: 5_000 });
        reportStateChanges(breaker);
        await breaker.execute(() => Promise.reject(new Error('inventory down'))).catch(() => undefined);
      });
    } finally {
      write.mockRestore();
      process.env = saved;
    }

    // Assess: the alarm watches exactly the metric, namespace and dimension set of the EMF line
    const emf = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } } & Record<string, unknown>);
    expect(emf).toHaveLength(1);
    const [directive] = emf[0]._aws.CloudWatchMetrics;
    const dimensions = directive.Dimensions[0].map((name) => ({ Name: name, Value: emf[0][name] }));
    const alarm = resources[logicalIdOf('AWS::CloudWatch::Alarm', 'OrdersAlarmsInventoryBreakerOpen')].Properties;
    expect(alarm).toMatchObject({
      Namespace: directive.Namespace,
      MetricName: directive.Metrics[0].Name,
      Statistic: 'Sum',
      Threshold: 1,
      DatapointsToAlarm: 1,
      EvaluationPeriods: 1,
    });
    expect(alarm.Dimensions).toEqual(expect.arrayContaining(dimensions));
    expect(alarm.Dimensions).toHaveLength(dimensions.length);
    expect(dimensions).toContainEqual({ Name: 'State', Value: 'OPEN' });
  });

  it('gives each alarm family its datapoints out of evaluation periods', () => {
    // Prepare: every alarm by its construct id, the family it belongs to
    const families: Record<string, AlarmEvaluation> = {
      Errors: ALARM_EVALUATION.errors,
      ServerErrorRate: ALARM_EVALUATION.errors,
      SystemErrors: ALARM_EVALUATION.errors,
      DurationP99: ALARM_EVALUATION.latency,
      LatencyP99: ALARM_EVALUATION.latency,
      IntegrationLatencyP99: ALARM_EVALUATION.latency,
      Throttles: ALARM_EVALUATION.throttles,
      WriteThrottles: ALARM_EVALUATION.throttles,
      ReadThrottles: ALARM_EVALUATION.throttles,
      AgeOfOldestMessage: ALARM_EVALUATION.backlog,
      Backlog: ALARM_EVALUATION.backlog,
      IteratorAge: ALARM_EVALUATION.backlog,
      DeadLetterQueueNotEmpty: ALARM_EVALUATION.lostWork,
      QueueNotEmpty: ALARM_EVALUATION.lostWork,
      FailedRecords: ALARM_EVALUATION.lostWork,
      FailedInvocations: ALARM_EVALUATION.lostWork,
      SentToDlq: ALARM_EVALUATION.lostWork,
      InventoryBreakerOpen: ALARM_EVALUATION.breakerOpen,
    };
    const alarms = stack.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);

    // Assess
    expect(alarms).toHaveLength(128);
    for (const alarm of alarms) {
      const family = families[alarm.node.id];
      expect([alarm.node.path, family]).toEqual([alarm.node.path, expect.anything()]);
      const properties = resources[stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm)].Properties;
      expect([alarm.node.path, properties.DatapointsToAlarm, properties.EvaluationPeriods]).toEqual([
        alarm.node.path,
        family.datapointsToAlarm,
        family.evaluationPeriods,
      ]);
    }
    expect([ALARM_EVALUATION.errors, ALARM_EVALUATION.latency, ALARM_EVALUATION.throttles]).toEqual(
      Array(3).fill({ datapointsToAlarm: 3, evaluationPeriods: 5 }),
    );
    expect(ALARM_EVALUATION.backlog).toEqual({ datapointsToAlarm: 2, evaluationPeriods: 3 });
    expect([ALARM_EVALUATION.lostWork, ALARM_EVALUATION.breakerOpen]).toEqual(Array(2).fill({ datapointsToAlarm: 1, evaluationPeriods: 1 }));
  });

  it('shows the breaker beside order placement and every table in a row of its own on the dashboard', () => {
    const body = JSON.stringify(resources[logicalIdOf('AWS::CloudWatch::Dashboard', 'HealthDashboard')].Properties.DashboardBody);
    expect(body).toContain('## Order placement');
    expect(body).toContain('Inventory circuit breaker: state changes');
    expect(body).toContain('## DynamoDB tables');
    expect(body).toContain('DynamoDB: throttle events per table');
    expect(body).toContain('Catalog/ProductsTable');
  });

  it('watches every alarm with the one shop-health composite alarm', () => {
    const alarmIds = Object.keys(resources).filter((k) => resources[k].Type === 'AWS::CloudWatch::Alarm');
    const composites = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm');
    const rules = JSON.stringify(composites.map((c) => c.Properties.AlarmRule));
    for (const id of alarmIds) expect(rules).toContain(id);
    expect(composites.length).toBeGreaterThanOrEqual(1);
  });

  it('groups payment commands by order through the intake function, not an EventBridge FIFO target', () => {
    const fifo = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue' && r.Properties.FifoQueue === true);
    expect(fifo.map(([id]) => id).filter((id) => id.startsWith('PaymentsCommands'))).toHaveLength(2);
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
    const fifoTargets = rules.flatMap((r) => (r.Properties.Targets as { SqsParameters?: unknown }[]) ?? []).filter((t) => t.SqsParameters);
    expect(fifoTargets).toEqual([]);
  });

  it('caps the concurrency of every SQS event source mapping, each queue at its share of the budget', () => {
    // Prepare
    const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    const queueOf = (mapping: Resources[string]): string | undefined => {
      const [id] = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'] ?? [];
      return id !== undefined && resources[id]?.Type === 'AWS::SQS::Queue' ? id : undefined;
    };
    const sqsMappings = mappings.filter((mapping) => queueOf(mapping) !== undefined);

    // Act
    const caps: Record<string, number | undefined> = Object.fromEntries(
      sqsMappings.map((mapping) => [queueOf(mapping), (mapping.Properties.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency]),
    );

    // Assess: all five queues, each mapping capped in Lambda's range, at the budget's number
    expect(sqsMappings).toHaveLength(5);
    for (const cap of Object.values(caps)) expect(Number.isInteger(cap) && cap! >= 2 && cap! <= 1000).toBe(true);
    const capOf = (prefix: string) => Object.entries(caps).find(([id]) => id.startsWith(prefix))?.[1];
    expect({
      inventoryReservations: capOf('InventoryReservationsQueue'),
      inventoryReleases: capOf('InventoryReleasesQueue'),
      ordersLifecycle: capOf('OrdersLifecycleQueue'),
      paymentCommands: capOf('PaymentsCommandsQueue'),
      notificationEmails: capOf('NotificationsEmailsQueue'),
    }).toEqual(QUEUE_MAX_CONCURRENCY);
    expect(total(QUEUE_MAX_CONCURRENCY)).toBe(75);
  });

  it('reads the order-event log with at most shards × parallelization factor = 1 invocation per consumer, 2 in all', () => {
    const kinesisMappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && (r.Properties.EventSourceArn as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0]?.startsWith('OrderEventLog'));
    const shards = resources[logicalIdOf('AWS::Kinesis::Stream', 'OrderEventLog')].Properties.ShardCount as number;
    const invocations = kinesisMappings.map((mapping) => shards * ((mapping.Properties.ParallelizationFactor as number | undefined) ?? 1));
    expect(invocations).toEqual([1, 1]);
  });

  it('exports the URLs and table names that the seed script and the e2e suite read', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(expect.arrayContaining(['PublicApiUrl', 'InternalApiUrl', 'ProductsTableName', 'StockTableName', 'AlarmTopicArn']));
  });

  it('exports the user pool and its client, which clients sign in with', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(outputs.UserPoolId?.Value).toEqual({ Ref: logicalIdOf('AWS::Cognito::UserPool', 'Customers') });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: logicalIdOf('AWS::Cognito::UserPoolClient', 'Customers') });
  });
});

describe('HybridShopStack reserved concurrency', () => {
  /** Every function of a stack with its ReservedConcurrentExecutions (undefined when unreserved), by construct. */
  const reservationsOf = (shop: HybridShopStack): Map<string, number | undefined> => {
    const json = resourcesOf(Template.fromStack(shop));
    const functions = shop.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction);
    return new Map(
      functions.map((fn) => {
        const id = logicalId(fn);
        return [fn.node.path.replace(`${shop.node.path}/`, ''), json[id].Properties.ReservedConcurrentExecutions as number | undefined];
      }),
    );
  };
  const reservedOnly = (reservations: Map<string, number | undefined>) =>
    Object.fromEntries([...reservations].filter(([, reserved]) => reserved !== undefined));
  /** The budget's name of each reserved function, as the stack's construct paths name it. */
  const expected = {
    'Orders/PlaceOrder': CUSTOMER_FACING_RESERVED_CONCURRENCY.placeOrder,
    'Inventory/CreateReservation': CUSTOMER_FACING_RESERVED_CONCURRENCY.createReservation,
    'Orders/GetOrder': CUSTOMER_FACING_RESERVED_CONCURRENCY.getOrder,
    'Orders/CancelOrder': CUSTOMER_FACING_RESERVED_CONCURRENCY.cancelOrder,
    'Orders/GetOrderTimeline': CUSTOMER_FACING_RESERVED_CONCURRENCY.getOrderTimeline,
    'Catalog/ListProducts': CUSTOMER_FACING_RESERVED_CONCURRENCY.listProducts,
    'Catalog/GetProduct': CUSTOMER_FACING_RESERVED_CONCURRENCY.getProduct,
    'Analytics/GetSales': CUSTOMER_FACING_RESERVED_CONCURRENCY.getSales,
    'Shipping/ShipmentHandler': ASYNC_CONSUMER_RESERVED_CONCURRENCY.shipmentHandler,
    'Payments/PaymentIntake': ASYNC_CONSUMER_RESERVED_CONCURRENCY.paymentIntake,
  };

  it('reserves, on prod, each customer-facing function its share and caps the two EventBridge targets, and nothing else', () => {
    // Act
    const reservations = reservationsOf(stack);

    // Assess
    expect(stack.reservedConcurrency).toBe(true);
    expect(reservedOnly(reservations)).toEqual(expected);
  });

  it('reserves a share for every function behind the public API, and for the reservation function order placement calls', () => {
    // Prepare: the functions the public API's methods integrate with, by logical id
    const publicApi = logicalIdOf('AWS::ApiGateway::RestApi', 'PublicApi');
    const integrated = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Method' && (r.Properties.RestApiId as { Ref: string }).Ref === publicApi)
      .map((r) => JSON.stringify(r.Properties.Integration).match(/"([A-Za-z0-9]+Function[A-F0-9]{8})"/)?.[1]);
    const createReservation = logicalId(stack.inventory.createReservation);

    // Assess
    expect(integrated).toHaveLength(7);
    for (const id of [...new Set(integrated), createReservation]) expect(resources[id!].Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
  });

  it('leaves every function unreserved on any other stage, so a deploy fits an account with a low concurrency quota', () => {
    const dev = unbundledStack(stackNameFor('dev'), { stage: 'dev' });
    expect(dev.reservedConcurrency).toBe(false);
    expect(reservedOnly(reservationsOf(dev))).toEqual({});
  });

  it('follows reservedConcurrency where it is given, on prod and on any other stage', () => {
    expect(reservedOnly(reservationsOf(unbundledStack('HybridShop', { reservedConcurrency: false })))).toEqual({});
    expect(reservedOnly(reservationsOf(unbundledStack(stackNameFor('dev'), { stage: 'dev', reservedConcurrency: true })))).toEqual(expected);
  });

  it("needs an account concurrency of 565: the reservations and Lambda's 100 unreserved, inside the default quota of 1,000", () => {
    expect(total(CUSTOMER_FACING_RESERVED_CONCURRENCY)).toBe(425);
    expect(total(ASYNC_CONSUMER_RESERVED_CONCURRENCY)).toBe(40);
    expect(requiredAccountConcurrency()).toBe(565);
    // What the consumers can take at most (queues, the log's 2, the capped targets) stays below what is reserved for customers.
    expect(total(QUEUE_MAX_CONCURRENCY) + 2 + total(ASYNC_CONSUMER_RESERVED_CONCURRENCY)).toBe(117);
  });

  it('keeps every queue cap within the unreserved pool left at the default quota', () => {
    expect(total(QUEUE_MAX_CONCURRENCY) + 2).toBeLessThanOrEqual(1_000 - requiredAccountConcurrency() + 100);
  });
});

describe('HybridShopStack web ACL', () => {
  const webAclsOf = (t: Template) => Object.entries(resourcesOf(t)).filter(([, r]) => r.Type === 'AWS::WAFv2::WebACL');
  const apig3Reasons = (shop: HybridShopStack) =>
    [shop.publicApi, shop.internalApi].map((api) =>
      JSON.stringify(api.stage.node.metadata.map((entry) => entry.data)).includes('AwsSolutions-APIG3'),
    );

  it('guards the public API of prod with a web ACL: 3,000 requests per IP per 5 minutes, bodies up to 16 KiB', () => {
    // Act
    const [[webAclId, webAcl]] = webAclsOf(template);
    const rules = webAcl.Properties.Rules as { Name: string; Statement: Record<string, Record<string, unknown>> }[];

    // Assess
    expect(stack.waf).toBe(true);
    expect(webAclsOf(template)).toHaveLength(1);
    expect(webAcl.Properties.Name).toBe('HybridShop-public');
    expect(rules.map((rule) => [rule.Name, rule.Statement.RateBasedStatement?.Limit ?? rule.Statement.SizeConstraintStatement?.Size])).toEqual([
      ['RateLimitPerIp', 3000],
      ['BodySizeLimit', 16384],
    ]);
    const associations = Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACLAssociation');
    expect(associations).toHaveLength(1);
    expect(associations[0].Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    expect(JSON.stringify(associations[0].Properties.ResourceArn)).toContain(`{"Ref":"${logicalIdOf('AWS::ApiGateway::Stage', 'PublicApi')}"}`);
  });

  it('acknowledges the missing web ACL (APIG3) on the internal API only, where IAM guards every route', () => {
    expect(apig3Reasons(stack)).toEqual([false, true]);
  });

  it('shows what the web ACL blocked on the dashboard', () => {
    const body = JSON.stringify(resources[logicalIdOf('AWS::CloudWatch::Dashboard', 'HealthDashboard')].Properties.DashboardBody);
    expect(body).toContain('## Public API web ACL');
    expect(body).toContain('HybridShop-public: requests blocked by WAF');
  });

  it('leaves any other stage without a web ACL, acknowledging APIG3 on both APIs with the reason, cdk-nag clean', () => {
    // Prepare
    const dev = unbundledStack(stackNameFor('dev'), { stage: 'dev' });

    // Act & Assess
    expect(dev.waf).toBe(false);
    expect(webAclsOf(Template.fromStack(dev))).toEqual([]);
    expect(apig3Reasons(dev)).toEqual([true, true]);
    expect(nagFindings(dev)).toEqual([]);
  });

  it('follows waf where it is given: on for another stage, named after its stack, and off for prod', () => {
    const devWithWaf = Template.fromStack(unbundledStack(stackNameFor('dev'), { stage: 'dev', waf: true, publicApiRateLimitPerIp: 1_200 }));
    const [[, webAcl]] = webAclsOf(devWithWaf);
    expect(webAcl.Properties.Name).toBe('HybridShop-dev-public');
    expect(JSON.stringify(webAcl.Properties.Rules)).toContain('"Limit":1200');

    const prodWithout = unbundledStack('HybridShop', { waf: false });
    expect(webAclsOf(Template.fromStack(prodWithout))).toEqual([]);
    expect(nagFindings(prodWithout)).toEqual([]);
  });

  it('rejects a per-IP rate limit WAF does not take, and one given while the web ACL is off, in one error', () => {
    expect(() => unbundledStack('HybridShop', { publicApiRateLimitPerIp: 5 })).toThrow(
      /publicApiRateLimitPerIp is 5: WAF takes a whole number of requests from 10 to 2,000,000,000, e\.g\. 3000\./,
    );
    expect(() => unbundledStack(stackNameFor('dev'), { stage: 'dev', publicApiRateLimitPerIp: 500, alarmEmail: 'ops' })).toThrow(
      new HybridShopStackPropsError('HybridShop-dev', [
        "alarmEmail is 'ops': give one e-mail address, e.g. `cdk deploy -c alarmEmail=ops@example.com`, or leave it unset.",
        "publicApiRateLimitPerIp is 500 but the web ACL that enforces it is off (waf is false by default for stage 'dev'): " +
          'turn the web ACL on (waf: true, `-c waf=true`) or leave the limit unset.',
      ]).message,
    );
  });
});

describe('HybridShopStack least-privilege grants', () => {
  interface Statement {
    readonly Action: string | readonly string[];
    readonly Effect: string;
    readonly Resource: unknown;
    readonly Condition?: Record<string, Record<string, unknown>>;
  }
  interface FunctionGrants {
    /** DynamoDB actions (without `dynamodb:`) by table path. */
    readonly tables: Readonly<Record<string, readonly TableAction[]>>;
    /** The `events:source` values its PutEvents grant allows; none: no PutEvents at all. */
    readonly sources: readonly string[];
  }

  const reserve = { 'Inventory/StockTable': ['UpdateItem'], 'Inventory/ReservationsTable': ['GetItem', 'PutItem'] } as const;
  const release = { 'Inventory/StockTable': ['UpdateItem'], 'Inventory/ReservationsTable': ['GetItem', 'UpdateItem'] } as const;
  /** Every function of the stack: the actions it has on each table and the sources it may publish, nothing more. */
  const GRANTS: Readonly<Record<string, FunctionGrants>> = {
    'Catalog/ListProducts': { tables: { 'Catalog/ProductsTable': ['Scan'] }, sources: [] },
    'Catalog/GetProduct': { tables: { 'Catalog/ProductsTable': ['GetItem'] }, sources: [] },
    'Inventory/CreateReservation': { tables: reserve, sources: [] },
    'Inventory/ReleaseReservation': { tables: release, sources: [] },
    'Inventory/ReservationWorker': { tables: reserve, sources: ['shop.inventory'] },
    'Inventory/ReleaseWorker': { tables: release, sources: [] },
    'Orders/PlaceOrder': {
      tables: { 'Orders/OrdersTable': ['PutItem'], 'Orders/IdempotencyTable': ['GetItem', 'PutItem', 'UpdateItem'], 'Catalog/ProductsTable': ['BatchGetItem'] },
      sources: ['shop.orders'],
    },
    'Orders/GetOrder': { tables: { 'Orders/OrdersTable': ['GetItem'] }, sources: [] },
    'Orders/CancelOrder': { tables: { 'Orders/OrdersTable': ['GetItem', 'PutItem'] }, sources: ['shop.orders'] },
    'Orders/LifecycleWorker': { tables: { 'Orders/OrdersTable': ['GetItem', 'PutItem'] }, sources: ['shop.orders'] },
    'Orders/TimelineProjector': { tables: { 'Orders/TimelineTable': ['PutItem'] }, sources: [] },
    'Orders/GetOrderTimeline': { tables: { 'Orders/TimelineTable': ['Query'], 'Orders/OrdersTable': ['GetItem'] }, sources: [] },
    'Payments/PaymentWorker': {
      tables: { 'Payments/PaymentsTable': ['GetItem', 'PutItem', 'UpdateItem'], 'Payments/ProviderSettingsTable': ['GetItem'] },
      sources: ['shop.payments'],
    },
    'Payments/PaymentIntake': { tables: {}, sources: [] },
    'Shipping/ShipmentHandler': { tables: { 'Shipping/ShipmentsTable': ['GetItem', 'PutItem', 'UpdateItem'] }, sources: ['shop.shipping'] },
    'Notifications/NotificationWorker': { tables: { 'Notifications/SentNotificationsTable': ['PutItem'] }, sources: [] },
    'Analytics/SalesProjector': { tables: { 'Analytics/AnalyticsTable': ['PutItem', 'UpdateItem'] }, sources: [] },
    'Analytics/GetSales': { tables: { 'Analytics/AnalyticsTable': ['Query'] }, sources: [] },
  };

  /**
   * Calls that a function's modules can make and the function never does, each with the reason it is not granted: the
   * handler imports an adapter whose other methods serve another function.
   */
  const IMPORTED_NOT_CALLED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    'Catalog/ListProducts': { GetItem: "DynamoDbProductCatalog.find serves GET /products/{sku}" },
    'Catalog/GetProduct': { Scan: 'DynamoDbProductCatalog.list serves GET /products' },
    'Inventory/ReleaseReservation': { PutItem: "DynamoDbReservationStore.reserve puts reservations; a release only updates one" },
    'Inventory/ReleaseWorker': { PutItem: "DynamoDbReservationStore.reserve puts reservations; a release only updates one" },
    'Orders/GetOrder': { PutItem: 'DynamoDbOrderRepository.replace serves cancel and the lifecycle worker; reading writes nothing' },
    'Orders/TimelineProjector': { Query: 'DynamoDbTimelineStore.list serves GET /orders/{id}/timeline' },
    'Orders/GetOrderTimeline': { PutItem: "DynamoDbTimelineStore.add is the projector's, DynamoDbOrderRepository.replace cancel's" },
    'Analytics/SalesProjector': { Query: 'DynamoDbSalesTable.minutes serves GET /analytics/sales' },
    'Analytics/GetSales': { PutItem: "DynamoDbSalesTable.add is the projector's", UpdateItem: "DynamoDbSalesTable.add is the projector's" },
  };

  const pathOf = (construct: IConstruct): string => construct.node.path.replace(/^HybridShop\//, '');
  const functions = (): ServiceFunction[] => stack.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction);
  const functionAt = (functionPath: string): ServiceFunction => {
    const fn = functions().find((candidate) => pathOf(candidate) === functionPath);
    if (!fn) throw new Error(`no ServiceFunction at ${functionPath}`);
    return fn;
  };
  const actionsOf = (statement: Statement): readonly string[] => (typeof statement.Action === 'string' ? [statement.Action] : statement.Action);
  const allStatements = (): Statement[] =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const statementsOf = (fn: ServiceFunction): Statement[] => {
    const role = logicalId(fn.function.role as iam.Role);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref?: string }[]).some((ref) => ref.Ref === role))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  /** The function's DynamoDB actions by table path, each list sorted. */
  const tableGrantsOf = (fn: ServiceFunction): Record<string, string[]> => {
    const tables = new Map(stack.node.findAll().filter((c) => c instanceof dynamodb.Table).map((table) => [logicalId(table), pathOf(table)]));
    const grants: Record<string, string[]> = {};
    for (const statement of statementsOf(fn)) {
      const actions = actionsOf(statement).filter((action) => action.startsWith('dynamodb:')).map((action) => action.replace(/^dynamodb:/, ''));
      if (actions.length === 0) continue;
      for (const resource of Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) {
        const table = tables.get((resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0] ?? '');
        if (table === undefined) throw new Error(`${pathOf(fn)} has ${actions.join(', ')} on ${JSON.stringify(resource)}, which is no table of the stack`);
        grants[table] = [...new Set([...(grants[table] ?? []), ...actions])].sort();
      }
    }
    return grants;
  };
  const putEventsOf = (fn: ServiceFunction): Statement[] => statementsOf(fn).filter((statement) => actionsOf(statement).some((action) => action.startsWith('events:')));
  const sorted = (grants: FunctionGrants['tables']): Record<string, string[]> =>
    Object.fromEntries(Object.entries(grants).map(([table, actions]) => [table, [...actions].sort()]));

  it('pins the grants of every function of the stack, and of no function it does not have', () => {
    expect(functions().map(pathOf).sort()).toEqual(Object.keys(GRANTS).sort());
  });

  it.each(Object.entries(GRANTS))('grants %s exactly its table actions', (functionPath, expected) => {
    expect(tableGrantsOf(functionAt(functionPath))).toEqual(sorted(expected.tables));
  });

  it.each(Object.entries(GRANTS))('lets %s put events of its own sources only', (functionPath, expected) => {
    // Act
    const statements = putEventsOf(functionAt(functionPath));

    // Assess: no PutEvents at all for a function that publishes nothing.
    if (expected.sources.length === 0) {
      expect(statements).toEqual([]);
      return;
    }
    expect(statements).toEqual([
      {
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalIdOf('AWS::Events::EventBus', 'EventsBus'), 'Arn'] },
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': expected.sources },
          Null: { 'events:source': 'false' },
        },
      },
    ]);
  });

  it('grants no DynamoDB wildcard, and no DynamoDB action but item and query actions, to anyone', () => {
    const granted = new Set(allStatements().flatMap(actionsOf).filter((action) => action.toLowerCase().startsWith('dynamodb:')));
    expect(granted.size).toBeGreaterThan(0);
    for (const action of granted) expect(TABLE_ACTIONS).toContain(action.replace(/^dynamodb:/, ''));
  });

  it('grants no PutEvents, to anyone, without a condition on events:source', () => {
    const putEvents = allStatements().filter((statement) => actionsOf(statement).some((action) => /^events:(PutEvents|\*)$/i.test(action)));
    expect(putEvents.length).toBeGreaterThan(0);
    for (const statement of putEvents) {
      expect(statement.Condition).toEqual({
        'ForAllValues:StringEquals': { 'events:source': expect.arrayContaining([expect.stringMatching(/^shop\./)]) },
        Null: { 'events:source': 'false' },
      });
    }
  });

  it.each(Object.keys(GRANTS))("grants %s the DynamoDB actions its handler's modules call, as their SDK imports show, and no other", (functionPath) => {
    // Prepare: what the modules the handler reaches can call, less what they can and the function never does.
    const fn = functionAt(functionPath);
    const callable = dynamoDbActionsOf(fn.entry);
    const notCalled = Object.keys(IMPORTED_NOT_CALLED[functionPath] ?? {});

    // Act
    const granted = [...new Set(Object.values(tableGrantsOf(fn)).flat())].sort();

    // Assess: an exception names a call the modules can make, so none outlives the code it excuses.
    expect(callable).toEqual(expect.arrayContaining(notCalled));
    expect(granted).toEqual(callable.filter((action) => !notCalled.includes(action)));
  });

  it.each(Object.keys(GRANTS))("lets %s put events of exactly the sources of the events its handler's modules publish", (functionPath) => {
    const fn = functionAt(functionPath);
    const condition = putEventsOf(fn)[0]?.Condition?.['ForAllValues:StringEquals']?.['events:source'] ?? [];
    expect([...(condition as string[])].sort()).toEqual(eventSourcesOf(fn.entry));
  });
});

describe('HybridShopStack stages', () => {
  type Resource = Resources[string];
  let dev: Template;
  const tablesOf = (t: Template) => Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::DynamoDB::Table');
  /**
   * Every literal physical name a template sets: the top-level `…Name` properties, but for those that name nothing in
   * the account: a metric's name, a topic's display name, an inline policy's name (unique within its role only), an
   * API's authorizer name (within its API only), a user pool's client and group names (within their pool only; each
   * stage has its own API and pool).
   */
  const notPhysical = new Set([
    'MetricName',
    'DisplayName',
    'AWS::IAM::Policy PolicyName',
    'AWS::ApiGateway::Authorizer Name',
    'AWS::Cognito::UserPoolClient ClientName',
    'AWS::Cognito::UserPoolGroup GroupName',
  ]);
  const physicalNames = (t: Template): string[] =>
    Object.values(resourcesOf(t)).flatMap((r) =>
      Object.entries(r.Properties ?? {})
        .filter(([key, value]) => key.endsWith('Name') && typeof value === 'string' && !notPhysical.has(key) && !notPhysical.has(`${r.Type} ${key}`))
        .map(([key, value]) => `${r.Type} ${key} ${String(value)}`),
    );

  beforeAll(() => {
    dev = Template.fromStack(unbundledStack(stackNameFor('dev'), { stage: 'dev' }));
  });

  it("names the default stage's stack HybridShop, and any other stage's HybridShop-<stage>", () => {
    expect(stackNameFor()).toBe('HybridShop');
    expect(stackNameFor('prod')).toBe('HybridShop');
    expect(stackNameFor('dev')).toBe('HybridShop-dev');
    expect(stackNameFor('load-test-2')).toBe('HybridShop-load-test-2');
  });

  it.each(['', 'Dev', 'Prod', '1dev', 'dev_1', 'dev-', 'dev--1', 'a'.repeat(17), 'dev stage'])('rejects the stage %p with an error naming it and the fix', (stage) => {
    expect(() => stackNameFor(stage)).toThrow(HybridShopStackPropsError);
    expect(() => stackNameFor(stage)).toThrow(`stage is '${stage}': use 1 to 16 lower-case letters, digits or single hyphens, starting with a letter`);
    expect(() => unbundledStack('HybridShop-x', { stage })).toThrow(`stage is '${stage}'`);
  });

  it('keeps the prod tables and their data on cdk destroy, with DynamoDB deletion protection on', () => {
    const tables = tablesOf(template) as Resource[];
    expect(tables).toHaveLength(11);
    for (const table of tables) {
      expect([table.DeletionPolicy, table.UpdateReplacePolicy, table.Properties.DeletionProtectionEnabled]).toEqual(['Retain', 'Retain', true]);
    }
  });

  it('deletes the dev tables with the stack, without deletion protection', () => {
    const tables = tablesOf(dev);
    expect(tables).toHaveLength(11);
    for (const table of tables) {
      expect([table.DeletionPolicy, table.UpdateReplacePolicy, table.Properties.DeletionProtectionEnabled]).toEqual(['Delete', 'Delete', false]);
    }
  });

  it('lets a stage keep its data when retainData says so', () => {
    const staging = Template.fromStack(unbundledStack(stackNameFor('staging'), { stage: 'staging', retainData: true }));
    expect(tablesOf(staging).every((table: Resource) => table.DeletionPolicy === 'Retain' && table.Properties.DeletionProtectionEnabled === true)).toBe(true);
    expect(userPoolsOf(staging).map(retentionOf)).toEqual([['Retain', 'Retain', 'ACTIVE']]);
  });

  const userPoolsOf = (t: Template) => Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::Cognito::UserPool');
  const retentionOf = (pool: Resource) => [pool.DeletionPolicy, pool.UpdateReplacePolicy, pool.Properties.DeletionProtection];

  it("keeps the prod customers' accounts on cdk destroy, with Cognito deletion protection on", () => {
    expect(userPoolsOf(template).map(retentionOf)).toEqual([['Retain', 'Retain', 'ACTIVE']]);
  });

  it('deletes the dev user pool with the stack, without deletion protection', () => {
    expect(userPoolsOf(dev).map(retentionOf)).toEqual([['Delete', 'Delete', 'INACTIVE']]);
  });

  it("names each stage's user pool after its stack", () => {
    expect(userPoolsOf(template).map((pool) => pool.Properties.UserPoolName)).toEqual(['HybridShop-customers']);
    expect(userPoolsOf(dev).map((pool) => pool.Properties.UserPoolName)).toEqual(['HybridShop-dev-customers']);
  });

  it('deploys both APIs to an API Gateway stage named after the stage', () => {
    const stageNames = (t: Template) => Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::ApiGateway::Stage').map((r) => r.Properties.StageName);
    expect(stageNames(template)).toEqual(['prod', 'prod']);
    expect(stageNames(dev)).toEqual(['dev', 'dev']);
  });

  it('shares no physical name between two stages, so both live in one account', () => {
    // Act
    const prodNames = physicalNames(template);
    const devNames = physicalNames(dev);

    // Assess: every explicit name of dev carries its stack name, and none is prod's
    expect(devNames.length).toBeGreaterThan(130);
    expect(devNames.filter((name) => prodNames.includes(name))).toEqual([]);
    expect(devNames.filter((name) => !/ (HybridShop-dev\b|dev$)/.test(name))).toEqual([]);
    expect(prodNames.filter((name) => name.includes('HybridShop-dev'))).toEqual([]);
  });

  it("admits only the dev stage's alarms to the dev alarm topic", () => {
    const [policy] = Object.values(resourcesOf(dev)).filter((r) => r.Type === 'AWS::SNS::TopicPolicy');
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain(':alarm:HybridShop-dev/*');
  });

  it('applies per-stage API throttling props', () => {
    const small = Template.fromStack(
      unbundledStack(stackNameFor('dev'), {
        stage: 'dev',
        publicApiThrottlingRateLimit: 20,
        publicApiThrottlingBurstLimit: 40,
        internalApiThrottlingRateLimit: 10,
        internalApiThrottlingBurstLimit: 20,
      }),
    );
    const throttles = Object.values(resourcesOf(small))
      .filter((r) => r.Type === 'AWS::ApiGateway::Stage')
      .map((r) => (r.Properties.MethodSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }[]).map((m) => [m.ThrottlingRateLimit, m.ThrottlingBurstLimit]));
    expect(throttles).toEqual([[[20, 40]], [[10, 20]]]);
  });
});

describe('OrdersService', () => {
  it('rejects an inventory timeout that two attempts could not fit in, and a zero breaker threshold, in one error', () => {
    const stack = new Stack(new App(), 'Validation');
    const publicApi = new SyncApi(stack, 'Public', { apiName: 'p' });
    const internalApi = new SyncApi(stack, 'Internal', { apiName: 'i' });
    const events = new EventFanout(stack, 'Events');
    const log = new EventLog(stack, 'Log');
    const catalog = new CatalogService(stack, 'Catalog', { api: publicApi });
    const inventory = new InventoryService(stack, 'Inventory', { api: internalApi, events });
    expect(
      () =>
        new OrdersService(stack, 'Orders', {
          api: publicApi,
          catalog,
          inventory,
          events,
          log,
          inventoryCall: { timeout: Duration.seconds(3), breakerFailureThreshold: 0 },
        }),
    ).toThrow(/inventoryCall\.timeout is 3000 ms.*inventoryCall\.breakerFailureThreshold is 0/);
  });
});
