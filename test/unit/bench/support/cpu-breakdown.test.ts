import { CPU_PARTS, cpuBreakdown, cpuMsPerOrder, type CpuSnapshot, totalCpuMs } from '../../../../bench/support/cpu-breakdown';
import { renderMarkdown } from '../../../../bench/support/report-document';
import { cpuBlocks } from '../../../../bench/support/report-content';

const snapshot = (
  at: number,
  processMs: number,
  main: number | undefined,
  functions: Record<string, number>,
  dynamoDb: number,
  sqs: number,
  kinesis: number | undefined,
  client: number,
): CpuSnapshot => ({
  at,
  processMs,
  runtime: { ...(main !== undefined ? { mainThreadMs: main } : {}), functionsMs: functions, dynamoDbMs: dynamoDb, sqsMs: sqs, ...(kinesis !== undefined ? { kinesisMs: kinesis } : {}) },
  loadClientMs: client,
});

describe('cpuBreakdown', () => {
  it('gives each part its CPU between two snapshots, and the process’s unnamed threads the rest', () => {
    // Prepare
    const from = snapshot(1_000, 10_000, 4_000, { OrdersPlaceOrderFunction: 1_000, ShippingFunction: 500 }, 700, 300, 2_000, 200);
    const to = snapshot(11_000, 27_500, 9_000, { OrdersPlaceOrderFunction: 4_000, ShippingFunction: 500, InventoryWorkerFunction: 2_000 }, 3_200, 1_300, 6_000, 1_200);

    // Act
    const cpu = cpuBreakdown(from, to, 100);

    // Assess: 17,500 ms in the process, 5,000 + 3,000 + 2,000 + 2,500 + 1,000 + 1,000 named; kinesis-local apart
    expect(cpu).toEqual({
      wallMs: 10_000,
      orders: 100,
      parts: {
        [CPU_PARTS.main]: 5_000,
        'Lambda OrdersPlaceOrderFunction': 3_000,
        'Lambda InventoryWorkerFunction': 2_000,
        [CPU_PARTS.dynamoDb]: 2_500,
        [CPU_PARTS.sqs]: 1_000,
        [CPU_PARTS.client]: 1_000,
        [CPU_PARTS.rest]: 3_000,
        [CPU_PARTS.kinesis]: 4_000,
      },
    });
  });

  it('leaves out a part it could not read: the main thread’s time then falls into the rest, kinesis-local’s is unknown', () => {
    const cpu = cpuBreakdown(snapshot(0, 0, undefined, {}, 0, 0, undefined, 0), snapshot(1_000, 900, undefined, {}, 50, 100, undefined, 100), 1);

    expect(cpu.parts).toEqual({ [CPU_PARTS.dynamoDb]: 50, [CPU_PARTS.sqs]: 100, [CPU_PARTS.client]: 100, [CPU_PARTS.rest]: 650 });
  });
});

describe('cpuMsPerOrder', () => {
  const cpu = { wallMs: 10_000, orders: 400, parts: { [CPU_PARTS.main]: 6_000, 'Lambda A': 3_000, [CPU_PARTS.client]: 1_000 } };

  it('divides the CPU of every part together by the orders taken', () => {
    expect(totalCpuMs(cpu)).toBe(10_000);
    expect(cpuMsPerOrder(cpu)).toBe(25);
  });

  it('divides the CPU it is given, one part’s or the runtime’s without the load client', () => {
    expect(cpuMsPerOrder(cpu, cpu.parts['Lambda A'])).toBe(7.5);
    expect(cpuMsPerOrder(cpu, totalCpuMs(cpu) - cpu.parts[CPU_PARTS.client])).toBe(22.5);
  });

  it('has no figure when no order was taken', () => {
    expect(cpuMsPerOrder({ ...cpu, orders: 0 })).toBeUndefined();
    expect(cpuMsPerOrder({ ...cpu, orders: 0 }, 1_000)).toBeUndefined();
  });
});

describe('the report’s CPU table', () => {
  it('lists the parts biggest first with their share, average cores and CPU per order, and sums the smallest into one row', () => {
    // Act
    const md = renderMarkdown(
      cpuBlocks({ wallMs: 10_000, orders: 500, parts: { [CPU_PARTS.main]: 6_000, 'Lambda A': 3_000, 'Lambda B': 120, 'Lambda C': 60, [CPU_PARTS.kinesis]: 820 } }),
    );

    // Assess
    expect(md).toContain('10.0 CPU seconds, 1.00 cores on average, 20.0 ms per order answered 201/202 (500)');
    const rows = md.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| part') && !line.startsWith('| ---'));
    expect(rows).toEqual([
      `| ${CPU_PARTS.main} | 6.0 | 60 % | 0.60 | 12.0 |`,
      '| Lambda A | 3.0 | 30 % | 0.30 | 6.00 |',
      `| ${CPU_PARTS.kinesis} | 0.8 | 8 % | 0.08 | 1.64 |`,
      '| 2 smaller parts | 0.2 | 2 % | 0.02 | 0.36 |',
    ]);
  });

  it('writes nothing when no CPU was measured', () => {
    expect(cpuBlocks({ wallMs: 0, orders: 0, parts: {} })).toEqual([]);
  });
});
