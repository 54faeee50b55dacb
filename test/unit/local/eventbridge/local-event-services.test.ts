import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { createLocalEventServices, type LocalEventServices } from '../../../../local/eventbridge/local-event-services';
import { LambdaService } from '../../../../local/lambda/lambda-service';
import { functionConfig } from '../lambda/function-config-factory';
import { CONTEXT } from './bus-template';

const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const lambdaResource = (name: string) => ({ Type: 'AWS::Lambda::Function', Properties: { FunctionName: name, Runtime: 'nodejs22.x' } });

/** A rule on the default bus targets a failing function, whose failures go to an auditing function. */
const TEMPLATE: CfnTemplate = {
  Resources: {
    ShipmentHandler: lambdaResource('HybridShop-ShipmentHandler'),
    Audit: lambdaResource('HybridShop-Audit'),
    ShipmentInvokeConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'ShipmentHandler' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Audit', 'Arn'] } } },
      },
    },
    ShippingRule: {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { 'detail-type': ['PaymentCaptured'] }, Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['ShipmentHandler', 'Arn'] } }] },
    },
  },
};

describe('createLocalEventServices', () => {
  let lambda: LambdaService;
  let services: LocalEventServices;
  const log: string[] = [];

  beforeAll(() => {
    const functions = [
      functionConfig({ logicalId: 'ShipmentHandler', shortName: 'ShipmentHandler', functionName: 'HybridShop-ShipmentHandler', arn: arnOf('HybridShop-ShipmentHandler'), handler: 'index.fail' }),
      functionConfig({ logicalId: 'Audit', shortName: 'Audit', functionName: 'HybridShop-Audit', arn: arnOf('HybridShop-Audit'), handler: 'index.handler' }),
    ];
    lambda = new LambdaService(functions);
    const physical = assignPhysicalIds(TEMPLATE, CONTEXT, { edgeUrl: 'http://127.0.0.1:1' });
    services = createLocalEventServices({
      template: TEMPLATE,
      resolver: new IntrinsicResolver(TEMPLATE, CONTEXT, physical),
      physical,
      functions,
      lambda,
      edgeUrl: 'http://127.0.0.1:1',
      region: CONTEXT.region,
      accountId: CONTEXT.accountId,
      partition: CONTEXT.partition,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      log: (line) => log.push(line),
    });
  });

  afterAll(async () => {
    services.stop();
    await lambda.stop();
  });

  it('summarises what it read', () => {
    expect(services.summary).toBe('1 rule on 1 bus, 0 archives; asynchronous invoke config for 1 function');
  });

  it('invokes a rule\'s function asynchronously, retries it and sends the failure record on to the destination function', async () => {
    // Act
    const response = services.eventBridge.putEvents({ Entries: [{ Source: 'shop.payments', DetailType: 'PaymentCaptured', Detail: '{"orderId":"o-9"}' }] });
    await services.settled();

    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(lambda.invocationCount('ShipmentHandler')).toBe(2);
    expect(lambda.invocationCount('Audit')).toBe(1);
    expect(log).toContainEqual(expect.stringMatching(/^⇢ events {2}PaymentCaptured → ShipmentHandler \(lambda\) {2}\d+ ms after put$/));
    expect(log).toContainEqual('↻ lambda  ShipmentHandler  async attempt 1 failed (OutOfStockError); retry 1 of 1 in 100 ms');
    expect(log).toContainEqual('⇢ lambda  ShipmentHandler  async → on-failure HybridShop-Audit (lambda)  RetriesExhausted after 2 attempts');
  });
});
