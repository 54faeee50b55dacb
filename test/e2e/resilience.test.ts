import { describeNeeds, eventually, itNeedsControls, useShop } from './support/local-shop';

// Both tests inject faults into inventory: they need the local runtime's controls.
const localShop = useShop();
const CREATE_RESERVATION = 'InventoryCreateReservation';

const order = () => ({ lines: [{ sku: 'SKU-0020', quantity: 1 }] });

describeNeeds(['user-pool-authorizer'], 'orders → inventory when inventory is slow', () => {
  afterEach(() => localShop().controls.setFault(CREATE_RESERVATION, undefined));

  itNeedsControls('gives up after the timeout and one retry, answering 503 with Retry-After', async () => {
    // Prepare: every reservation takes 1.5 s, past the 1 s client timeout
    const shop = localShop();
    await shop.controls.setFault(CREATE_RESERVATION, { delayMs: 1500 });

    // Act
    const res = await shop.placeOrder(order());

    // Assess: two attempts of ~1 s each, then a fast, explicit failure
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.elapsedMs).toBeGreaterThan(1900);
    expect(res.elapsedMs).toBeLessThan(4000);
  });
});

describeNeeds(['user-pool-authorizer'], 'orders → inventory when inventory fails', () => {
  afterEach(() => localShop().controls.setFault(CREATE_RESERVATION, undefined));

  itNeedsControls('opens the breaker, fails fast without calling inventory, and closes after recovery', async () => {
    // Prepare: inventory answers every call with a function error
    const shop = localShop();
    await shop.controls.setFault(CREATE_RESERVATION, { error: true });

    // Act 1: failures until the breaker opens
    let openAfter = 0;
    for (let i = 1; i <= 10 && openAfter === 0; i++) {
      const res = await shop.placeOrder(order());
      expect(res.status).toBe(503);
      if (String(res.json.type).includes('circuit-open')) openAfter = i;
    }
    expect(openAfter).toBeGreaterThan(0);
    expect(openAfter).toBeLessThanOrEqual(6);

    // Act 2: while open, calls fail fast and never reach inventory
    const invocationsBefore = await shop.controls.invocationCount(CREATE_RESERVATION);
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await shop.placeOrder(order()));
    expect(open.map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
    expect(open.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    expect(await shop.controls.invocationCount(CREATE_RESERVATION)).toBe(invocationsBefore);
    const slowest = Math.max(...open.map((r) => r.elapsedMs));
    expect(slowest).toBeLessThan(250);

    // Act 3: inventory recovers; after the open period one probe goes through and closes the breaker
    await shop.controls.setFault(CREATE_RESERVATION, undefined);
    const recovered = await eventually(
      async () => {
        const res = await shop.placeOrder(order());
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500, what: 'an order to succeed after inventory recovered' },
    );
    expect(recovered.status).toBe(201);
    const after = await shop.placeOrder(order());
    expect(after.status).toBe(201);
  }, 30_000);
});
