import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import { untilReal, useFakeClock } from '../fake-clock';
import { eventually, useSqsThroughEdge, uniqueQueueName } from './sqs-through-edge';

describe('StartMessageMoveTask on the edge', () => {
  const local = useSqsThroughEdge();

  afterEach(() => {
    jest.useRealTimers();
  });

  const arnOf = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
  const urlOf = (name: string) => `${local.edgeUrl}/000000000000/${name}`;

  /** A source queue and its dead-letter queue holding `bodies`. */
  async function deadLetters(bodies: readonly string[], options: { fifo?: boolean } = {}): Promise<{ source: string; dlq: string }> {
    const fifo = options.fifo ?? false;
    const dlq = uniqueQueueName('dlq', fifo);
    const source = uniqueQueueName('work', fifo);
    const fifoAttributes = fifo ? { FifoQueue: 'true' } : {};
    await local.client.send(new CreateQueueCommand({ QueueName: dlq, Attributes: fifoAttributes }));
    await local.client.send(
      new CreateQueueCommand({ QueueName: source, Attributes: { ...fifoAttributes, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 1 }) } }),
    );
    for (const [index, body] of bodies.entries()) {
      await local.client.send(
        new SendMessageCommand({ QueueUrl: urlOf(dlq), MessageBody: body, ...(fifo ? { MessageGroupId: `order-${index % 2}`, MessageDeduplicationId: `d-${index}` } : {}) }),
      );
    }
    return { source, dlq };
  }

  async function finishedTask(dlq: string): Promise<ListMessageMoveTasksResultEntry> {
    return eventually(
      async () => {
        const { Results: results = [] } = await local.client.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(dlq) }));
        return results[0] && results[0].Status !== 'RUNNING' && results[0].Status !== 'CANCELLING' ? results[0] : undefined;
      },
      5_000,
      'the move task to finish',
    );
  }

  /** How many messages the latest move task from `dlq` has moved. */
  async function movedFrom(dlq: string): Promise<number | undefined> {
    return (await local.client.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(dlq) }))).Results?.[0]?.ApproximateNumberOfMessagesMoved;
  }

  async function bodiesIn(queue: string): Promise<string[]> {
    const { Messages: messages = [] } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: urlOf(queue), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    return messages.map((message) => message.Body ?? '').sort();
  }

  async function visibleCount(queue: string): Promise<number> {
    const { Attributes: attributes = {} } = await local.client.send(new GetQueueAttributesCommand({ QueueUrl: urlOf(queue), AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(attributes.ApproximateNumberOfMessages);
  }

  it('moves every message of a dead-letter queue back to the queue whose redrive policy names it', async () => {
    // Prepare
    const { source, dlq } = await deadLetters(['a', 'b', 'c']);

    // Act
    const { TaskHandle: handle } = await local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq) }));
    const task = await finishedTask(dlq);

    // Assess
    expect(JSON.parse(Buffer.from(handle ?? '', 'base64').toString('utf8'))).toEqual({ taskId: expect.any(String), sourceArn: arnOf(dlq) });
    expect(task).toMatchObject({ Status: 'COMPLETED', SourceArn: arnOf(dlq), ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 });
    expect(task.TaskHandle).toBeUndefined();
    expect(await bodiesIn(source)).toEqual(['a', 'b', 'c']);
    expect(await visibleCount(dlq)).toBe(0);
  });

  it('moves to DestinationArn no faster than MaxNumberOfMessagesPerSecond', async () => {
    // Prepare: 20 a second is one every 50 ms of the task's clock, a fake one
    const { dlq } = await deadLetters(['1', '2', '3', '4', '5']);
    const elsewhere = uniqueQueueName('elsewhere');
    await local.client.send(new CreateQueueCommand({ QueueName: elsewhere }));
    const moved = () => movedFrom(dlq);
    useFakeClock();

    // Act: the first at once, then each of the others only once the clock has moved on 50 ms
    await local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq), DestinationArn: arnOf(elsewhere), MaxNumberOfMessagesPerSecond: 20 }));
    await untilReal(async () => (await moved()) === 1, 'the first message moved');
    const movedJustBefore: (number | undefined)[] = [];
    for (let next = 2; next <= 5; next++) {
      await jest.advanceTimersByTimeAsync(49);
      movedJustBefore.push(await moved());
      await jest.advanceTimersByTimeAsync(1);
      await untilReal(async () => (await moved()) === next, `message ${next} moved`);
    }
    jest.useRealTimers();
    const task = await finishedTask(dlq);

    // Assess
    expect(movedJustBefore).toEqual([1, 2, 3, 4]);
    expect(task).toMatchObject({ Status: 'COMPLETED', DestinationArn: arnOf(elsewhere), MaxNumberOfMessagesPerSecond: 20, ApproximateNumberOfMessagesMoved: 5 });
    expect(await bodiesIn(elsewhere)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('keeps the message group of a message moved back to a FIFO queue', async () => {
    // Prepare
    const { source, dlq } = await deadLetters(['x', 'y'], { fifo: true });

    // Act
    await local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq) }));
    await finishedTask(dlq);
    const { Messages: messages = [] } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: urlOf(source), MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));

    // Assess
    expect(messages.map((message) => [message.Body, message.Attributes?.MessageGroupId]).sort()).toEqual([
      ['x', 'order-0'],
      ['y', 'order-1'],
    ]);
  });

  it('cancels a running task, leaving the rest of the messages in the dead-letter queue', async () => {
    // Prepare
    // Prepare: a task that has moved its first message and waits, on a fake clock that stands still, for the next
    const { dlq } = await deadLetters(['1', '2', '3', '4', '5']);
    useFakeClock();
    const { TaskHandle: handle } = await local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq), MaxNumberOfMessagesPerSecond: 5 }));
    await untilReal(async () => (await movedFrom(dlq)) === 1, 'the first message moved');

    // Act
    const cancelled = await local.client.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle }));
    jest.useRealTimers();
    const task = await finishedTask(dlq);

    // Assess
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(1);
    expect(task).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 1 });
    expect(await visibleCount(dlq)).toBe(4);
  });

  it('rejects a second task for a source queue while one runs', async () => {
    // Prepare
    const { dlq } = await deadLetters(['1', '2', '3']);
    const { TaskHandle: handle } = await local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq), MaxNumberOfMessagesPerSecond: 1 }));

    // Act
    const second = local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(dlq) }));

    // Assess
    await expect(second).rejects.toMatchObject({ name: 'UnsupportedOperation', message: expect.stringMatching(/already a task running/) });
    await local.client.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle }));
    await finishedTask(dlq);
  });

  it('rejects a source queue that is no dead-letter queue', async () => {
    // Prepare
    const plain = uniqueQueueName('plain');
    await local.client.send(new CreateQueueCommand({ QueueName: plain }));

    // Act
    const starting = local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(plain) }));

    // Assess
    await expect(starting).rejects.toMatchObject({ name: 'InvalidParameterValue', message: 'Source queue must be configured as a Dead Letter Queue.' });
  });

  it('rejects a source queue that does not exist', async () => {
    await expect(local.client.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf('missing') }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
