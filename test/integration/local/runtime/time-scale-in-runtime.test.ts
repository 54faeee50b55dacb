import * as path from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InvalidTimeScaleError, startLocalRuntime, type Hop, type LocalRuntime } from '../../../../local/runtime';
import { eventually } from '../sqs/sqs-through-edge';

const ASSEMBLY = path.join(__dirname, 'fixtures', 'hop-assembly');
const QUEUE = 'HopTest-WorkQueue7E8F9A0B';

describe('the local runtime with a time scale of 0.05', () => {
  let runtime: LocalRuntime;
  let sqs: SQSClient;
  const hops: Hop[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, timeScale: 0.05, log: (line) => lines.push(line) });
    runtime.onHop((hop) => hops.push(hop));
    sqs = new SQSClient({ endpoint: runtime.edgeUrl, region: 'us-east-1', credentials: runtime.credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    sqs.destroy();
    await runtime.stop();
  });

  const visibilityTimeoutOf = async (queue: string) =>
    Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: runtime.queueUrl(queue), AttributeNames: ['VisibilityTimeout'] }))).Attributes?.VisibilityTimeout);

  it('provisions the template\'s 18 s visibility timeout as 1 s, and SQS\'s 30 s default as 2 s', async () => {
    // Assess
    expect(runtime.timeScale).toBe(0.05);
    expect(await visibilityTimeoutOf('WorkQueue')).toBe(1);
    expect(await visibilityTimeoutOf('WorkDlq')).toBe(2);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}time scale 0\.05: SQS visibility timeouts now 1, 2 s;/));
  });

  it('redelivers a message its handler failed after the scaled visibility timeout, and dead-letters it after maxReceiveCount (3) receives', async () => {
    // Act: the three receives take three visibility timeouts; awaited for 8 s, less than half of one unscaled (18 s),
    // they can only be the scaled 1 s ones the test above reads back from the queue
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl('WorkQueue'), MessageBody: 'fail-always' }));
    const [dead] = await eventually(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: runtime.queueUrl('WorkDlq'), WaitTimeSeconds: 1 }))).Messages,
      8_000,
      'the message in the dead-letter queue',
    );

    // Assess
    expect(dead.Body).toBe('fail-always');
    expect(hops.filter((hop) => hop.kind === 'consume' && hop.from === QUEUE)).toHaveLength(3);
    expect(lines.filter((line) => line.startsWith(`⇢ sqs  ${QUEUE} → WorkerFunction  1 msg`) && line.includes('[error Error: redelivered after the visibility timeout]'))).toHaveLength(3);
  });

  it('refuses a time scale that is not a positive number', async () => {
    await expect(startLocalRuntime({ assemblyDir: ASSEMBLY, timeScale: 0, log: () => undefined })).rejects.toThrow(InvalidTimeScaleError);
  });
});
