import { DEFAULT_RETRY_POLICY } from '../../../../local/eventbridge/event-bus-model';
import { ARN, busTemplate, modelOf } from './bus-template';
import { shopEvent } from './event-factories';

describe('readEventBridgeModel', () => {
  it('has the default bus and the template\'s buses', () => {
    expect(modelOf().buses.map((bus) => [bus.name, bus.arn])).toEqual([
      ['default', 'arn:aws:events:us-east-1:000000000000:event-bus/default'],
      ['HybridShop-bus', ARN.bus],
    ]);
  });

  it('reads each rule with its bus, state, ARN and compiled pattern', () => {
    // Act
    const rule = modelOf().rules.find((r) => r.logicalId === 'NotificationsRule');

    // Assess
    expect(rule).toMatchObject({
      name: 'HybridShop-NotificationsRule',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/HybridShop-bus/HybridShop-NotificationsRule',
      busName: 'HybridShop-bus',
      state: 'ENABLED',
      description: 'customer-facing events → notifications queue',
    });
    expect(rule?.pattern?.matches(shopEvent('OrderPlaced'))).toBe(true);
    expect(rule?.pattern?.matches(shopEvent('OrderRejected'))).toBe(false);
  });

  it('takes the bus from a name or an ARN', () => {
    expect(modelOf().rules.find((r) => r.logicalId === 'LogRule')?.busName).toBe('HybridShop-bus');
  });

  it('resolves target ARNs to the local resources, with the DLQ and the retry policy', () => {
    // Act
    const [target] = modelOf().rules.find((r) => r.logicalId === 'NotificationsRule')?.targets ?? [];

    // Assess
    expect(target).toEqual({
      id: 'Target0',
      arn: ARN.notificationsQueue,
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
      deadLetterArn: ARN.notificationsDlq,
    });
  });

  it("gives a target without a retry policy EventBridge's default: 185 retries within 24 hours", () => {
    const [target] = modelOf().rules.find((r) => r.logicalId === 'PaymentsRule')?.targets ?? [];
    expect(target.retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
    expect(DEFAULT_RETRY_POLICY).toEqual({ maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 });
  });

  it('reads SqsParameters, KinesisParameters and InputTransformer', () => {
    // Act
    const model = modelOf();
    const target = (logicalId: string) => model.rules.find((r) => r.logicalId === logicalId)?.targets[0];

    // Assess
    expect(target('PaymentsRule')).toMatchObject({ arn: ARN.paymentsQueue, messageGroupId: 'payments' });
    expect(target('LogRule')).toMatchObject({ arn: ARN.stream, partitionKeyPath: '$.detail.orderId' });
    expect(target('ShippingRule')).toMatchObject({
      arn: ARN.shippingFunction,
      inputTransformer: { inputPathsMap: { order: '$.detail.orderId', type: '$.detail-type' } },
      retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 86_400 },
    });
  });

  it('reads disabled and scheduled rules, and warns that scheduled rules do not fire', () => {
    // Act
    const model = modelOf();

    // Assess
    expect(model.rules.find((r) => r.logicalId === 'DisabledRule')?.state).toBe('DISABLED');
    expect(model.rules.find((r) => r.logicalId === 'NightlyRule')).toMatchObject({ busName: 'default', scheduleExpression: 'rate(1 day)' });
    expect(model.warnings).toEqual(['rule HybridShop-NightlyRule is scheduled (rate(1 day)): scheduled rules do not fire locally']);
  });

  it('reads archives with their bus, pattern and retention', () => {
    // Act
    const [archive] = modelOf().archives;

    // Assess
    expect(archive).toMatchObject({ name: 'HybridShop-bus-archive', arn: ARN.archive, sourceArn: ARN.bus, busName: 'HybridShop-bus', retentionDays: 7 });
    expect(archive.pattern?.matches(shopEvent('OrderPlaced'))).toBe(true);
  });

  it('leaves out a rule whose pattern AWS would reject, saying why', () => {
    // Prepare
    const template = busTemplate();
    template.Resources.BadRule = { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: [] }, Targets: [] } };

    // Act
    const model = modelOf(template);

    // Assess
    expect(model.rules.some((r) => r.logicalId === 'BadRule')).toBe(false);
    expect(model.warnings).toContain(
      'rule BadRule left out: its EventPattern is invalid: Event pattern is not valid. Reason: Empty arrays are not allowed',
    );
  });

  it('leaves out a rule with a target path EventBridge would reject', () => {
    // Prepare
    const template = busTemplate();
    template.Resources.BadPath = {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { source: ['x'] }, Targets: [{ Id: 'T', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputPath: 'detail' }] },
    };

    // Act / Assess
    expect(modelOf(template).warnings.find((w) => w.startsWith('rule BadPath'))).toMatch(/target T: InputPath Invalid JSONPath detail/);
  });
});
