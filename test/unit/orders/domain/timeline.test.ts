import { entryKeyOf, getOrderTimeline, projectToTimeline, type TimelineEntry, type TimelineStore } from '../../../../lambdas/orders/domain/timeline';
import { NotFoundError, ValidationError } from '../../../../lambdas/shared/errors';
import { anEvent, FIXTURE_ORDER_ID } from '../../factories/events';
import { anOrderRecord } from '../../factories/order-record';
import { InMemoryOrderRepository } from '../../support/in-memory-orders';

/** The timeline table in memory: entries by order and key, added only once. */
class InMemoryTimeline implements TimelineStore {
  readonly entries = new Map<string, TimelineEntry>();

  async add(entry: TimelineEntry): Promise<'added' | 'exists'> {
    const key = `${entry.orderId}|${entry.entryKey}`;
    if (this.entries.has(key)) return 'exists';
    this.entries.set(key, entry);
    return 'added';
  }

  async list(orderId: string): Promise<TimelineEntry[]> {
    return [...this.entries.values()].filter((entry) => entry.orderId === orderId).sort((a, b) => a.entryKey.localeCompare(b.entryKey));
  }
}

describe('entryKeyOf', () => {
  it('is source, six-digit version and type', () => {
    expect(entryKeyOf('shop.payments', 2, 'PaymentRefunded')).toBe('shop.payments#000002#PaymentRefunded');
  });
});

describe('projectToTimeline', () => {
  it('adds one entry per event, and nothing for a duplicate', async () => {
    const timeline = new InMemoryTimeline();
    const event = anEvent('PaymentCaptured');

    const outcomes = [await projectToTimeline(timeline, event), await projectToTimeline(timeline, event)];

    expect(outcomes).toEqual(['added', 'exists']);
    expect([...timeline.entries.values()]).toEqual([
      {
        orderId: FIXTURE_ORDER_ID,
        entryKey: 'shop.payments#000001#PaymentCaptured',
        detailType: 'PaymentCaptured',
        source: 'shop.payments',
        version: 1,
        occurredAt: event.detail.occurredAt,
        eventId: event.detail.eventId,
        correlationId: event.detail.correlationId,
      },
    ]);
  });
});

describe('getOrderTimeline', () => {
  const at = (seconds: number) => new Date(Date.UTC(2024, 4, 1, 12, 0, seconds));

  it('sorts the entries by occurredAt then version, whatever order they were projected in', async () => {
    // Prepare: projected out of order
    const timeline = new InMemoryTimeline();
    const events = [
      anEvent('PaymentCaptured', { occurredAt: at(3) }),
      anEvent('OrderRequested', { version: 1, occurredAt: at(1) }),
      anEvent('OrderPlaced', { version: 2, occurredAt: at(2) }),
      anEvent('StockReserved', { occurredAt: at(2) }),
    ];
    for (const event of events) await projectToTimeline(timeline, event);

    // Act
    const result = await getOrderTimeline({ timeline, orders: new InMemoryOrderRepository() }, FIXTURE_ORDER_ID);

    // Assess
    expect(result.orderId).toBe(FIXTURE_ORDER_ID);
    expect(result.entries.map((entry) => `${entry.detailType} v${entry.version}`)).toEqual(['OrderRequested v1', 'StockReserved v1', 'OrderPlaced v2', 'PaymentCaptured v1']);
    expect(result.entries[0]).toEqual({
      detailType: 'OrderRequested',
      source: 'shop.orders',
      version: 1,
      occurredAt: at(1).toISOString(),
      eventId: events[1]?.detail.eventId,
    });
  });

  it('answers an empty timeline for an order whose events are not projected yet', async () => {
    const result = await getOrderTimeline({ timeline: new InMemoryTimeline(), orders: new InMemoryOrderRepository(anOrderRecord()) }, FIXTURE_ORDER_ID);

    expect(result).toEqual({ orderId: FIXTURE_ORDER_ID, entries: [] });
  });

  it('rejects an unknown order with 404 and a malformed id with 400, naming id', async () => {
    const deps = { timeline: new InMemoryTimeline(), orders: new InMemoryOrderRepository() };

    await expect(getOrderTimeline(deps, FIXTURE_ORDER_ID)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOrderTimeline(deps, 'nope')).rejects.toBeInstanceOf(ValidationError);
    await expect(getOrderTimeline(deps, undefined)).rejects.toMatchObject({ errors: [{ field: 'id' }] });
  });
});
