import type { DetailType, EventSource, ShopEvent } from '../../shared/events/contracts';
import { findOrder, type OrderLookup, validOrderId } from './get-order';

/** One event of an order's timeline, as the timeline table stores it (key `orderId` + `entryKey`). */
export interface TimelineEntry {
  readonly orderId: string;
  readonly entryKey: string;
  readonly detailType: DetailType;
  readonly source: EventSource;
  readonly version: number;
  readonly occurredAt: string;
  readonly eventId: string;
  readonly correlationId: string;
}

/** `${source}#${version, six digits}#${detailType}`: one entry per event of a producer's per-order sequence. */
export function entryKeyOf(source: EventSource, version: number, detailType: DetailType): string {
  return `${source}#${String(version).padStart(6, '0')}#${detailType}`;
}

export function timelineEntryOf(event: ShopEvent): TimelineEntry {
  const { orderId, version, occurredAt, eventId, correlationId } = event.detail;
  return {
    orderId,
    entryKey: entryKeyOf(event.source, version, event.detailType),
    detailType: event.detailType,
    source: event.source,
    version,
    occurredAt,
    eventId,
    correlationId,
  };
}

/** The timeline table. */
export interface TimelineStore {
  /** Add the entry unless one with its key exists ('exists' then: a duplicate, nothing written). */
  add(entry: TimelineEntry): Promise<'added' | 'exists'>;
  /** Every entry of the order, in key order. */
  list(orderId: string): Promise<TimelineEntry[]>;
}

/**
 * Project one event of the order-event log into its order's timeline. Idempotent by entry key: a duplicate (a
 * retried publish, a Kinesis retry, an archive replay) writes nothing; events arriving out of order land under
 * their own keys and are sorted when read.
 */
export function projectToTimeline(store: TimelineStore, event: ShopEvent): Promise<'added' | 'exists'> {
  return store.add(timelineEntryOf(event));
}

export interface OrderTimeline {
  readonly orderId: string;
  readonly entries: readonly Pick<TimelineEntry, 'detailType' | 'source' | 'version' | 'occurredAt' | 'eventId'>[];
}

export interface GetOrderTimelineDeps {
  readonly timeline: TimelineStore;
  readonly orders: OrderLookup;
}

/**
 * The timeline of order `id` of `customerId`, sorted by occurredAt, then version (then key, so the order is total).
 * 400 naming `id` when it is malformed; 404 when there is no such order or it is another customer's (an order whose
 * events are not projected yet has an empty timeline).
 */
export async function getOrderTimeline(deps: GetOrderTimelineDeps, id: string | undefined, customerId: string): Promise<OrderTimeline> {
  const orderId = validOrderId(id);
  // The entries do not say whose order they are: the order does. Both reads at once, so checking costs no round trip.
  const [entries] = await Promise.all([deps.timeline.list(orderId), findOrder(deps.orders, orderId, customerId)]);
  const sorted = [...entries].sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.version - b.version || (a.entryKey < b.entryKey ? -1 : a.entryKey > b.entryKey ? 1 : 0),
  );
  return {
    orderId,
    entries: sorted.map(({ detailType, source, version, occurredAt, eventId }) => ({ detailType, source, version, occurredAt, eventId })),
  };
}
