import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BackgroundBudget } from '../../../../local/event-source-mappings/background-budget';
import type { DeliveryReport } from '../../../../local/event-source-mappings/delivery-report';
import type { SqsMappingConfig } from '../../../../local/event-source-mappings/mapping-config';
import { SqsEventSource } from '../../../../local/event-source-mappings/sqs-event-source';
import { fauxqsQueueUrl } from '../../../../local/sqs/fauxqs-client';
import { FauxqsWireClient } from '../../../../local/sqs/sqs-json';
import { eventually, uniqueQueueName, useSqsThroughEdge } from '../sqs/sqs-through-edge';
import { FakeFunctions, type FakeHandler } from '../../../unit/local/event-source-mappings/fake-functions';
import { sqsMapping } from '../../../unit/local/event-source-mappings/mapping-factory';

describe('SqsEventSource', () => {
  const local = useSqsThroughEdge();
  /** fauxqs's JSON protocol, as the runtime's pollers speak it. */
  let wire: FauxqsWireClient;
  const running: SqsEventSource[] = [];

  beforeAll(() => {
    wire = new FauxqsWireClient(local.sqs.endpoint);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((source) => source.stop()));
  });

  afterAll(() => {
    wire.close();
  });

  const urlOf = (name: string) => `${local.edgeUrl}/000000000000/${name}`;

  async function queue(attributes: Record<string, string> = {}, options: { fifo?: boolean; prefix?: string } = {}): Promise<string> {
    const name = uniqueQueueName(options.prefix ?? 'work', options.fifo ?? false);
    await local.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...(options.fifo ? { FifoQueue: 'true' } : {}), ...attributes } }));
    return name;
  }

  async function start(config: SqsMappingConfig, handler: FakeHandler, options: { concurrency?: number; budget?: BackgroundBudget } = {}) {
    const functions = new FakeFunctions({ Worker: handler }, options.concurrency ?? 10);
    const reports: DeliveryReport[] = [];
    const source = new SqsEventSource({
      config,
      queueUrl: fauxqsQueueUrl(local.sqs.endpoint, config.queueName),
      sqs: wire,
      invoker: functions,
      onDelivery: (report) => reports.push(report),
      ...(options.budget ? { budget: options.budget } : {}),
    });
    running.push(source);
    await source.start();
    return { functions, reports, source };
  }

  async function counts(name: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes: attributes = {} } = await local.client.send(
      new GetQueueAttributesCommand({ QueueUrl: urlOf(name), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(attributes.ApproximateNumberOfMessages), inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible) };
  }

  const bodiesOf = (events: SQSEvent[]) => events.flatMap((event) => event.Records.map((record) => record.body));

  it('invokes the function with the SQS event as Lambda shapes it, and deletes the batch after success', async () => {
    // Prepare
    const name = await queue();
    const { functions } = await start(sqsMapping(name), () => undefined);

    // Act
    const sent = await local.client.send(
      new SendMessageCommand({ QueueUrl: urlOf(name), MessageBody: '{"orderId":"o-1"}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'OrderPlaced' } } }),
    );
    const [event] = await eventually(async () => (functions.eventsOf<SQSEvent>('Worker').length > 0 ? functions.eventsOf<SQSEvent>('Worker') : undefined));

    // Assess
    expect(event.Records).toEqual([
      {
        messageId: sent.MessageId,
        receiptHandle: expect.any(String),
        body: '{"orderId":"o-1"}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d{13}$/),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        },
        messageAttributes: { kind: { stringValue: 'OrderPlaced', stringListValues: [], binaryListValues: [], dataType: 'String' } },
        md5OfBody: sent.MD5OfMessageBody,
        md5OfMessageAttributes: sent.MD5OfMessageAttributes,
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${name}`,
        awsRegion: 'us-east-1',
      },
    ]);
    await eventually(async () => ((await counts(name)).inFlight === 0 ? true : undefined), 2_000, 'the batch to be deleted');
    expect(await counts(name)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('hands binary message attributes on base64-encoded, as Lambda does, and number attributes as text', async () => {
    // Prepare
    const name = await queue();
    const { functions } = await start(sqsMapping(name), () => undefined);
    const bytes = Buffer.from([0, 1, 2, 250, 255]);

    // Act
    await local.client.send(
      new SendMessageCommand({
        QueueUrl: urlOf(name),
        MessageBody: 'with attributes',
        MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: bytes }, attempt: { DataType: 'Number', StringValue: '3' } },
      }),
    );
    const [event] = await eventually(async () => (functions.eventsOf<SQSEvent>('Worker').length > 0 ? functions.eventsOf<SQSEvent>('Worker') : undefined));

    // Assess
    expect(event.Records[0]?.messageAttributes).toEqual({
      blob: { binaryValue: bytes.toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      attempt: { stringValue: '3', stringListValues: [], binaryListValues: [], dataType: 'Number' },
    });
  });

  it('gathers up to BatchSize messages within the batching window into one invocation', async () => {
    // Prepare
    const name = await queue();
    const { functions } = await start(sqsMapping(name, { batchSize: 5, maximumBatchingWindowSeconds: 1 }), () => undefined);

    // Act
    await local.client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(name), Entries: ['1', '2'].map((body) => ({ Id: body, MessageBody: body })) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await local.client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(name), Entries: ['3', '4', '5'].map((body) => ({ Id: body, MessageBody: body })) }));
    await eventually(async () => (bodiesOf(functions.eventsOf<SQSEvent>('Worker')).length === 5 ? true : undefined));

    // Assess
    const events = functions.eventsOf<SQSEvent>('Worker');
    expect(events).toHaveLength(1);
    expect(bodiesOf(events).sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('deletes only the messages a partial batch response does not report, and redelivers those', async () => {
    // Prepare
    const name = await queue({ VisibilityTimeout: '1' });
    const { functions, reports } = await start(sqsMapping(name, { reportBatchItemFailures: true, batchSize: 3 }), (event) => {
      const failures = (event as SQSEvent).Records.filter((record) => record.body === 'bad' && record.attributes.ApproximateReceiveCount === '1');
      return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) } satisfies SQSBatchResponse;
    });

    // Act
    await local.client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(name), Entries: ['good-1', 'bad', 'good-2'].map((body) => ({ Id: body, MessageBody: body })) }));
    await eventually(async () => (bodiesOf(functions.eventsOf<SQSEvent>('Worker')).filter((body) => body === 'bad').length === 2 ? true : undefined), 4_000, 'the redelivery');

    // Assess
    const bodies = bodiesOf(functions.eventsOf<SQSEvent>('Worker'));
    expect(bodies.filter((body) => body === 'good-1')).toHaveLength(1);
    expect(bodies.filter((body) => body === 'good-2')).toHaveLength(1);
    expect(reports[0]).toMatchObject({ outcome: 'partial', failed: 1, count: 3 });
    await eventually(async () => ((await counts(name)).inFlight === 0 ? true : undefined), 2_000, 'the redelivered message to be deleted');
  });

  it('redelivers the whole batch when the partial batch response names a message that is not in it', async () => {
    // Prepare
    const name = await queue({ VisibilityTimeout: '1' });
    let calls = 0;
    const { functions, reports } = await start(sqsMapping(name, { reportBatchItemFailures: true }), () =>
      ++calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] } : { batchItemFailures: [] },
    );

    // Act
    await local.client.send(new SendMessageCommand({ QueueUrl: urlOf(name), MessageBody: 'only' }));
    await eventually(async () => (functions.eventsOf('Worker').length === 2 ? true : undefined), 4_000, 'the redelivery');

    // Assess
    expect(reports[0]).toMatchObject({ outcome: 'error', errorType: 'InvalidBatchResponse' });
    expect(functions.eventsOf<SQSEvent>('Worker')[1].Records[0].attributes.ApproximateReceiveCount).toBe('2');
  });

  it('leaves a failed batch in the queue; after maxReceiveCount receives the queue moves it to its dead-letter queue', async () => {
    // Prepare
    const dlq = await queue({}, { prefix: 'dlq' });
    const name = await queue({ VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`, maxReceiveCount: 2 }) });
    const { functions, reports } = await start(sqsMapping(name), () => {
      throw new TypeError('poison');
    });

    // Act
    await local.client.send(new SendMessageCommand({ QueueUrl: urlOf(name), MessageBody: 'poison' }));
    const [dead] = await eventually(
      async () => (await local.client.send(new ReceiveMessageCommand({ QueueUrl: urlOf(dlq), VisibilityTimeout: 0 }))).Messages,
      6_000,
      'the message in the dead-letter queue',
    );

    // Assess
    expect(dead.Body).toBe('poison');
    expect(functions.eventsOf('Worker')).toHaveLength(2);
    expect(reports.map((report) => report.outcome)).toEqual(['error', 'error']);
    expect(reports[0]).toMatchObject({ errorType: 'TypeError', note: 'redelivered after the visibility timeout' });
  });

  it('keeps the order within each FIFO message group', async () => {
    // Prepare
    const name = await queue({ ContentBasedDeduplication: 'true' }, { fifo: true });
    const seen: string[] = [];
    const { functions } = await start(sqsMapping(name), async (event) => {
      for (const record of (event as SQSEvent).Records) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(record.body);
      }
    });

    // Act
    for (let i = 0; i < 5; i++) {
      await local.client.send(
        new SendMessageBatchCommand({
          QueueUrl: urlOf(name),
          Entries: ['a', 'b'].map((group) => ({ Id: group, MessageBody: `${group}${i}`, MessageGroupId: group })),
        }),
      );
    }
    await eventually(async () => (seen.length === 10 ? true : undefined), 5_000, 'every message');

    // Assess
    expect(seen.filter((body) => body.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(seen.filter((body) => body.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(functions.eventsOf<SQSEvent>('Worker')[0].Records[0].attributes).toEqual({
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.any(String),
      SequenceNumber: expect.stringMatching(/^\d+$/),
      MessageGroupId: expect.stringMatching(/^[ab]$/),
      SenderId: expect.any(String),
      MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/),
      ApproximateFirstReceiveTimestamp: expect.any(String),
    });
  });

  it('retries a throttled invocation with backoff instead of dropping the batch', async () => {
    // Prepare
    const name = await queue();
    const { functions, reports } = await start(sqsMapping(name), () => undefined);
    functions.throttleNext = 3;

    // Act
    await local.client.send(new SendMessageCommand({ QueueUrl: urlOf(name), MessageBody: 'patient' }));
    await eventually(async () => (reports.length > 0 ? true : undefined), 3_000, 'the delivery');

    // Assess
    expect(reports).toEqual([expect.objectContaining({ outcome: 'ok', count: 1 })]);
    expect(bodiesOf(functions.eventsOf<SQSEvent>('Worker'))).toEqual(['patient']);
  });

  it('runs more pollers while messages flow, up to ScalingConfig.MaximumConcurrency', async () => {
    // Prepare
    const name = await queue();
    const { functions, source } = await start(sqsMapping(name, { batchSize: 1, maximumConcurrency: 3 }), async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
    });

    // Act
    for (let i = 0; i < 12; i += 6) {
      await local.client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(name), Entries: Array.from({ length: 6 }, (_, j) => ({ Id: `m${i + j}`, MessageBody: `m${i + j}` })) }));
    }
    await eventually(async () => (functions.eventsOf('Worker').length === 12 ? true : undefined), 5_000, 'every message');

    // Assess
    expect(functions.maxInFlight).toBe(3);
    await eventually(async () => (source.pollerCount === 1 ? true : undefined), 4_000, 'the pollers to scale down');
  });

  it('with the background budget full, leaves the next batches in the queue until a slot frees, then delivers them all', async () => {
    // Prepare: a budget of 1 batch; a mapping that could run 3, whose first batch holds until the test lets it go
    const name = await queue();
    const budget = new BackgroundBudget({ limit: 1 });
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const { functions, reports } = await start(sqsMapping(name, { batchSize: 1, maximumConcurrency: 3 }), () => held, { budget });
    await local.client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(name), Entries: ['m0', 'm1', 'm2'].map((body) => ({ Id: body, MessageBody: body })) }));

    // Act: the first batch takes the budget's slot; the poller it started waits for one
    await eventually(async () => (functions.invocations.length === 1 && budget.waiting > 0 ? true : undefined), 5_000, 'a batch in flight and a poller waiting');
    const whileFull = await counts(name);
    letGo();
    await eventually(async () => (reports.length === 3 ? true : undefined), 5_000, 'every batch delivered');

    // Assess: the waiting batches stayed visible in the queue, ran one at a time after the first, and none was lost
    expect(whileFull).toEqual({ visible: 2, inFlight: 1 });
    expect(functions.maxInFlight).toBe(1);
    expect(bodiesOf(functions.eventsOf<SQSEvent>('Worker')).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(reports.map((report) => report.outcome)).toEqual(['ok', 'ok', 'ok']);
    await eventually(async () => ((await counts(name)).inFlight === 0 ? true : undefined), 2_000, 'the batches to be deleted');
    expect(await counts(name)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('stops at once while a receive is waiting: it aborts the receive instead of waiting out its 20 s', async () => {
    // Prepare: a source whose receives are watched
    const name = await queue();
    const receives: (AbortSignal | undefined)[] = [];
    const watched: Pick<FauxqsWireClient, 'call'> = {
      call: (action, input, authorization, signal) => {
        if (action === 'ReceiveMessage') receives.push(signal);
        return wire.call(action, input, authorization, signal);
      },
    };
    const source = new SqsEventSource({
      config: sqsMapping(name),
      queueUrl: fauxqsQueueUrl(local.sqs.endpoint, name),
      sqs: watched,
      invoker: new FakeFunctions({ Worker: () => undefined }),
      waitTimeSeconds: 20,
    });
    await source.start();
    await eventually(async () => (receives.length > 0 ? true : undefined), 5_000, 'a waiting receive');

    // Act
    await source.stop();

    // Assess
    expect(receives.length).toBeGreaterThan(0);
    expect(receives.map((signal) => signal?.aborted)).toEqual(receives.map(() => true));
  });
});
