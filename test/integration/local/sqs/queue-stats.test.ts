import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { useSqsThroughEdge, uniqueQueueName } from './sqs-through-edge';

describe('LocalSqs.stats (what the AWS/SQS metrics are made of)', () => {
  const local = useSqsThroughEdge();

  const statsOf = async (name: string) => (await local.sqs.stats()).find((q) => q.name === name);

  it('counts visible, in-flight and delayed messages, the sends since the last call, and the oldest message not deleted', async () => {
    // Prepare: two sends far enough apart to be stamped apart
    const name = uniqueQueueName('stats');
    const { QueueUrl } = await local.client.send(new CreateQueueCommand({ QueueName: name }));
    await statsOf(name);
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
    const received = await local.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 30, MessageSystemAttributeNames: ['SentTimestamp'] }));
    const [first] = received.Messages ?? [];

    // Act
    const stats = await statsOf(name);

    // Assert: the first message, in flight, is still the oldest: its own SentTimestamp.
    expect(first?.Body).toBe('first');
    expect(stats).toMatchObject({ visible: 1, notVisible: 1, delayed: 1, sent: 3 });
    expect(stats?.oldestSentTimestamp).toBe(Number(first?.Attributes?.SentTimestamp));

    // Act: delete the in-flight first message; sends are counted from the previous call on.
    await local.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle }));
    const after = await statsOf(name);
    const [second] = (await local.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['SentTimestamp'] }))).Messages ?? [];

    // Assert: the oldest is now the second message, sent after the first.
    expect(after).toMatchObject({ visible: 1, notVisible: 0, delayed: 1, sent: 0 });
    expect(second?.Body).toBe('second');
    expect(after?.oldestSentTimestamp).toBe(Number(second?.Attributes?.SentTimestamp));
    expect(after?.oldestSentTimestamp).toBeGreaterThan(Number(first?.Attributes?.SentTimestamp));
  });

  it('has no oldest message for an empty queue', async () => {
    const name = uniqueQueueName('empty');
    await local.client.send(new CreateQueueCommand({ QueueName: name }));
    const stats = await statsOf(name);
    expect(stats).toEqual({ name, visible: 0, notVisible: 0, delayed: 0, sent: 0 });
  });
});
