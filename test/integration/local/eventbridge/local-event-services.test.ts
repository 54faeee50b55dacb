import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { createLocalEventServices, type LocalEventServicesOptions } from '../../../../local/eventbridge/local-event-services';
import { KinesisWireClient } from '../../../../local/kinesis/kinesis-wire-client';
import type { PublishedEvent } from '../../../../local/eventbridge/local-event-bridge';
import type { DeliveryReport } from '../../../../local/eventbridge/target-delivery';
import type { AsyncReport } from '../../../../local/lambda/async-invoker';
import { TimeScale } from '../../../../local/shared/time-scale';
import { LambdaService } from '../../../../local/lambda/lambda-service';
import { functionConfig } from '../../../unit/local/lambda/function-config-factory';
import { startedOnce } from '../started-once';
import { CONTEXT } from '../../../unit/local/eventbridge/bus-template';

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

/**
 * The event services of `template`, with its two functions (ShipmentHandler fails, Audit answers), built before the
 * tests of the enclosing `describe` and stopped after them; what they log goes to `log`.
 */
function useEventServices(template: CfnTemplate, options: Partial<LocalEventServicesOptions> = {}) {
  const log: string[] = [];
  const local = startedOnce('the event services', async () => {
    const kinesis = new KinesisWireClient('http://127.0.0.1:1');
    const functions = [
      functionConfig({ logicalId: 'ShipmentHandler', shortName: 'ShipmentHandler', functionName: 'HybridShop-ShipmentHandler', arn: arnOf('HybridShop-ShipmentHandler'), handler: 'index.fail' }),
      functionConfig({ logicalId: 'Audit', shortName: 'Audit', functionName: 'HybridShop-Audit', arn: arnOf('HybridShop-Audit'), handler: 'index.handler' }),
    ];
    const lambda = new LambdaService(functions);
    const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:1' });
    const services = createLocalEventServices({
      template,
      resolver: new IntrinsicResolver(template, CONTEXT, physical),
      physical,
      functions,
      lambda,
      fauxqsEndpoint: 'http://127.0.0.1:1',
      kinesis,
      region: CONTEXT.region,
      accountId: CONTEXT.accountId,
      partition: CONTEXT.partition,
      log: (line) => log.push(line),
      ...options,
    });
    const stop = async () => {
      services.stop();
      kinesis.close();
      await lambda.stop();
    };
    return { services, lambda, stop };
  });
  return { local, log };
}

describe('createLocalEventServices', () => {
  const { local, log } = useEventServices(TEMPLATE);

  it('summarises what it read', () => {
    expect(local.services.summary).toBe('1 rule on 1 bus, 0 archives; asynchronous invoke config for 1 function');
  });

  it('invokes a rule\'s function asynchronously, retries it and sends the failure record on to the destination function', async () => {
    // Act
    const response = local.services.eventBridge.putEvents({ Entries: [{ Source: 'shop.payments', DetailType: 'PaymentCaptured', Detail: '{"orderId":"o-9"}' }] });
    await local.services.settled();

    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(local.lambda.invocationCount('ShipmentHandler')).toBe(2);
    expect(local.lambda.invocationCount('Audit')).toBe(1);
    expect(log).toContainEqual(expect.stringMatching(/^⇢ events {2}PaymentCaptured → ShipmentHandler \(lambda\) {2}\d+ ms after put$/));
    expect(log).toContainEqual('↻ lambda  ShipmentHandler  async attempt 1 failed (OutOfStockError); retry 1 of 1 in 100 ms');
    expect(log).toContainEqual('⇢ lambda  ShipmentHandler  async → on-failure HybridShop-Audit (lambda)  RetriesExhausted after 2 attempts');
  });
});

/** The template above, plus a rule whose SQS target cannot be reached (its fauxqs does not answer). */
const UNREACHABLE_TEMPLATE: CfnTemplate = {
  Resources: {
    ...TEMPLATE.Resources,
    Outbox: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'HybridShop-Outbox' } },
    OutboxRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { 'detail-type': ['OrderPlaced'] },
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Outbox', 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }],
      },
    },
  },
};

describe('createLocalEventServices with a time scale', () => {
  const published: PublishedEvent[] = [];
  const deliveries: { report: DeliveryReport; label: string }[] = [];
  const asyncReports: AsyncReport[] = [];
  const { local, log } = useEventServices(UNREACHABLE_TEMPLATE, {
    timeScale: new TimeScale(0.01),
    onPublished: (event) => published.push(event),
    onDelivery: (report, label) => deliveries.push({ report, label }),
    onAsyncReport: (report) => asyncReports.push(report),
  });

  it('scales the EventBridge and the asynchronous invocation retry backoffs, and tells the hooks what happened', async () => {
    // Act
    const response = local.services.eventBridge.putEvents({
      Entries: [
        { Source: 'shop.payments', DetailType: 'PaymentCaptured', Detail: '{"orderId":"o-9"}' },
        { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-9"}' },
      ],
    });
    await local.services.settled();

    // Assess: EventBridge retries at most 1 ms apart (100 ms × 0.01, full jitter), Lambda after 1 ms.
    const retries = log.filter((line) => line.startsWith('↻ events  OrderPlaced → HybridShop-Outbox (sqs)')).map((line) => Number(/retry in (\d+) ms$/.exec(line)?.[1]));
    expect(retries).toHaveLength(2);
    for (const delay of retries) expect(delay).toBeLessThanOrEqual(2);
    expect(log).toContainEqual(expect.stringMatching(/^✗ events {2}OrderPlaced → HybridShop-Outbox \(sqs\) {2}failed after 3 attempts \(MaximumRetryAttempts\): SDK_CLIENT_ERROR/));
    expect(asyncReports.find((report) => report.kind === 'retry')).toMatchObject({ shortName: 'ShipmentHandler', delayMs: 1 });
    expect(asyncReports.filter((report) => report.kind === 'invoked').map((report) => report.shortName)).toEqual(['ShipmentHandler', 'ShipmentHandler', 'Audit']);
    expect(published.map(({ eventId, detailType }) => ({ eventId, detailType }))).toEqual(response.Entries.map((entry, i) => ({ eventId: entry.EventId, detailType: ['PaymentCaptured', 'OrderPlaced'][i] })));
    expect(deliveries.filter(({ report }) => report.kind === 'delivered').map(({ label }) => label)).toEqual(['ShipmentHandler']);
  });
});
