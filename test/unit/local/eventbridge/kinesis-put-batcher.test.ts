import { KinesisServiceError } from '../../../../local/kinesis/kinesis-wire-client';
import { KinesisPutBatcher } from '../../../../local/eventbridge/kinesis-put-batcher';

type Json = Record<string, unknown>;

/** A kinesis-local stand-in: records every call; each answer waits until `release()` is called. */
function fakeKinesis(answer: (input: Json) => Json | Error = (input) => ({ Records: (input.Records as unknown[]).map(() => ({ SequenceNumber: '1' })) })) {
  const calls: { operation: string; input: Json }[] = [];
  const releases: (() => void)[] = [];
  return {
    calls,
    release: () => releases.shift()?.(),
    call: (operation: string, input: Json) =>
      new Promise<Json>((resolve, reject) => {
        calls.push({ operation, input });
        releases.push(() => {
          const out = answer(input);
          if (out instanceof Error) reject(out);
          else resolve(out);
        });
      }),
  };
}

const flushed = () => new Promise((resolve) => setImmediate(resolve));
const recordsOf = (input: Json) => (input.Records as { Data: string; PartitionKey: string }[]).map((r) => Buffer.from(r.Data, 'base64').toString());

describe('KinesisPutBatcher', () => {
  it('sends a lone record at once, and everything handed over meanwhile in the next call, in order', async () => {
    // Prepare
    const kinesis = fakeKinesis();
    const batcher = new KinesisPutBatcher(kinesis);

    // Act
    const first = batcher.put('log', Buffer.from('a'), 'o-1');
    const rest = ['b', 'c', 'd'].map((data) => batcher.put('log', Buffer.from(data), 'o-1'));
    await flushed();
    const callsWhileFirstUnderWay = kinesis.calls.length;
    kinesis.release();
    await first;
    await flushed();
    kinesis.release();
    await Promise.all(rest);

    // Assess
    expect(callsWhileFirstUnderWay).toBe(1);
    expect(kinesis.calls.map((c) => [c.operation, c.input.StreamName, recordsOf(c.input)])).toEqual([
      ['PutRecords', 'log', ['a']],
      ['PutRecords', 'log', ['b', 'c', 'd']],
    ]);
  });

  it('keeps the streams apart: one call under way per stream', async () => {
    const kinesis = fakeKinesis();
    const batcher = new KinesisPutBatcher(kinesis);
    const puts = [batcher.put('a', Buffer.from('1'), 'k'), batcher.put('b', Buffer.from('2'), 'k')];
    await flushed();
    expect(kinesis.calls.map((c) => c.input.StreamName)).toEqual(['a', 'b']);
    kinesis.release();
    kinesis.release();
    await Promise.all(puts);
  });

  it('fails only the deliveries whose records the batch refused, with their own error code', async () => {
    // Prepare: the second record of the batch is throttled
    const kinesis = fakeKinesis((input) => ({
      FailedRecordCount: 1,
      Records: recordsOf(input).map((data) => (data === 'y' ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' } : { SequenceNumber: '1' })),
    }));
    const batcher = new KinesisPutBatcher(kinesis);
    const blocker = batcher.put('log', Buffer.from('w'), 'k');
    const [x, y, z] = ['x', 'y', 'z'].map((data) => batcher.put('log', Buffer.from(data), 'k'));
    await flushed();
    kinesis.release();
    await blocker;
    await flushed();
    kinesis.release();

    // Assess
    await expect(x).resolves.toBeUndefined();
    await expect(y).rejects.toEqual(new KinesisServiceError('ProvisionedThroughputExceededException', 'slow down', 400));
    await expect(y).rejects.toHaveProperty('name', 'ProvisionedThroughputExceededException');
    await expect(z).resolves.toBeUndefined();
  });

  it('fails every delivery of a call that failed, and goes on with the next ones', async () => {
    let fail = true;
    const kinesis = fakeKinesis((input) => (fail ? new KinesisServiceError('ResourceNotFoundException', 'no stream', 400) : { Records: recordsOf(input).map(() => ({})) }));
    const batcher = new KinesisPutBatcher(kinesis);
    const failed = batcher.put('gone', Buffer.from('1'), 'k');
    await flushed();
    kinesis.release();
    await expect(failed).rejects.toHaveProperty('name', 'ResourceNotFoundException');
    fail = false;
    const next = batcher.put('gone', Buffer.from('2'), 'k');
    await flushed();
    kinesis.release();
    await expect(next).resolves.toBeUndefined();
  });

  it('splits at 500 records a call', async () => {
    const kinesis = fakeKinesis();
    const batcher = new KinesisPutBatcher(kinesis);
    const first = batcher.put('log', Buffer.from('first'), 'k');
    const many = Array.from({ length: 501 }, (_, i) => batcher.put('log', Buffer.from(String(i)), 'k'));
    for (let i = 0; i < 3; i++) {
      await flushed();
      kinesis.release();
    }
    await Promise.all([first, ...many]);
    expect(kinesis.calls.map((c) => (c.input.Records as unknown[]).length)).toEqual([1, 500, 1]);
  });
});
