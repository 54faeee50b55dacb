import type { Shipment } from './shipment';

/** The shipments table. Every write is conditional, so a repeated or concurrent event never applies twice. */
export interface ShipmentStore {
  /** The order's shipment record, read consistently. */
  find(orderId: string): Promise<Shipment | undefined>;
  /** Write `shipment` unless the order has a record already ('exists': nothing was written). */
  create(shipment: Shipment): Promise<'created' | 'exists'>;
  /**
   * Turn the order's CREATED shipment into CANCELLED at `cancelledAt`; 'not-created' when the record is no longer
   * CREATED (nothing was written).
   */
  markCancelled(orderId: string, cancelledAt: string, cancelCorrelationId: string): Promise<'cancelled' | 'not-created'>;
}
