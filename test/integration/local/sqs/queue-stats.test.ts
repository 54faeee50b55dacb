import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startSqsThroughEdge, uniqueQueueName, type SqsThroughEdge } from './sqs-through-edge';

describe('LocalSqs.stats (what the AWS/SQS metrics are made of)', () => {
  let local: SqsThroughEdge;

  beforeAll(async () => {
    local = await startSqsThroughEdge();
  });

  afterAll(async () => {
    await local.stop();
  });

  const statsOf = async (name: string) => (await local.sqs.stats()).find((q) => q.name === name);

  it('counts visible, in-flight and delayed messages, the sends since the last call, and the oldest message not deleted', async () => {
    // Prepare
    const name = uniqueQueueName('stats');
    const { QueueUrl } = await local.client.send(new CreateQueueCommand({ QueueName: name }));
    await statsOf(name);
    const before = Date.now();
    await local.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'first' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await local.client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'second' },
          { Id: 'b', MessageBody: 'later', DelaySeconds: 60 },
        ],
      }),
    );
    const received = await local.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 30 }));

    // Act
    const stats = await statsOf(name);

    // Assert: the first message, in flight, is still the oldest.
    expect(received.Messages?.[0]?.Body).toBe('first');
    expect(stats).toMatchObject({ visible: 1, notVisible: 1, delayed: 1, sent: 3 });
    expect(stats?.oldestSentTimestamp).toBeGreaterThanOrEqual(before);
    expect(stats?.oldestSentTimestamp).toBeLessThan(before + 20);

    // Act: delete the in-flight first message; sends are counted from the previous call on.
    await local.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));
    const after = await statsOf(name);

    // Assert
    expect(after).toMatchObject({ visible: 1, notVisible: 0, delayed: 1, sent: 0 });
    expect(after?.oldestSentTimestamp).toBeGreaterThanOrEqual(before + 20);
  });

  it('has no oldest message for an empty queue', async () => {
    const name = uniqueQueueName('empty');
    await local.client.send(new CreateQueueCommand({ QueueName: name }));
    const stats = await statsOf(name);
    expect(stats).toEqual({ name, visible: 0, notVisible: 0, delayed: 0, sent: 0 });
  });
});
