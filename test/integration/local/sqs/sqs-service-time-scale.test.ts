import { ChangeMessageVisibilityCommand, CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { TimeScale } from '../../../../local/shared/time-scale';
import { eventually, uniqueQueueName, useSqsThroughEdge } from './sqs-through-edge';

describe('the SQS edge service with a time scale of 0.05', () => {
  const local = useSqsThroughEdge({ timeScale: new TimeScale(0.05) });

  it('makes a message hidden for 20 s by ChangeMessageVisibility visible again within the second it is scaled to', async () => {
    // Prepare
    const { client } = local;
    const { QueueUrl: queueUrl = '' } = await client.send(new CreateQueueCommand({ QueueName: uniqueQueueName('scaled') }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later' }));
    const [message] = (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages ?? [];

    // Act
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 20 }));
    const hidden = (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }))).Messages ?? [];
    // Awaited for 5 s, a quarter of the 20 s asked for: only the scaled 1 s lets it come back in time.
    const [again] = await eventually(async () => (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }))).Messages, 5_000, 'the message again');

    // Assess: hidden at first (scaled, not dropped to 0), back well before 20 s (scaled, not passed on as asked)
    expect(hidden).toEqual([]);
    expect(again.Body).toBe('later');
  });
});
