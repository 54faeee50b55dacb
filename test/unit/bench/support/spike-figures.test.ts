import { backlogRate, deliveryOfLine, drainPerSecond, spikeTimeline, stageFigures, workInOrders } from '../../../../bench/support/spike-figures';

describe('backlogRate', () => {
  it('counts every order from the release to the last one final, a burst at the end included', () => {
    // Prepare: released at 10 s; 20 orders final at 2/s, then 20 in the last second (the lifecycle's last steps come last)
    const slow = Array.from({ length: 20 }, (_, i) => 10_000 + (i + 1) * 500);
    const burst = Array.from({ length: 20 }, (_, i) => 20_000 + (i + 1) * 50);

    // Act / Assess: 40 orders in 11 s, whatever order the final times came in
    expect(backlogRate(10_000, [...burst, ...slow].reverse())).toBeCloseTo(40 / 11, 5);
  });

  it('is NaN with fewer than 10 orders, or none final after the release', () => {
    expect(backlogRate(0, [1, 2, 3])).toBeNaN();
    expect(backlogRate(5, Array.from({ length: 20 }, () => 5))).toBeNaN();
  });
});

describe('spikeTimeline', () => {
  it('counts per second the orders sent by kind, taken and final, and the backlog taken but not final', () => {
    // Prepare: second 0: two async taken, one final in second 2; second 1: a sync shed (not taken), an async final in second 1
    const orders = [
      { dueAt: 1_000, kind: 'async', takenAt: 1_010, finalAt: 3_500 },
      { dueAt: 1_500, kind: 'async', takenAt: 1_520 },
      { dueAt: 2_000, kind: 'sync' },
      { dueAt: 2_100, kind: 'async', takenAt: 2_120, finalAt: 2_900 },
    ];

    // Act
    const timeline = spikeTimeline(orders, 1_000);

    // Assess
    expect(timeline).toEqual([
      { seconds: 0, sent: { async: 2, sync: 0 }, taken: 2, final: 0, backlog: 2 },
      { seconds: 1, sent: { async: 1, sync: 1 }, taken: 1, final: 1, backlog: 2 },
      { seconds: 2, sent: { async: 0, sync: 0 }, taken: 0, final: 1, backlog: 1 },
    ]);
  });
});

describe('deliveryOfLine', () => {
  it.each([
    ['a queue', '⇢ sqs  HybridShop-OrdersLifecycleQueue6F8473E7 → OrdersLifecycleWorkerFunction  6 msgs  5193 ms after send, 5204 ms after PutEvents, handler 944 ms', 'OrdersLifecycleWorkerFunction', 6, 944],
    ['one message of a queue', '⇢ sqs  HybridShop-InventoryReservationsQueue06AD3B70 → InventoryReservationWorkerFunction  1 msg  968 ms after send, handler 430 ms', 'InventoryReservationWorkerFunction', 1, 430],
    ['a shard', '⇢ kinesis  order-event-log/shardId-000000000000 → OrdersTimelineProjectorFunction  100 recs  9 ms after put, 14 ms after PutEvents, handler 4 ms', 'OrdersTimelineProjectorFunction', 100, 4],
    ['an asynchronous invocation', '⇢ lambda  async → ShippingShipmentHandlerFunction  1 event  1 ms after invoke, 6 ms after PutEvents, handler 44 ms', 'ShippingShipmentHandlerFunction', 1, 44],
  ])('reads the batch of %s from its trace line', (_source, line, fn, items, handlerMs) => {
    expect(deliveryOfLine(line)).toEqual({ fn, items, handlerMs });
  });

  it('counts a batch that failed or timed out, as its handler ran', () => {
    expect(
      deliveryOfLine('⇢ sqs  HybridShop-InventoryReservationsQueue06AD3B70 → InventoryReservationWorkerFunction  10 msgs  1767 ms after send, handler 3010 ms  [error Sandbox.Timedout: redelivered after the visibility timeout]'),
    ).toEqual({ fn: 'InventoryReservationWorkerFunction', items: 10, handlerMs: 3010 });
  });

  it('reads nothing from throttled or discarded deliveries, invocations, requests or function output', () => {
    expect(deliveryOfLine('↻ sqs  HybridShop-OrdersLifecycleQueue6F8473E7 → OrdersLifecycleWorkerFunction  3 msgs  THROTTLED: back in the queue')).toBeUndefined();
    expect(deliveryOfLine('⇢ lambda  ShipmentHandler  async → on-failure HybridShop-Failures (sqs)  Failure after 3 attempts')).toBeUndefined();
    expect(deliveryOfLine('λ OrdersPlaceOrderFunction  ok  42 ms')).toBeUndefined();
    expect(deliveryOfLine('⇄ HybridShop-public  POST /prod/orders → 503  63 ms  OrdersPlaceOrderFunction')).toBeUndefined();
    expect(deliveryOfLine('  │ OrdersLifecycleWorkerFunction  INFO ⇢ sqs  q → F  3 msgs  handler 8 ms')).toBeUndefined();
  });
});

describe('stageFigures', () => {
  it("sums each function's batches, items and handler time seen in [from, to)", () => {
    // Prepare
    const deliveries = [
      { at: 999, delivery: { fn: 'A', items: 10, handlerMs: 100 } },
      { at: 1_000, delivery: { fn: 'A', items: 10, handlerMs: 120 } },
      { at: 1_500, delivery: { fn: 'B', items: 1, handlerMs: 40 } },
      { at: 1_900, delivery: { fn: 'A', items: 4, handlerMs: 60 } },
      { at: 2_000, delivery: { fn: 'B', items: 1, handlerMs: 50 } },
    ];

    // Act / Assess
    expect(stageFigures(deliveries, 1_000, 2_000)).toEqual({ A: { batches: 2, items: 14, handlerMs: 180 }, B: { batches: 1, items: 1, handlerMs: 40 } });
  });
});

describe('workInOrders', () => {
  // 100 orders through the pipeline: A (20 ms an item, 1 item an order: 2,000 ms) and B (5 ms an item, 3 an order:
  // 1,500 ms), so an order is 35 ms of handler time.
  const capacity = { orders: 100, stages: { A: { batches: 10, items: 100, handlerMs: 2_000 }, B: { batches: 30, items: 300, handlerMs: 1_500 } } };

  it("counts each function's items at the capacity's cost per item, in orders of the capacity's cost", () => {
    // Prepare: after a spike, only 20 orders' A steps were left, but 50 orders' B steps
    const done = { A: { batches: 2, items: 20, handlerMs: 900 }, B: { batches: 15, items: 150, handlerMs: 5_000 } };

    // Act / Assess: (20 × 20 + 150 × 5) / 35 = 1,150 / 35, whatever the handlers took during the drain
    expect(workInOrders(capacity, done)).toBeCloseTo(1_150 / 35, 9);
  });

  it("counts whole orders as themselves, and nothing for a function the capacity's orders did not use", () => {
    const done = { A: { batches: 5, items: 50, handlerMs: 1 }, B: { batches: 15, items: 150, handlerMs: 1 }, C: { batches: 9, items: 90, handlerMs: 9_000 } };

    expect(workInOrders(capacity, done)).toBeCloseTo(50, 9);
  });

  it('is NaN when the capacity took no handler time', () => {
    expect(workInOrders({ orders: 10, stages: {} }, { A: { batches: 1, items: 1, handlerMs: 1 } })).toBeNaN();
  });
});

describe('drainPerSecond', () => {
  it("is the work done per second when it was measured, the orders final per second in older results, NaN for no backlog", () => {
    expect(drainPerSecond({ afterSpikeMs: 40_000, perSecond: 39.5, workPerSecond: 24.1 })).toBe(24.1);
    expect(drainPerSecond({ afterSpikeMs: 40_000, perSecond: 39.5 })).toBe(39.5);
    expect(drainPerSecond({ afterSpikeMs: 1_500, perSecond: 39.5, workPerSecond: 24.1 })).toBeNaN();
  });
});
