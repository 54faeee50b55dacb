import { orderItem, orderRecordOf, unchangedSince } from '../../../../lambdas/orders/adapters/order-item';
import { aConfirmedOrderRecord, anOrderRecord } from '../../factories/order-record';

describe('orderItem / orderRecordOf', () => {
  it('round-trips a record, keeping each applied version as its own attribute', () => {
    const record = aConfirmedOrderRecord({
      version: 2,
      appliedVersions: { 'shop.inventory': 1, 'shop.payments': 2 },
      payment: { status: 'REFUNDED', paymentId: 'pay-1' },
      cancellation: { reason: 'r', cancelledAt: 't' },
      updatedAt: 'u',
    });

    const item = orderItem(record);

    expect(item).toMatchObject({ inventoryVersion: 1, paymentsVersion: 2, shippingVersion: undefined });
    expect(item).not.toHaveProperty('appliedVersions');
    expect(orderRecordOf(JSON.parse(JSON.stringify(item)))).toEqual(record);
  });

  it('reads an item written before the asynchronous flows: the orderId as correlation id, confirmed at creation', () => {
    const legacy = {
      orderId: 'o-1',
      customerId: 'c',
      lines: [{ sku: 'SKU-0001', quantity: 1, unitPriceCents: 100 }],
      totalCents: 100,
      currency: 'EUR',
      status: 'CONFIRMED',
      createdAt: '2024-05-01T12:00:00.000Z',
      version: 1,
    };

    expect(orderRecordOf(legacy)).toEqual({ ...legacy, correlationId: 'o-1', appliedVersions: {}, confirmedAt: legacy.createdAt });
  });

  it('does not invent a confirmation for a PENDING order', () => {
    expect(orderRecordOf(orderItem(anOrderRecord())).confirmedAt).toBeUndefined();
  });
});

describe('unchangedSince', () => {
  it('conditions on the version and on every applied version, absent ones staying absent', () => {
    const condition = unchangedSince(anOrderRecord({ version: 2, appliedVersions: { 'shop.payments': 1 } }));

    expect(condition).toEqual({
      expression: '#version = :expectedVersion AND attribute_not_exists(inventoryVersion) AND paymentsVersion = :paymentsVersion AND attribute_not_exists(shippingVersion)',
      values: { ':expectedVersion': 2, ':paymentsVersion': 1 },
    });
  });
});
