import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { FieldError } from '../errors';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../sku';
import { fieldErrors } from '../validation';

/**
 * The event contracts of the shop: one versioned schema per event type. An event on the bus is
 * `{ source, 'detail-type', detail }` where `detail` is the envelope below and `detail.data` the type's own fields.
 * Producers validate before publishing (`EventPublisher`), consumers parse before acting (`parseEventBridgeEvent`).
 * Amounts are integer cents, in the shop's one currency, EUR.
 */

/** The currency of every amount in an event. */
export const SHOP_CURRENCY = 'EUR';
export type ShopCurrency = typeof SHOP_CURRENCY;

export const EVENT_SOURCES = {
  orders: 'shop.orders',
  inventory: 'shop.inventory',
  payments: 'shop.payments',
  shipping: 'shop.shipping',
} as const;

export type EventSource = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

/** Every event type, each the `detail-type` of its events. */
export const DETAIL_TYPES = [
  'OrderRequested',
  'OrderPlaced',
  'OrderRejected',
  'OrderCancelled',
  'StockReserved',
  'StockRejected',
  'PaymentCaptured',
  'PaymentFailed',
  'PaymentRefunded',
  'ShipmentCreated',
  'ShipmentCancelled',
] as const;

export type DetailType = (typeof DETAIL_TYPES)[number];

/**
 * The events a customer is told about, one e-mail each: the notifications subscription on the bus and the
 * notifications domain both read this list.
 */
export const CUSTOMER_FACING_EVENTS = [
  'OrderPlaced',
  'OrderRejected',
  'OrderCancelled',
  'PaymentCaptured',
  'PaymentFailed',
  'PaymentRefunded',
  'ShipmentCreated',
  'ShipmentCancelled',
] as const satisfies readonly DetailType[];

export type CustomerFacingEvent = (typeof CUSTOMER_FACING_EVENTS)[number];

/** The one source that publishes each event type; an event from any other source is invalid. */
export const SOURCE_OF = {
  OrderRequested: EVENT_SOURCES.orders,
  OrderPlaced: EVENT_SOURCES.orders,
  OrderRejected: EVENT_SOURCES.orders,
  OrderCancelled: EVENT_SOURCES.orders,
  StockReserved: EVENT_SOURCES.inventory,
  StockRejected: EVENT_SOURCES.inventory,
  PaymentCaptured: EVENT_SOURCES.payments,
  PaymentFailed: EVENT_SOURCES.payments,
  PaymentRefunded: EVENT_SOURCES.payments,
  ShipmentCreated: EVENT_SOURCES.shipping,
  ShipmentCancelled: EVENT_SOURCES.shipping,
} as const satisfies { readonly [K in DetailType]: EventSource };

/** The event types `S` publishes. */
export type DetailTypeFrom<S extends EventSource> = { [K in DetailType]: (typeof SOURCE_OF)[K] extends S ? K : never }[DetailType];

/** The envelope every event's `detail` is. */
export interface EventEnvelope<D> {
  readonly schemaVersion: 1;
  /** Deterministic: `eventIdFor(source, detailType, orderId, version)`, so a retried publish is a duplicate. */
  readonly eventId: string;
  readonly orderId: string;
  /** Per-order sequence of the producing service, from 1. */
  readonly version: number;
  /** ISO-8601. */
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly data: D;
}

export interface PricedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface StockLine {
  readonly sku: string;
  readonly quantity: number;
}

/** A field of the order that made it fail, as the synchronous API would name it (`lines[1].sku`). */
export interface EventFieldError {
  readonly field: string;
  readonly message: string;
}

/** Why stock could not be reserved. */
export type StockRejectionReason = 'OUT_OF_STOCK' | 'UNKNOWN_SKU';

/** OrderRequested and OrderPlaced. */
export interface OrderData {
  readonly customerId: string;
  readonly lines: readonly PricedLine[];
  readonly totalCents: number;
  readonly currency: ShopCurrency;
}

export interface OrderRejectedData {
  readonly customerId: string;
  readonly reason: StockRejectionReason;
  readonly errors: readonly EventFieldError[];
}

export interface OrderCancelledData {
  readonly customerId: string;
  readonly reason: string;
  readonly totalCents: number;
  readonly currency: ShopCurrency;
}

export interface StockReservedData {
  readonly lines: readonly StockLine[];
}

export interface StockRejectedData {
  readonly reason: StockRejectionReason;
  readonly errors: readonly EventFieldError[];
}

/** PaymentCaptured and PaymentRefunded. */
export interface PaymentData {
  readonly customerId: string;
  readonly paymentId: string;
  readonly amountCents: number;
  readonly currency: ShopCurrency;
}

export interface PaymentFailedData {
  readonly customerId: string;
  readonly reason: string;
}

/** ShipmentCreated and ShipmentCancelled. */
export interface ShipmentData {
  readonly customerId: string;
  readonly shipmentId: string;
}

interface DataTypes {
  OrderRequested: OrderData;
  OrderPlaced: OrderData;
  OrderRejected: OrderRejectedData;
  OrderCancelled: OrderCancelledData;
  StockReserved: StockReservedData;
  StockRejected: StockRejectedData;
  PaymentCaptured: PaymentData;
  PaymentFailed: PaymentFailedData;
  PaymentRefunded: PaymentData;
  ShipmentCreated: ShipmentData;
  ShipmentCancelled: ShipmentData;
}

/** The `data` of an event type. */
export type DataOf<K extends DetailType> = DataTypes[K];

/** One event, discriminated on `detailType`. */
export type ShopEvent = {
  [K in DetailType]: {
    readonly source: EventSource;
    readonly detailType: K;
    readonly detail: EventEnvelope<DataOf<K>>;
  };
}[DetailType];

/** The event of one type. */
export type ShopEventOf<K extends DetailType> = Extract<ShopEvent, { readonly detailType: K }>;

// ---- schemas: unknown fields are dropped (a producer may add fields without breaking a consumer) ----

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const cents = z.int().check(z.minimum(0));
const quantity = z.int().check(z.minimum(1));
const sku = z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE));
const currency = z.literal(SHOP_CURRENCY);
const customerId = text(64);
const stockRejectionReason = z.enum(['OUT_OF_STOCK', 'UNKNOWN_SKU']);
const fieldErrorList = z.array(z.object({ field: text(200), message: text(500) }));

const orderData: z.ZodMiniType<OrderData> = z.object({
  customerId,
  lines: z.array(z.object({ sku, quantity, unitPriceCents: cents })).check(z.minLength(1)),
  totalCents: cents,
  currency,
});
const paymentData: z.ZodMiniType<PaymentData> = z.object({ customerId, paymentId: text(128), amountCents: cents, currency });
const shipmentData: z.ZodMiniType<ShipmentData> = z.object({ customerId, shipmentId: text(128) });

const DATA_SCHEMAS: { readonly [K in DetailType]: z.ZodMiniType<DataOf<K>> } = {
  OrderRequested: orderData,
  OrderPlaced: orderData,
  OrderRejected: z.object({ customerId, reason: stockRejectionReason, errors: fieldErrorList }),
  OrderCancelled: z.object({ customerId, reason: text(500), totalCents: cents, currency }),
  StockReserved: z.object({ lines: z.array(z.object({ sku, quantity })).check(z.minLength(1)) }),
  StockRejected: z.object({ reason: stockRejectionReason, errors: fieldErrorList }),
  PaymentCaptured: paymentData,
  PaymentFailed: z.object({ customerId, reason: text(500) }),
  PaymentRefunded: paymentData,
  ShipmentCreated: shipmentData,
  ShipmentCancelled: shipmentData,
};

/** An ISO-8601 date-time with seconds and a zone (`Z` or an offset); zod's own check costs 2 KB of bundle more. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// Without flags: the events' JSON Schemas copy the pattern, and JSON Schema has no case-insensitive flag.
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function envelopeOf<D>(data: z.ZodMiniType<D>): z.ZodMiniType<EventEnvelope<D>> {
  return z.object({
    schemaVersion: z.literal(1),
    eventId: z.string().check(z.regex(UUID_PATTERN, 'must be a UUID')),
    orderId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be 1 to 64 characters A-Z, a-z, 0-9 or "-"')),
    version: z.int().check(z.minimum(1)),
    occurredAt: z.string().check(
      z.regex(ISO_DATE_TIME, 'must be an ISO-8601 date-time'),
      z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be a real date-time'),
      // What the refinement says, for the events' JSON Schemas (docs/contracts/events/), which cannot run it.
      z.meta({ format: 'date-time' }),
    ),
    correlationId: text(256),
    data,
  });
}

const ENVELOPE_SCHEMAS = Object.fromEntries(
  DETAIL_TYPES.map((detailType) => [detailType, envelopeOf(DATA_SCHEMAS[detailType] as z.ZodMiniType<unknown>)]),
) as { readonly [K in DetailType]: z.ZodMiniType<EventEnvelope<DataOf<K>>> };

/**
 * The schema of the `detail` of `detailType` events, as consumers parse it: what the events' JSON Schemas
 * (`npm run contracts`) are generated from.
 */
export function eventDetailSchema<K extends DetailType>(detailType: K): z.ZodMiniType<EventEnvelope<DataOf<K>>> {
  return ENVELOPE_SCHEMAS[detailType];
}

// ---- construction and parsing ----

/** An event that breaks its contract; `errors` name each offending field (`detail.data.lines[0].sku`). */
export class InvalidEventError extends Error {
  readonly errors: readonly FieldError[];

  constructor(detail: string, errors: readonly FieldError[], options?: { cause?: unknown }) {
    super(`${detail}: ${errors.map((error) => `${error.field} ${error.message}`).join('; ')}`, options);
    this.name = 'InvalidEventError';
    this.errors = errors;
  }

  /** The first offending field. */
  get field(): string {
    return this.errors[0]?.field ?? 'event';
  }
}

/**
 * The deterministic id of the event `detailType` from `source` about `orderId` at `version`: the SHA-256 of
 * `${source}|${detailType}|${orderId}|${version}`, its first 128 bits laid out as an RFC 9562 version-8 UUID.
 */
export function eventIdFor(source: EventSource, detailType: DetailType, orderId: string, version: number): string {
  const hex = createHash('sha256').update(`${source}|${detailType}|${orderId}|${version}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface NewEventFields<K extends DetailType> {
  readonly orderId: string;
  readonly version: number;
  readonly correlationId: string;
  readonly data: DataOf<K>;
  /** @default - now */
  readonly occurredAt?: Date;
}

/** An event of `detailType`, with its source, schema version and deterministic eventId filled in (not validated). */
export function newEvent<K extends DetailType>(detailType: K, fields: NewEventFields<K>): ShopEvent & { detailType: K } {
  const source = SOURCE_OF[detailType];
  const event = {
    source,
    detailType,
    detail: {
      schemaVersion: 1 as const,
      eventId: eventIdFor(source, detailType, fields.orderId, fields.version),
      orderId: fields.orderId,
      version: fields.version,
      occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
      correlationId: fields.correlationId,
      data: fields.data,
    },
  };
  // TypeScript cannot narrow a union through a generic key; the object is built for exactly `K`.
  return event as unknown as ShopEvent & { detailType: K };
}

export function isDetailType(value: unknown): value is DetailType {
  return typeof value === 'string' && (DETAIL_TYPES as readonly string[]).includes(value);
}

/**
 * A delivered EventBridge event (`{ source, 'detail-type', detail, … }`, as SQS, Kinesis and Lambda targets get
 * it) checked against its contract. Throws `InvalidEventError` naming the field: an unknown `detail-type`, a
 * `source` that does not publish it, or a `detail` that breaks the type's schema.
 */
export function parseEventBridgeEvent(event: unknown): ShopEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidEventError('Not an EventBridge event', [{ field: 'event', message: 'must be an object' }]);
  }
  const { source, 'detail-type': detailType, detail } = event as Record<string, unknown>;
  if (!isDetailType(detailType)) {
    throw new InvalidEventError('Unknown event type', [
      { field: 'detail-type', message: `must be one of ${DETAIL_TYPES.join(', ')}, got ${JSON.stringify(detailType)}` },
    ]);
  }
  const expectedSource = SOURCE_OF[detailType];
  if (source !== expectedSource) {
    throw new InvalidEventError(`Invalid ${detailType} event`, [
      { field: 'source', message: `must be ${expectedSource}, got ${JSON.stringify(source)}` },
    ]);
  }
  const result = ENVELOPE_SCHEMAS[detailType].safeParse(detail, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ ...issue, path: ['detail', ...issue.path] }));
    throw new InvalidEventError(`Invalid ${detailType} event`, fieldErrors(issues, 'detail'));
  }
  return { source: expectedSource, detailType, detail: result.data } as ShopEvent;
}

/**
 * Check an event before it is published: its contract (as `parseEventBridgeEvent` does) and its eventId, which must
 * be the deterministic one. Returns the event as parsed; throws `InvalidEventError`.
 */
export function validateForPublish(event: ShopEvent): ShopEvent {
  const parsed = parseEventBridgeEvent({ source: event.source, 'detail-type': event.detailType, detail: event.detail });
  const { orderId, version, eventId } = parsed.detail;
  const expected = eventIdFor(parsed.source, parsed.detailType, orderId, version);
  if (eventId !== expected) {
    throw new InvalidEventError(`Invalid ${parsed.detailType} event`, [
      { field: 'detail.eventId', message: `must be the deterministic id ${expected}` },
    ]);
  }
  return parsed;
}
