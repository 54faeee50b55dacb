import { projectSale } from '../../../../lambdas/analytics/domain/project-sale';
import { salesShardOf } from '../../../../lambdas/analytics/domain/sales-shard';
import type { SalesBucket, SalesCounts, SalesTable } from '../../../../lambdas/analytics/domain/sales-table';
import { anEvent } from '../../factories/events';

/** A SalesTable that remembers what it was asked to add, and counts each event id once. */
class RecordingSalesTable implements SalesTable {
  readonly added: { eventId: string; bucket: SalesBucket; counts: SalesCounts }[] = [];
  async add(eventId: string, bucket: SalesBucket, counts: SalesCounts): Promise<'added' | 'duplicate'> {
    if (this.added.some((a) => a.eventId === eventId)) return 'duplicate';
    this.added.push({ eventId, bucket, counts });
    return 'added';
  }
  async minutes(): Promise<never[]> {
    return [];
  }
}

const ORDER = '0e9e1a57-1111-4222-8333-44445555aaaa';

describe('projectSale', () => {
  it("counts an order in its minute, in the shard its id names, and its cancellation in the same order's shard", async () => {
    // Prepare
    const table = new RecordingSalesTable();
    const placed = anEvent('OrderPlaced', { orderId: ORDER, occurredAt: new Date('2024-05-01T12:34:56.000Z'), data: { totalCents: 990 } });
    const cancelled = anEvent('OrderCancelled', { orderId: ORDER, occurredAt: new Date('2024-05-01T12:40:00.000Z') });

    // Act
    const outcomes = [await projectSale({ table, shardCount: 8 }, placed), await projectSale({ table, shardCount: 8 }, cancelled)];

    // Assess
    const shard = salesShardOf(ORDER, 8);
    expect(outcomes).toEqual(['counted', 'counted']);
    expect(table.added).toEqual([
      { eventId: placed.detail.eventId, bucket: { minute: '2024-05-01T12:34', shard }, counts: { orders: 1, revenueCents: 990, cancelled: 0 } },
      { eventId: cancelled.detail.eventId, bucket: { minute: '2024-05-01T12:40', shard }, counts: { orders: 0, revenueCents: 0, cancelled: 1 } },
    ]);
  });

  it('counts an event read again as a duplicate, whatever the shard count', async () => {
    const table = new RecordingSalesTable();
    const placed = anEvent('OrderPlaced', { orderId: ORDER });

    await projectSale({ table, shardCount: 3 }, placed);
    const again = await projectSale({ table, shardCount: 3 }, placed);

    expect(again).toBe('duplicate');
    expect(table.added).toHaveLength(1);
  });

  it('adds nothing for an event that counts nothing', async () => {
    const table = new RecordingSalesTable();

    expect(await projectSale({ table, shardCount: 3 }, anEvent('PaymentCaptured'))).toBe('not-counted');
    expect(table.added).toEqual([]);
  });
});
