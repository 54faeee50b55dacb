import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { redrive, RedriveError } from '../../../bin/redrive';
import { useSqsThroughEdge, uniqueQueueName } from '../local/sqs/sqs-through-edge';

describe('redrive', () => {
  const local = useSqsThroughEdge();

  const urlOf = (name: string) => `${local.edgeUrl}/000000000000/${name}`;

  /** A queue whose dead-letter queue holds `count` messages. */
  async function failedMessages(count: number): Promise<{ source: string; dlq: string }> {
    const id = uniqueQueueName('notifications');
    const dlq = `${id}-Dlq`;
    const source = `${id}-Queue`;
    await local.client.send(new CreateQueueCommand({ QueueName: dlq }));
    await local.client.send(
      new CreateQueueCommand({
        QueueName: source,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`, maxReceiveCount: 3 }) },
      }),
    );
    if (count > 0) {
      await local.client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(dlq), Entries: Array.from({ length: count }, (_, i) => ({ Id: `m${i}`, MessageBody: `failed-${i}` })) }));
    }
    return { source, dlq };
  }

  async function bodiesIn(queue: string): Promise<string[]> {
    const { Messages: messages = [] } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: urlOf(queue), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    return messages.map((message) => message.Body ?? '').sort();
  }

  it('moves the messages of a queue’s dead-letter queue back to it, printing its progress', async () => {
    // Prepare
    const { source, dlq } = await failedMessages(3);
    const lines: string[] = [];

    // Act
    const result = await redrive({ queue: source, sqs: local.client, pollIntervalMs: 20, log: (line) => lines.push(line) });

    // Assess
    expect(result).toEqual({ deadLetterQueueArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`, destinations: [source], status: 'COMPLETED', moved: 3 });
    expect(await bodiesIn(source)).toEqual(['failed-0', 'failed-1', 'failed-2']);
    expect(lines[0]).toBe(`redrive: ${dlq} → ${source} (3 messages)`);
    expect(lines[lines.length - 1]).toBe(`✓ moved 3 messages back to ${source}`);
  });

  it('takes the dead-letter queue itself, by URL', async () => {
    // Prepare
    const { source, dlq } = await failedMessages(2);

    // Act
    const result = await redrive({ queue: urlOf(dlq), sqs: local.client, pollIntervalMs: 20, log: () => undefined });

    // Assess
    expect(result).toMatchObject({ status: 'COMPLETED', moved: 2, destinations: [source] });
  });

  it('takes a stack output that names the queue', async () => {
    // Prepare
    const { source } = await failedMessages(1);

    // Act
    const result = await redrive({ queue: 'NotificationsQueueUrl', outputs: { NotificationsQueueUrl: urlOf(source) }, sqs: local.client, pollIntervalMs: 20, log: () => undefined });

    // Assess
    expect(result).toMatchObject({ status: 'COMPLETED', moved: 1 });
  });

  it('takes the unique part of a generated name, preferring the queue with a redrive policy', async () => {
    // Prepare
    const { source } = await failedMessages(1);
    const part = source.slice(0, -'-Queue'.length);

    // Act
    const result = await redrive({ queue: part, sqs: local.client, pollIntervalMs: 20, log: () => undefined });

    // Assess
    expect(result).toMatchObject({ status: 'COMPLETED', destinations: [source] });
  });

  it('reports an empty dead-letter queue without starting a task', async () => {
    // Prepare
    const { source } = await failedMessages(0);

    // Act
    const result = await redrive({ queue: source, sqs: local.client, log: () => undefined });

    // Assess
    expect(result).toMatchObject({ status: 'NOTHING_TO_MOVE', moved: 0 });
  });

  it('rejects a queue that has no dead-letter queue and is none', async () => {
    // Prepare
    const plain = uniqueQueueName('plain');
    await local.client.send(new CreateQueueCommand({ QueueName: plain }));

    // Act
    const redriving = redrive({ queue: plain, sqs: local.client, log: () => undefined });

    // Assess
    await expect(redriving).rejects.toThrow(new RedriveError(`${plain} has no dead-letter queue (no RedrivePolicy) and is no queue's dead-letter queue`));
  });
});
