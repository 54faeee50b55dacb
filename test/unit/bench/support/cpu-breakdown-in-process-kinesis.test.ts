import { CPU_PARTS, cpuBreakdown, type CpuSnapshot } from '../../../../bench/support/cpu-breakdown';

const snapshot = (at: number, processMs: number, mainThreadMs: number | undefined, kinesisMs: number): CpuSnapshot => ({
  at,
  processMs,
  runtime: { ...(mainThreadMs !== undefined ? { mainThreadMs } : {}), functionsMs: {}, dynamoDbMs: 0, sqsMs: 0, kinesisMs, kinesisOnMainThread: true },
  loadClientMs: 0,
});

describe('cpuBreakdown with the in-process shard log', () => {
  it('takes the shard log’s time out of the main thread’s and counts no Kinesis process on top of the process', () => {
    // Act: 6,000 ms on the main thread, 500 of them in the shard log; 8,000 ms in the process
    const cpu = cpuBreakdown(snapshot(0, 2_000, 1_000, 100), snapshot(10_000, 10_000, 7_000, 600), 50);

    // Assess
    expect(cpu.parts).toEqual({ [CPU_PARTS.main]: 5_500, [CPU_PARTS.kinesisInProcess]: 500, [CPU_PARTS.dynamoDb]: 0, [CPU_PARTS.sqs]: 0, [CPU_PARTS.client]: 0, [CPU_PARTS.rest]: 2_000 });
    expect(Object.values(cpu.parts).reduce((sum, ms) => sum + ms, 0)).toBe(8_000);
  });

  it('takes it out of the rest when the main thread cannot be read', () => {
    // Act
    const cpu = cpuBreakdown(snapshot(0, 0, undefined, 0), snapshot(1_000, 900, undefined, 300), 1);

    // Assess
    expect(cpu.parts).toEqual({ [CPU_PARTS.kinesisInProcess]: 300, [CPU_PARTS.dynamoDb]: 0, [CPU_PARTS.sqs]: 0, [CPU_PARTS.client]: 0, [CPU_PARTS.rest]: 600 });
  });
});
