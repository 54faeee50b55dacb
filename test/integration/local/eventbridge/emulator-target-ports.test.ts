import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { emulatorTargetPorts } from '../../../../local/eventbridge/emulator-target-ports';
import { TargetDeliveryError } from '../../../../local/eventbridge/eventbridge-errors';
import { KinesisWireClient } from '../../../../local/kinesis/kinesis-wire-client';
import { uniqueStreamName, useKinesisThroughEdge } from '../kinesis/kinesis-through-edge';
import { uniqueQueueName, useSqsThroughEdge } from '../sqs/sqs-through-edge';

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

describe('emulatorTargetPorts', () => {
  const sqs = useSqsThroughEdge();
  const kinesis = useKinesisThroughEdge();
  let ports: ReturnType<typeof emulatorTargetPorts>;
  const invoked: { arn: string; payload: string }[] = [];

  beforeAll(() => {
    ports = emulatorTargetPorts({
      fauxqsEndpoint: sqs.sqs.endpoint,
      kinesis: kinesis.wire,
      activity: kinesis.activity,
      invokeAsync: async (arn, payload) => {
        invoked.push({ arn, payload });
      },
    });
  });

  afterAll(() => {
    ports.close();
  });

  async function queue(fifo = false): Promise<string> {
    const name = uniqueQueueName('target', fifo);
    await sqs.client.send(new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }));
    return name;
  }

  const receive = async (name: string) =>
    (await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: `${sqs.edgeUrl}/000000000000/${name}`, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }))).Messages ?? [];

  it('sends a message with its string attributes straight to fauxqs', async () => {
    // Prepare
    const name = await queue();

    // Act
    await ports.sendMessage(queueArn(name), '{"id":"e-1"}', { attributes: { ERROR_CODE: 'SDK_CLIENT_ERROR' } });

    // Assess
    const [message] = await receive(name);
    expect(message.Body).toBe('{"id":"e-1"}');
    expect(message.MessageAttributes).toEqual({ ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' } });
  });

  it('sends to a FIFO queue with the message group and deduplication id', async () => {
    // Prepare
    const name = await queue(true);

    // Act
    await ports.sendMessage(queueArn(name), 'charge', { messageGroupId: 'o-1', deduplicationId: 'e-1' });
    await ports.sendMessage(queueArn(name), 'charge', { messageGroupId: 'o-1', deduplicationId: 'e-1' });

    // Assess
    const messages = await receive(name);
    expect(messages).toHaveLength(1);
    expect(messages[0].Attributes).toMatchObject({ MessageGroupId: 'o-1', MessageDeduplicationId: 'e-1' });
  });

  it('reports a queue that does not exist as a RESOURCE_NOT_FOUND that is not retried', async () => {
    // Act
    const sending = ports.sendMessage(queueArn('no-such-queue'), 'x');

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'TargetDeliveryError', code: 'RESOURCE_NOT_FOUND', retryable: false });
    await expect(ports.sendMessage('arn:aws:sns:us-east-1:000000000000:topic', 'x')).rejects.toThrow(TargetDeliveryError);
  });

  it('puts a record straight into kinesis-local and wakes the stream\'s consumers', async () => {
    // Prepare
    const name = uniqueStreamName('target');
    await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const iterator = await kinesis.wire.getShardIterator(name, 'shardId-000000000000', { ShardIteratorType: 'TRIM_HORIZON' });
    const putsBefore = kinesis.activity.putCount(name);

    // Act
    await ports.putRecord(streamArn(name), '{"id":"e-2"}', 'o-2');

    // Assess
    const { records } = await kinesis.wire.getRecords(iterator ?? '', 10);
    expect(records.map((record) => ({ data: Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'), key: record.PartitionKey }))).toEqual([{ data: '{"id":"e-2"}', key: 'o-2' }]);
    expect(kinesis.activity.putCount(name)).toBe(putsBefore + 1);
  });

  it('reports a stream that does not exist as a RESOURCE_NOT_FOUND, and wakes nobody', async () => {
    // Act
    const putting = ports.putRecord(streamArn('no-such-stream'), 'x', 'k');

    // Assess
    await expect(putting).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', retryable: false });
    expect(kinesis.activity.putCount('no-such-stream')).toBe(0);
  });

  it('reports an emulator that does not answer as a retryable SDK_CLIENT_ERROR', async () => {
    // Prepare
    const nowhere = new KinesisWireClient('http://127.0.0.1:1');
    const unreachable = emulatorTargetPorts({ fauxqsEndpoint: 'http://127.0.0.1:1', kinesis: nowhere, invokeAsync: async () => undefined });

    // Act
    const sending = unreachable.sendMessage(queueArn('q'), 'x');
    const putting = unreachable.putRecord(streamArn('s'), 'x', 'k');

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 'SDK_CLIENT_ERROR', retryable: true });
    await expect(putting).rejects.toMatchObject({ code: 'SDK_CLIENT_ERROR', retryable: true });
    unreachable.close();
    nowhere.close();
  });

  it('hands Lambda targets to the asynchronous invoker', async () => {
    // Act
    await ports.invokeAsync('arn:aws:lambda:us-east-1:000000000000:function:Shipper', '{"id":"e-3"}');

    // Assess
    expect(invoked).toEqual([{ arn: 'arn:aws:lambda:us-east-1:000000000000:function:Shipper', payload: '{"id":"e-3"}' }]);
  });
});
