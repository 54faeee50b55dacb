import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HybridShopStack } from '../../lib/hybrid-shop-stack';
import { EventFanout } from '../../lib/patterns/event-fanout';
import { EventLog } from '../../lib/patterns/event-log';
import { SyncApi } from '../../lib/patterns/sync-api';
import { CatalogService } from '../../lib/services/catalog-service';
import { InventoryService } from '../../lib/services/inventory-service';
import { OrdersService } from '../../lib/services/orders-service';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let stack: HybridShopStack;
let template: Template;
let resources: Resources;

beforeAll(() => {
  const app = new App();
  stack = new HybridShopStack(app, 'HybridShop');
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Resources;
}, 120_000);

const logicalIdOf = (type: string, prefix: string): string => {
  const id = Object.keys(resources).find((k) => k.startsWith(prefix) && resources[k].Type === type);
  if (!id) throw new Error(`no ${type} whose logical id starts with ${prefix}`);
  return id;
};

describe('HybridShopStack', () => {
  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} (${v.severity}) at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it('puts every inventory route behind IAM auth and every public route behind none', () => {
    const methods = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.HttpMethod !== 'OPTIONS');
    const internalApi = logicalIdOf('AWS::ApiGateway::RestApi', 'InternalApi');
    const byApi = (m: (typeof methods)[number]) => (m.Properties.RestApiId as { Ref: string }).Ref;
    const internal = methods.filter((m) => byApi(m) === internalApi);
    const external = methods.filter((m) => byApi(m) !== internalApi);
    expect(internal).toHaveLength(2);
    expect(internal.every((m) => m.Properties.AuthorizationType === 'AWS_IAM')).toBe(true);
    expect(external).toHaveLength(7);
    expect(external.every((m) => m.Properties.AuthorizationType === 'NONE')).toBe(true);
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

  it('exports the URLs and table names that the seed script and the e2e suite read', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(expect.arrayContaining(['PublicApiUrl', 'InternalApiUrl', 'ProductsTableName', 'StockTableName', 'AlarmTopicArn']));
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
