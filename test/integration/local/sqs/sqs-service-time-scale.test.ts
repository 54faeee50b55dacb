import { ChangeMessageVisibilityCommand, CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { startSqs, type LocalSqs } from '../../../../local/sqs/sqs-local';
import { scaleWaits, sqsService } from '../../../../local/sqs/sqs-service';
import { TimeScale } from '../../../../local/shared/time-scale';
import { eventually, REGION, sqsClientFor, uniqueQueueName } from './sqs-through-edge';

const SCALE = new TimeScale(0.05);

describe('scaleWaits', () => {
  it('scales the VisibilityTimeout of ChangeMessageVisibility and ReceiveMessage to the millisecond', () => {
    expect(scaleWaits('ChangeMessageVisibility', { QueueUrl: 'q', ReceiptHandle: 'r', VisibilityTimeout: 30 }, SCALE)).toEqual({ QueueUrl: 'q', ReceiptHandle: 'r', VisibilityTimeout: 1.5 });
    expect(scaleWaits('ReceiveMessage', { QueueUrl: 'q', VisibilityTimeout: 18, WaitTimeSeconds: 20 }, SCALE)).toEqual({ QueueUrl: 'q', VisibilityTimeout: 0.9, WaitTimeSeconds: 20 });
  });

  it('scales every entry of the batch operations', () => {
    expect(
      scaleWaits('ChangeMessageVisibilityBatch', { QueueUrl: 'q', Entries: [{ Id: 'a', ReceiptHandle: 'r', VisibilityTimeout: 20 }, { Id: 'b', ReceiptHandle: 's', VisibilityTimeout: 0 }] }, SCALE),
    ).toEqual({ QueueUrl: 'q', Entries: [{ Id: 'a', ReceiptHandle: 'r', VisibilityTimeout: 1 }, { Id: 'b', ReceiptHandle: 's', VisibilityTimeout: 0 }] });
    expect(scaleWaits('SendMessageBatch', { QueueUrl: 'q', Entries: [{ Id: 'a', MessageBody: 'x', DelaySeconds: 10 }] }, SCALE)).toEqual({
      QueueUrl: 'q',
      Entries: [{ Id: 'a', MessageBody: 'x', DelaySeconds: 0.5 }],
    });
  });

  it('leaves other operations, and everything at real time, as they are', () => {
    const input = { QueueUrl: 'q', Attributes: { VisibilityTimeout: '18' } };
    expect(scaleWaits('SetQueueAttributes', input, SCALE)).toBe(input);
    const send = { QueueUrl: 'q', MessageBody: 'x', DelaySeconds: 10 };
    expect(scaleWaits('SendMessage', send, TimeScale.REAL_TIME)).toBe(send);
  });
});

describe('the SQS edge service with a time scale of 0.05', () => {
  let sqs: LocalSqs;
  let edge: EdgeServer;
  let client: SQSClient;

  beforeAll(async () => {
    sqs = await startSqs({ region: REGION });
    edge = new EdgeServer();
    const { url } = await edge.listen();
    edge.register(sqsService({ fauxqsEndpoint: sqs.endpoint, edgeUrl: url, accountId: '000000000000', region: REGION, timeScale: SCALE }));
    client = sqsClientFor(url);
  });

  afterAll(async () => {
    client.destroy();
    await edge.close();
    await sqs.stop();
  });

  it('makes a message hidden for 20 s by ChangeMessageVisibility visible again after about a second', async () => {
    // Prepare
    const { QueueUrl: queueUrl = '' } = await client.send(new CreateQueueCommand({ QueueName: uniqueQueueName('scaled') }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later' }));
    const [message] = (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages ?? [];

    // Act
    const hiddenAt = Date.now();
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 20 }));
    const [again] = await eventually(async () => (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }))).Messages, 5_000, 'the message again');

    // Assess
    expect(again.Body).toBe('later');
    expect(Date.now() - hiddenAt).toBeGreaterThanOrEqual(900);
    expect(Date.now() - hiddenAt).toBeLessThan(2_500);
  });
});
