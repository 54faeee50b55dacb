import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { DEFAULT_ASYNC_INVOKE_CONFIG, readAsyncInvokeConfigs } from '../../../../local/lambda/async-invoke-config';
import { CONTEXT } from '../apigateway/shop-template';
import { functionConfig } from './function-config-factory';

function configsOf(resources: CfnTemplate['Resources']) {
  const template: CfnTemplate = { Resources: resources };
  const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  const resolver = new IntrinsicResolver(template, CONTEXT, physical);
  const fn = functionConfig({
    logicalId: 'ShipmentHandler1A2B3C4D',
    functionName: 'HybridShop-ShipmentHandler1A2B3C4D',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-ShipmentHandler1A2B3C4D',
  });
  return readAsyncInvokeConfigs({ template, resolver, functions: [fn] });
}

const handler = (extra: Record<string, unknown> = {}) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', ...extra } });
const queue = { Type: 'AWS::SQS::Queue', Properties: {} };

describe('readAsyncInvokeConfigs', () => {
  it("uses Lambda's defaults: 2 retries within 6 hours", () => {
    expect(DEFAULT_ASYNC_INVOKE_CONFIG).toEqual({ maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 });
    expect(configsOf({ ShipmentHandler1A2B3C4D: handler() }).configs.size).toBe(0);
  });

  it('reads an EventInvokeConfig with its destinations, resolved to ARNs', () => {
    // Act
    const { configs, warnings } = configsOf({
      ShipmentHandler1A2B3C4D: handler(),
      Failures: queue,
      InvokeConfig: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: { Ref: 'ShipmentHandler1A2B3C4D' },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 1,
          MaximumEventAgeInSeconds: 600,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Failures', 'Arn'] } } },
        },
      },
    });

    // Assess
    expect(warnings).toEqual([]);
    expect(configs.get('ShipmentHandler1A2B3C4D')).toEqual({
      maximumRetryAttempts: 1,
      maximumEventAgeSeconds: 600,
      onFailure: 'arn:aws:sqs:us-east-1:000000000000:HybridShop-Failures',
    });
  });

  it("keeps the function's own dead-letter queue beside the EventInvokeConfig", () => {
    // Act
    const { configs } = configsOf({
      ShipmentHandler1A2B3C4D: handler({ DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }),
      Dlq: queue,
      InvokeConfig: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'ShipmentHandler1A2B3C4D' }, Qualifier: '$LATEST', MaximumRetryAttempts: 0 } },
    });

    // Assess
    expect(configs.get('ShipmentHandler1A2B3C4D')).toEqual({
      maximumRetryAttempts: 0,
      maximumEventAgeSeconds: 21_600,
      deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:HybridShop-Dlq',
    });
  });

  it('warns about a config for a function the runtime does not run', () => {
    const { warnings } = configsOf({
      ShipmentHandler1A2B3C4D: handler(),
      InvokeConfig: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: 'elsewhere', Qualifier: '$LATEST' } },
    });
    expect(warnings).toEqual(['InvokeConfig: function elsewhere is not run locally']);
  });
});
