import { OrderHops, orderIdOf, type HopView } from '../../../../local/console/order-hops';
import type { Hop } from '../../../../local/runtime/hop-trace';

let clock = 1_000;
const at = () => (clock += 10);

function publish(eventId: string, orderId: string, detailType = 'OrderPlaced'): Hop {
  return { kind: 'publish', from: 'shop.orders', to: 'bus', via: 'events', eventId, detailType, detail: { orderId }, latencyMs: 2, at: at() };
}

function delivery(eventId: string, to = 'NotificationsQueue'): Hop {
  return { kind: 'delivery', from: 'bus', to, via: 'sqs', eventId, detailType: 'OrderPlaced', latencyMs: 4, at: at() };
}

function consume(eventId: string): Hop {
  return { kind: 'consume', from: 'NotificationsQueue', to: 'NotificationWorker', via: 'sqs', eventId, detailType: 'OrderPlaced', latencyMs: 7, sincePutEventsMs: 11, at: at() };
}

function apiRequest(to: string): Hop {
  return { kind: 'sync', from: 'HybridShop-internal', to, via: 'api', latencyMs: 90, at: at() };
}

function client(status: number): HopView {
  return { kind: 'client', from: 'console', to: `POST /orders → ${status}`, via: 'http', latencyMs: 120, at: at() };
}

describe('orderIdOf', () => {
  it('reads the orderId of an event detail, and nothing from anything else', () => {
    expect(orderIdOf({ orderId: 'o-1', version: 1 })).toBe('o-1');
    expect(orderIdOf({ orderId: 7 })).toBeUndefined();
    expect(orderIdOf('o-1')).toBeUndefined();
    expect(orderIdOf(null)).toBeUndefined();
  });
});

describe('OrderHops', () => {
  it('gives a tracked order the hops that happened before its id was known: its request window and its event', () => {
    // Prepare
    const hops = new OrderHops();
    const window = hops.open();
    hops.observe(apiRequest('InventoryCreateReservation'));
    hops.observe(publish('e-1', 'o-1'));
    hops.observe(delivery('e-1'));
    hops.observe(publish('e-other', 'o-other'));

    // Act
    const given = hops.track('o-1', window, client(201));

    // Assess
    expect(given.map(({ orderId, hop }) => [orderId, hop.kind, hop.to])).toEqual([
      ['o-1', 'sync', 'InventoryCreateReservation'],
      ['o-1', 'publish', 'bus'],
      ['o-1', 'delivery', 'NotificationsQueue'],
      ['o-1', 'client', 'POST /orders → 201'],
    ]);
  });

  it('follows a tracked order: the deliveries and consumes of its events, and the follow-up events that name it', () => {
    // Prepare
    const hops = new OrderHops();
    hops.track('o-1', hops.open(), client(202));

    // Act
    const owned = [publish('e-2', 'o-1', 'StockReserved'), delivery('e-2'), consume('e-2'), publish('e-3', 'o-2'), consume('e-3')].map((hop) => hops.observe(hop));

    // Assess
    expect(owned.map((hop) => hop?.hop.kind)).toEqual(['publish', 'delivery', 'consume', undefined, undefined]);
    expect(owned[2]).toEqual({ orderId: 'o-1', hop: expect.objectContaining({ from: 'NotificationsQueue', to: 'NotificationWorker', latencyMs: 7, sincePutEventsMs: 11 }) });
  });

  it('leaves out API requests that complete while two console orders are in flight, rather than guess', () => {
    // Prepare
    const hops = new OrderHops();
    const first = hops.open();
    const second = hops.open();

    // Act
    hops.observe(apiRequest('InventoryCreateReservation'));
    const given = hops.track('o-1', first, client(201));
    hops.abandon(second);

    // Assess
    expect(given.map(({ hop }) => hop.kind)).toEqual(['client']);
  });

  it('follows the last maxOrders orders only, each with at most maxHopsPerOrder hops', () => {
    // Prepare
    const hops = new OrderHops({ maxOrders: 2, maxHopsPerOrder: 3 });
    for (const id of ['o-1', 'o-2', 'o-3']) hops.track(id, hops.open(), client(202));

    // Act
    const forgotten = hops.observe(publish('e-1', 'o-1'));
    const kept = [publish('e-3', 'o-3'), delivery('e-3'), consume('e-3')].map((hop) => hops.observe(hop));

    // Assess
    expect(forgotten).toBeUndefined();
    expect(kept.map((hop) => hop?.hop.kind)).toEqual(['publish', 'delivery', undefined]);
    expect(hops.all().map(({ orderId, hops: list }) => [orderId, list.length])).toEqual([
      ['o-2', 1],
      ['o-3', 3],
    ]);
  });

  it('remembers only the last recentHops hops for orders tracked later', () => {
    // Prepare
    const hops = new OrderHops({ recentHops: 2 });
    const window = hops.open();
    hops.observe(publish('e-1', 'o-1'));
    hops.observe(delivery('e-x'));
    hops.observe(delivery('e-y'));

    // Act
    const given = hops.track('o-1', window, client(201));

    // Assess
    expect(given.map(({ hop }) => hop.kind)).toEqual(['client']);
  });
});
