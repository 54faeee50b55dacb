import {
  ConcurrentOrderUpdateError,
  followLifecycleEvent,
  type LifecycleEvent,
  UnknownOrderError,
} from '../../../../lambdas/orders/domain/order-lifecycle';
import type { OrderRecord } from '../../../../lambdas/orders/domain/order';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { anEvent, FIXTURE_ORDER_ID } from '../../factories/events';
import { aConfirmedOrderRecord, anOrderRecord } from '../../factories/order-record';
import { InMemoryOrderRepository, RecordingOrderEvents } from '../../support/in-memory-orders';

const NOW = new Date('2024-05-01T12:00:09.000Z');

function lifecycle(...orders: OrderRecord[]) {
  const repository = new InMemoryOrderRepository(...orders);
  const events = new RecordingOrderEvents();
  const deps = { orders: repository, events, now: () => NOW };
  const follow = (event: LifecycleEvent) => followLifecycleEvent(deps, event);
  const order = () => repository.orders.get(FIXTURE_ORDER_ID) as OrderRecord;
  return { repository, events, follow, order };
}

const cancelledAt = '2024-05-01T12:00:05.000Z';

describe('followLifecycleEvent', () => {
  describe('inventory deciding an asynchronous order', () => {
    it('confirms a PENDING order on StockReserved: CONFIRMED v2, and publishes OrderPlaced v2', async () => {
      // Prepare
      const { follow, order, events } = lifecycle(anOrderRecord());

      // Act
      const outcome = await follow(anEvent('StockReserved'));

      // Assess
      expect(outcome).toBe('applied');
      expect(order()).toMatchObject({
        status: 'CONFIRMED',
        version: 2,
        confirmedAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        appliedVersions: { 'shop.inventory': 1 },
      });
      expect(events.published).toEqual([
        {
          source: 'shop.orders',
          detailType: 'OrderPlaced',
          detail: {
            schemaVersion: 1,
            eventId: eventIdFor('shop.orders', 'OrderPlaced', FIXTURE_ORDER_ID, 2),
            orderId: FIXTURE_ORDER_ID,
            version: 2,
            occurredAt: NOW.toISOString(),
            correlationId: order().correlationId,
            data: { customerId: 'customer-1', lines: order().lines, totalCents: 5230, currency: 'EUR' },
          },
        },
      ]);
    });

    it('rejects a PENDING order on StockRejected: REJECTED v2 with the reason, and publishes OrderRejected v2', async () => {
      const { follow, order, events } = lifecycle(anOrderRecord());

      await follow(anEvent('StockRejected', { data: { reason: 'UNKNOWN_SKU', errors: [{ field: 'lines[1].sku', message: 'is not stocked' }] } }));

      expect(order()).toMatchObject({
        status: 'REJECTED',
        version: 2,
        rejection: { reason: 'UNKNOWN_SKU', errors: [{ field: 'lines[1].sku', message: 'is not stocked' }], rejectedAt: NOW.toISOString() },
      });
      expect(events.summary()).toEqual(['OrderRejected v2']);
      expect(events.published[0]?.detail.data).toEqual({
        customerId: 'customer-1',
        reason: 'UNKNOWN_SKU',
        errors: [{ field: 'lines[1].sku', message: 'is not stocked' }],
      });
    });

    it('applies the same StockReserved twice only once, and publishes the same OrderPlaced again for the duplicate', async () => {
      // Prepare
      const { follow, repository, events } = lifecycle(anOrderRecord());
      const event = anEvent('StockReserved');
      await follow(event);

      // Act
      const outcome = await follow(event);

      // Assess: one write; the duplicate re-publishes the very same event (its first publish may have failed)
      expect(outcome).toBe('duplicate');
      expect(repository.writes).toHaveLength(1);
      expect(events.summary()).toEqual(['OrderPlaced v2', 'OrderPlaced v2']);
      expect(events.published[1]).toEqual(events.published[0]);
    });

    it('publishes OrderPlaced when StockReserved is delivered again after a failed publish', async () => {
      // Prepare: the write succeeds, the publish fails
      const { follow, repository, events } = lifecycle(anOrderRecord());
      events.failNext(new Error('bus down'));
      await expect(follow(anEvent('StockReserved'))).rejects.toThrow('bus down');
      expect(repository.writes).toHaveLength(1);

      // Act: the queue delivers the event again
      const outcome = await follow(anEvent('StockReserved'));

      // Assess
      expect(outcome).toBe('duplicate');
      expect(repository.writes).toHaveLength(1);
      expect(events.summary()).toEqual(['OrderPlaced v2']);
    });

    it('publishes OrderRejected again for a duplicate StockRejected', async () => {
      const { follow, events } = lifecycle(anOrderRecord());
      await follow(anEvent('StockRejected'));

      await follow(anEvent('StockRejected'));

      expect(events.summary()).toEqual(['OrderRejected v2', 'OrderRejected v2']);
    });

    it('does not confirm an order cancelled while PENDING: it publishes its OrderCancelled again, so inventory releases the stock', async () => {
      // Prepare: cancelled at v2 before inventory decided
      const cancelled = anOrderRecord({ version: 2, cancellation: { reason: 'changed my mind', cancelledAt } });
      const { follow, order, events } = lifecycle(cancelled);

      // Act
      await follow(anEvent('StockReserved'));

      // Assess
      expect(order()).toMatchObject({ status: 'CANCELLED', version: 2, appliedVersions: { 'shop.inventory': 1 } });
      expect(order().confirmedAt).toBeUndefined();
      expect(events.summary()).toEqual(['OrderCancelled v2']);
      expect(events.published[0]?.detail).toMatchObject({
        eventId: eventIdFor('shop.orders', 'OrderCancelled', FIXTURE_ORDER_ID, 2),
        occurredAt: cancelledAt,
        data: { reason: 'changed my mind', totalCents: 5230, currency: 'EUR' },
      });
    });

    it('records a StockRejected for an order cancelled while PENDING without publishing anything', async () => {
      const { follow, order, events } = lifecycle(anOrderRecord({ version: 2, cancellation: { reason: 'r', cancelledAt } }));

      await follow(anEvent('StockRejected'));

      expect(order()).toMatchObject({ status: 'CANCELLED', version: 2, appliedVersions: { 'shop.inventory': 1 } });
      expect(order().rejection).toBeUndefined();
      expect(events.published).toEqual([]);
    });
  });

  describe('payments and shipping', () => {
    it.each([
      ['PaymentCaptured', anEvent('PaymentCaptured'), 'PAID', { payment: { status: 'CAPTURED', paymentId: 'pay-1' } }],
      ['PaymentFailed', anEvent('PaymentFailed'), 'PAYMENT_FAILED', { payment: { status: 'FAILED', reason: 'card declined' } }],
      ['ShipmentCreated', anEvent('ShipmentCreated'), 'SHIPPED', { shipment: { status: 'CREATED', shipmentId: 'ship-1' } }],
    ] as const)('moves a CONFIRMED order on %s to %s, publishing nothing', async (_type, event, status, facts) => {
      const { follow, order, events } = lifecycle(aConfirmedOrderRecord());

      await follow(event);

      expect(order()).toMatchObject({ status, version: 1, ...facts });
      expect(events.published).toEqual([]);
    });

    it('applies a duplicate PaymentCaptured once: no second write', async () => {
      const { follow, repository } = lifecycle(aConfirmedOrderRecord());

      const outcomes = [await follow(anEvent('PaymentCaptured')), await follow(anEvent('PaymentCaptured'))];

      expect(outcomes).toEqual(['applied', 'duplicate']);
      expect(repository.writes).toHaveLength(1);
    });

    it('ignores an older payment event arriving after a newer one (PaymentCaptured v1 after PaymentRefunded v2)', async () => {
      // Prepare: cancelled, and the refund (v2) overtook the capture (v1)
      const { follow, order, repository } = lifecycle(aConfirmedOrderRecord({ version: 2, cancellation: { reason: 'r', cancelledAt } }));
      await follow(anEvent('PaymentRefunded'));

      // Act
      const outcome = await follow(anEvent('PaymentCaptured'));

      // Assess
      expect(outcome).toBe('stale');
      expect(repository.writes).toHaveLength(1);
      expect(order()).toMatchObject({ status: 'REFUNDED', payment: { status: 'REFUNDED', paymentId: 'pay-1' }, appliedVersions: { 'shop.payments': 2 } });
    });

    it('keeps SHIPPED when the payment that caused the shipment arrives after it', async () => {
      const { follow, order } = lifecycle(aConfirmedOrderRecord());

      await follow(anEvent('ShipmentCreated'));
      await follow(anEvent('PaymentCaptured'));

      expect(order()).toMatchObject({ status: 'SHIPPED', payment: { status: 'CAPTURED' }, shipment: { status: 'CREATED' } });
    });

    it('never moves a cancelled order forward: a capture and a shipment are recorded, the status stays CANCELLED', async () => {
      const { follow, order } = lifecycle(aConfirmedOrderRecord({ version: 2, cancellation: { reason: 'r', cancelledAt } }));

      await follow(anEvent('PaymentCaptured'));
      await follow(anEvent('ShipmentCreated'));

      expect(order()).toMatchObject({
        status: 'CANCELLED',
        version: 2,
        payment: { status: 'CAPTURED' },
        shipment: { status: 'CREATED' },
        appliedVersions: { 'shop.payments': 1, 'shop.shipping': 1 },
      });
    });

    it('shows the compensations of a cancelled order: REFUNDED on PaymentRefunded, the shipment cancelled on ShipmentCancelled', async () => {
      const { follow, order } = lifecycle(
        aConfirmedOrderRecord({
          version: 2,
          cancellation: { reason: 'r', cancelledAt },
          payment: { status: 'CAPTURED', paymentId: 'pay-1' },
          shipment: { status: 'CREATED', shipmentId: 'ship-1' },
          appliedVersions: { 'shop.payments': 1, 'shop.shipping': 1 },
        }),
      );

      await follow(anEvent('ShipmentCancelled'));
      expect(order().status).toBe('CANCELLED');
      await follow(anEvent('PaymentRefunded'));

      expect(order()).toMatchObject({
        status: 'REFUNDED',
        payment: { status: 'REFUNDED', paymentId: 'pay-1' },
        shipment: { status: 'CANCELLED', shipmentId: 'ship-1' },
        appliedVersions: { 'shop.payments': 2, 'shop.shipping': 2 },
      });
    });
  });

  describe('concurrency and failures', () => {
    it('reads the order again and decides anew when another writer changed it first', async () => {
      // Prepare: a payment lands between this worker's read and its write
      const { follow, repository, order } = lifecycle(aConfirmedOrderRecord());
      repository.changeBeforeNextReplace((current) => ({ ...current, payment: { status: 'CAPTURED', paymentId: 'pay-1' }, appliedVersions: { 'shop.payments': 1 }, status: 'PAID' }));

      // Act
      await follow(anEvent('ShipmentCreated'));

      // Assess: both facts kept
      expect(order()).toMatchObject({ status: 'SHIPPED', payment: { status: 'CAPTURED' }, appliedVersions: { 'shop.payments': 1, 'shop.shipping': 1 } });
    });

    it('gives up with ConcurrentOrderUpdateError when the order changes under every attempt', async () => {
      const { follow, repository } = lifecycle(aConfirmedOrderRecord());
      jest.spyOn(repository, 'replace').mockResolvedValue('changed');

      await expect(follow(anEvent('PaymentCaptured'))).rejects.toBeInstanceOf(ConcurrentOrderUpdateError);
      expect(repository.replace).toHaveBeenCalledTimes(3);
    });

    it('throws UnknownOrderError for an event about an order that does not exist', async () => {
      const { follow } = lifecycle();

      await expect(follow(anEvent('PaymentCaptured'))).rejects.toBeInstanceOf(UnknownOrderError);
    });
  });
});
