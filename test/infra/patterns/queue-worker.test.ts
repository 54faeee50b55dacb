import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { PropsError } from '../../../lib/patterns/problems-error';
import { QueueWorker, type QueueWorkerProps } from '../../../lib/patterns/queue-worker';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { HELLO, TempApps, unbundledStacks } from '../support/apps';
import { itRejectsInvalidAlarmEvaluations, nagFindings, propsProblemsThrown } from '../support/checks';
import { ALARM_DEFAULTS, eventSourceMappingOf, expectAlarmsNotify, expectNoAlarmActions, expectRolePolicy, FIVE_MINUTE_PERIODS, getAttArn, logicalId, propertiesOf, queueDimensions, queueNotEmptyAlarm, renderedSideBySide, TWO_OF_THREE } from '../support/template';

describe('QueueWorker', () => {
  const { stack, topic, alarmAction, producer } = new TempApps('queue-worker').createStack('QueueWorkerTest');
  // Prepare: one stack, synthesized once, with a worker per configuration under test.
  const consumer = new ServiceFunction(stack, 'Consumer', { entry: HELLO, serviceName: 'notifications' });
  const defaults = new QueueWorker(stack, 'Defaults', { handler: consumer });
  defaults.grantSend(producer);
  const custom = new QueueWorker(stack, 'Custom', {
    handler: new ServiceFunction(stack, 'SlowConsumer', { entry: HELLO, serviceName: 'orders', timeout: Duration.seconds(10) }),
    visibilityTimeout: Duration.minutes(2),
    maxReceiveCount: 3,
    batchSize: 50,
    maxBatchingWindow: Duration.seconds(5),
    retentionPeriod: Duration.days(1),
    maxConcurrency: 5,
    ageOfOldestMessageThreshold: Duration.minutes(1),
    backlogThreshold: 10,
    backlogAlarmEvaluation: { datapointsToAlarm: 3, evaluationPeriods: 3 },
    alarmAction,
  });
  const fifo = new QueueWorker(stack, 'Fifo', {
    handler: new ServiceFunction(stack, 'FifoConsumer', { entry: HELLO, serviceName: 'payments' }),
    fifo: true,
  });
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('by default', () => {
    it('encrypts the queue and its dead-letter queue with SSE-SQS', () => {
      for (const queue of [defaults.queue, defaults.deadLetterQueue]) {
        expect(propertiesOf(template, queue).SqsManagedSseEnabled).toBe(true);
      }
    });

    it('denies every request that does not use TLS, on both queues', () => {
      for (const queue of [defaults.queue, defaults.deadLetterQueue]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(queue) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Resource: getAttArn(queue),
              },
            ]),
          },
        });
      }
    });

    it('moves a message to the dead-letter queue after 5 receives', () => {
      expect(propertiesOf(template, defaults.queue).RedrivePolicy).toEqual({
        deadLetterTargetArn: getAttArn(defaults.deadLetterQueue),
        maxReceiveCount: 5,
      });
    });

    it('sets the visibility timeout to 6 × the handler timeout', () => {
      expect(propertiesOf(template, consumer).Timeout).toBe(3);
      expect(propertiesOf(template, defaults.queue).VisibilityTimeout).toBe(18);
    });

    it('keeps messages 4 days, and dead-lettered ones 14 days', () => {
      expect(propertiesOf(template, defaults.queue).MessageRetentionPeriod).toBe(4 * 24 * 3600);
      expect(propertiesOf(template, defaults.deadLetterQueue).MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('lets dead-lettered messages be moved back with a redrive-allow policy', () => {
      expect(propertiesOf(template, defaults.deadLetterQueue).RedriveAllowPolicy).toEqual({ redrivePermission: 'allowAll' });
    });

    it('is a standard queue', () => {
      expect(propertiesOf(template, defaults.queue).FifoQueue).toBeUndefined();
      expect(defaults.fifo).toBe(false);
    });

    it('delivers batches of 10 with partial batch responses, no batching window and at most 10 invocations at once', () => {
      // Act
      const mapping = eventSourceMappingOf(template, stack, defaults);

      // Assess
      expect(mapping).toEqual({
        EventSourceArn: getAttArn(defaults.queue),
        FunctionName: { Ref: logicalId(consumer) },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 10 },
      });
      expect(defaults.maxConcurrency).toBe(10);
    });

    it('lets the handler consume the queue', () => {
      expectRolePolicy(
        template,
        consumer.function.role!,
        Match.arrayWith([
          {
            Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
            Effect: 'Allow',
            Resource: getAttArn(defaults.queue),
          },
        ]),
      );
    });
  });

  describe('FIFO', () => {
    it('pairs a FIFO queue with a FIFO dead-letter queue, content-based deduplication off', () => {
      for (const queue of [fifo.queue, fifo.deadLetterQueue]) {
        expect(propertiesOf(template, queue)).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
        expect(propertiesOf(template, queue).ContentBasedDeduplication).toBeUndefined();
      }
      expect(propertiesOf(template, fifo.queue).RedrivePolicy).toEqual({
        deadLetterTargetArn: getAttArn(fifo.deadLetterQueue),
        maxReceiveCount: 5,
      });
      expect(fifo.fifo).toBe(true);
    });

    it('delivers batches of 10 with partial batch responses, at most 10 invocations at once', () => {
      expect(eventSourceMappingOf(template, stack, fifo)).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 10 } });
      expect(eventSourceMappingOf(template, stack, fifo).MaximumBatchingWindowInSeconds).toBeUndefined();
    });
  });

  describe('with every prop set', () => {
    it('applies the visibility timeout, retention and receive count', () => {
      expect(propertiesOf(template, custom.queue)).toMatchObject({
        VisibilityTimeout: 120,
        MessageRetentionPeriod: 24 * 3600,
        RedrivePolicy: { maxReceiveCount: 3 },
      });
      expect(propertiesOf(template, custom.deadLetterQueue).MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('applies the batch size, batching window and maximum concurrency', () => {
      expect(eventSourceMappingOf(template, stack, custom)).toMatchObject({
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 5,
        ScalingConfig: { MaximumConcurrency: 5 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });
  });

  describe('alarms', () => {
    const sqsAlarm = (queue: IConstruct, metricName: string) => ({
      Namespace: 'AWS/SQS',
      MetricName: metricName,
      Dimensions: queueDimensions(queue),
      Statistic: 'Maximum',
      ...FIVE_MINUTE_PERIODS,
      ...ALARM_DEFAULTS,
    });

    it('fires when the oldest message waited 5 minutes in 2 of the last 3 periods, not on a burst that drains', () => {
      expect(propertiesOf(template, defaults.alarms.ageOfOldestMessage)).toMatchObject({
        ...sqsAlarm(defaults.queue, 'ApproximateAgeOfOldestMessage'),
        ...TWO_OF_THREE,
        Threshold: 300,
      });
    });

    it('fires when 100 messages are waiting in 2 of the last 3 periods', () => {
      expect(propertiesOf(template, defaults.alarms.backlog)).toMatchObject({
        ...sqsAlarm(defaults.queue, 'ApproximateNumberOfMessagesVisible'),
        ...TWO_OF_THREE,
        Threshold: 100,
      });
    });

    it('fires as soon as one message is in the dead-letter queue: 1 of 1 period', () => {
      expect(propertiesOf(template, defaults.alarms.deadLetterQueueNotEmpty)).toMatchObject(queueNotEmptyAlarm(defaults.deadLetterQueue));
    });

    it('has no action unless one is given', () => {
      expectNoAlarmActions(template, Object.values(defaults.alarms));
    });

    it('applies custom thresholds and sends every alarm to alarmAction', () => {
      expect(propertiesOf(template, custom.alarms.ageOfOldestMessage)).toMatchObject({
        ...sqsAlarm(custom.queue, 'ApproximateAgeOfOldestMessage'),
        Threshold: 60,
      });
      expect(propertiesOf(template, custom.alarms.backlog)).toMatchObject({ Threshold: 10, DatapointsToAlarm: 3, EvaluationPeriods: 3 });
      expect(propertiesOf(template, custom.alarms.ageOfOldestMessage)).toMatchObject({ DatapointsToAlarm: 3, EvaluationPeriods: 3 });
      expect(propertiesOf(template, custom.alarms.deadLetterQueueNotEmpty)).toMatchObject({ DatapointsToAlarm: 1, EvaluationPeriods: 1 });
      expectAlarmsNotify(template, Object.values(custom.alarms), topic);
    });
  });

  describe('grantSend', () => {
    it('allows sending to the work queue only', () => {
      expectRolePolicy(template, producer, [
        {
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Effect: 'Allow',
          Resource: getAttArn(defaults.queue),
        },
      ]);
    });
  });

  describe('dashboardWidgets', () => {
    it('shows the age of the oldest message beside the visible, in-flight and dead-lettered messages', () => {
      // Act
      const [latency, congestion] = renderedSideBySide(stack, defaults.dashboardWidgets());

      // Assess
      expect(latency).toContain('"ApproximateAgeOfOldestMessage"');
      expect(latency).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(defaults.queue), 'QueueName'] }));
      expect(congestion).toContain('"ApproximateNumberOfMessagesNotVisible"');
      expect(congestion).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(defaults.deadLetterQueue), 'QueueName'] }));
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const construct =
      (overrides: Partial<QueueWorkerProps>, handlerTimeout = Duration.seconds(3)): (() => QueueWorker) =>
      () => {
        const scope = invalidStack();
        const handler = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'invalid', timeout: handlerTimeout });
        return new QueueWorker(scope, 'Worker', { handler, ...overrides });
      };
    const problemsOf = propsProblemsThrown('QueueWorker');

    it('rejects a visibility timeout below 6 × the handler timeout', () => {
      expect(problemsOf(construct({ visibilityTimeout: Duration.seconds(59) }, Duration.seconds(10)))).toEqual([
        "visibilityTimeout is 59 seconds: AWS's guidance for an SQS event source is at least 6 × the handler's 10 seconds " +
          'timeout = 1 minute; raise it or leave it unset.',
      ]);
    });

    it('accepts a visibility timeout of exactly 6 × the handler timeout', () => {
      expect(() => construct({ visibilityTimeout: Duration.minutes(1) }, Duration.seconds(10))()).not.toThrow();
    });

    it('rejects a visibility timeout above 12 hours or in fractions of a second', () => {
      expect(problemsOf(construct({ visibilityTimeout: Duration.hours(13) }))).toEqual([
        expect.stringMatching(/^visibilityTimeout is 13 hours: SQS allows at most 12 hours/),
      ]);
      expect(problemsOf(construct({ visibilityTimeout: Duration.millis(20_500) }))).toEqual([
        expect.stringMatching(/^visibilityTimeout is .*: SQS takes whole seconds/),
      ]);
    });

    itRejectsInvalidAlarmEvaluations<QueueWorkerProps>(['backlogAlarmEvaluation'], problemsOf, construct);

    it.each([0, 1001, 2.5])('rejects a maximum receive count of %p', (maxReceiveCount) => {
      expect(problemsOf(construct({ maxReceiveCount }))).toEqual([expect.stringMatching(/^maxReceiveCount is .*: use a whole number from 1 to 1000/)]);
    });

    it.each([0, 11, 1.5])('rejects a batch size of %p without a batching window', (batchSize) => {
      expect(problemsOf(construct({ batchSize }))).toEqual([
        expect.stringMatching(/^batchSize is .*: use a whole number from 1 to 10 without a maxBatchingWindow/),
      ]);
    });

    it('accepts up to 10,000 messages per batch with a batching window', () => {
      expect(() => construct({ batchSize: 10_000, maxBatchingWindow: Duration.seconds(1) })()).not.toThrow();
      expect(problemsOf(construct({ batchSize: 10_001, maxBatchingWindow: Duration.seconds(1) }))).toEqual([
        expect.stringMatching(/^batchSize is 10001: use a whole number from 1 to 10000 with a maxBatchingWindow/),
      ]);
    });

    it('rejects more than 10 messages per batch, or a batching window, on a FIFO queue', () => {
      expect(problemsOf(construct({ fifo: true, batchSize: 11, maxBatchingWindow: Duration.seconds(1) }))).toEqual([
        expect.stringMatching(/^maxBatchingWindow is 1 second: Lambda supports no batching window for FIFO queues/),
        expect.stringMatching(/^batchSize is 11: use a whole number from 1 to 10 for a FIFO queue/),
      ]);
    });

    it('rejects a batching window above 5 minutes', () => {
      expect(problemsOf(construct({ maxBatchingWindow: Duration.minutes(6) }))).toEqual([
        expect.stringMatching(/^maxBatchingWindow is 6 minutes: Lambda takes whole seconds up to 5 minutes/),
      ]);
    });

    it.each([Duration.seconds(59), Duration.days(15)])('rejects a retention period outside 60 seconds to 14 days (%#)', (retentionPeriod) => {
      expect(problemsOf(construct({ retentionPeriod }))).toEqual([
        expect.stringMatching(/^retentionPeriod is .*: SQS keeps messages from 60 seconds to 14 days/),
      ]);
    });

    it.each([1, 1001, 2.5])('rejects a maximum concurrency of %p', (maxConcurrency) => {
      expect(problemsOf(construct({ maxConcurrency }))).toEqual([
        expect.stringMatching(/^maxConcurrency is .*: Lambda accepts a whole number from 2 to 1000, or leave it unset for 10\.$/),
      ]);
    });

    it("rejects a maximum concurrency above the handler's reserved concurrency, whose excess would only be throttled", () => {
      // Prepare
      const scope = invalidStack();
      const handler = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'invalid', reservedConcurrentExecutions: 5 });

      // Act & Assess
      expect(problemsOf(() => new QueueWorker(scope, 'Worker', { handler, maxConcurrency: 6 }))).toEqual([
        "maxConcurrency is 6, above the handler's reserved concurrency of 5: the pollers' invocations past 5 would be throttled " +
          'and retried; lower maxConcurrency to 5 or less, or raise the reservation.',
      ]);
      expect(() => new QueueWorker(scope, 'Fits', { handler, maxConcurrency: 5 })).not.toThrow();
    });

    it("rejects the default maximum concurrency of 10 above a handler's reservation of 2", () => {
      const scope = invalidStack();
      const handler = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'invalid', reservedConcurrentExecutions: 2 });
      expect(problemsOf(() => new QueueWorker(scope, 'Worker', { handler }))).toEqual([expect.stringMatching(/^maxConcurrency is 10, above the handler's reserved concurrency of 2/)]);
    });

    it('rejects zero alarm thresholds', () => {
      expect(problemsOf(construct({ ageOfOldestMessageThreshold: Duration.seconds(0), backlogThreshold: 0 }))).toEqual([
        expect.stringMatching(/^ageOfOldestMessageThreshold is .*: use at least 1 second/),
        expect.stringMatching(/^backlogThreshold is 0: use a whole number of messages ≥ 1/),
      ]);
    });

    it('reports every problem in one error naming the construct', () => {
      // Act
      const act = construct({ maxReceiveCount: 0, batchSize: 0, backlogThreshold: 0 });

      // Assess
      expect(act).toThrow(PropsError);
      expect(act).toThrow(/^Invalid QueueWorker props at Invalid\d+\/Worker:\n- maxReceiveCount .*\n- batchSize .*\n- backlogThreshold /);
    });
  });

  describe('cdk-nag', () => {
    it('leaves no unacknowledged AwsSolutions finding on the workers, their functions and mappings', () => {
      // The alarm topic is the test's own, not part of the pattern.
      expect(nagFindings(stack, { except: [topic] })).toEqual([]);
    });
  });
});
