import { SharedShardReads, type SharedRead } from '../../../../local/event-source-mappings/shared-shard-reads';

const answer = (putsBefore: number): SharedRead => ({ answer: { records: [], nextShardIterator: 'next' }, putsBefore, limit: 100 });

describe('SharedShardReads', () => {
  it('gives a read under way for the same records to whoever asks, and sends a new one once it is done', async () => {
    // Prepare
    const reads = new SharedShardReads();
    let sent = 0;
    const send = async () => answer(++sent);

    // Act
    const [first, second] = await Promise.all([reads.read('log', 'shardId-0', '42', send), reads.read('log', 'shardId-0', '42', send)]);
    const third = await reads.read('log', 'shardId-0', '42', send);

    // Assess
    expect(first).toBe(second);
    expect(third.putsBefore).toBe(2);
    expect(reads.size).toBe(0);
  });

  it('keeps reads of other places, shards and streams apart', async () => {
    // Prepare
    const reads = new SharedShardReads();
    let sent = 0;
    const send = async () => answer(++sent);

    // Act
    await Promise.all([reads.read('log', 'shardId-0', '42', send), reads.read('log', 'shardId-0', '43', send), reads.read('log', 'shardId-1', '42', send), reads.read('other', 'shardId-0', '42', send)]);

    // Assess
    expect(sent).toBe(4);
  });

  it('fails every consumer that shared a failed read', async () => {
    // Prepare
    const reads = new SharedShardReads();
    const send = async (): Promise<SharedRead> => {
      throw new Error('kinesis-local is gone');
    };

    // Act
    const results = await Promise.allSettled([reads.read('log', 'shardId-0', '1', send), reads.read('log', 'shardId-0', '1', send)]);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
