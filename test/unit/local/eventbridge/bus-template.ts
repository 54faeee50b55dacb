import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { readEventBridgeModel, type EventBridgeModel } from '../../../../local/eventbridge/event-bus-model';
import { LocalEventBridge, type LocalEventBridgeOptions } from '../../../../local/eventbridge/local-event-bridge';
import { LOCAL_CONTEXT } from '../assembly/local-context';
import { FakeTargetPorts } from './fake-target-ports';

/** The pseudo parameters the local runtime uses. */
export const CONTEXT = LOCAL_CONTEXT;

export const ARN = {
  bus: 'arn:aws:events:us-east-1:000000000000:event-bus/HybridShop-bus',
  notificationsQueue: 'arn:aws:sqs:us-east-1:000000000000:HybridShop-NotificationsQueue',
  notificationsDlq: 'arn:aws:sqs:us-east-1:000000000000:HybridShop-NotificationsDlq',
  paymentsQueue: 'arn:aws:sqs:us-east-1:000000000000:HybridShop-PaymentsQueue.fifo',
  stream: 'arn:aws:kinesis:us-east-1:000000000000:stream/HybridShop-OrderEventLog',
  shippingFunction: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-ShipmentHandlerFunction',
  archive: 'arn:aws:events:us-east-1:000000000000:archive/HybridShop-bus-archive',
};

const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

/**
 * A template shaped like CDK's for the shop's fan-out: a custom bus with an archive, and rules targeting an SQS
 * queue (with a DLQ and a retry policy), a FIFO queue (fixed message group), the order-event log (partition key
 * path), a function (input transformer), plus a disabled rule and a scheduled rule.
 */
export function busTemplate(): CfnTemplate {
  return {
    Resources: {
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'HybridShop-bus' } },
      Archive: {
        Type: 'AWS::Events::Archive',
        Properties: { ArchiveName: 'HybridShop-bus-archive', SourceArn: getAtt('Bus'), EventPattern: { source: [{ prefix: 'shop.' }] }, RetentionDays: 7 },
      },
      NotificationsQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'HybridShop-NotificationsQueue' } },
      NotificationsDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'HybridShop-NotificationsDlq' } },
      PaymentsQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'HybridShop-PaymentsQueue.fifo', FifoQueue: true } },
      OrderEventLog: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'HybridShop-OrderEventLog', ShardCount: 1 } },
      ShipmentHandlerFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'HybridShop-ShipmentHandlerFunction', Runtime: 'nodejs22.x', Handler: 'index.handler' },
      },
      NotificationsRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          Description: 'customer-facing events → notifications queue',
          EventPattern: { source: [{ prefix: 'shop.' }], 'detail-type': ['OrderPlaced', 'PaymentCaptured'] },
          State: 'ENABLED',
          Targets: [
            {
              Arn: getAtt('NotificationsQueue'),
              Id: 'Target0',
              DeadLetterConfig: { Arn: getAtt('NotificationsDlq') },
              RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
            },
          ],
        },
      },
      PaymentsRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: { 'detail-type': ['OrderPlaced'] },
          Targets: [{ Arn: getAtt('PaymentsQueue'), Id: 'Target0', SqsParameters: { MessageGroupId: 'payments' } }],
        },
      },
      LogRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: getAtt('Bus'),
          EventPattern: { source: [{ prefix: 'shop.' }] },
          Targets: [{ Arn: getAtt('OrderEventLog'), Id: 'Target0', KinesisParameters: { PartitionKeyPath: '$.detail.orderId' } }],
        },
      },
      ShippingRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: { 'detail-type': ['PaymentCaptured', 'OrderCancelled'] },
          Targets: [
            {
              Arn: getAtt('ShipmentHandlerFunction'),
              Id: 'Target0',
              InputTransformer: {
                InputPathsMap: { order: '$.detail.orderId', type: '$.detail-type' },
                InputTemplate: '{"orderId": <order>, "what": "<type> for <order>", "rule": <aws.events.rule-name>}',
              },
              RetryPolicy: { MaximumRetryAttempts: 0 },
            },
          ],
        },
      },
      DisabledRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          State: 'DISABLED',
          EventPattern: { source: [{ prefix: 'shop.' }] },
          Targets: [{ Arn: getAtt('NotificationsQueue'), Id: 'Target0' }],
        },
      },
      NightlyRule: {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: 'rate(1 day)', Targets: [{ Arn: getAtt('ShipmentHandlerFunction'), Id: 'Target0' }] },
      },
    },
  };
}

/** The model of a template, read as the runtime reads it. */
export function modelOf(template: CfnTemplate = busTemplate()): EventBridgeModel {
  const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  const resolver = new IntrinsicResolver(template, CONTEXT, physical);
  return readEventBridgeModel({ template, resolver, physical, region: CONTEXT.region, accountId: CONTEXT.accountId, partition: CONTEXT.partition });
}

/** A bridge on the model of the bus template, with fake target ports unless `options` gives others. */
export function bridgeOnTemplate(options: Partial<LocalEventBridgeOptions> = {}): LocalEventBridge {
  return new LocalEventBridge({ model: modelOf(), region: CONTEXT.region, accountId: CONTEXT.accountId, partition: CONTEXT.partition, ports: new FakeTargetPorts(), ...options });
}
