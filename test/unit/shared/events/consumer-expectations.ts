/**
 * FROZEN. What the consumers of each event type read, with a value of the type they expect. The contract test
 * checks the current schemas against this copy: a change that removes, renames, retypes or makes optional a field
 * listed here fails it, because a consumer reading that field would break.
 *
 * Change this file only together with every consumer listed in `readBy` (and, for a breaking change, a new
 * `schemaVersion`). Adding a field to an event, or a consumer reading one more field, adds an entry here.
 */

/** A value standing for its type: a string, an integer, a literal (the exact value), or an array of one element. */
export type Expected = string | number | readonly ExpectedObject[];
export interface ExpectedObject {
  readonly [field: string]: Expected;
}

export interface ConsumerExpectation {
  readonly source: string;
  /** Who reads the fields below. */
  readonly readBy: readonly string[];
  /** The `data` fields they read; a string value stands for "any non-empty string" unless listed in `literals`. */
  readonly data: ExpectedObject;
  /** Fields whose value is a fixed set: the frozen values every consumer handles. */
  readonly literals?: { readonly [path: string]: readonly (string | number)[] };
}

/** The envelope fields every consumer reads (dedup by eventId, order by version, partition by orderId …). */
export const ENVELOPE_EXPECTATION: ExpectedObject = {
  eventId: '6a0c6d3e-1b2f-8c3d-9e4f-5a6b7c8d9e0f',
  orderId: '0e9e1a57-1111-4222-8333-444455556666',
  version: 1,
  occurredAt: '2024-05-01T12:00:00.000Z',
  correlationId: 'correlation-1',
};

const orderLines = [{ sku: 'SKU-0001', quantity: 2, unitPriceCents: 1490 }];

export const CONSUMER_EXPECTATIONS: { readonly [detailType: string]: ConsumerExpectation } = Object.freeze({
  OrderRequested: {
    source: 'shop.orders',
    readBy: ['inventory/reservation-worker'],
    data: { customerId: 'customer-1', lines: orderLines, totalCents: 2980, currency: 'EUR' },
    literals: { currency: ['EUR'] },
  },
  OrderPlaced: {
    source: 'shop.orders',
    readBy: ['payments/payment-intake', 'notifications', 'analytics', 'orders/timeline'],
    data: { customerId: 'customer-1', lines: orderLines, totalCents: 2980, currency: 'EUR' },
    literals: { currency: ['EUR'] },
  },
  OrderRejected: {
    source: 'shop.orders',
    readBy: ['notifications', 'orders/timeline'],
    data: { customerId: 'customer-1', reason: 'OUT_OF_STOCK', errors: [{ field: 'lines[0].sku', message: 'only 0 available' }] },
    literals: { reason: ['OUT_OF_STOCK', 'UNKNOWN_SKU'] },
  },
  OrderCancelled: {
    source: 'shop.orders',
    readBy: ['payments/payment-intake', 'shipping', 'inventory/release-worker', 'notifications', 'analytics', 'orders/timeline'],
    data: { customerId: 'customer-1', reason: 'changed my mind', totalCents: 2980, currency: 'EUR' },
    literals: { currency: ['EUR'] },
  },
  StockReserved: {
    source: 'shop.inventory',
    readBy: ['orders/order-lifecycle-worker'],
    data: { lines: [{ sku: 'SKU-0001', quantity: 2 }] },
  },
  StockRejected: {
    source: 'shop.inventory',
    readBy: ['orders/order-lifecycle-worker'],
    data: { reason: 'UNKNOWN_SKU', errors: [{ field: 'lines[0].sku', message: 'is not stocked' }] },
    literals: { reason: ['OUT_OF_STOCK', 'UNKNOWN_SKU'] },
  },
  PaymentCaptured: {
    source: 'shop.payments',
    readBy: ['orders/order-lifecycle-worker', 'shipping', 'notifications'],
    data: { customerId: 'customer-1', paymentId: 'pay-1', amountCents: 2980, currency: 'EUR' },
    literals: { currency: ['EUR'] },
  },
  PaymentFailed: {
    source: 'shop.payments',
    readBy: ['orders/order-lifecycle-worker', 'inventory/release-worker', 'notifications'],
    data: { customerId: 'customer-1', reason: 'card declined' },
  },
  PaymentRefunded: {
    source: 'shop.payments',
    readBy: ['orders/order-lifecycle-worker', 'notifications'],
    data: { customerId: 'customer-1', paymentId: 'pay-1', amountCents: 2980, currency: 'EUR' },
    literals: { currency: ['EUR'] },
  },
  ShipmentCreated: {
    source: 'shop.shipping',
    readBy: ['orders/order-lifecycle-worker', 'notifications'],
    data: { customerId: 'customer-1', shipmentId: 'ship-1' },
  },
  ShipmentCancelled: {
    source: 'shop.shipping',
    readBy: ['orders/order-lifecycle-worker', 'notifications'],
    data: { customerId: 'customer-1', shipmentId: 'ship-1' },
  },
});
