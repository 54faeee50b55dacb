import type { EventBridgeEvent } from 'aws-lambda';
import {
  type DataOf,
  type DetailType,
  newEvent,
  type ShopEvent,
  type ShopEventOf,
} from '../../../lambdas/shared/events/contracts';

/** The order every fixture is about. */
export const FIXTURE_ORDER_ID = '0e9e1a57-1111-4222-8333-444455556666';
export const FIXTURE_CORRELATION_ID = 'c0ffee00-0000-4000-8000-00000000c0de';
export const FIXTURE_OCCURRED_AT = new Date('2024-05-01T12:00:00.000Z');

/** The fixture order's lines, priced: 2 × SKU-0001 at 14.90 and 1 × SKU-0004 at 22.50, 52.30 EUR in all. */
export const FIXTURE_LINES = [
  { sku: 'SKU-0001', quantity: 2, unitPriceCents: 1490 },
  { sku: 'SKU-0004', quantity: 1, unitPriceCents: 2250 },
] as const;
export const FIXTURE_TOTAL_CENTS = 5230;

/** The fixture order as its placement events carry it. */
const PLACED_ORDER = { customerId: 'customer-1', lines: [...FIXTURE_LINES], totalCents: FIXTURE_TOTAL_CENTS, currency: 'EUR' } as const;

/** A valid `data` for each event type, as its producer publishes it. */
export const FIXTURE_DATA: { readonly [K in DetailType]: DataOf<K> } = {
  OrderRequested: PLACED_ORDER,
  OrderPlaced: PLACED_ORDER,
  OrderRejected: {
    customerId: 'customer-1',
    reason: 'OUT_OF_STOCK',
    errors: [{ field: 'lines[1].sku', message: 'only 0 available' }],
  },
  OrderCancelled: { customerId: 'customer-1', reason: 'changed my mind', totalCents: 5230, currency: 'EUR' },
  StockReserved: {
    lines: [
      { sku: 'SKU-0001', quantity: 2 },
      { sku: 'SKU-0004', quantity: 1 },
    ],
  },
  StockRejected: { reason: 'OUT_OF_STOCK', errors: [{ field: 'lines[1].sku', message: 'only 0 available' }] },
  PaymentCaptured: { customerId: 'customer-1', paymentId: 'pay-1', amountCents: 5230, currency: 'EUR' },
  PaymentFailed: { customerId: 'customer-1', reason: 'card declined' },
  PaymentRefunded: { customerId: 'customer-1', paymentId: 'pay-1', amountCents: 5230, currency: 'EUR' },
  ShipmentCreated: { customerId: 'customer-1', shipmentId: 'ship-1' },
  ShipmentCancelled: { customerId: 'customer-1', shipmentId: 'ship-1' },
};

/** The version each type is published at in the flows (DESIGN.md / the async spec). */
export const FIXTURE_VERSION: { readonly [K in DetailType]: number } = {
  OrderRequested: 1,
  OrderPlaced: 2,
  OrderRejected: 2,
  OrderCancelled: 3,
  StockReserved: 1,
  StockRejected: 1,
  PaymentCaptured: 1,
  PaymentFailed: 1,
  PaymentRefunded: 2,
  ShipmentCreated: 1,
  ShipmentCancelled: 2,
};

export interface EventOverrides<K extends DetailType> {
  readonly orderId?: string;
  readonly version?: number;
  readonly correlationId?: string;
  readonly occurredAt?: Date;
  readonly data?: Partial<DataOf<K>>;
}

/** A valid event of `detailType` (its fixture), with what the test is about overridden. */
export function anEvent<K extends DetailType>(detailType: K, overrides: EventOverrides<K> = {}): ShopEventOf<K> {
  return newEvent(detailType, {
    orderId: overrides.orderId ?? FIXTURE_ORDER_ID,
    version: overrides.version ?? FIXTURE_VERSION[detailType],
    correlationId: overrides.correlationId ?? FIXTURE_CORRELATION_ID,
    occurredAt: overrides.occurredAt ?? FIXTURE_OCCURRED_AT,
    data: { ...FIXTURE_DATA[detailType], ...overrides.data } as DataOf<K>,
  }) as ShopEventOf<K>;
}

/** The EventBridge event as a target receives it (`detail` = the envelope), e.g. an SQS body or Kinesis data. */
export type EventBridgeDelivery = EventBridgeEvent<string, unknown>;

let deliveries = 0;

/** `event` as EventBridge delivers it to a target: the whole event, with its own (random-looking) id. */
export function eventBridgeDelivery(event: ShopEvent, overrides: Partial<EventBridgeDelivery> = {}): EventBridgeDelivery {
  deliveries += 1;
  return {
    version: '0',
    id: `5e1b7a00-0000-4000-8000-${String(deliveries).padStart(12, '0')}`,
    'detail-type': event.detailType,
    source: event.source,
    account: '123456789012',
    time: event.detail.occurredAt.replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: event.detail,
    ...overrides,
  };
}
