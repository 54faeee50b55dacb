import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EventFanout, EventFanoutGrantError, EventFanoutRouteError, type EventFanoutProps, type FanoutRoute, type FanoutTarget } from '../../../lib/patterns/event-fanout';
import { EventLog } from '../../../lib/patterns/event-log';
import { QueueWorker } from '../../../lib/patterns/queue-worker';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { HELLO, TempApps, unbundledStacks } from '../support/apps';
import { nagFindings, problemsThrown, propsProblemsThrown } from '../support/checks';
import { ALARM_DEFAULTS, expectAlarmsNotify, expectNoAlarmActions, expectRolePolicy, FIVE_MINUTE_PERIODS, getAttArn, logicalId, ONE_OF_ONE, propertiesOf, queueDimensions, queueNotEmptyAlarm, renderedSideBySide } from '../support/template';

describe('EventFanout', () => {
  const { stack, topic, alarmAction, producer } = new TempApps('event-fanout').createStack('EventFanoutTest');
  // Prepare: one stack, synthesized once: a fanout with a route to each kind of target, and one with every prop set.
  const worker = new QueueWorker(stack, 'Worker', {
    handler: new ServiceFunction(stack, 'WorkerFn', { entry: HELLO, serviceName: 'inventory' }),
  });
  const shippingFn = new ServiceFunction(stack, 'ShippingFn', { entry: HELLO, serviceName: 'shipping' });
  const customFn = new ServiceFunction(stack, 'CustomFn', { entry: HELLO, serviceName: 'custom' });
  const log = new EventLog(stack, 'Log');

  const fanout = new EventFanout(stack, 'Fanout');
  const toQueue = fanout.route('OrderRequestedToInventory', {
    description: 'Reserve stock for each requested order',
    eventPattern: { source: ['shop.orders'], detailType: ['OrderRequested'] },
    target: { queue: worker },
  });
  const toShipping = fanout.route('PaymentCapturedToShipping', {
    eventPattern: { source: ['shop.payments'], detailType: ['PaymentCaptured'] },
    target: { function: shippingFn },
  });
  const shippingCancels = fanout.route('OrderCancelledToShipping', {
    eventPattern: { source: ['shop.orders'], detailType: ['OrderCancelled'] },
    target: { function: shippingFn },
  });
  const toLog = fanout.route('EverythingToLog', {
    eventPattern: { source: events.Match.prefix('shop.') },
    target: { log, partitionKeyPath: '$.detail.orderId' },
  });
  fanout.grantPutEvents(producer, ['shop.orders', 'shop.inventory', 'shop.orders']);

  const custom = new EventFanout(stack, 'Custom', {
    busName: 'custom-bus',
    archiveRetention: Duration.days(30),
    maxEventAge: Duration.hours(12),
    retryAttempts: 3,
    alarmAction,
  });
  const customRoute = custom.route('AnythingToCustom', { eventPattern: { source: ['shop.custom'] }, target: { function: customFn } });
  let template: Template;

  const targetOf = (route: FanoutRoute) => {
    const { Targets } = propertiesOf(template, route.rule);
    expect(Targets).toHaveLength(1);
    return Targets[0];
  };
  const eventInvokeConfigsOf = (fn: ServiceFunction) =>
    Object.values(template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { FunctionName: { Ref: logicalId(fn) } } }));

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('by default', () => {
    it('creates a custom bus named after the stack', () => {
      expect(propertiesOf(template, fanout.bus)).toEqual({ Name: 'EventFanoutTest-bus' });
    });

    it("archives every event of the account's bus for 7 days, for replay", () => {
      expect(propertiesOf(template, fanout.archive)).toMatchObject({
        SourceArn: getAttArn(fanout.bus),
        EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
        RetentionDays: 7,
      });
    });

    it('lists its routes by id', () => {
      expect([...fanout.routes.keys()]).toEqual([
        'OrderRequestedToInventory',
        'PaymentCapturedToShipping',
        'OrderCancelledToShipping',
        'EverythingToLog',
      ]);
      expect(fanout.routes.get('EverythingToLog')).toBe(toLog);
    });
  });

  describe('route', () => {
    const allRoutes = () => [toQueue, toShipping, shippingCancels, toLog];

    it('creates one enabled rule on the bus, with the construct id of the route, the pattern and the description', () => {
      expect(toQueue.rule.node.id).toBe('OrderRequestedToInventory');
      expect(toQueue.rule.node.scope).toBe(fanout);
      expect(propertiesOf(template, toQueue.rule)).toMatchObject({
        EventBusName: { Ref: logicalId(fanout.bus) },
        EventPattern: { source: ['shop.orders'], 'detail-type': ['OrderRequested'] },
        Description: 'Reserve stock for each requested order',
        State: 'ENABLED',
      });
      expect(propertiesOf(template, toLog.rule).EventPattern).toEqual({ source: [{ prefix: 'shop.' }] });
    });

    it('gives every target a retry policy of 8 attempts within 1 hour and a dead-letter queue of its own', () => {
      for (const route of allRoutes()) {
        expect(targetOf(route)).toMatchObject({
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: getAttArn(route.deadLetterQueue) },
        });
      }
      expect(new Set(allRoutes().map((route) => route.deadLetterQueue)).size).toBe(4);
    });

    it('delivers the whole event to every target, without input transformation', () => {
      for (const route of allRoutes()) {
        const target = targetOf(route);
        expect([target.Input, target.InputPath, target.InputTransformer]).toEqual([undefined, undefined, undefined]);
      }
    });

    it('encrypts each dead-letter queue, keeps it 14 days, denies requests without TLS and lets only its rule send', () => {
      for (const route of allRoutes()) {
        const queueId = logicalId(route.deadLetterQueue);
        expect(propertiesOf(template, route.deadLetterQueue)).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: [
              {
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Resource: getAttArn(route.deadLetterQueue),
              },
              Match.objectLike({
                Action: 'sqs:SendMessage',
                Condition: { ArnEquals: { 'aws:SourceArn': getAttArn(route.rule) } },
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Resource: getAttArn(route.deadLetterQueue),
              }),
            ],
          },
        });
      }
    });

    it("sends to a QueueWorker's queue, which lets the rule send", () => {
      expect(targetOf(toQueue).Arn).toEqual(getAttArn(worker.queue));
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(worker.queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['sqs:SendMessage']),
              Condition: { ArnEquals: { 'aws:SourceArn': getAttArn(toQueue.rule) } },
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
            }),
          ]),
        },
      });
    });

    it('invokes a function asynchronously, with a permission for the rule', () => {
      expect(targetOf(toShipping).Arn).toEqual(getAttArn(shippingFn));
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: getAttArn(shippingFn),
        Principal: 'events.amazonaws.com',
        SourceArn: getAttArn(toShipping.rule),
      });
    });

    it("sets the function's own async retries, event age and on-failure queue once, for every route to it", () => {
      // Act
      const configs = eventInvokeConfigsOf(shippingFn);

      // Assess
      expect(configs).toHaveLength(1);
      expect(configs[0].Properties).toEqual({
        FunctionName: { Ref: logicalId(shippingFn) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: getAttArn(toShipping.functionFailureQueue!) } },
      });
      expect(shippingCancels.functionFailureQueue).toBe(toShipping.functionFailureQueue);
      expect(toQueue.functionFailureQueue).toBeUndefined();
    });

    it("encrypts the function's failure queue, keeps it 14 days, and lets the function send to it", () => {
      const queue = toShipping.functionFailureQueue!;
      expect(propertiesOf(template, queue)).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
      });
      expectRolePolicy(
        template,
        shippingFn.function.role!,
        Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: getAttArn(queue) })]),
      );
    });

    it('puts records on the log partitioned by the given path, through a role that may write to the stream', () => {
      // Act
      const target = targetOf(toLog);
      const roleId = target.RoleArn['Fn::GetAtt'][0] as string;

      // Assess
      expect(target).toMatchObject({ Arn: getAttArn(log.stream), KinesisParameters: { PartitionKeyPath: '$.detail.orderId' } });
      expect(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
      ]);
      expectRolePolicy(template, roleId, [{ Action: Match.arrayWith(['kinesis:PutRecord', 'kinesis:PutRecords']), Effect: 'Allow', Resource: getAttArn(log.stream) }]);
    });
  });

  describe('with every prop set', () => {
    it('names the bus and keeps the archive 30 days', () => {
      expect(propertiesOf(template, custom.bus)).toEqual({ Name: 'custom-bus' });
      expect(propertiesOf(template, custom.archive).RetentionDays).toBe(30);
    });

    it('applies the retry policy to the target', () => {
      expect(targetOf(customRoute).RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 12 * 3600 });
    });

    it("caps the function's own maximum event age at Lambda's 6 hours", () => {
      expect(eventInvokeConfigsOf(customFn)[0].Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 });
    });
  });

  describe('alarms', () => {
    const alarmDefaults = { ...FIVE_MINUTE_PERIODS, ...ONE_OF_ONE, ...ALARM_DEFAULTS };
    /** What CloudWatch publishes for a rule on a custom bus: the bus name, and the rule name without the `<bus>|` of its Ref. */
    const ruleDimensions = (eventFanout: EventFanout, route: FanoutRoute) => [
      { Name: 'EventBusName', Value: { Ref: logicalId(eventFanout.bus) } },
      { Name: 'RuleName', Value: { 'Fn::Select': [1, { 'Fn::Split': ['|', { Ref: logicalId(route.rule) }] }] } },
    ];

    it.each([
      ['any failed invocation of a route', 'failedInvocations', 'FailedInvocations', () => toQueue],
      ['any event a route sent to its dead-letter queue', 'sentToDlq', 'InvocationsSentToDlq', () => toLog],
    ] as const)('fires on %s in 5 minutes', (_what, alarm, MetricName, routeOf) => {
      const route = routeOf();
      expect(propertiesOf(template, route.alarms[alarm])).toMatchObject({
        ...alarmDefaults,
        Namespace: 'AWS/Events',
        MetricName,
        Dimensions: ruleDimensions(fanout, route),
        Statistic: 'Sum',
        Threshold: 1,
      });
    });

    it("resolves the RuleName dimension to the rule's bare name, though its Ref on a custom bus is '<bus>|<rule>'", () => {
      // Prepare: the values CloudFormation gives the bus and the rule, and an evaluator for the intrinsics used.
      const refs: Record<string, string> = {
        [logicalId(fanout.bus)]: 'EventFanoutTest-bus',
        [logicalId(toQueue.rule)]: 'EventFanoutTest-bus|EventFanoutTest-OrderRequestedToInv-1A2B3C4D5E6F',
      };
      const evaluate = (value: unknown): unknown => {
        if (typeof value !== 'object' || value === null) return value;
        const node = value as Record<string, unknown>;
        if ('Ref' in node) return refs[node.Ref as string];
        if ('Fn::Split' in node) {
          const [delimiter, source] = node['Fn::Split'] as [string, unknown];
          return (evaluate(source) as string).split(delimiter);
        }
        if ('Fn::Select' in node) {
          const [index, list] = node['Fn::Select'] as [number, unknown];
          return (evaluate(list) as unknown[])[index];
        }
        throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
      };

      // Act
      const dimensions = (propertiesOf(template, toQueue.alarms.failedInvocations).Dimensions as { Name: string; Value: unknown }[]).map(
        ({ Name, Value }) => [Name, evaluate(Value)],
      );

      // Assess
      expect(dimensions).toEqual([
        ['EventBusName', 'EventFanoutTest-bus'],
        ['RuleName', 'EventFanoutTest-OrderRequestedToInv-1A2B3C4D5E6F'],
      ]);
    });

    it("fires when a route's dead-letter queue holds a message", () => {
      expect(propertiesOf(template, toShipping.alarms.deadLetterQueueNotEmpty)).toMatchObject(queueNotEmptyAlarm(toShipping.deadLetterQueue));
    });

    it("fires when a function target's failure queue holds a message, one alarm per function", () => {
      expect(propertiesOf(template, toShipping.alarms.functionFailureQueueNotEmpty!)).toMatchObject(queueNotEmptyAlarm(toShipping.functionFailureQueue!));
      expect(shippingCancels.alarms.functionFailureQueueNotEmpty).toBe(toShipping.alarms.functionFailureQueueNotEmpty);
      expect(toQueue.alarms.functionFailureQueueNotEmpty).toBeUndefined();
    });

    it('gives every route its own alarms on its own rule', () => {
      for (const route of [toQueue, toShipping, shippingCancels, toLog]) {
        expect(propertiesOf(template, route.alarms.failedInvocations).Dimensions).toEqual(ruleDimensions(fanout, route));
        expect(propertiesOf(template, route.alarms.sentToDlq).Dimensions).toEqual(ruleDimensions(fanout, route));
        expect(propertiesOf(template, route.alarms.deadLetterQueueNotEmpty).Dimensions).toEqual(queueDimensions(route.deadLetterQueue));
      }
    });

    it('has no action unless one is given', () => {
      expectNoAlarmActions(template, Object.values(toShipping.alarms));
    });

    it('sends every alarm to alarmAction', () => {
      expect(Object.values(customRoute.alarms)).toHaveLength(4);
      expectAlarmsNotify(template, Object.values(customRoute.alarms), topic);
    });
  });

  describe('grantPutEvents', () => {
    it('allows putting events on the bus only, and only of the sources given, each once', () => {
      expectRolePolicy(template, producer, [
        {
          Action: 'events:PutEvents',
          Effect: 'Allow',
          Resource: getAttArn(fanout.bus),
          Condition: {
            'ForAllValues:StringEquals': { 'events:source': ['shop.orders', 'shop.inventory'] },
            Null: { 'events:source': 'false' },
          },
        },
      ]);
    });

    describe('rejects', () => {
      const grantStack = unbundledStacks('Grant');
      const problemsOf = (sources: readonly string[]) => {
        const scope = grantStack();
        const role = new iam.Role(scope, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        return problemsThrown(EventFanoutGrantError)(() => new EventFanout(scope, 'Fanout').grantPutEvents(role, sources));
      };

      it('a grant without sources, which would let the grantee publish any service’s facts', () => {
        expect(problemsOf([])).toEqual([expect.stringMatching(/^sources is empty: name the source of every event the grantee publishes/)]);
      });

      it.each(['', 'shop.*', 'shop.ord?rs', 'shop orders', 'x'.repeat(257)])('the source %p, which StringEquals cannot match as meant', (source) => {
        expect(problemsOf([source])).toEqual([expect.stringMatching(/^sources has '.*': give each source exactly, 1 to 256 characters/)]);
      });

      it('a source of AWS’s own, which only AWS services may publish', () => {
        expect(problemsOf(['aws.ec2'])).toEqual([expect.stringMatching(/^sources has 'aws\.ec2': 'aws\.' sources are reserved for AWS services/)]);
      });

      it('with every problem in one error naming the fanout and the grantee', () => {
        const scope = grantStack();
        const role = new iam.Role(scope, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        expect(() => new EventFanout(scope, 'Fanout').grantPutEvents(role, ['shop.*', 'aws.s3'])).toThrow(
          /^Invalid grantPutEvents to Grant\d+\/Producer on EventFanout Grant\d+\/Fanout:\n- sources has 'shop\.\*'.*\n- sources has 'aws\.s3'/,
        );
      });
    });
  });

  describe('dashboardWidgets', () => {
    it('shows each route’s delivery latency beside its undelivered events', () => {
      // Act
      const [latency, congestion] = renderedSideBySide(stack, fanout.dashboardWidgets());
      const ruleName = JSON.stringify({ 'Fn::Select': [1, { 'Fn::Split': ['|', { Ref: logicalId(toLog.rule) }] }] });

      // Assess
      expect(latency).toContain('"IngestionToInvocationSuccessLatency"');
      expect(latency).toContain(ruleName);
      expect(congestion).toContain('"InvocationsSentToDlq"');
      expect(congestion).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(toLog.deadLetterQueue), 'QueueName'] }));
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const problemsOf = propsProblemsThrown('EventFanout', EventFanoutRouteError);
    const construct = (props: EventFanoutProps) => () => new EventFanout(invalidStack(), 'Fanout', props);
    const fresh = () => {
      const scope = invalidStack();
      return { scope, eventFanout: new EventFanout(scope, 'Fanout'), fn: new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'x' }) };
    };

    it.each(['default', 'has space', 'a/b', ''])('rejects the bus name %p', (busName) => {
      expect(problemsOf(construct({ busName }))).toEqual([expect.stringMatching(/^busName is '.*': use 1 to 256 letters/)]);
    });

    it.each([Duration.hours(12), Duration.days(0)])('rejects an archive retention below one whole day (%#)', (archiveRetention) => {
      expect(problemsOf(construct({ archiveRetention }))).toEqual([expect.stringMatching(/^archiveRetention is .*: use whole days, at least 1/)]);
    });

    it.each([Duration.seconds(59), Duration.hours(25)])('rejects a maximum event age outside 60 seconds to 24 hours (%#)', (maxEventAge) => {
      expect(problemsOf(construct({ maxEventAge }))).toEqual([
        expect.stringMatching(/^maxEventAge is .*: EventBridge takes whole seconds from 60 seconds to 24 hours/),
      ]);
    });

    it.each([-1, 186, 1.5])('rejects %p retry attempts', (retryAttempts) => {
      expect(problemsOf(construct({ retryAttempts }))).toEqual([expect.stringMatching(/^retryAttempts is .*: EventBridge takes a whole number from 0 to 185/)]);
    });

    it('reports every invalid prop in one error naming the construct', () => {
      expect(construct({ busName: 'default', retryAttempts: 200 })).toThrow(/^Invalid EventFanout props at Invalid\d+\/Fanout:\n- busName .*\n- retryAttempts /);
    });

    it('rejects a route to a FIFO queue, whose rule target cannot group by a field of the event', () => {
      // Prepare
      const { scope, eventFanout, fn } = fresh();
      const fifo = new QueueWorker(scope, 'Payments', { handler: fn, fifo: true });

      // Act & Assess
      expect(problemsOf(() => eventFanout.route('ToPayments', { eventPattern: { source: ['shop.orders'] }, target: { queue: fifo } }))).toEqual([
        expect.stringMatching(/^target\.queue .*\/Payments is FIFO: a rule's SQS target takes one fixed MessageGroupId/),
      ]);
    });

    it('rejects an empty or taken route id and an empty pattern', () => {
      // Prepare
      const { eventFanout, fn } = fresh();
      eventFanout.route('Taken', { eventPattern: { source: ['shop.orders'] }, target: { function: fn } });

      // Act & Assess
      expect(problemsOf(() => eventFanout.route('Taken', { eventPattern: {}, target: { function: fn } }))).toEqual([
        "id 'Taken' is taken: each route needs its own id.",
        expect.stringMatching(/^eventPattern is empty/),
      ]);
      expect(problemsOf(() => eventFanout.route(' ', { eventPattern: { source: ['x'] }, target: { function: fn } }))).toEqual([
        expect.stringMatching(/^id is empty/),
      ]);
      expect(problemsOf(() => eventFanout.route('Bus', { eventPattern: { source: ['x'] }, target: { function: fn } }))).toEqual([
        "id 'Bus' is taken: each route needs its own id.",
      ]);
    });

    it('rejects a function whose async invoke settings were made elsewhere', () => {
      // Prepare
      const { eventFanout, fn } = fresh();
      fn.function.configureAsyncInvoke({ retryAttempts: 0 });

      // Act & Assess
      expect(problemsOf(() => eventFanout.route('ToFn', { eventPattern: { source: ['x'] }, target: { function: fn } }))).toEqual([
        expect.stringMatching(/already has asynchronous invoke settings from elsewhere/),
      ]);
    });

    it.each(['detail.orderId', '$', '$.detail..orderId', '$.detail[0]'])('rejects the partition key path %p', (partitionKeyPath) => {
      // Prepare
      const { scope, eventFanout } = fresh();
      const eventLog = new EventLog(scope, 'Log');

      // Act & Assess
      expect(problemsOf(() => eventFanout.route('ToLog', { eventPattern: { source: ['x'] }, target: { log: eventLog, partitionKeyPath } }))).toEqual([
        expect.stringMatching(/^target\.partitionKeyPath is '.*': use a JSONPath into the event/),
      ]);
    });

    it('rejects a target that names no queue, function or log', () => {
      const { eventFanout } = fresh();
      expect(problemsOf(() => eventFanout.route('Nowhere', { eventPattern: { source: ['x'] }, target: {} as unknown as FanoutTarget }))).toEqual([
        'target names no queue, function or log: use { queue }, { function } or { log, partitionKeyPath }.',
      ]);
    });

    it('reports every problem of a route in one error naming the fanout and the route', () => {
      const { eventFanout, fn } = fresh();
      expect(() => eventFanout.route('Bus', { eventPattern: {}, target: { function: fn } })).toThrow(
        /^Invalid route 'Bus' on EventFanout Invalid\d+\/Fanout:\n- id 'Bus' is taken.*\n- eventPattern is empty/,
      );
    });
  });

  describe('cdk-nag', () => {
    it('leaves no unacknowledged AwsSolutions finding on the fanouts, their targets and queues', () => {
      // The alarm topic is the test's own, not part of the pattern.
      expect(nagFindings(stack, { except: [topic] })).toEqual([]);
    });
  });
});
