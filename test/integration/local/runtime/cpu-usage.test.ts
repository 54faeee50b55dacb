import { spawnSync } from 'node:child_process';
import { startDynamoDb, type LocalDynamoDb } from '../../../../local/dynamodb/dynamodb-local';
import { startKinesis, processCpuMs, type LocalKinesis } from '../../../../local/kinesis/kinesis-local';
import { FunctionPool } from '../../../../local/lambda/function-pool';
import { mainThreadCpuMs, runtimeCpuUsage } from '../../../../local/runtime/cpu-usage';
import { startSqs, type LocalSqs } from '../../../../local/sqs/sqs-local';
import { functionConfig } from '../../../unit/local/lambda/function-config-factory';

/** CPU time (ms) the whole test process has used: every thread. */
const processMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

describe('CPU time by part of the local runtime (what says where a load’s CPU went)', () => {
  it('counts the CPU a function’s execution environments used, and keeps counting it once they are gone', async () => {
    // Prepare
    const pool = new FunctionPool(functionConfig({ handler: 'index.spin' }));
    const idle = new FunctionPool(functionConfig({ handler: 'index.handler' }));
    try {
      await idle.invoke({});
      const before = await pool.cpuMs();

      // Act: CPU in the worker (which says how much its thread has used), then 300 ms of waiting in this thread
      // (which the worker must not be charged)
      const spun = await pool.invoke({ spinMs: 300 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const busy = await pool.cpuMs();
      await pool.stop();
      const afterStop = await pool.cpuMs();

      // Assess: what the pool counts is the worker thread's own CPU time, in milliseconds, give or take the little
      // the thread used after it answered
      const { threadCpuMs } = JSON.parse(spun.ok ? spun.payload : '{}') as { threadCpuMs: number };
      expect(before).toBe(0);
      expect(busy).toBeGreaterThanOrEqual(threadCpuMs);
      expect(busy - threadCpuMs).toBeLessThan(50);
      expect(afterStop).toBeGreaterThanOrEqual(busy);
      expect(await idle.cpuMs()).toBeLessThan(busy);
    } finally {
      await Promise.all([pool.stop(), idle.stop()]);
    }
  });

  it('reads a process’s CPU time from /proc, as Node.js counts it (its children’s apart), and nothing for a process that does not exist', () => {
    // Prepare: some CPU to count, and a child that burns CPU and is waited for (/proc's cutime, not this process's)
    spawnSync(process.execPath, ['-e', 'const until = Date.now() + 300; while (Date.now() < until);']);
    const until = performance.now() + 200;
    while (performance.now() < until);

    // Act
    const fromProc = processCpuMs(process.pid);
    const fromNode = processMs();

    // Assess: /proc counts in 10 ms ticks
    expect(fromProc).toBeDefined();
    expect(Math.abs((fromProc as number) - fromNode)).toBeLessThan(100);
    expect(processCpuMs(2 ** 22 + 12_345)).toBeUndefined();
  });

  describe('the emulators', () => {
    let dynamoDb: LocalDynamoDb;
    let sqs: LocalSqs;
    let kinesis: LocalKinesis;
    beforeAll(async () => {
      [dynamoDb, sqs, kinesis] = await Promise.all([startDynamoDb(), startSqs(), startKinesis()]);
    });
    afterAll(async () => {
      await Promise.all([dynamoDb?.stop(), sqs?.stop(), kinesis?.stop()]);
    });

    it('counts dynalite’s and fauxqs’s threads and kinesis-local’s process, each apart from the thread that asks', async () => {
      // Prepare
      const dynamoDbBefore = await dynamoDb.cpuMs();
      const sqsBefore = await sqs.cpuMs();
      const kinesisBefore = kinesis.cpuMs() as number;
      const here = processMs();

      // Act: work in dynalite's and fauxqs's threads and in kinesis-local, none in this one
      await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${dynamoDb.endpoint}/`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': 'DynamoDB_20120810.ListTables',
              authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
            },
            body: '{}',
          }),
        ),
      );
      await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${sqs.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '{}' })),
      );
      await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${kinesis.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' }, body: '{}' })),
      );

      // Assess
      expect(kinesisBefore).toBeGreaterThan(0);
      expect(await dynamoDb.cpuMs()).toBeGreaterThan(dynamoDbBefore);
      expect(await sqs.cpuMs()).toBeGreaterThan(sqsBefore);
      expect(kinesis.cpuMs() as number).toBeGreaterThan(kinesisBefore);
      expect(processMs()).toBeGreaterThan(here);
    });
  });
});

describe('runtimeCpuUsage', () => {
  it('adds up the parts: the main thread since the start, each function by short name, dynalite, fauxqs and kinesis-local', async () => {
    // Prepare
    const usage = runtimeCpuUsage({
      mainThreadAtStartMs: 0,
      lambda: { cpuMsByFunction: async () => new Map([['OrdersPlaceOrderFunction', 12.5]]) },
      dynamoDb: { cpuMs: async () => 150 },
      sqs: { cpuMs: async () => 80 },
      kinesis: { cpuMs: () => 910 },
    });

    // Act
    const parts = await usage();

    // Assess
    expect(parts).toMatchObject({ functionsMs: { OrdersPlaceOrderFunction: 12.5 }, dynamoDbMs: 150, sqsMs: 80, kinesisMs: 910 });
    if (mainThreadCpuMs() !== undefined) expect(parts.mainThreadMs).toBeGreaterThan(0);
  });

  it('leaves out what cannot be read (kinesis-local without /proc, the main thread before it was read)', async () => {
    // Act
    const parts = await runtimeCpuUsage({
      mainThreadAtStartMs: undefined,
      lambda: { cpuMsByFunction: async () => new Map() },
      dynamoDb: { cpuMs: async () => 0 },
      sqs: { cpuMs: async () => 0 },
      kinesis: { cpuMs: () => undefined },
    })();

    // Assess
    expect(parts).toEqual({ functionsMs: {}, dynamoDbMs: 0, sqsMs: 0 });
  });
});
