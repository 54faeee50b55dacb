import type { ShopEvent } from '../../shared/events/contracts';
import { minuteOf } from './sales-minute';
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

/**
 * Count one event from the order-event log into its minute: OrderPlaced → one order and its total; OrderCancelled →
 * one cancellation. Idempotent by eventId: a record read again (a retried batch, a replay) counts nothing twice.
 */
export async function projectSale(table: SalesTable, event: ShopEvent): Promise<ProjectionOutcome> {
  const sales = salesOf(event);
  if (sales === undefined) return 'not-counted';
  const result = await table.add(event.detail.eventId, sales.minute, sales.counts);
  return result === 'added' ? 'counted' : 'duplicate';
}
