/**
 * How many bytes each event takes as a Kinesis record: the whole EventBridge event as JSON (what the rule's Kinesis
 * target writes), plus its partition key, the orderId. The events are the shop's own (`newEvent`), filled with
 * values as long as real ones: UUIDs for ids, a Cognito `sub` for the customer, an order of `lines` lines.
 */
import { type DataOf, type DetailType, DETAIL_TYPES, newEvent, SHOP_CURRENCY } from '../../lambdas/shared/events/contracts';

const ORDER_ID = '3f6c2a1e-9b7d-4e2f-8a5c-1d0e9f8b7a6c';
const CUSTOMER_ID = 'c4b1e8f2-7a3d-4c9e-b5f6-2e8d1a0c3b7f';
const CORRELATION_ID = '8e2f4a6c-1b3d-4f5e-9a7c-0d2b4e6f8a1c';
const PAYMENT_ID = `pay_${ORDER_ID}`;
const SHIPMENT_ID = `shp_${ORDER_ID}`;
/** The fields EventBridge adds around `source`, `detail-type` and `detail` when it delivers an event. */
const ENVELOPE = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  account: '123456789012',
  time: '2026-01-01T12:00:00Z',
  region: 'us-east-1',
  resources: [],
};

function sampleData(detailType: DetailType, lines: number): DataOf<DetailType> {
  const orderLines = Array.from({ length: lines }, (_, i) => ({ sku: `SKU-${String(i + 1).padStart(4, '0')}`, quantity: 1, unitPriceCents: 1999 }));
  const order = { customerId: CUSTOMER_ID, lines: orderLines, totalCents: 1999 * lines, currency: SHOP_CURRENCY } as const;
  const payment = { customerId: CUSTOMER_ID, paymentId: PAYMENT_ID, amountCents: 1999 * lines, currency: SHOP_CURRENCY } as const;
  const rejection = { reason: 'OUT_OF_STOCK' as const, errors: [{ field: 'lines[0].sku', message: 'only 0 left in stock' }] };
  switch (detailType) {
    case 'OrderRequested':
    case 'OrderPlaced':
      return order;
    case 'OrderRejected':
      return { customerId: CUSTOMER_ID, ...rejection };
    case 'OrderCancelled':
      return { customerId: CUSTOMER_ID, reason: 'changed my mind', totalCents: order.totalCents, currency: SHOP_CURRENCY };
    case 'StockReserved':
      return { lines: orderLines.map(({ sku, quantity }) => ({ sku, quantity })) };
    case 'StockRejected':
      return rejection;
    case 'PaymentCaptured':
    case 'PaymentRefunded':
      return payment;
    case 'PaymentFailed':
      return { customerId: CUSTOMER_ID, reason: 'card declined' };
    case 'ShipmentCreated':
    case 'ShipmentCancelled':
      return { customerId: CUSTOMER_ID, shipmentId: SHIPMENT_ID };
  }
}

/** Bytes of one Kinesis record of each event type, for orders of `lines` lines. */
export function kinesisRecordBytes(lines: number): Readonly<Record<DetailType, number>> {
  return Object.fromEntries(
    DETAIL_TYPES.map((detailType) => {
      const event = newEvent(detailType, {
        orderId: ORDER_ID,
        version: 1,
        correlationId: CORRELATION_ID,
        occurredAt: new Date(ENVELOPE.time),
        data: sampleData(detailType, lines),
      });
      const delivered = { ...ENVELOPE, 'detail-type': event.detailType, source: event.source, detail: event.detail };
      return [detailType, Buffer.byteLength(JSON.stringify(delivered)) + Buffer.byteLength(ORDER_ID)];
    }),
  ) as Record<DetailType, number>;
}
