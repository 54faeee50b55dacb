import { AlarmTransitions, ConsoleSnapshots } from '../../../../local/console/console-snapshot';
import { ConsoleHub, type ConsoleServiceOptions } from '../../../../local/console/console-service';
import { OrderPlacer, OrderPlacerUnavailableError, type PlacedOrder } from '../../../../local/console/order-placer';
import { SseStream } from '../../../../local/console/sse-stream';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import type { Hop, HopListener } from '../../../../local/runtime/hop-trace';

const FACTS = { stackName: 'HybridShop', edgeUrl: 'http://127.0.0.1:4566', timeScale: 1, apis: [], contractsPath: '/_local/contracts/' };

/** The events a stream holds, as `[name, data]`. */
function events(stream: SseStream): [string, unknown][] {
  const text: string[] = [];
  let chunk: Buffer | null;
  while ((chunk = stream.read() as Buffer | null) !== null) text.push(chunk.toString('utf8'));
  return text
    .join('')
    .split('\n\n')
    .filter((frame) => frame.startsWith('event: '))
    .map((frame) => {
      const [event, data] = frame.split('\n');
      return [event.slice('event: '.length), JSON.parse(data.slice('data: '.length))];
    });
}

function placer(answer: Omit<PlacedOrder, 'startedAt' | 'at' | 'latencyMs'>, during: () => void = () => undefined): OrderPlacer {
  const fake = Object.create(OrderPlacer.prototype) as OrderPlacer;
  fake.place = async (_mode, onSend = () => undefined) => {
    onSend();
    during();
    return { ...answer, latencyMs: 12, startedAt: 1_000, at: 1_012 };
  };
  return fake;
}

describe('ConsoleHub', () => {
  let listeners: Set<HopListener>;
  let options: ConsoleServiceOptions;
  const emit = (hop: Hop) => listeners.forEach((listener) => listener(hop));

  beforeEach(() => {
    listeners = new Set();
    options = {
      facts: FACTS,
      snapshots: new ConsoleSnapshots(
        { metrics: new MetricStore({ onWarning: () => undefined }), alarms: () => [], functions: () => [], mappings: () => [], queues: [], streams: [], timeScale: 1, queueSampleIntervalMs: 1_000 },
        new AlarmTransitions(),
      ),
      onHop: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      placer: () => new OrderPlacerUnavailableError('no PublicApiUrl'),
      redrive: async () => 'handle',
      snapshotIntervalMs: 60_000,
    };
  });

  it('listens to hops only while a page is connected, and tells a new page the facts, the orders and a snapshot', async () => {
    // Prepare
    const hub = new ConsoleHub(options);
    const page = new SseStream();

    // Act
    const before = listeners.size;
    hub.connect(page);
    const during = listeners.size;
    const told = events(page).map(([name]) => name);
    page.destroy();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect([before, during, listeners.size]).toEqual([0, 1, 0]);
    expect(told).toEqual(['hello', 'orders', 'snapshot']);
    expect(hub.clientCount).toBe(0);
  });

  it("sends an order's hops to the page: those of its request, and those of its events as they happen", async () => {
    // Prepare
    const request: Hop = { kind: 'sync', from: 'HybridShop-internal', to: 'InventoryCreateReservation', via: 'api', latencyMs: 8, at: 1_005 };
    options = { ...options, placer: () => placer({ status: 201, orderId: 'o-1', body: { orderId: 'o-1' } }, () => emit(request)) };
    const hub = new ConsoleHub(options);
    const page = new SseStream();
    hub.connect(page);
    events(page);

    // Act
    const answer = await hub.placeOrder('sync');
    emit({ kind: 'publish', from: 'shop.orders', to: 'bus', via: 'events', eventId: 'e-1', detailType: 'OrderPlaced', detail: { orderId: 'o-1' }, latencyMs: 1, at: 1_020 });
    const told = events(page);
    hub.close();

    // Assess
    expect(answer.status).toBe(200);
    expect(told.map(([name, data]) => [name, name === 'hop' ? (data as { hop: { kind: string } }).hop.kind : (data as { orderId: string }).orderId])).toEqual([
      ['order', 'o-1'],
      ['hop', 'sync'],
      ['hop', 'client'],
      ['hop', 'publish'],
    ]);
  });

  it('keeps a request that got no order as a failed one, with its status and the problem the API gave', async () => {
    // Prepare
    options = { ...options, placer: () => placer({ status: 503, body: { title: 'Service Unavailable', detail: 'Inventory did not answer successfully.' } }) };
    const hub = new ConsoleHub(options);

    // Act
    const answer = await hub.placeOrder('sync');

    // Assess
    expect(JSON.parse(String(answer.body))).toMatchObject({ orderId: 'failed-1', mode: 'sync', status: 503, problem: 'Service Unavailable: Inventory did not answer successfully.' });
  });

  it('answers problem+json naming what is missing when the stack gives no way to place orders', async () => {
    // Prepare
    const hub = new ConsoleHub(options);

    // Act
    const answer = await hub.placeOrder('async');

    // Assess
    expect(answer.status).toBe(501);
    expect(answer.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(JSON.parse(String(answer.body))).toEqual({ type: 'about:blank', title: 'The console cannot place orders', status: 501, detail: 'no PublicApiUrl' });
  });
});
