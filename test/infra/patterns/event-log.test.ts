import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { EventLog, EventLogConsumerError, type EventLogConsumerOptions, type EventLogProps } from '../../../lib/patterns/event-log';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { HELLO, TempApps, unbundledStacks } from '../support/apps';
import { itRejectsInvalidAlarmEvaluations, nagFindings, propsProblemsThrown } from '../support/checks';
import { ALARM_DEFAULTS, eventSourceMappingOf, expectAlarmsNotify, expectNoAlarmActions, expectRolePolicy, FIVE_MINUTE_PERIODS, getAttArn, logicalId, ONE_OF_ONE, propertiesOf, queueNotEmptyAlarm, renderedSideBySide, resourceOf, THREE_OF_FIVE, TWO_OF_THREE } from '../support/template';

describe('EventLog', () => {
  const { stack, topic, alarmAction, producer } = new TempApps('event-log').createStack('EventLogTest');
  // Prepare: one stack, synthesized once: a log with defaults and one with every prop set, a consumer on each.
  const analyticsFn = new ServiceFunction(stack, 'AnalyticsFn', { entry: HELLO, serviceName: 'analytics' });
  const timelineFn = new ServiceFunction(stack, 'TimelineFn', { entry: HELLO, serviceName: 'orders' });

  const log = new EventLog(stack, 'Log');
  const analytics = log.addConsumer('Analytics', analyticsFn);
  log.grantWrite(producer);

  const custom = new EventLog(stack, 'CustomLog', {
    shardCount: 2,
    retentionPeriod: Duration.hours(48),
    iteratorAgeThreshold: Duration.seconds(30),
    iteratorAgeAlarmEvaluation: { datapointsToAlarm: 1, evaluationPeriods: 2 },
    throttlesAlarmEvaluation: { datapointsToAlarm: 2, evaluationPeriods: 4 },
    alarmAction,
  });
  const timeline = custom.addConsumer('Timeline', timelineFn, {
    batchSize: 50,
    maxBatchingWindow: Duration.seconds(2),
    retryAttempts: 1,
    maxRecordAge: Duration.minutes(10),
    parallelizationFactor: 2,
    startingPosition: lambda.StartingPosition.LATEST,
  });
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('by default', () => {
    it('creates one PROVISIONED shard kept 24 hours and encrypted with the AWS-managed key', () => {
      expect(propertiesOf(template, log.stream)).toEqual({
        ShardCount: 1,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        RetentionPeriodHours: 24,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      });
    });

    it('deletes the stream with the stack', () => {
      expect(resourceOf(template, log.stream)).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });
  });

  describe('addConsumer, by default', () => {
    it('reads from the oldest record in batches of 100, bisecting a failed batch and reporting partial failures', () => {
      expect(eventSourceMappingOf(template, stack, analytics)).toMatchObject({
        EventSourceArn: getAttArn(log.stream),
        FunctionName: { Ref: logicalId(analyticsFn) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('retries 3 times, gives up on records older than 1 hour, one batch per shard, no batching window', () => {
      // Act
      const mapping = eventSourceMappingOf(template, stack, analytics);

      // Assess
      expect(mapping).toMatchObject({ MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 3600, ParallelizationFactor: 1 });
      expect(mapping.MaximumBatchingWindowInSeconds).toBeUndefined();
    });

    it('sends what it gave up on to its own failure queue', () => {
      expect(eventSourceMappingOf(template, stack, analytics).DestinationConfig).toEqual({
        OnFailure: { Destination: getAttArn(analytics.failureQueue) },
      });
    });

    it('encrypts the failure queue, keeps it 14 days and denies requests without TLS', () => {
      expect(propertiesOf(template, analytics.failureQueue)).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(analytics.failureQueue) }],
        PolicyDocument: {
          Statement: [
            {
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Resource: getAttArn(analytics.failureQueue),
            },
          ],
        },
      });
    });

    it('lets the consumer read the stream and send to its failure queue', () => {
      const allows = (actions: string[], resource: IConstruct) =>
        expectRolePolicy(
          template,
          analyticsFn.function.role!,
          Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(actions), Effect: 'Allow', Resource: getAttArn(resource) })]),
        );

      allows(['kinesis:GetRecords', 'kinesis:GetShardIterator'], log.stream);
      allows(['sqs:SendMessage'], analytics.failureQueue);
    });
  });

  describe('with every prop and option set', () => {
    it('applies the shard count and retention', () => {
      expect(propertiesOf(template, custom.stream)).toMatchObject({ ShardCount: 2, RetentionPeriodHours: 48 });
    });

    it('applies every consumer option', () => {
      expect(eventSourceMappingOf(template, stack, timeline)).toMatchObject({
        StartingPosition: 'LATEST',
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 2,
        MaximumRetryAttempts: 1,
        MaximumRecordAgeInSeconds: 600,
        ParallelizationFactor: 2,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });
  });

  describe('alarms', () => {
    const alarmDefaults = { ...FIVE_MINUTE_PERIODS, ...ALARM_DEFAULTS };
    const streamDimensions = (eventLog: EventLog) => [{ Name: 'StreamName', Value: { Ref: logicalId(eventLog.stream) } }];

    it.each([
      ['on throttled writes in 3 of the last 5 periods of 5 minutes', 'writeThrottles', 'WriteProvisionedThroughputExceeded', 'Sum', 1, THREE_OF_FIVE],
      ['on throttled reads of the stream, which its consumers share, in 3 of the last 5 periods', 'readThrottles', 'ReadProvisionedThroughputExceeded', 'Sum', 1, THREE_OF_FIVE],
      ['when the stream iterator age reaches 1 minute in 2 of the last 3 periods', 'iteratorAge', 'GetRecords.IteratorAgeMilliseconds', 'Maximum', 60_000, TWO_OF_THREE],
    ] as const)('fires %s', (_when, alarm, MetricName, Statistic, Threshold, evaluation) => {
      expect(propertiesOf(template, log.alarms[alarm])).toMatchObject({
        ...alarmDefaults,
        ...evaluation,
        Namespace: 'AWS/Kinesis',
        MetricName,
        Dimensions: streamDimensions(log),
        Statistic,
        Threshold,
      });
    });

    it("fires when a consumer's iterator age reaches 1 minute in 2 of the last 3 periods", () => {
      expect(propertiesOf(template, analytics.alarms.iteratorAge)).toMatchObject({
        ...alarmDefaults,
        ...TWO_OF_THREE,
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(analyticsFn) } }],
        Statistic: 'Maximum',
        Threshold: 60_000,
      });
    });

    it("fires as soon as a consumer's failure queue holds a message: 1 of 1 period", () => {
      expect(propertiesOf(template, analytics.alarms.failedRecords)).toMatchObject(queueNotEmptyAlarm(analytics.failureQueue));
    });

    it('has no action unless one is given', () => {
      expectNoAlarmActions(template, [...Object.values(log.alarms), ...Object.values(analytics.alarms)]);
    });

    it('applies the iterator age threshold and the evaluations, and sends every alarm to alarmAction', () => {
      expect(propertiesOf(template, custom.alarms.iteratorAge)).toMatchObject({ Threshold: 30_000, DatapointsToAlarm: 1, EvaluationPeriods: 2 });
      expect(propertiesOf(template, timeline.alarms.iteratorAge)).toMatchObject({ Threshold: 30_000, DatapointsToAlarm: 1, EvaluationPeriods: 2 });
      expect(propertiesOf(template, custom.alarms.writeThrottles)).toMatchObject({ DatapointsToAlarm: 2, EvaluationPeriods: 4 });
      expect(propertiesOf(template, custom.alarms.readThrottles)).toMatchObject({ DatapointsToAlarm: 2, EvaluationPeriods: 4 });
      expect(propertiesOf(template, timeline.alarms.failedRecords)).toMatchObject(ONE_OF_ONE);
      expectAlarmsNotify(template, [...Object.values(custom.alarms), ...Object.values(timeline.alarms)], topic);
    });
  });

  describe('grantWrite', () => {
    it('allows putting records on the stream only', () => {
      expectRolePolicy(template, producer, [
        {
          Action: Match.arrayWith(['kinesis:PutRecord', 'kinesis:PutRecords']),
          Effect: 'Allow',
          Resource: getAttArn(log.stream),
        },
      ]);
    });
  });

  describe('dashboardWidgets', () => {
    it("shows the stream's and each consumer's iterator age beside the records in, throttles and failures", () => {
      // Act
      const [latency, congestion] = renderedSideBySide(stack, log.dashboardWidgets());

      // Assess
      expect(latency).toContain('"GetRecords.IteratorAgeMilliseconds"');
      expect(latency).toContain(JSON.stringify({ Ref: logicalId(analyticsFn) }));
      expect(congestion).toContain('"WriteProvisionedThroughputExceeded"');
      expect(congestion).toContain('"ReadProvisionedThroughputExceeded"');
      expect(congestion).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(analytics.failureQueue), 'QueueName'] }));
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const problemsOf = propsProblemsThrown('EventLog', EventLogConsumerError);
    const construct = (props: EventLogProps) => () => new EventLog(invalidStack(), 'Log', props);
    const consume = (options: EventLogConsumerOptions) => () => {
      const scope = invalidStack();
      const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'invalid' });
      return new EventLog(scope, 'Log').addConsumer('Consumer', fn, options);
    };

    it.each([0, 1.5])('rejects a shard count of %p', (shardCount) => {
      expect(problemsOf(construct({ shardCount }))).toEqual([expect.stringMatching(/^shardCount is .*: use a whole number of shards ≥ 1/)]);
    });

    it.each([Duration.hours(23), Duration.days(366), Duration.minutes(90 * 24 * 60 + 30)])(
      'rejects a retention period outside 24 hours to 365 days in whole hours (%#)',
      (retentionPeriod) => {
        expect(problemsOf(construct({ retentionPeriod }))).toEqual([
          expect.stringMatching(/^retentionPeriod is .*: Kinesis keeps whole hours from 24 hours to 365 days/),
        ]);
      },
    );

    it('rejects a zero iterator age threshold', () => {
      expect(problemsOf(construct({ iteratorAgeThreshold: Duration.seconds(0) }))).toEqual([
        expect.stringMatching(/^iteratorAgeThreshold is .*: use a duration above 0/),
      ]);
    });

    itRejectsInvalidAlarmEvaluations<EventLogProps>(['iteratorAgeAlarmEvaluation', 'throttlesAlarmEvaluation'], problemsOf, construct);

    it('reports every invalid prop in one error naming the construct', () => {
      expect(construct({ shardCount: 0, retentionPeriod: Duration.hours(1) })).toThrow(
        /^Invalid EventLog props at Invalid\d+\/Log:\n- shardCount .*\n- retentionPeriod /,
      );
    });

    it.each([0, 10_001])('rejects a consumer batch size of %p', (batchSize) => {
      expect(problemsOf(consume({ batchSize }))).toEqual([expect.stringMatching(/^batchSize is .*: use a whole number from 1 to 10000/)]);
    });

    it('rejects a consumer batching window above 5 minutes', () => {
      expect(problemsOf(consume({ maxBatchingWindow: Duration.minutes(6) }))).toEqual([
        expect.stringMatching(/^maxBatchingWindow is 6 minutes: Lambda takes whole seconds up to 5 minutes/),
      ]);
    });

    it.each([-1, 10_001, 1.5])('rejects %p consumer retry attempts', (retryAttempts) => {
      expect(problemsOf(consume({ retryAttempts }))).toEqual([expect.stringMatching(/^retryAttempts is .*: use a whole number from 0 to 10000/)]);
    });

    it.each([Duration.seconds(59), Duration.days(8)])('rejects a maximum record age outside 60 seconds to 7 days (%#)', (maxRecordAge) => {
      expect(problemsOf(consume({ maxRecordAge }))).toEqual([
        expect.stringMatching(/^maxRecordAge is .*: Lambda takes whole seconds from 60 seconds to 7 days/),
      ]);
    });

    it.each([0, 11])('rejects a parallelization factor of %p', (parallelizationFactor) => {
      expect(problemsOf(consume({ parallelizationFactor }))).toEqual([
        expect.stringMatching(/^parallelizationFactor is .*: use a whole number from 1 to 10/),
      ]);
    });

    it('rejects a starting position at a timestamp, which takes a timestamp the options do not carry', () => {
      expect(problemsOf(consume({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP }))).toEqual([
        'startingPosition is AT_TIMESTAMP: use TRIM_HORIZON or LATEST.',
      ]);
    });

    it('rejects a taken consumer id and a function that already consumes the log', () => {
      // Prepare
      const scope = invalidStack();
      const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'invalid' });
      const eventLog = new EventLog(scope, 'Log');
      eventLog.addConsumer('Consumer', fn);

      // Act & Assess
      expect(problemsOf(() => eventLog.addConsumer('Consumer', fn))).toEqual([
        "id 'Consumer' is taken: each consumer needs its own id.",
        `${fn.node.path} already consumes this log: one event source mapping per function and stream.`,
      ]);
      expect(problemsOf(() => eventLog.addConsumer('Stream', new ServiceFunction(scope, 'Other', { entry: HELLO, serviceName: 'x' })))).toEqual([
        "id 'Stream' is taken: each consumer needs its own id.",
      ]);
    });

    it('reports every invalid option in one error naming the log and the consumer', () => {
      expect(consume({ batchSize: 0, parallelizationFactor: 0 })).toThrow(
        /^Invalid consumer 'Consumer' of EventLog Invalid\d+\/Log:\n- batchSize .*\n- parallelizationFactor /,
      );
    });
  });

  describe('cdk-nag', () => {
    it('leaves no unacknowledged AwsSolutions finding on the logs, their consumers and mappings', () => {
      // The alarm topic is the test's own, not part of the pattern.
      expect(nagFindings(stack, { except: [topic] })).toEqual([]);
    });
  });
});
