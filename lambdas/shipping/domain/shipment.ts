import { createHash } from 'node:crypto';

/** A shipment on its way; `createdAt` (ISO-8601) is the occurredAt of ShipmentCreated. */
export interface CreatedShipment {
  readonly status: 'CREATED';
  readonly orderId: string;
  readonly customerId: string;
  readonly shipmentId: string;
  /** The correlationId of the PaymentCaptured that created it. */
  readonly correlationId: string;
  readonly createdAt: string;
}

/** A shipment created, then cancelled; `cancelledAt` is the occurredAt of ShipmentCancelled. */
export interface CancelledShipment extends Omit<CreatedShipment, 'status'> {
  readonly status: 'CANCELLED';
  readonly cancelledAt: string;
  /** The correlationId of the OrderCancelled that cancelled it. */
  readonly cancelCorrelationId: string;
}

/**
 * A tombstone: the order was cancelled before any shipment existed. No ShipmentCancelled is published, and a
 * PaymentCaptured that arrives later creates no shipment.
 */
export interface ShipmentTombstone {
  readonly status: 'TOMBSTONE';
  readonly orderId: string;
  readonly customerId: string;
  readonly cancelledAt: string;
  readonly cancelCorrelationId: string;
}

/** One order's shipment record (the shipments table, key `orderId`). */
export type Shipment = CreatedShipment | CancelledShipment | ShipmentTombstone;

/** The shipmentId of an order's shipment: `shp_` + 24 hex digits of a SHA-256 of the orderId, the same on every retry. */
export function shipmentIdFor(orderId: string): string {
  return `shp_${createHash('sha256').update(`shipment|${orderId}`).digest('hex').slice(0, 24)}`;
}
