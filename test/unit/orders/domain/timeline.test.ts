import { entryKeyOf, getOrderTimeline, projectToTimeline, type TimelineEntry, type TimelineStore } from '../../../../lambdas/orders/domain/timeline';
import { NotFoundError, ValidationError } from '../../../../lambdas/shared/errors';
import { fieldsOf } from '../../factories/api-gateway-event';
import { OTHER_CUSTOMER_ID, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { anEvent, FIXTURE_ORDER_ID } from '../../factories/events';
import { anOrderRecord } from '../../factories/order-record';
import { InMemoryOrderRepository } from '../../support/in-memory-orders';
import { problemAnswerTo } from '../../support/problem-answer';

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
    const result = await getOrderTimeline({ timeline, orders: new InMemoryOrderRepository(anOrderRecord()) }, FIXTURE_ORDER_ID, TEST_CUSTOMER_ID);

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
    const result = await getOrderTimeline({ timeline: new InMemoryTimeline(), orders: new InMemoryOrderRepository(anOrderRecord()) }, FIXTURE_ORDER_ID, TEST_CUSTOMER_ID);

    expect(result).toEqual({ orderId: FIXTURE_ORDER_ID, entries: [] });
  });

  it('rejects an unknown order with 404 and a malformed id with 400, naming id', async () => {
    const deps = { timeline: new InMemoryTimeline(), orders: new InMemoryOrderRepository() };

    await expect(getOrderTimeline(deps, FIXTURE_ORDER_ID, TEST_CUSTOMER_ID)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOrderTimeline(deps, 'nope', TEST_CUSTOMER_ID)).rejects.toBeInstanceOf(ValidationError);
    await expect(getOrderTimeline(deps, undefined, TEST_CUSTOMER_ID)).rejects.toMatchObject({ errors: [{ field: 'id' }] });
  });

  it("answers another customer's order with the 404 naming id of an unknown one, though its entries exist", async () => {
    // Prepare: the order and its projected entries are the test customer's
    const timeline = new InMemoryTimeline();
    await projectToTimeline(timeline, anEvent('OrderRequested', { version: 1 }));
    const deps = { timeline, orders: new InMemoryOrderRepository(anOrderRecord({ customerId: TEST_CUSTOMER_ID })) };

    // Act
    const theirs = await problemAnswerTo(getOrderTimeline(deps, FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID));

    // Assess: the very answer an unknown id gets
    const missing = await problemAnswerTo(getOrderTimeline({ timeline, orders: new InMemoryOrderRepository() }, FIXTURE_ORDER_ID, OTHER_CUSTOMER_ID));
    expect(theirs.statusCode).toBe(404);
    expect(theirs).toEqual(missing);
    expect(fieldsOf(theirs)).toEqual(['id']);
  });

  it('reads the order and its entries at once, not one after the other', async () => {
    // Prepare: the entries are listed only once the order has been asked for, so reading one after the other hangs
    const timeline = new InMemoryTimeline();
    const orders = new InMemoryOrderRepository(anOrderRecord());
    let orderAsked!: () => void;
    const orderWasAsked = new Promise<void>((resolve) => (orderAsked = resolve));
    const find = orders.find.bind(orders);
    jest.spyOn(orders, 'find').mockImplementation(async (orderId) => {
      orderAsked();
      return find(orderId);
    });
    const list = timeline.list.bind(timeline);
    jest.spyOn(timeline, 'list').mockImplementation(async (orderId) => {
      await orderWasAsked;
      return list(orderId);
    });

    // Act
    const result = await getOrderTimeline({ timeline, orders }, FIXTURE_ORDER_ID, TEST_CUSTOMER_ID);

    // Assess
    expect(result).toEqual({ orderId: FIXTURE_ORDER_ID, entries: [] });
    expect(orders.find).toHaveBeenCalledWith(FIXTURE_ORDER_ID);
  });
});
