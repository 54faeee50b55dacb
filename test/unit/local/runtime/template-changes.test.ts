import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { changesNeedingRestart, resourceChanges } from '../../../../local/runtime/template-changes';

const before: CfnTemplate = {
  Resources: {
    OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
    PlaceOrderFunction: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'aaa.zip' }, Timeout: 3 }, Metadata: { 'aws:asset:path': 'asset.aaa' } },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'shop' } },
    OrdersMethod: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'POST' } },
  },
  Outputs: { ApiUrl: { Value: 'https://example.com/' } },
};

function withResources(resources: CfnTemplate['Resources'], outputs = before.Outputs): CfnTemplate {
  return { Resources: resources, Outputs: outputs };
}

describe('resourceChanges', () => {
  it('names what was added, removed or changed, and not metadata alone', () => {
    // Prepare
    const after = withResources({
      OrdersTable: before.Resources.OrdersTable,
      PlaceOrderFunction: { ...before.Resources.PlaceOrderFunction, Metadata: { 'aws:asset:path': 'asset.bbb' } },
      Api: before.Resources.Api,
      OrdersMethod: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'PUT' } },
      Queue: { Type: 'AWS::SQS::Queue' },
    });
    delete (after.Resources as Record<string, unknown>).OrdersTable;

    // Act, Assess
    expect(resourceChanges(before, after)).toEqual([
      { logicalId: 'OrdersMethod', type: 'AWS::ApiGateway::Method', change: 'changed' },
      { logicalId: 'Queue', type: 'AWS::SQS::Queue', change: 'added' },
      { logicalId: 'OrdersTable', type: 'AWS::DynamoDB::Table', change: 'removed' },
    ]);
  });
});

describe('changesNeedingRestart', () => {
  it('names nothing for a function whose code or settings changed, nor for new routes', () => {
    const after = withResources({
      ...before.Resources,
      PlaceOrderFunction: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'bbb.zip' }, Timeout: 10 } },
      OrdersMethod: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'PUT' } },
      CancelMethod: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'DELETE' } },
    });
    expect(changesNeedingRestart(before, after)).toEqual([]);
  });

  it('names a table changed, a queue or a function added, a REST API removed and new outputs', () => {
    const after = withResources(
      {
        OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PROVISIONED' } },
        PlaceOrderFunction: before.Resources.PlaceOrderFunction,
        CancelOrderFunction: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'ccc.zip' } } },
        OrdersMethod: before.Resources.OrdersMethod,
        Queue: { Type: 'AWS::SQS::Queue' },
      },
      { ApiUrl: { Value: 'https://example.com/' }, QueueUrl: { Value: { Ref: 'Queue' } } },
    );
    expect(changesNeedingRestart(before, after)).toEqual([
      'AWS::DynamoDB::Table OrdersTable changed',
      'AWS::Lambda::Function CancelOrderFunction added',
      'AWS::SQS::Queue Queue added',
      'AWS::ApiGateway::RestApi Api removed',
      "the stack's outputs changed",
    ]);
  });
});
