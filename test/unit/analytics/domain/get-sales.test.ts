import { getSales, sumShards } from '../../../../lambdas/analytics/domain/get-sales';
import type { SalesBucket, SalesMinute, SalesTable } from '../../../../lambdas/analytics/domain/sales-table';

const bucket = (minute: string, orders: number, revenueCents: number, cancelled = 0): SalesMinute => ({ minute, orders, revenueCents, cancelled });

/** A SalesTable whose shards hold `shards[n]`, answering each read only when the test releases it. */
class HeldSalesTable implements SalesTable {
  readonly reads: { shard: number; from: string; to: string }[] = [];
  private readonly pending: (() => void)[] = [];
  constructor(private readonly shards: readonly (readonly SalesMinute[])[]) {}
  async add(_eventId: string, _bucket: SalesBucket): Promise<'added'> {
    throw new Error('getSales writes nothing');
  }
  minutes(shard: number, from: string, to: string): Promise<SalesMinute[]> {
    this.reads.push({ shard, from, to });
    const inRange = (this.shards[shard] ?? []).filter((b) => b.minute >= from && b.minute <= to);
    return new Promise((resolve) => this.pending.push(() => resolve([...inRange])));
  }
  release(): void {
    for (const answer of this.pending.splice(0)) answer();
  }
}

describe('sumShards', () => {
  it('sums each minute over the shards, in time order, leaving out minutes no shard has', () => {
    const summed = sumShards([
      [bucket('2024-05-01T12:07', 1, 990, 1), bucket('2024-05-01T12:59', 2, 2000)],
      [],
      [bucket('2024-05-01T12:00', 2, 1500), bucket('2024-05-01T12:07', 3, 300)],
      [bucket('2024-05-01T12:59', 1, 1000, 2)],
    ]);

    expect(summed).toEqual([
      bucket('2024-05-01T12:00', 2, 1500),
      bucket('2024-05-01T12:07', 4, 1290, 1),
      bucket('2024-05-01T12:59', 3, 3000, 2),
    ]);
  });

  it('answers one shard as it is, and no shard as no minutes', () => {
    const one = [bucket('2024-05-01T12:00', 2, 1500), bucket('2024-05-01T12:07', 1, 990, 1)];

    expect(sumShards([one])).toEqual(one);
    expect(sumShards([])).toEqual([]);
  });
});

describe('getSales', () => {
  const now = () => new Date('2024-05-01T13:30:00.000Z');

  it('reads every shard of the range at once, and answers their sums as one shard would', async () => {
    // Prepare: three shards holding what one would hold as 12:00 (2, 1500), 12:07 (4, 1290, 1), 12:59 (3, 3000, 2)
    const table = new HeldSalesTable([
      [bucket('2024-05-01T12:07', 1, 990, 1), bucket('2024-05-01T12:59', 2, 2000), bucket('2024-05-01T13:00', 5, 5000)],
      [bucket('2024-05-01T11:59', 9, 9000), bucket('2024-05-01T12:00', 2, 1500)],
      [bucket('2024-05-01T12:07', 3, 300), bucket('2024-05-01T12:59', 1, 1000, 2)],
    ]);

    // Act
    const report = getSales({ table, shardCount: 3, now }, { from: '2024-05-01T12:00', to: '2024-05-01T12:59' });
    await Promise.resolve();
    const readsBeforeAnyAnswer = [...table.reads];
    table.release();

    // Assess
    expect(readsBeforeAnyAnswer).toEqual([0, 1, 2].map((shard) => ({ shard, from: '2024-05-01T12:00', to: '2024-05-01T12:59' })));
    expect(await report).toEqual({
      from: '2024-05-01T12:00',
      to: '2024-05-01T12:59',
      minutes: [bucket('2024-05-01T12:00', 2, 1500), bucket('2024-05-01T12:07', 4, 1290, 1), bucket('2024-05-01T12:59', 3, 3000, 2)],
      totals: { orders: 9, revenueCents: 5790, cancelled: 3 },
    });
  });

  it('reads only shard 0 with one shard', async () => {
    const table = new HeldSalesTable([[bucket('2024-05-01T13:00', 5, 5000)]]);

    const report = getSales({ table, shardCount: 1, now }, {});
    await Promise.resolve();
    table.release();

    expect((await report).totals).toEqual({ orders: 5, revenueCents: 5000, cancelled: 0 });
    expect(table.reads).toEqual([{ shard: 0, from: '2024-05-01T12:31', to: '2024-05-01T13:30' }]);
  });
});
