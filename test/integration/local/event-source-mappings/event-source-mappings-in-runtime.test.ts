import * as path from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Http1Handler } from '../../../../local/kinesis/http1-handler';
import { startLocalRuntime, type LocalRuntime } from '../../../../local/runtime';
import type { KinesisFailureRecord } from '../../../../local/event-source-mappings/kinesis-records';
import { eventually } from '../sqs/sqs-through-edge';

const ASSEMBLY = path.join(__dirname, 'fixtures', 'async-assembly');

describe('the local runtime with event source mappings', () => {
  let runtime: LocalRuntime;
  let sqs: SQSClient;
  let kinesis: KinesisClient;
  const lines: string[] = [];

  beforeAll(async () => {
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, log: (line) => lines.push(line) });
    const config = { endpoint: runtime.edgeUrl, region: 'us-east-1', credentials: runtime.credentials, maxAttempts: 1 };
    sqs = new SQSClient(config);
    kinesis = new KinesisClient({ ...config, requestHandler: new Http1Handler() });
  });

  afterAll(async () => {
    sqs.destroy();
    kinesis.destroy();
    await runtime.stop();
  });

  const linesMatching = (pattern: RegExp) => lines.filter((line) => pattern.test(line));

  it('provisions the queues and the stream of the template and starts their mappings', () => {
    // Assess
    expect(runtime.queueUrl('WorkerQueue')).toBe(`${runtime.edgeUrl}/000000000000/AsyncTest-WorkerQueue2B3C4D5E`);
    expect(runtime.outputs.WorkerQueueUrl).toBe(runtime.queueUrl('WorkerQueue2B3C4D5E'));
    expect(runtime.stream('OrderEventLog')).toEqual({
      name: 'AsyncTest-OrderEventLog4D5E6F7A',
      arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/AsyncTest-OrderEventLog4D5E6F7A',
    });
    expect(linesMatching(/^✓ 2 event source mappings: AsyncTest-WorkerQueue2B3C4D5E → WorkerFunction, AsyncTest-OrderEventLog4D5E6F7A → ProjectorFunction/)).toHaveLength(1);
  });

  it('delivers a message sent to a queue to its function, and prints one trace line for the delivery', async () => {
    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl('WorkerQueue'), MessageBody: 'hello' }));
    const [line] = await eventually(async () => {
      const found = linesMatching(/^⇢ sqs {2}AsyncTest-WorkerQueue2B3C4D5E → WorkerFunction {2}1 msg {2}\d+ ms after send, handler \d+ ms$/);
      return found.length > 0 ? found : undefined;
    }, 10_000);

    // Assess
    expect(line).toBeDefined();
    expect(runtime.invocationCount('WorkerFunction')).toBe(1);
  });

  it('bisects down to a poison record put into the stream, describes it to the on-failure queue, and projects the rest', async () => {
    // Act
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: runtime.stream('OrderEventLog').name,
        Records: ['a', 'poison', 'c', 'd'].map((data) => ({ PartitionKey: 'order-1', Data: Buffer.from(data) })),
      }),
    );
    const [message] = await eventually(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: runtime.queueUrl('ProjectorOnFailure'), WaitTimeSeconds: 1 }))).Messages,
      10_000,
      'the on-failure record',
    );

    // Assess
    const failure = JSON.parse(message.Body ?? '{}') as KinesisFailureRecord;
    expect(failure.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(failure.KinesisBatchInfo).toMatchObject({ batchSize: 1, streamArn: runtime.stream('OrderEventLog').arn });
    expect(linesMatching(/^✗ kinesis {2}AsyncTest-OrderEventLog4D5E6F7A\/shard-0 → ProjectorFunction {2}1 rec {2}discarded: RetryAttemptsExhausted, sent to AsyncTest-ProjectorOnFailure8E9F0A1B$/)).toHaveLength(1);
    await eventually(async () => (linesMatching(/^⇢ kinesis .* → ProjectorFunction {2}\d recs? {2}\d+ ms after put, handler \d+ ms$/).length >= 2 ? true : undefined), 5_000);
  });

  it('pauses a queue mapping over the edge control API: messages wait until it is enabled again', async () => {
    // Prepare
    const control = (body?: unknown) =>
      fetch(`${runtime.edgeUrl}/_local/event-source-mappings/WorkerFunction`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    const before = runtime.invocationCount('WorkerFunction');

    // Act: pause, send, wait a second
    const paused = await control({ enabled: false });
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl('WorkerQueue'), MessageBody: 'held' }));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const whilePaused = runtime.invocationCount('WorkerFunction');
    const listed = (await (await fetch(`${runtime.edgeUrl}/_local/event-source-mappings`)).json()) as { mappings: { source: string; enabled: boolean }[] };
    const resumed = await control({ enabled: true });
    await eventually(async () => (runtime.invocationCount('WorkerFunction') > before ? true : undefined), 5_000, 'the held message');

    // Assess
    expect(paused.status).toBe(200);
    expect(whilePaused).toBe(before);
    expect(listed.mappings).toContainEqual(expect.objectContaining({ source: 'AsyncTest-WorkerQueue2B3C4D5E', enabled: false }));
    expect(await resumed.json()).toEqual({ mapping: 'WorkerFunction', enabled: true });
  }, 15_000);

  it('answers a mapping it does not know with 404, a body without enabled with 400, and refuses to pause a Kinesis mapping', async () => {
    const post = (mapping: string, body: string) =>
      fetch(`${runtime.edgeUrl}/_local/event-source-mappings/${mapping}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const unknown = await post('Nope', '{"enabled":false}');
    const bad = await post('WorkerFunction', '{"on":false}');
    await expect(runtime.setMappingEnabled('ProjectorFunction', false)).rejects.toThrow('reads a Kinesis stream: the local runtime pauses SQS mappings only');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/^no event source mapping Nope; the running ones are /);
    expect(bad.status).toBe(400);
  });
});
