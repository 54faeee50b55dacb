import { decideIdempotency, idempotencyRecordKey, type IdempotencyRecord } from '../../../../lambdas/orders/domain/idempotency';
import type { Order } from '../../../../lambdas/orders/domain/order';

const NOW = 1_714_564_800_000; // 2024-05-01T12:00:00Z
const order = { orderId: 'o-1' } as Order;

const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  idempotencyKey: 'key-1',
  bodyHash: 'hash-a',
  orderId: 'o-1',
  status: 'IN_PROGRESS',
  lockExpiresAt: NOW + 1_000,
  expiresAt: NOW / 1000 + 3_600,
  ...overrides,
});

describe('decideIdempotency', () => {
  it('creates a record when there is none', () => {
    expect(decideIdempotency(undefined, 'hash-a', NOW)).toEqual({ kind: 'create' });
  });

  it('creates a new record over one that expired but TTL has not deleted yet', () => {
    expect(decideIdempotency(record({ status: 'COMPLETED', response: order, expiresAt: NOW / 1000 }), 'hash-a', NOW)).toEqual({ kind: 'create' });
  });

  it('reports a mismatch for another body, whatever the status', () => {
    for (const status of ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const) {
      expect(decideIdempotency(record({ status, response: order }), 'hash-b', NOW)).toEqual({ kind: 'mismatch' });
    }
  });

  it('replays the order of a completed record', () => {
    const completed = record({ status: 'COMPLETED', response: order });

    expect(decideIdempotency(completed, 'hash-a', NOW)).toEqual({ kind: 'replay', order, record: completed });
  });

  it('reports in-progress while the lock holds', () => {
    expect(decideIdempotency(record({ lockExpiresAt: NOW + 1 }), 'hash-a', NOW)).toEqual({ kind: 'in-progress' });
  });

  it('reclaims an in-progress record whose lock expired', () => {
    const abandoned = record({ lockExpiresAt: NOW });

    expect(decideIdempotency(abandoned, 'hash-a', NOW)).toEqual({ kind: 'reclaim', record: abandoned });
  });

  it('reclaims a failed record, lock or not', () => {
    const failed = record({ status: 'FAILED', lockExpiresAt: NOW + 60_000 });

    expect(decideIdempotency(failed, 'hash-a', NOW)).toEqual({ kind: 'reclaim', record: failed });
  });

  it('refuses a completed record without its response', () => {
    expect(() => decideIdempotency(record({ status: 'COMPLETED' }), 'hash-a', NOW)).toThrow(/without a response/);
  });
});

describe('idempotencyRecordKey', () => {
  it("is '<customerId>/<key>': each customer has their own keys", () => {
    expect(idempotencyRecordKey('customer-1', 'key-1')).toBe('customer-1/key-1');
    expect(idempotencyRecordKey('customer-2', 'key-1')).not.toBe(idempotencyRecordKey('customer-1', 'key-1'));
  });
});
