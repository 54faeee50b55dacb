import { scaleWaits } from '../../../../local/sqs/sqs-service';
import { TimeScale } from '../../../../local/shared/time-scale';

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
