import {
  DETAIL_TYPES,
  type DetailType,
  eventIdFor,
  InvalidEventError,
  newEvent,
  parseEventBridgeEvent,
  SOURCE_OF,
  validateForPublish,
} from '../../../../lambdas/shared/events/contracts';
import { anEvent, eventBridgeDelivery, FIXTURE_DATA } from '../../factories/events';
import { CONSUMER_EXPECTATIONS, ENVELOPE_EXPECTATION, type Expected, type ExpectedObject } from './consumer-expectations';

/** Every leaf of an expected document, as a path (`lines`, 0, `sku`) and its value. */
function leavesOf(document: ExpectedObject, prefix: (string | number)[] = []): { path: (string | number)[]; value: string | number }[] {
  return Object.entries(document).flatMap(([field, value]: [string, Expected]) => {
    if (Array.isArray(value)) return value.flatMap((element, index) => leavesOf(element, [...prefix, field, index]));
    return [{ path: [...prefix, field], value: value as string | number }];
  });
}

/** `['lines', 0, 'sku']` → `lines[0].sku`, the way `InvalidEventError` names fields. */
const fieldOf = (path: readonly (string | number)[]) =>
  path.reduce<string>((name, segment) => (typeof segment === 'number' ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Deep merge for plain JSON: `over` wins; arrays merge element by element. */
function merge(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) return over.map((element, index) => merge(base[index], element));
  if (base !== null && over !== null && typeof base === 'object' && typeof over === 'object' && !Array.isArray(over)) {
    const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(over)) merged[key] = merge(merged[key], value);
    return merged;
  }
  return over;
}

function setAt(document: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = document;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** A delivered event of `detailType` whose detail holds the frozen envelope and data fields over the current fixture. */
function frozenDelivery(detailType: DetailType): { source: string; 'detail-type': string; detail: Record<string, unknown> } {
  const fixture = anEvent(detailType);
  const detail = merge(clone(fixture.detail), { ...ENVELOPE_EXPECTATION, data: CONSUMER_EXPECTATIONS[detailType]?.data }) as Record<string, unknown>;
  return { source: fixture.source, 'detail-type': detailType, detail };
}

function parseError(event: unknown): InvalidEventError {
  try {
    parseEventBridgeEvent(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected, but it parsed');
}

const fieldsNamed = (error: InvalidEventError) => error.errors.map((e) => e.field);

describe('event contracts', () => {
  describe.each(DETAIL_TYPES.map((detailType) => [detailType]))('%s', (detailType) => {
    it('parses its fixture as EventBridge delivers it, unchanged', () => {
      // Prepare
      const event = anEvent(detailType);

      // Act
      const parsed = parseEventBridgeEvent(eventBridgeDelivery(event));

      // Assess
      expect(parsed).toEqual(event);
      expect(parsed.source).toBe(SOURCE_OF[detailType]);
    });

    it('still comes from the source its consumers expect', () => {
      expect(SOURCE_OF[detailType]).toBe(CONSUMER_EXPECTATIONS[detailType]?.source);
    });

    it('still carries every field its consumers read, with the type they read', () => {
      // Prepare: the frozen fields over the current fixture (new fields of the fixture stay)
      const delivery = frozenDelivery(detailType);

      // Act
      const parsed = parseEventBridgeEvent(delivery);

      // Assess: nothing a consumer reads was renamed away, retyped or dropped
      expect(parsed.detail).toMatchObject({ ...ENVELOPE_EXPECTATION, data: CONSUMER_EXPECTATIONS[detailType]?.data });
    });

    it('requires every field its consumers read', () => {
      const expectation = CONSUMER_EXPECTATIONS[detailType]?.data ?? {};
      const leaves = [...leavesOf(ENVELOPE_EXPECTATION), ...leavesOf(expectation, ['data'])];
      for (const { path } of leaves) {
        // Prepare
        const delivery = frozenDelivery(detailType);
        setAt(delivery.detail, path, undefined);

        // Act
        const error = parseError(delivery);

        // Assess
        expect(fieldsNamed(error)).toContain(`detail.${fieldOf(path)}`);
      }
    });

    it('rejects a field its consumers read when it has another type', () => {
      const expectation = CONSUMER_EXPECTATIONS[detailType]?.data ?? {};
      const leaves = [...leavesOf(ENVELOPE_EXPECTATION), ...leavesOf(expectation, ['data'])];
      for (const { path, value } of leaves) {
        const delivery = frozenDelivery(detailType);
        setAt(delivery.detail, path, typeof value === 'number' ? String(value) : 42);

        const error = parseError(delivery);

        expect(fieldsNamed(error)).toContain(`detail.${fieldOf(path)}`);
      }
    });

    it('accepts exactly the literal values its consumers handle', () => {
      const literals = CONSUMER_EXPECTATIONS[detailType]?.literals ?? {};
      for (const [field, values] of Object.entries(literals)) {
        for (const value of values) {
          const delivery = frozenDelivery(detailType);
          setAt(delivery.detail, ['data', field], value);
          expect(() => parseEventBridgeEvent(delivery)).not.toThrow();
        }
        const delivery = frozenDelivery(detailType);
        setAt(delivery.detail, ['data', field], 'A_VALUE_NO_CONSUMER_HANDLES');
        expect(fieldsNamed(parseError(delivery))).toEqual([`detail.data.${field}`]);
      }
    });
  });

  it('has a frozen consumer expectation for every event type, and no expectation for a type that is gone', () => {
    expect(Object.keys(CONSUMER_EXPECTATIONS).sort()).toEqual([...DETAIL_TYPES].sort());
    expect(Object.keys(FIXTURE_DATA).sort()).toEqual([...DETAIL_TYPES].sort());
  });

  it('rejects another schemaVersion naming detail.schemaVersion', () => {
    const delivery = frozenDelivery('OrderPlaced');
    delivery.detail.schemaVersion = 2;

    expect(fieldsNamed(parseError(delivery))).toEqual(['detail.schemaVersion']);
  });
});

describe('parseEventBridgeEvent', () => {
  it('rejects an unknown detail-type naming detail-type', () => {
    const error = parseError({ ...eventBridgeDelivery(anEvent('OrderPlaced')), 'detail-type': 'OrderShipped' });

    expect(error.field).toBe('detail-type');
    expect(error.message).toMatch(/OrderShipped/);
  });

  it('rejects an event from a source that does not publish its type, naming source', () => {
    const error = parseError({ ...eventBridgeDelivery(anEvent('PaymentCaptured')), source: 'shop.orders' });

    expect(fieldsNamed(error)).toEqual(['source']);
  });

  it('names the offending field inside data', () => {
    const delivery = frozenDelivery('OrderPlaced');
    setAt(delivery.detail, ['data', 'lines', 0, 'quantity'], 1.5);

    const error = parseError(delivery);

    expect(error.errors).toEqual([{ field: 'detail.data.lines[0].quantity', message: 'must be an integer' }]);
    expect(error.message).toContain('detail.data.lines[0].quantity');
  });

  it.each([
    ['null', null],
    ['a string', '{"detail-type":"OrderPlaced"}'],
    ['an array', []],
  ])('rejects %s naming event', (_case, value) => {
    expect(parseError(value).field).toBe('event');
  });

  it('rejects a missing detail naming detail', () => {
    const withoutDetail: Record<string, unknown> = { ...eventBridgeDelivery(anEvent('OrderPlaced')) };
    delete withoutDetail.detail;

    expect(parseError(withoutDetail).field).toBe('detail');
  });

  it('drops fields the contract does not know, so producers can add fields without breaking consumers', () => {
    const event = anEvent('ShipmentCreated');
    const delivery = eventBridgeDelivery(event, { detail: { ...event.detail, carrier: 'DHL', data: { ...event.detail.data, trackingUrl: 'x' } } });

    expect(parseEventBridgeEvent(delivery)).toEqual(event);
  });
});

describe('eventIdFor', () => {
  it('is a version-8 UUID derived from source, type, order and version only', () => {
    const id = eventIdFor('shop.orders', 'OrderPlaced', 'order-1', 2);

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('shop.orders', 'OrderPlaced', 'order-1', 2)).toBe(id);
  });

  it('differs when any of its inputs differs', () => {
    const ids = new Set([
      eventIdFor('shop.orders', 'OrderPlaced', 'order-1', 2),
      eventIdFor('shop.orders', 'OrderPlaced', 'order-1', 3),
      eventIdFor('shop.orders', 'OrderPlaced', 'order-2', 2),
      eventIdFor('shop.orders', 'OrderRejected', 'order-1', 2),
      eventIdFor('shop.payments', 'OrderPlaced', 'order-1', 2),
    ]);

    expect(ids.size).toBe(5);
  });
});

describe('newEvent', () => {
  it('fills in the source, the schema version and the deterministic eventId', () => {
    const event = newEvent('PaymentCaptured', {
      orderId: 'order-1',
      version: 1,
      correlationId: 'corr-1',
      occurredAt: new Date('2024-05-01T12:00:00Z'),
      data: FIXTURE_DATA.PaymentCaptured,
    });

    expect(event).toEqual({
      source: 'shop.payments',
      detailType: 'PaymentCaptured',
      detail: {
        schemaVersion: 1,
        eventId: eventIdFor('shop.payments', 'PaymentCaptured', 'order-1', 1),
        orderId: 'order-1',
        version: 1,
        occurredAt: '2024-05-01T12:00:00.000Z',
        correlationId: 'corr-1',
        data: FIXTURE_DATA.PaymentCaptured,
      },
    });
  });
});

describe('validateForPublish', () => {
  it('accepts an event built by newEvent', () => {
    const event = anEvent('OrderCancelled');

    expect(validateForPublish(event)).toEqual(event);
  });

  it('rejects an eventId that is not the deterministic one, naming detail.eventId', () => {
    const event = anEvent('OrderCancelled');
    const forged = { ...event, detail: { ...event.detail, eventId: '00000000-0000-4000-8000-000000000000' } };

    expect(() => validateForPublish(forged)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'detail.eventId' })] }));
  });

  it('rejects a detail that breaks its schema', () => {
    const event = anEvent('OrderPlaced', { data: { totalCents: -1 } });

    expect(() => validateForPublish(event)).toThrow(InvalidEventError);
  });
});
