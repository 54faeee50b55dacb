import { randomBytes } from 'node:crypto';
import { ChangeMessageVisibilityCommand, CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { fauxqsClient, fauxqsQueueUrl } from '../../../../local/sqs/fauxqs-client';
import { startSqs, type LocalSqs } from '../../../../local/sqs/sqs-local';

/**
 * fauxqs's long polls wake when a message becomes receivable: sent, made visible at once, or due (a delay or a
 * visibility timeout that ran out, which the runtime's worker now checks when it is due instead of every 20 ms).
 */
describe('fauxqs long polls in the runtime’s worker', () => {
  let sqs: LocalSqs;
  let client: SQSClient;

  beforeAll(async () => {
    sqs = await startSqs({ region: 'us-east-1' });
    client = fauxqsClient(sqs.endpoint, 'us-east-1');
  });

  afterAll(async () => {
    client?.destroy();
    await sqs?.stop();
  });

  async function queue(): Promise<string> {
    const name = `long-poll-${randomBytes(4).toString('hex')}`;
    await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '1' } }));
    return fauxqsQueueUrl(sqs.endpoint, name);
  }

  /** A 10-second long poll: the message it returned and how long it waited. */
  async function longPoll(queueUrl: string): Promise<{ body?: string; waitedMs: number }> {
    const started = performance.now();
    const { Messages: messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    return { body: messages[0]?.Body, waitedMs: performance.now() - started };
  }

  it('returns a received message whose visibility timeout ran out while it waited, when it runs out', async () => {
    // Prepare: the message is in flight for 1 s
    const queueUrl = await queue();
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'again' }));
    const { Messages: [first] = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

    // Act
    const polled = await longPoll(queueUrl);

    // Assess
    expect(first?.Body).toBe('again');
    expect(polled.body).toBe('again');
    expect(polled.waitedMs).toBeGreaterThan(500);
    expect(polled.waitedMs).toBeLessThan(5_000);
  });

  it('returns a delayed message when its delay is over, and one sent while it waits at once', async () => {
    // Prepare
    const delayedQueue = await queue();
    const plainQueue = await queue();
    await client.send(new SendMessageCommand({ QueueUrl: delayedQueue, MessageBody: 'later', DelaySeconds: 1 }));

    // Act
    const [delayed, sent] = await Promise.all([
      longPoll(delayedQueue),
      (async () => {
        const polling = longPoll(plainQueue);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.send(new SendMessageCommand({ QueueUrl: plainQueue, MessageBody: 'now' }));
        return polling;
      })(),
    ]);

    // Assess
    expect(delayed.body).toBe('later');
    expect(delayed.waitedMs).toBeLessThan(5_000);
    expect(sent.body).toBe('now');
    expect(sent.waitedMs).toBeLessThan(5_000);
  });

  it('returns a message made visible again at once (visibility 0) to a long poll waiting on it', async () => {
    // Prepare: in flight for 30 s
    const queueUrl = await queue();
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'released' }));
    const { Messages: [inFlight] = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 30 }));

    // Act
    const polling = longPoll(queueUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: inFlight?.ReceiptHandle, VisibilityTimeout: 0 }));
    const polled = await polling;

    // Assess
    expect(polled.body).toBe('released');
    expect(polled.waitedMs).toBeLessThan(5_000);
  });
});
