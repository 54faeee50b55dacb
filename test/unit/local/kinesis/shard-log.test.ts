import { createHash } from 'node:crypto';
import { type IteratorPosition, type PutResult, ShardLog } from '../../../../local/kinesis/shard-log';

const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const texts = (records: readonly { data: string }[]) => records.map((record) => Buffer.from(record.data, 'base64').toString('utf8'));

/** A shard log on a clock the test moves. */
function logAt(startMs = START): { log: ShardLog; clock: { now: number } } {
  const clock = { now: startMs };
  return { log: new ShardLog({ accountId: '123456789012', region: 'eu-west-1', clock: () => clock.now }), clock };
}

function written(result: PutResult): { shardId: string; sequenceNumber: string } {
  if ('errorCode' in result) throw new Error(`refused: ${result.errorMessage}`);
  return result;
}

function readAll(log: ShardLog, stream: string, shardId: string, position: IteratorPosition = { type: 'TRIM_HORIZON' }): string[] {
  return texts(log.getRecords(log.getShardIterator(stream, shardId, position)).records);
}

describe('ShardLog', () => {
  describe('streams', () => {
    it('splits the 128-bit hash key space evenly between the shards of a stream, as AWS does', () => {
      // Prepare
      const { log } = logAt();

      // Act
      log.createStream('orders', { shardCount: 2 });
      const stream = log.describe('orders');

      // Assess
      expect(stream).toMatchObject({ name: 'orders', arn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders', mode: 'PROVISIONED', retentionHours: 24, createdMs: START });
      expect(stream.shards.map(({ shardId, startingHashKey, endingHashKey }) => ({ shardId, startingHashKey, endingHashKey }))).toEqual([
        { shardId: 'shardId-000000000000', startingHashKey: '0', endingHashKey: '170141183460469231731687303715884105727' },
        { shardId: 'shardId-000000000001', startingHashKey: '170141183460469231731687303715884105728', endingHashKey: '340282366920938463463374607431768211455' },
      ]);
    });

    it('gives an ON_DEMAND stream 4 shards, and refuses a PROVISIONED one without a shard count', () => {
      // Prepare
      const { log } = logAt();

      // Act
      log.createStream('clicks', { mode: 'ON_DEMAND' });

      // Assess
      expect(log.describe('clicks').shards).toHaveLength(4);
      expect(() => log.createStream('bad', {})).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(() => log.createStream('zero', { shardCount: 0 })).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
    });

    it('refuses a second stream of the same name, and forgets a deleted stream with its records', () => {
      // Prepare
      const { log } = logAt();
      log.createStream('orders', { shardCount: 1 });
      log.put('orders', [{ data: b64('a'), partitionKey: 'k' }]);

      // Act
      const again = (() => {
        try {
          log.createStream('orders', { shardCount: 1 });
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      log.deleteStream('orders');

      // Assess
      expect(again).toMatchObject({ name: 'ResourceInUseException' });
      expect(() => log.describe('orders')).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message: 'Stream orders under account 123456789012 not found.' }));
      expect(() => log.put('orders', [{ data: b64('b'), partitionKey: 'k' }])).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
      expect(log.streamNames()).toEqual([]);
    });

    it('refuses shards beyond the account limit of 500', () => {
      // Prepare
      const { log } = logAt();
      log.createStream('big', { shardCount: 499 });

      // Act
      const tooMany = () => log.createStream('more', { shardCount: 2 });

      // Assess
      expect(tooMany).toThrow(expect.objectContaining({ name: 'LimitExceededException' }));
      expect(() => log.createStream('last', { shardCount: 1 })).not.toThrow();
    });
  });

  describe('puts', () => {
    it('keeps each shard in the order records were put, with sequence numbers that increase and are unique', () => {
      // Prepare
      const { log, clock } = logAt();
      log.createStream('orders', { shardCount: 3 });
      const keys = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'];

      // Act
      const results: { key: string; i: number; shardId: string; sequenceNumber: string }[] = [];
      for (let i = 0; i < 20; i++) {
        clock.now += 7;
        for (const key of keys) results.push({ key, i, ...written(log.put('orders', [{ data: b64(`${key}#${i}`), partitionKey: key }])[0]) });
      }

      // Assess
      const sequenceNumbers = results.map((result) => result.sequenceNumber);
      expect(new Set(sequenceNumbers).size).toBe(results.length);
      expect(sequenceNumbers.every((sequence) => /^\d{56}$/.test(sequence))).toBe(true);
      for (const shardId of new Set(results.map((result) => result.shardId))) {
        const ofShard = results.filter((result) => result.shardId === shardId);
        const inShard = ofShard.map((result) => BigInt(result.sequenceNumber));
        expect(inShard.every((sequence, i) => i === 0 || sequence > inShard[i - 1])).toBe(true);
        expect(readAll(log, 'orders', shardId)).toEqual(ofShard.map((result) => `${result.key}#${result.i}`));
      }
      for (const key of keys) expect(new Set(results.filter((result) => result.key === key).map((result) => result.shardId)).size).toBe(1);
    });

    it('routes a record by the MD5 of its partition key, read as a 128-bit unsigned integer', () => {
      // Prepare
      const { log } = logAt();
      log.createStream('orders', { shardCount: 4 });
      const quarter = (1n << 128n) / 4n;
      const keys = Array.from({ length: 40 }, (_, i) => `customer-${i}`);

      // Act
      const shards = keys.map((key) => written(log.put('orders', [{ data: b64(key), partitionKey: key }])[0]).shardId);

      // Assess
      const expected = keys.map((key) => `shardId-00000000000${Number(BigInt(`0x${createHash('md5').update(key).digest('hex')}`) / quarter)}`);
      expect(shards).toEqual(expected);
      expect(new Set(shards).size).toBe(4);
    });

    it('routes a record with an explicit hash key by that key, and refuses one outside the key space', () => {
      // Prepare
      const { log } = logAt();
      log.createStream('orders', { shardCount: 2 });

      // Act
      const [low, high, top] = log.put('orders', [
        { data: b64('low'), partitionKey: 'same', explicitHashKey: '0' },
        { data: b64('high'), partitionKey: 'same', explicitHashKey: '170141183460469231731687303715884105728' },
        { data: b64('top'), partitionKey: 'same', explicitHashKey: '340282366920938463463374607431768211455' },
      ]);

      // Assess
      expect([low, high, top].map((result) => written(result).shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000001']);
      expect(() => log.put('orders', [{ data: b64('x'), partitionKey: 'k', explicitHashKey: '340282366920938463463374607431768211456' }])).toThrow(
        expect.objectContaining({ name: 'InvalidArgumentException' }),
      );
      expect(() => log.put('orders', [{ data: b64('x'), partitionKey: 'k', explicitHashKey: '-1' }])).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
    });
  });

  describe('the write limit of a shard', () => {
    it('takes 1,000 records in a second and refuses the next with ProvisionedThroughputExceededException until the second has passed', () => {
      // Prepare
      const { log, clock } = logAt();
      log.createStream('orders', { shardCount: 1 });
      const record = { data: b64('x'), partitionKey: 'k' };
      for (let i = 0; i < 2; i++) log.put('orders', Array.from({ length: 500 }, () => record));

      // Act
      const refused = log.put('orders', [record]);
      clock.now += 999;
      const stillRefused = log.put('orders', [record]);
      clock.now += 1;
      const taken = log.put('orders', [record]);

      // Assess
      expect(refused).toEqual([
        { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded for shard shardId-000000000000 in stream orders under account 123456789012.' },
      ]);
      expect(stillRefused[0]).toHaveProperty('errorCode', 'ProvisionedThroughputExceededException');
      expect(taken[0]).toHaveProperty('sequenceNumber');
      expect(readAll(log, 'orders', 'shardId-000000000000')).toHaveLength(1_001);
    });

    it('counts the last second, not the calendar second: records put 600 ms ago still count', () => {
      // Prepare
      const { log, clock } = logAt(START + 400);
      log.createStream('orders', { shardCount: 1 });
      const record = { data: b64('x'), partitionKey: 'k' };
      log.put('orders', Array.from({ length: 400 }, () => record));
      clock.now += 600;
      log.put('orders', Array.from({ length: 500 }, () => record));

      // Act: 900 records in the last second, at a new calendar second
      const results = log.put('orders', Array.from({ length: 150 }, () => record));

      // Assess: 100 fit
      expect(results.filter((result) => 'sequenceNumber' in result)).toHaveLength(100);
      expect(results.slice(100).every((result) => 'errorCode' in result)).toBe(true);
    });

    it('takes 1 MiB of data and partition keys in a second', () => {
      // Prepare
      const { log, clock } = logAt();
      log.createStream('orders', { shardCount: 1 });
      const halfMiB = { data: Buffer.alloc(512 * 1024 - 1).toString('base64'), partitionKey: 'k' };

      // Act
      const [first, second, third] = log.put('orders', [halfMiB, halfMiB, { data: b64('x'), partitionKey: 'k' }]);
      clock.now += 1_000;
      const [later] = log.put('orders', [halfMiB]);

      // Assess: each is 512 KiB with its key, so two fill the second
      expect(first).toHaveProperty('sequenceNumber');
      expect(second).toHaveProperty('sequenceNumber');
      expect(third).toHaveProperty('errorCode', 'ProvisionedThroughputExceededException');
      expect(later).toHaveProperty('sequenceNumber');
    });

    it('fails only the records of a PutRecords whose shard is full, and every later record of that shard in the call, keeping its order', () => {
      // Prepare
      const { log } = logAt();
      log.createStream('orders', { shardCount: 2 });
      const toShard0 = (text: string) => ({ data: b64(text), partitionKey: 'k', explicitHashKey: '1' });
      const toShard1 = (text: string) => ({ data: b64(text), partitionKey: 'k', explicitHashKey: '340282366920938463463374607431768211455' });
      log.put('orders', Array.from({ length: 500 }, () => toShard0('fill')));
      log.put('orders', [...Array.from({ length: 499 }, () => toShard0('fill'))]);

      // Act
      const results = log.put('orders', [toShard0('fits'), toShard1('other-1'), toShard0('refused'), toShard1('other-2')]);

      // Assess
      expect(results.map((result) => ('errorCode' in result ? result.errorCode : result.shardId))).toEqual([
        'shardId-000000000000',
        'shardId-000000000001',
        'ProvisionedThroughputExceededException',
        'shardId-000000000001',
      ]);
      expect(readAll(log, 'orders', 'shardId-000000000001')).toEqual(['other-1', 'other-2']);
      expect(readAll(log, 'orders', 'shardId-000000000000').slice(-1)).toEqual(['fits']);
    });
  });

  describe('iterators', () => {
    /** A one-shard stream with records a, b, c put 1 s apart from START. */
    function threeRecords() {
      const at = logAt();
      at.log.createStream('log', { shardCount: 1 });
      const sequences = ['a', 'b', 'c'].map((text, i) => {
        at.clock.now = START + i * 1_000;
        return written(at.log.put('log', [{ data: b64(text), partitionKey: 'k' }])[0]).sequenceNumber;
      });
      return { ...at, sequences };
    }
    const SHARD = 'shardId-000000000000';

    it('reads from the oldest record (TRIM_HORIZON), at or after a sequence number, and from a timestamp', () => {
      // Prepare
      const { log, sequences } = threeRecords();

      // Act
      const trimHorizon = readAll(log, 'log', SHARD);
      const at = readAll(log, 'log', SHARD, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequences[1] });
      const after = readAll(log, 'log', SHARD, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequences[1] });
      const afterLast = readAll(log, 'log', SHARD, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequences[2] });
      const fromTimestamp = readAll(log, 'log', SHARD, { type: 'AT_TIMESTAMP', timestampMs: START + 500 });
      const fromExactTimestamp = readAll(log, 'log', SHARD, { type: 'AT_TIMESTAMP', timestampMs: START + 2_000 });
      const fromFuture = readAll(log, 'log', SHARD, { type: 'AT_TIMESTAMP', timestampMs: START + 60_000 });

      // Assess
      expect(trimHorizon).toEqual(['a', 'b', 'c']);
      expect(at).toEqual(['b', 'c']);
      expect(after).toEqual(['c']);
      expect(afterLast).toEqual([]);
      expect(fromTimestamp).toEqual(['b', 'c']);
      expect(fromExactTimestamp).toEqual(['c']);
      expect(fromFuture).toEqual([]);
    });

    it('reads only what is put after a LATEST iterator was taken', () => {
      // Prepare
      const { log } = threeRecords();
      const latest = log.getShardIterator('log', SHARD, { type: 'LATEST' });

      // Act
      log.put('log', [{ data: b64('d'), partitionKey: 'k' }]);
      const read = log.getRecords(latest);

      // Assess
      expect(texts(read.records)).toEqual(['d']);
    });

    it('continues where the last read stopped, says how far behind the tip it is, and 0 once it reaches it', () => {
      // Prepare
      const { log, clock } = threeRecords();
      clock.now = START + 10_000;
      const iterator = log.getShardIterator('log', SHARD, { type: 'TRIM_HORIZON' });

      // Act
      const first = log.getRecords(iterator, 2);
      const second = log.getRecords(first.nextShardIterator, 2);
      const third = log.getRecords(second.nextShardIterator, 2);

      // Assess: after a and b, c is unread; it arrived 8 s before now
      expect(texts(first.records)).toEqual(['a', 'b']);
      expect(first.millisBehindLatest).toBe(8_000);
      expect(texts(second.records)).toEqual(['c']);
      expect(second.millisBehindLatest).toBe(0);
      expect(third.records).toEqual([]);
      expect(third.millisBehindLatest).toBe(0);
      expect(first.records[0]).toEqual({ sequenceNumber: expect.stringMatching(/^\d{56}$/), data: b64('a'), partitionKey: 'k', arrivalMs: START });
    });

    it('refuses a sequence number of another shard, or one no record has yet', () => {
      // Prepare
      const { log } = logAt();
      log.createStream('two', { shardCount: 2 });
      const [onShard1] = log.put('two', [{ data: b64('x'), partitionKey: 'k', explicitHashKey: '340282366920938463463374607431768211455' }]);
      const sequence = written(onShard1).sequenceNumber;

      // Act
      const elsewhere = () => log.getShardIterator('two', SHARD, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequence });
      const future = () => log.getShardIterator('two', 'shardId-000000000001', { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: `${sequence.slice(0, -1)}9` });

      // Assess
      expect(elsewhere).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(future).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(() => log.getShardIterator('two', 'shardId-000000000007', { type: 'LATEST' })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
    });

    it('expires an iterator 5 minutes after it was handed out, and every answer hands out a fresh one', () => {
      // Prepare
      const { log, clock } = threeRecords();
      const iterator = log.getShardIterator('log', SHARD, { type: 'TRIM_HORIZON' });

      // Act
      clock.now += 5 * 60_000;
      const justInTime = log.getRecords(iterator, 1);
      clock.now += 5 * 60_000;
      const fresh = log.getRecords(justInTime.nextShardIterator, 1);
      clock.now += 1;

      // Assess
      expect(texts(justInTime.records)).toEqual(['a']);
      expect(texts(fresh.records)).toEqual(['b']);
      expect(() => log.getRecords(iterator)).toThrow(expect.objectContaining({ name: 'ExpiredIteratorException', message: expect.stringMatching(/^Iterator expired/) }));
      expect(() => log.getRecords(justInTime.nextShardIterator)).toThrow(expect.objectContaining({ name: 'ExpiredIteratorException' }));
    });

    it('refuses an iterator it did not hand out, and one of a stream deleted and created again', () => {
      // Prepare
      const { log, clock } = threeRecords();
      const iterator = log.getShardIterator('log', SHARD, { type: 'TRIM_HORIZON' });
      log.deleteStream('log');
      clock.now += 1;
      log.createStream('log', { shardCount: 1 });

      // Act
      const stale = () => log.getRecords(iterator);
      const made = () => log.getRecords(Buffer.from('log|1|0|0').toString('base64'));

      // Assess
      expect(stale).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
      expect(made).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(() => log.getRecords('not an iterator')).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(readAll(log, 'log', SHARD)).toEqual([]);
    });
  });

  describe('retention', () => {
    it('trims records older than the retention period: TRIM_HORIZON starts after them, and an iterator on them reads from the oldest kept', () => {
      // Prepare
      const { log, clock } = logAt();
      log.createStream('log', { shardCount: 1 });
      log.put('log', [{ data: b64('old'), partitionKey: 'k' }]);
      const onOld = log.getShardIterator('log', 'shardId-000000000000', { type: 'TRIM_HORIZON' });
      clock.now = START + 12 * HOUR;
      log.put('log', [{ data: b64('new'), partitionKey: 'k' }]);

      // Act
      clock.now = START + 24 * HOUR - 1;
      const before = readAll(log, 'log', 'shardId-000000000000');
      clock.now = START + 24 * HOUR + 1;
      const after = readAll(log, 'log', 'shardId-000000000000');
      const iteratorOnOld = () => log.getRecords(onOld);

      // Assess
      expect(before).toEqual(['old', 'new']);
      expect(after).toEqual(['new']);
      expect(iteratorOnOld).toThrow(expect.objectContaining({ name: 'ExpiredIteratorException' }));
    });

    it('reads from the oldest record kept with an iterator taken before its records were trimmed', () => {
      // Prepare
      const { log, clock } = logAt();
      log.createStream('log', { shardCount: 1 });
      log.put('log', [{ data: b64('old'), partitionKey: 'k' }]);
      clock.now = START + 24 * HOUR - 60_000;
      const onOld = log.getShardIterator('log', 'shardId-000000000000', { type: 'TRIM_HORIZON' });
      log.put('log', [{ data: b64('new'), partitionKey: 'k' }]);

      // Act
      clock.now = START + 24 * HOUR + 60_000;
      const read = log.getRecords(onOld);

      // Assess
      expect(texts(read.records)).toEqual(['new']);
    });

    it('keeps records longer once the retention period is raised, and checks the period as AWS does', () => {
      // Prepare
      const { log, clock } = logAt();
      log.createStream('log', { shardCount: 1 });
      log.put('log', [{ data: b64('kept'), partitionKey: 'k' }]);

      // Act
      log.setRetention('log', 48, 'increase');
      clock.now = START + 47 * HOUR;

      // Assess
      expect(readAll(log, 'log', 'shardId-000000000000')).toEqual(['kept']);
      expect(log.describe('log').retentionHours).toBe(48);
      expect(() => log.setRetention('log', 30, 'increase')).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(() => log.setRetention('log', 72, 'decrease')).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(() => log.setRetention('log', 12, 'decrease')).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
      expect(() => log.setRetention('log', 8_761, 'increase')).toThrow(expect.objectContaining({ name: 'InvalidArgumentException' }));
    });

    it('still finds records by sequence number and timestamp after trimming has dropped thousands of records', () => {
      // Prepare: three records a minute for 1,000 minutes; at minute 1,940 those older than 24 hours (minutes 0 to 499) are trimmed
      const { log, clock } = logAt();
      log.createStream('log', { shardCount: 1 });
      const sequences: string[] = [];
      for (let minute = 0; minute < 1_000; minute++) {
        clock.now = START + minute * 60_000;
        for (const result of log.put('log', [0, 1, 2].map((i) => ({ data: b64(`${minute}.${i}`), partitionKey: 'k' })))) sequences.push(written(result).sequenceNumber);
      }
      clock.now = START + 1_940 * 60_000;
      const firstKept = readAll(log, 'log', 'shardId-000000000000')[0];

      // Act
      const atSequence = readAll(log, 'log', 'shardId-000000000000', { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequences[2_990] });
      const atTimestamp = readAll(log, 'log', 'shardId-000000000000', { type: 'AT_TIMESTAMP', timestampMs: START + 998 * 60_000 });

      // Assess
      expect(firstKept).toBe('500.0');
      expect(atSequence).toEqual(['996.2', '997.0', '997.1', '997.2', '998.0', '998.1', '998.2', '999.0', '999.1', '999.2']);
      expect(atTimestamp).toEqual(['998.0', '998.1', '998.2', '999.0', '999.1', '999.2']);
    });
  });

  it('gives a stream deleted and created again under the same name new sequence numbers', () => {
    // Prepare
    const { log } = logAt();
    log.createStream('log', { shardCount: 1 });
    const [first] = log.put('log', [{ data: b64('a'), partitionKey: 'k' }]);
    log.deleteStream('log');

    // Act: at the same instant
    log.createStream('log', { shardCount: 1 });
    const [second] = log.put('log', [{ data: b64('a'), partitionKey: 'k' }]);

    // Assess
    expect(written(second).sequenceNumber).not.toBe(written(first).sequenceNumber);
    expect(() => log.getShardIterator('log', 'shardId-000000000000', { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: written(first).sequenceNumber })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentException' }),
    );
  });
});
