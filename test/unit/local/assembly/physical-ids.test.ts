import type { CfnResource, CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { LOCAL_CONTEXT as CONTEXT } from './local-context';

const EDGE = { edgeUrl: 'http://127.0.0.1:4566' };

function resource(Type: string, Properties?: Record<string, unknown>, extra: Partial<CfnResource> = {}): CfnResource {
  return { Type, ...(Properties === undefined ? {} : { Properties }), ...extra };
}

function idsOf(resources: Record<string, CfnResource>, sections: Partial<CfnTemplate> = {}) {
  return assignPhysicalIds({ Resources: resources, ...sections }, CONTEXT, EDGE);
}

describe('assignPhysicalIds', () => {
  it('gives the same ids to the same template, every time', () => {
    // Prepare
    const resources = {
      Api: resource('AWS::ApiGateway::RestApi', { Name: 'shop' }),
      Mapping: resource('AWS::Lambda::EventSourceMapping'),
      Role: resource('AWS::IAM::Role'),
    };

    // Act
    const first = idsOf(resources);
    const second = idsOf(resources);

    // Assess
    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  describe('AWS::DynamoDB::Table', () => {
    it('uses TableName when given', () => {
      expect(idsOf({ Orders: resource('AWS::DynamoDB::Table', { TableName: 'orders' }) }).get('Orders')?.ref).toBe('orders');
    });

    it('generates ${stackName}-${logicalId} otherwise, with Arn and StreamArn', () => {
      // Act
      const table = idsOf({ Orders: resource('AWS::DynamoDB::Table', {}) }).get('Orders');

      // Assess
      expect(table?.ref).toBe('HybridShop-Orders');
      expect(table?.attributes.Arn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/HybridShop-Orders');
      expect(table?.attributes.StreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/HybridShop-Orders\/stream\/.+/);
    });

    it('resolves a TableName given by an intrinsic', () => {
      // Act
      const table = idsOf({ Orders: resource('AWS::DynamoDB::Table', { TableName: { 'Fn::Sub': '${AWS::StackName}-orders' } }) });

      // Assess
      expect(table.get('Orders')?.ref).toBe('HybridShop-orders');
    });

    it('names a global table (TableV2) the same way', () => {
      expect(idsOf({ Products: resource('AWS::DynamoDB::GlobalTable', {}) }).get('Products')?.attributes.Arn).toBe(
        'arn:aws:dynamodb:us-east-1:000000000000:table/HybridShop-Products',
      );
    });
  });

  describe('AWS::Lambda::Function', () => {
    it('generates a name with the function ARN', () => {
      expect(idsOf({ Fn: resource('AWS::Lambda::Function', {}) }).get('Fn')).toEqual({
        ref: 'HybridShop-Fn',
        attributes: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-Fn' },
      });
    });

    it('keeps generated names within 64 characters, and distinct when long ids share a prefix', () => {
      // Prepare
      const prefix = 'InventoryServiceReserveStockHandlerServiceFunction';

      // Act
      const ids = idsOf({ [`${prefix}AAAA1111`]: resource('AWS::Lambda::Function'), [`${prefix}BBBB2222`]: resource('AWS::Lambda::Function') });

      // Assess
      const names = [...ids.values()].map((fn) => fn.ref);
      expect(names.every((name) => name.length <= 64)).toBe(true);
      expect(new Set(names).size).toBe(2);
      expect(names[0].startsWith('HybridShop-InventoryService')).toBe(true);
    });

    it('uses FunctionName when given', () => {
      expect(idsOf({ Fn: resource('AWS::Lambda::Function', { FunctionName: 'reserve' }) }).get('Fn')?.attributes.Arn).toBe(
        'arn:aws:lambda:us-east-1:000000000000:function:reserve',
      );
    });
  });

  it('gives an IAM role a name, a global ARN with its path and an AROA role id', () => {
    // Act
    const role = idsOf({ Role: resource('AWS::IAM::Role', { Path: '/service/' }) }).get('Role');

    // Assess
    expect(role?.ref).toBe('HybridShop-Role');
    expect(role?.attributes.Arn).toBe('arn:aws:iam::000000000000:role/service/HybridShop-Role');
    expect(role?.attributes.RoleId).toMatch(/^AROA[0-9A-Z]{17}$/);
  });

  it('gives an IAM policy an id', () => {
    expect(idsOf({ Policy: resource('AWS::IAM::Policy', { PolicyName: 'p' }) }).get('Policy')?.ref).toBe('HybridShop-Policy');
  });

  describe('API Gateway', () => {
    it('gives a REST API a 10-character lowercase alphanumeric id and a root resource id', () => {
      // Act
      const api = idsOf({ Api: resource('AWS::ApiGateway::RestApi', { Name: 'shop' }) }).get('Api');

      // Assess
      expect(api?.ref).toMatch(/^[a-z0-9]{10}$/);
      expect(api?.attributes.RootResourceId).toMatch(/^[a-z0-9]{10}$/);
      expect(api?.attributes.RootResourceId).not.toBe(api?.ref);
    });

    it('gives different REST APIs different ids', () => {
      const ids = idsOf({ Public: resource('AWS::ApiGateway::RestApi'), Internal: resource('AWS::ApiGateway::RestApi') });
      expect(ids.get('Public')?.ref).not.toBe(ids.get('Internal')?.ref);
    });

    it('gives resources and deployments ids, and a stage its StageName', () => {
      // Act
      const ids = idsOf({
        Products: resource('AWS::ApiGateway::Resource', { PathPart: 'products' }),
        Deployment: resource('AWS::ApiGateway::Deployment'),
        Stage: resource('AWS::ApiGateway::Stage', { StageName: 'prod' }),
      });

      // Assess
      expect(ids.get('Products')?.ref).toMatch(/^[a-z0-9]{6}$/);
      expect(ids.get('Deployment')?.attributes.DeploymentId).toBe(ids.get('Deployment')?.ref);
      expect(ids.get('Stage')?.ref).toBe('prod');
    });
  });

  it('gives a log group its name and an ARN ending in :*', () => {
    expect(idsOf({ Logs: resource('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/x' }) }).get('Logs')).toEqual({
      ref: '/aws/lambda/x',
      attributes: { Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/x:*' },
    });
  });

  it('makes an SNS topic Ref its ARN, with TopicName', () => {
    expect(idsOf({ Alarms: resource('AWS::SNS::Topic') }).get('Alarms')).toEqual({
      ref: 'arn:aws:sns:us-east-1:000000000000:HybridShop-Alarms',
      attributes: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:HybridShop-Alarms', TopicName: 'HybridShop-Alarms' },
    });
  });

  describe('AWS::SQS::Queue', () => {
    it('makes Ref the queue URL on the edge', () => {
      expect(idsOf({ Jobs: resource('AWS::SQS::Queue', { QueueName: 'jobs' }) }).get('Jobs')).toEqual({
        ref: 'http://127.0.0.1:4566/000000000000/jobs',
        attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:jobs', QueueName: 'jobs', QueueUrl: 'http://127.0.0.1:4566/000000000000/jobs' },
      });
    });

    it('ends a generated FIFO queue name with .fifo, within 80 characters', () => {
      // Act
      const queue = idsOf({ [`Payments${'X'.repeat(80)}`]: resource('AWS::SQS::Queue', { FifoQueue: true }) });

      // Assess
      const name = [...queue.values()][0].attributes.QueueName;
      expect(name.endsWith('.fifo')).toBe(true);
      expect(name.length).toBeLessThanOrEqual(80);
    });
  });

  it('names a Kinesis stream, with its ARN', () => {
    expect(idsOf({ Log: resource('AWS::Kinesis::Stream') }).get('Log')?.attributes.Arn).toBe(
      'arn:aws:kinesis:us-east-1:000000000000:stream/HybridShop-Log',
    );
  });

  describe('EventBridge', () => {
    it('names a bus with Ref, Arn and Name', () => {
      expect(idsOf({ Bus: resource('AWS::Events::EventBus', { Name: 'shop' }) }).get('Bus')).toEqual({
        ref: 'shop',
        attributes: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/shop', Name: 'shop' },
      });
    });

    it('makes a rule on a custom bus Ref busName|ruleName, whatever the order of the resources', () => {
      // Act
      const ids = idsOf({
        Rule: resource('AWS::Events::Rule', { EventBusName: { Ref: 'Bus' } }),
        Bus: resource('AWS::Events::EventBus', { Name: 'shop' }),
      });

      // Assess
      expect(ids.get('Rule')).toEqual({
        ref: 'shop|HybridShop-Rule',
        attributes: { Arn: 'arn:aws:events:us-east-1:000000000000:rule/shop/HybridShop-Rule' },
      });
    });

    it('makes a rule on the default bus Ref its name', () => {
      expect(idsOf({ Rule: resource('AWS::Events::Rule', { Name: 'nightly' }) }).get('Rule')).toEqual({
        ref: 'nightly',
        attributes: { Arn: 'arn:aws:events:us-east-1:000000000000:rule/nightly' },
      });
    });
  });

  it('names an alarm with its ARN', () => {
    expect(idsOf({ Slow: resource('AWS::CloudWatch::Alarm', { AlarmName: 'slow' }) }).get('Slow')?.attributes.Arn).toBe(
      'arn:aws:cloudwatch:us-east-1:000000000000:alarm:slow',
    );
  });

  it('names a composite alarm as Ref resolves it, with its ARN', () => {
    expect(idsOf({ Health: resource('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'shop-health' }) }).get('Health')).toEqual({
      ref: 'shop-health',
      attributes: { Arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:shop-health' },
    });
  });

  it('gives a Lambda permission an id and an event source mapping a UUID', () => {
    // Act
    const ids = idsOf({ Permission: resource('AWS::Lambda::Permission'), Mapping: resource('AWS::Lambda::EventSourceMapping') });

    // Assess
    expect(ids.get('Permission')?.ref).toBe('Permission-local');
    expect(ids.get('Mapping')?.ref).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a type the runtime does not run a generic ref, so resolution never stops on it', () => {
    // Prepare
    const template = { Resources: { Cert: resource('AWS::CertificateManager::Certificate') } };
    const ids = assignPhysicalIds(template, CONTEXT, EDGE);

    // Act
    const resolved = new IntrinsicResolver(template, CONTEXT, ids).resolve([{ Ref: 'Cert' }, { 'Fn::GetAtt': ['Cert', 'Arn'] }]);

    // Assess
    expect(resolved).toEqual(['Cert-local', 'arn:aws:certificatemanager:us-east-1:000000000000:Cert-local']);
  });

  it('skips a resource whose Condition is false', () => {
    // Act
    const ids = idsOf(
      { Replica: resource('AWS::DynamoDB::Table', {}, { Condition: 'Never' }) },
      { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } },
    );

    // Assess
    expect(ids.has('Replica')).toBe(false);
  });

  it('falls back to a generated name when the name property cannot be resolved locally', () => {
    expect(idsOf({ Q: resource('AWS::SQS::Queue', { QueueName: { 'Fn::ImportValue': 'Shared' } }) }).get('Q')?.attributes.QueueName).toBe(
      'HybridShop-Q',
    );
  });
});
