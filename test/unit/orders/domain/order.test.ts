import { publicOrder, statusOf } from '../../../../lambdas/orders/domain/order';
import { anOrderRecord } from '../../factories/order-record';

describe('statusOf', () => {
  it.each([
    ['PENDING', {}],
    ['CONFIRMED', { confirmedAt: 't' }],
    ['REJECTED', { rejection: { reason: 'OUT_OF_STOCK' as const, errors: [], rejectedAt: 't' } }],
    ['PAID', { confirmedAt: 't', payment: { status: 'CAPTURED' as const, paymentId: 'p' } }],
    ['PAYMENT_FAILED', { confirmedAt: 't', payment: { status: 'FAILED' as const, reason: 'declined' } }],
    ['SHIPPED', { confirmedAt: 't', payment: { status: 'CAPTURED' as const }, shipment: { status: 'CREATED' as const, shipmentId: 's' } }],
    ['SHIPPED', { confirmedAt: 't', shipment: { status: 'CREATED' as const, shipmentId: 's' } }],
    ['CANCELLED', { confirmedAt: 't', cancellation: { reason: 'r', cancelledAt: 't' } }],
    ['CANCELLED', { confirmedAt: 't', payment: { status: 'CAPTURED' as const }, shipment: { status: 'CREATED' as const, shipmentId: 's' }, cancellation: { reason: 'r', cancelledAt: 't' } }],
    ['REFUNDED', { confirmedAt: 't', payment: { status: 'REFUNDED' as const }, cancellation: { reason: 'r', cancelledAt: 't' } }],
  ])('is %s for %j', (status, facts) => {
    expect(statusOf(anOrderRecord(facts))).toBe(status);
  });
});

describe('publicOrder', () => {
  it('leaves out the correlation id, the applied versions and the confirmation time', () => {
    const order = publicOrder(anOrderRecord({ confirmedAt: 't', appliedVersions: { 'shop.inventory': 1 } }));

    expect(Object.keys(order).sort()).toEqual(['createdAt', 'currency', 'customerId', 'lines', 'orderId', 'status', 'totalCents', 'version']);
  });
});
