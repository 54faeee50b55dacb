import type { ShopEvent } from '../../shared/events/contracts';
import { minuteOf } from './sales-minute';
import { salesShardOf } from './sales-shard';
import type { SalesCounts, SalesTable } from './sales-table';

/** What an event adds, and to which minute (that of its `occurredAt`); undefined for events that count nothing. */
export function salesOf(event: ShopEvent): { readonly minute: string; readonly counts: SalesCounts } | undefined {
  const minute = minuteOf(new Date(event.detail.occurredAt));
  switch (event.detailType) {
    case 'OrderPlaced':
      return { minute, counts: { orders: 1, revenueCents: event.detail.data.totalCents, cancelled: 0 } };
    case 'OrderCancelled':
      return { minute, counts: { orders: 0, revenueCents: 0, cancelled: 1 } };
    default:
      return undefined;
  }
}

export type ProjectionOutcome = 'counted' | 'duplicate' | 'not-counted';

export interface ProjectSaleDeps {
  readonly table: SalesTable;
  /** How many shards each minute's bucket is spread over (the stack's SALES_SHARD_COUNT). */
  readonly shardCount: number;
}

/**
 * Count one event from the order-event log into its minute, in its order's shard: OrderPlaced → one order and its
 * total; OrderCancelled → one cancellation. Idempotent by eventId: a record read again (a retried batch, a replay)
 * counts nothing twice.
 */
export async function projectSale(deps: ProjectSaleDeps, event: ShopEvent): Promise<ProjectionOutcome> {
  const sales = salesOf(event);
  if (sales === undefined) return 'not-counted';
  const bucket = { minute: sales.minute, shard: salesShardOf(event.detail.orderId, deps.shardCount) };
  const result = await deps.table.add(event.detail.eventId, bucket, sales.counts);
  return result === 'added' ? 'counted' : 'duplicate';
}
