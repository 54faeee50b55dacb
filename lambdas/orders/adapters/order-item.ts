import type { ShopCurrency } from '../../shared/events/contracts';
import type {
  AppliedVersions,
  OrderCancellation,
  OrderLine,
  OrderPayment,
  OrderRecord,
  OrderRejection,
  OrderShipment,
  OrderStatus,
} from '../domain/order';

/** Each source's applied version is a top-level attribute, so a write can be conditional on it. */
export const APPLIED_VERSION_ATTRIBUTES = {
  'shop.inventory': 'inventoryVersion',
  'shop.payments': 'paymentsVersion',
  'shop.shipping': 'shippingVersion',
} as const;

const SOURCES = Object.keys(APPLIED_VERSION_ATTRIBUTES) as (keyof typeof APPLIED_VERSION_ATTRIBUTES)[];

/** The orders-table item of `record` (key `orderId`). */
export function orderItem(record: OrderRecord): Record<string, unknown> {
  const { appliedVersions, ...fields } = record;
  const item: Record<string, unknown> = { ...fields };
  for (const source of SOURCES) item[APPLIED_VERSION_ATTRIBUTES[source]] = appliedVersions[source];
  return item;
}

/**
 * The order an orders-table item holds. Items written before the asynchronous flows (CONFIRMED, version 1) have no
 * correlation id or confirmation time: their orderId and creation time stand in.
 */
export function orderRecordOf(item: Record<string, unknown>): OrderRecord {
  const appliedVersions: { -readonly [S in keyof AppliedVersions]: number } = {};
  for (const source of SOURCES) {
    const value = item[APPLIED_VERSION_ATTRIBUTES[source]];
    if (value !== undefined) appliedVersions[source] = Number(value);
  }
  const status = item.status as OrderStatus;
  const createdAt = String(item.createdAt);
  const confirmedAt = item.confirmedAt === undefined ? (status === 'PENDING' || item.rejection !== undefined ? undefined : createdAt) : String(item.confirmedAt);
  return {
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    lines: (item.lines as OrderLine[]).map((line) => ({
      sku: String(line.sku),
      quantity: Number(line.quantity),
      unitPriceCents: Number(line.unitPriceCents),
    })),
    totalCents: Number(item.totalCents),
    currency: item.currency as ShopCurrency,
    status,
    createdAt,
    version: Number(item.version),
    correlationId: item.correlationId === undefined ? String(item.orderId) : String(item.correlationId),
    appliedVersions,
    ...(confirmedAt === undefined ? {} : { confirmedAt }),
    ...(item.updatedAt === undefined ? {} : { updatedAt: String(item.updatedAt) }),
    ...(item.rejection === undefined ? {} : { rejection: item.rejection as OrderRejection }),
    ...(item.cancellation === undefined ? {} : { cancellation: item.cancellation as OrderCancellation }),
    ...(item.payment === undefined ? {} : { payment: item.payment as OrderPayment }),
    ...(item.shipment === undefined ? {} : { shipment: item.shipment as OrderShipment }),
  };
}

/**
 * The condition "the stored order is still `expected`": same version, same applied version from every source (an
 * absent one still absent). Every write of an order changes one of them, so no change slips through between a
 * read and a write.
 */
export function unchangedSince(expected: OrderRecord): { expression: string; values: Record<string, number> } {
  const clauses = ['#version = :expectedVersion'];
  const values: Record<string, number> = { ':expectedVersion': expected.version };
  for (const source of SOURCES) {
    const attribute = APPLIED_VERSION_ATTRIBUTES[source];
    const applied = expected.appliedVersions[source];
    if (applied === undefined) {
      clauses.push(`attribute_not_exists(${attribute})`);
    } else {
      clauses.push(`${attribute} = :${attribute}`);
      values[`:${attribute}`] = applied;
    }
  }
  return { expression: clauses.join(' AND '), values };
}
