import {
  DETAIL_TYPES,
  type DetailType,
  type DetailTypeFrom,
  EVENT_SOURCES,
  type ShopEvent,
  type ShopEventOf,
  SOURCE_OF,
} from '../../shared/events/contracts';
import { type OrderRecord, statusOf, type UpstreamSource } from './order';
import { DECISION_VERSION, orderCancelledEvent, orderPlacedEvent, orderRejectedEvent } from './order-events';
import { MAX_WRITE_ATTEMPTS, type OrderEvents, type OrderRepository } from './order-repository';

type LifecycleEventType = Exclude<DetailType, DetailTypeFrom<typeof EVENT_SOURCES.orders>>;

/** The events of other services that change an order: every event but those orders publishes itself. */
export const LIFECYCLE_EVENT_TYPES = DETAIL_TYPES.filter(
  (detailType): detailType is LifecycleEventType => SOURCE_OF[detailType] !== EVENT_SOURCES.orders,
);

export type LifecycleEvent = ShopEventOf<LifecycleEventType>;

/** An event names an order that does not exist: a retry cannot help (the order is written before any event). */
export class UnknownOrderError extends Error {
  constructor(readonly orderId: string) {
    super(`there is no order ${orderId}`);
    this.name = 'UnknownOrderError';
  }
}

/** The order changed under every attempt to apply the event; the delivery is retried later. */
export class ConcurrentOrderUpdateError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} changed during each of ${MAX_WRITE_ATTEMPTS} attempts to apply an event`);
    this.name = 'ConcurrentOrderUpdateError';
  }
}

export type LifecycleDecision =
  /** Already applied (`duplicate`: this very version; `stale`: a later one): nothing changes. */
  | { readonly kind: 'skip'; readonly why: 'duplicate' | 'stale'; readonly publish: readonly ShopEvent[] }
  | { readonly kind: 'apply'; readonly next: OrderRecord; readonly publish: readonly ShopEvent[] };

/**
 * What `event` does to `record`, at `now`. Each source's events apply only above the version already applied from
 * that source, so a duplicate or an older event changes nothing; the status follows from the facts recorded
 * (`statusOf`), whatever order they arrived in, and a cancelled order never moves forward.
 *
 * Inventory's outcome decides an asynchronous order: StockReserved confirms a PENDING order (version 2, OrderPlaced
 * v2), StockRejected rejects it (version 2, OrderRejected v2). Stock reserved for an order cancelled meanwhile
 * publishes its OrderCancelled again, so inventory releases what it just reserved.
 *
 * A duplicate of an inventory event publishes the events it caused again (same eventIds): the earlier delivery may
 * have written the order and then failed to publish.
 */
export function decideLifecycle(record: OrderRecord, event: LifecycleEvent, now: Date): LifecycleDecision {
  const source = SOURCE_OF[event.detailType] as UpstreamSource;
  const applied = record.appliedVersions[source] ?? 0;
  const { version } = event.detail;
  if (version < applied) return { kind: 'skip', why: 'stale', publish: [] };
  if (version === applied) return { kind: 'skip', why: 'duplicate', publish: consequencesOf(record, event) };

  const at = now.toISOString();
  const base: OrderRecord = { ...record, appliedVersions: { ...record.appliedVersions, [source]: version }, updatedAt: at };
  const decided = record.confirmedAt !== undefined || record.rejection !== undefined;
  switch (event.detailType) {
    case 'StockReserved': {
      if (record.cancellation !== undefined) return apply(base, [orderCancelledEvent(record)]);
      if (decided) return apply(base, []);
      const next = withStatus({ ...base, version: DECISION_VERSION, confirmedAt: at });
      return apply(next, [orderPlacedEvent(next)]);
    }
    case 'StockRejected': {
      // A cancelled order holds no stock, and a decided one was decided by this source already.
      if (record.cancellation !== undefined || decided) return apply(base, []);
      const { reason, errors } = event.detail.data;
      const next = withStatus({ ...base, version: DECISION_VERSION, rejection: { reason, errors, rejectedAt: at } });
      return apply(next, [orderRejectedEvent(next)]);
    }
    case 'PaymentCaptured':
      return apply({ ...base, payment: { status: 'CAPTURED', paymentId: event.detail.data.paymentId } }, []);
    case 'PaymentFailed':
      return apply({ ...base, payment: { status: 'FAILED', reason: event.detail.data.reason } }, []);
    case 'PaymentRefunded':
      return apply({ ...base, payment: { status: 'REFUNDED', paymentId: event.detail.data.paymentId } }, []);
    case 'ShipmentCreated':
      return apply({ ...base, shipment: { status: 'CREATED', shipmentId: event.detail.data.shipmentId } }, []);
    case 'ShipmentCancelled':
      return apply({ ...base, shipment: { status: 'CANCELLED', shipmentId: event.detail.data.shipmentId } }, []);
  }
}

/** The events the first delivery of an (inventory) event made orders publish, for a duplicate to publish again. */
function consequencesOf(record: OrderRecord, event: LifecycleEvent): ShopEvent[] {
  switch (event.detailType) {
    case 'StockReserved':
      return [
        ...(record.confirmedAt === undefined ? [] : [orderPlacedEvent(record)]),
        ...(record.cancellation === undefined ? [] : [orderCancelledEvent(record)]),
      ];
    case 'StockRejected':
      return record.rejection === undefined ? [] : [orderRejectedEvent(record)];
    default:
      return [];
  }
}

function withStatus(record: OrderRecord): OrderRecord {
  return { ...record, status: statusOf(record) };
}

function apply(next: OrderRecord, publish: readonly ShopEvent[]): LifecycleDecision {
  return { kind: 'apply', next: withStatus(next), publish };
}

export interface FollowLifecycleDeps {
  readonly orders: OrderRepository;
  readonly events: OrderEvents;
  readonly now: () => Date;
}

/**
 * Apply `event` to its order (read, decide, write conditionally on what was read; a lost race reads again), then
 * publish what it caused. A failed publish throws after the write: the redelivered event is a duplicate, which
 * publishes the same events again.
 */
export async function followLifecycleEvent(deps: FollowLifecycleDeps, event: LifecycleEvent): Promise<'applied' | 'duplicate' | 'stale'> {
  const { orderId } = event.detail;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const record = await deps.orders.find(orderId);
    if (record === undefined) throw new UnknownOrderError(orderId);
    const decision = decideLifecycle(record, event, deps.now());
    if (decision.kind === 'skip') {
      if (decision.publish.length > 0) await deps.events.publish(decision.publish);
      return decision.why;
    }
    if ((await deps.orders.replace(decision.next, record)) === 'saved') {
      if (decision.publish.length > 0) await deps.events.publish(decision.publish);
      return 'applied';
    }
  }
  throw new ConcurrentOrderUpdateError(orderId);
}
