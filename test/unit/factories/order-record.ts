import { type Order, type OrderRecord, statusOf } from '../../../lambdas/orders/domain/order';
import { TEST_CUSTOMER_ID } from './caller-claims';
import { FIXTURE_CORRELATION_ID, FIXTURE_LINES, FIXTURE_ORDER_ID, FIXTURE_TOTAL_CENTS } from './events';

/**
 * An order as the orders table holds it: by default asynchronous and PENDING v1 (the fixture events' order), of the
 * signed-in test customer; override what the test is about. The status follows from the facts unless given.
 */
export function anOrderRecord(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const base: Omit<OrderRecord, 'status'> = {
    orderId: FIXTURE_ORDER_ID,
    customerId: TEST_CUSTOMER_ID,
    lines: [...FIXTURE_LINES],
    totalCents: FIXTURE_TOTAL_CENTS,
    currency: 'EUR',
    createdAt: '2024-05-01T12:00:00.000Z',
    version: 1,
    correlationId: FIXTURE_CORRELATION_ID,
    appliedVersions: {},
    ...overrides,
  };
  return { ...base, status: overrides.status ?? statusOf(base) };
}

/** A synchronous order: CONFIRMED v1 at placement. */
export function aConfirmedOrderRecord(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return anOrderRecord({ confirmedAt: '2024-05-01T12:00:00.000Z', ...overrides });
}

/** The fixture order as the API answers it (and a completed key stores it): CONFIRMED v1 unless overridden. */
export function aPublicOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: FIXTURE_ORDER_ID,
    customerId: TEST_CUSTOMER_ID,
    lines: [...FIXTURE_LINES],
    totalCents: FIXTURE_TOTAL_CENTS,
    currency: 'EUR',
    status: 'CONFIRMED',
    createdAt: '2024-05-01T12:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
