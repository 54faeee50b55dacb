import { FIXTURE_LINES, FIXTURE_ORDER_ID } from './events';

/** The fixture order's reservation as the reservations table holds it: RESERVED; override what the test is about. */
export function aReservation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: FIXTURE_ORDER_ID,
    lines: FIXTURE_LINES.map(({ sku, quantity }) => ({ sku, quantity })),
    status: 'RESERVED',
    createdAt: '2024-05-01T12:00:00.000Z',
    ...overrides,
  };
}
