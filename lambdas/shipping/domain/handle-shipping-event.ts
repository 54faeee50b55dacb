import { newEvent, type ShopEvent, type ShopEventOf } from '../../shared/events/contracts';
import { UnexpectedEventError } from '../../shared/events/unexpected-event-error';
import { type CancelledShipment, type CreatedShipment, shipmentIdFor } from './shipment';
import type { ShipmentStore } from './shipment-store';

/** Where shipping events are published (the event bus). Throws when any event was not accepted. */
export interface ShippingEvents {
  publish(events: readonly ShopEvent[]): Promise<void>;
}

export interface ShippingDeps {
  readonly store: ShipmentStore;
  readonly events: ShippingEvents;
  readonly now: () => Date;
}

/** What one event came to. */
export type ShippingOutcome =
  /** PaymentCaptured: a shipment created, ShipmentCreated v1 published. */
  | 'created'
  /** OrderCancelled: the shipment cancelled, ShipmentCancelled v2 published. */
  | 'cancelled'
  /** The event was handled before (a repeated delivery): its event published again, same eventId. */
  | 'replayed'
  /** PaymentCaptured after the order was cancelled with no shipment: no shipment is created. */
  | 'skipped-cancelled'
  /** OrderCancelled before any shipment: a tombstone written, nothing published. */
  | 'tombstoned'
  /** OrderCancelled again for an order that never had a shipment: nothing to do. */
  | 'nothing-to-cancel';

/** The events shipping handles. */
export const SHIPPING_EVENTS = ['PaymentCaptured', 'OrderCancelled'] as const;

/**
 * PaymentCaptured → create the order's shipment (unless the order was cancelled first); OrderCancelled → cancel it,
 * or leave a tombstone when there is none yet. Idempotent: the record is written (conditionally) before its event
 * is published, and a repeated event publishes the same event again, which consumers drop by eventId.
 * Failures throw, so the asynchronous invocation is retried.
 */
export async function handleShippingEvent(deps: ShippingDeps, event: ShopEvent): Promise<ShippingOutcome> {
  // A second pass runs only when a conditional write lost to a concurrent one; it then sees that write.
  for (let pass = 0; pass < 2; pass++) {
    let outcome: ShippingOutcome | 'conflict';
    switch (event.detailType) {
      case 'PaymentCaptured':
        outcome = await createShipment(deps, shipmentOrderOf(event));
        break;
      case 'OrderCancelled':
        outcome = await cancelShipment(deps, shipmentOrderOf(event));
        break;
      default:
        throw new UnexpectedEventError(event.detailType, SHIPPING_EVENTS);
    }
    if (outcome !== 'conflict') return outcome;
  }
  throw new Error(`the shipment record of order ${event.detail.orderId} changed twice while handling ${event.detailType}`);
}

/** The order an event is about, as its shipment record keeps it. */
interface ShipmentOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly correlationId: string;
}

function shipmentOrderOf(event: ShopEventOf<(typeof SHIPPING_EVENTS)[number]>): ShipmentOrder {
  return { orderId: event.detail.orderId, customerId: event.detail.data.customerId, correlationId: event.detail.correlationId };
}

async function createShipment(deps: ShippingDeps, { orderId, customerId, correlationId }: ShipmentOrder): Promise<ShippingOutcome | 'conflict'> {
  const existing = await deps.store.find(orderId);
  if (existing !== undefined) {
    if (existing.status === 'TOMBSTONE') return 'skipped-cancelled';
    // CREATED, or CANCELLED since: the shipment was created, so its ShipmentCreated is re-published.
    await deps.events.publish([createdEvent(existing)]);
    return 'replayed';
  }
  const shipment: CreatedShipment = {
    status: 'CREATED',
    orderId,
    customerId,
    shipmentId: shipmentIdFor(orderId),
    correlationId,
    createdAt: deps.now().toISOString(),
  };
  if ((await deps.store.create(shipment)) === 'exists') return 'conflict';
  await deps.events.publish([createdEvent(shipment)]);
  return 'created';
}

async function cancelShipment(deps: ShippingDeps, { orderId, customerId, correlationId }: ShipmentOrder): Promise<ShippingOutcome | 'conflict'> {
  const existing = await deps.store.find(orderId);
  const cancelledAt = deps.now().toISOString();
  if (existing === undefined) {
    const created = await deps.store.create({ status: 'TOMBSTONE', orderId, customerId, cancelledAt, cancelCorrelationId: correlationId });
    return created === 'created' ? 'tombstoned' : 'conflict';
  }
  switch (existing.status) {
    case 'CREATED': {
      if ((await deps.store.markCancelled(orderId, cancelledAt, correlationId)) === 'not-created') return 'conflict';
      await deps.events.publish([cancelledEvent({ ...existing, status: 'CANCELLED', cancelledAt, cancelCorrelationId: correlationId })]);
      return 'cancelled';
    }
    case 'CANCELLED':
      await deps.events.publish([cancelledEvent(existing)]);
      return 'replayed';
    case 'TOMBSTONE':
      return 'nothing-to-cancel';
  }
}

/** ShipmentCreated v1, from the record (so a replay carries the first publish's occurredAt). */
function createdEvent(shipment: CreatedShipment | CancelledShipment): ShopEvent {
  return newEvent('ShipmentCreated', {
    orderId: shipment.orderId,
    version: 1,
    correlationId: shipment.correlationId,
    occurredAt: new Date(shipment.createdAt),
    data: { customerId: shipment.customerId, shipmentId: shipment.shipmentId },
  });
}

/** ShipmentCancelled v2, from the cancelled record. */
function cancelledEvent(shipment: CancelledShipment): ShopEvent {
  return newEvent('ShipmentCancelled', {
    orderId: shipment.orderId,
    version: 2,
    correlationId: shipment.cancelCorrelationId,
    occurredAt: new Date(shipment.cancelledAt),
    data: { customerId: shipment.customerId, shipmentId: shipment.shipmentId },
  });
}
