import { describeNeeds, eventually, useShop } from './support/local-shop';

const localShop = useShop();

const emailsOf = (orderId: string, atLeast: number) =>
  eventually(
    async () => {
      const sent = await localShop().items('SentNotificationsTableName', (item) => item.orderId === orderId);
      return sent.length >= atLeast ? sent.map((e) => String(e.template)).sort() : undefined;
    },
    { timeoutMs: 15_000, what: `${atLeast} e-mails for order ${orderId}` },
  );

const timelineOf = (orderId: string, atLeast: number) =>
  eventually(
    async () => {
      const res = await localShop().call('GET', `orders/${orderId}/timeline`);
      const entries = (res.json.entries as { detailType: string }[] | undefined) ?? [];
      return entries.length >= atLeast ? entries.map((e) => e.detailType) : undefined;
    },
    { timeoutMs: 15_000, what: `${atLeast} timeline entries for order ${orderId}` },
  );

async function salesTotals(): Promise<{ orders: number; revenueCents: number; cancelled: number }> {
  const res = await localShop().call('GET', 'analytics/sales', { as: await localShop().staff() });
  expect(res.status).toBe(200);
  return res.json.totals as { orders: number; revenueCents: number; cancelled: number };
}

describeNeeds(['user-pool-authorizer'], 'an order placed synchronously', () => {
  it('is paid, shipped, e-mailed at every step, counted by analytics and projected on its timeline', async () => {
    // Prepare
    const shop = localShop();
    const before = await salesTotals();

    // Act
    const placed = await shop.placeOrder({ lines: [{ sku: 'SKU-0021', quantity: 2 }] });

    // Assess
    expect(placed.status).toBe(201);
    const orderId = String(placed.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);
    expect(await shop.item('PaymentsTableName', { orderId })).toMatchObject({ status: 'CAPTURED', amountCents: placed.json.totalCents });
    expect(await shop.item('ShipmentsTableName', { orderId })).toMatchObject({ status: 'CREATED' });
    expect(await emailsOf(orderId, 3)).toEqual(['OrderPlaced', 'PaymentCaptured', 'ShipmentCreated']);
    const after = await eventually(async () => {
      const totals = await salesTotals();
      return totals.orders > before.orders ? totals : undefined;
    });
    expect(after.orders - before.orders).toBe(1);
    expect(after.revenueCents - before.revenueCents).toBe(placed.json.totalCents);
    expect(await timelineOf(orderId, 3)).toEqual(['OrderPlaced', 'PaymentCaptured', 'ShipmentCreated']);
  });
});

describeNeeds(['user-pool-authorizer'], 'an order placed asynchronously', () => {
  it('answers 202 at once, then inventory reserves from its queue and the order goes through', async () => {
    // Prepare
    const shop = localShop();
    const stockBefore = await shop.stockOf('SKU-0022');

    // Act
    const accepted = await shop.placeOrder(
      { lines: [{ sku: 'SKU-0022', quantity: 1 }] },
      { headers: { prefer: 'respond-async' } },
    );

    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    const orderId = String(accepted.json.orderId);
    // Location, followed as a client would, leads to the order under the stage this target serves it at.
    const followed = await shop.follow(accepted);
    expect(followed.url.href).toBe(new URL(`orders/${orderId}`, shop.publicUrl).href);
    expect(followed.status).toBe(200);
    expect(followed.json.orderId).toBe(orderId);
    expect(accepted.json.status).toBe('PENDING');
    await shop.orderReaches(orderId, ['SHIPPED']);
    expect(await shop.stockOf('SKU-0022')).toBe(stockBefore - 1);
    expect(await timelineOf(orderId, 5)).toEqual(['OrderRequested', 'StockReserved', 'OrderPlaced', 'PaymentCaptured', 'ShipmentCreated']);
  });

  it('answers a retry with the same key as a replay, and its event published again changes nothing downstream', async () => {
    // Prepare
    const shop = localShop();
    const stockBefore = await shop.stockOf('SKU-0026');
    const order = { lines: [{ sku: 'SKU-0026', quantity: 1 }] };
    const key = `flow-async-retry-${Date.now()}`;
    const accepted = await shop.placeOrder(order, { key, headers: { prefer: 'respond-async' } });
    const orderId = String(accepted.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);

    // Act: the client retries, as one that never saw the 202 would; the replay publishes OrderRequested again
    const retried = await shop.placeOrder(order, { key, headers: { prefer: 'respond-async' } });

    // Assess: the same order; the second OrderRequested (same eventId) is dropped by inventory and by the timeline
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.json.orderId).toBe(orderId);
    await shop.settle();
    expect(await shop.stockOf('SKU-0026')).toBe(stockBefore - 1);
    expect((await shop.call('GET', `orders/${orderId}`)).json).toMatchObject({ status: 'SHIPPED' });
    expect(await timelineOf(orderId, 5)).toEqual(['OrderRequested', 'StockReserved', 'OrderPlaced', 'PaymentCaptured', 'ShipmentCreated']);
  });

  it('answers 422 naming Idempotency-Key when a key is reused with another body', async () => {
    const shop = localShop();
    const key = `flow-async-reuse-${Date.now()}`;
    const first = await shop.placeOrder({ lines: [{ sku: 'SKU-0027', quantity: 1 }] }, { key, headers: { prefer: 'respond-async' } });

    const reused = await shop.placeOrder({ lines: [{ sku: 'SKU-0027', quantity: 2 }] }, { key, headers: { prefer: 'respond-async' } });

    expect(first.status).toBe(202);
    expect(reused.status).toBe(422);
    expect(reused.json.errors?.[0].field).toBe('Idempotency-Key');
  });

  it('is rejected, and the customer told, when the stock is not there', async () => {
    const shop = localShop();
    await shop.setStock('SKU-0023', 0);

    const accepted = await shop.placeOrder({ lines: [{ sku: 'SKU-0023', quantity: 1 }] }, { headers: { prefer: 'respond-async' } });

    expect(accepted.status).toBe(202);
    const orderId = String(accepted.json.orderId);
    await shop.orderReaches(orderId, ['REJECTED']);
    expect(await emailsOf(orderId, 1)).toEqual(['OrderRejected']);
    expect(await shop.stockOf('SKU-0023')).toBe(0);
  });
});

describeNeeds(['user-pool-authorizer'], 'cancelling an order', () => {
  it('releases the stock, refunds the payment, cancels the shipment and tells the customer', async () => {
    // Prepare: an order that has gone all the way to shipped
    const shop = localShop();
    const stockBefore = await shop.stockOf('SKU-0024');
    const placed = await shop.placeOrder({ lines: [{ sku: 'SKU-0024', quantity: 3 }] });
    const orderId = String(placed.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);
    expect(await shop.stockOf('SKU-0024')).toBe(stockBefore - 3);

    // Act
    const cancelled = await shop.call('POST', `orders/${orderId}/cancel`, { body: { reason: 'changed my mind' } });

    // Assess
    expect(cancelled.status).toBe(202);
    expect(cancelled.json.status).toBe('CANCELLED');
    // Location, followed as a client would, leads to the order under the stage this target serves it at.
    const followed = await shop.follow(cancelled);
    expect(followed.url.href).toBe(new URL(`orders/${orderId}`, shop.publicUrl).href);
    expect(followed.status).toBe(200);
    expect(followed.json.orderId).toBe(orderId);
    await eventually(async () => ((await shop.stockOf('SKU-0024')) === stockBefore ? true : undefined), { what: 'the stock to come back' });
    await eventually(async () => ((await shop.item('PaymentsTableName', { orderId }))?.status === 'REFUNDED' ? true : undefined), { what: 'the refund' });
    await eventually(async () => ((await shop.item('ShipmentsTableName', { orderId }))?.status === 'CANCELLED' ? true : undefined), { what: 'the shipment to be cancelled' });
    expect(await emailsOf(orderId, 6)).toEqual(
      ['OrderCancelled', 'OrderPlaced', 'PaymentCaptured', 'PaymentRefunded', 'ShipmentCancelled', 'ShipmentCreated'],
    );
    await shop.orderReaches(orderId, ['REFUNDED']);
  });

  it('answers a second cancel the same way and compensates once', async () => {
    const shop = localShop();
    const placed = await shop.placeOrder({ lines: [{ sku: 'SKU-0025', quantity: 1 }] });
    const orderId = String(placed.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);
    const stockBefore = await shop.stockOf('SKU-0025');

    const first = await shop.call('POST', `orders/${orderId}/cancel`);
    const second = await shop.call('POST', `orders/${orderId}/cancel`);

    expect([first.status, second.status]).toEqual([202, 202]);
    await eventually(async () => ((await shop.item('PaymentsTableName', { orderId }))?.status === 'REFUNDED' ? true : undefined), { what: 'the refund' });
    await emailsOf(orderId, 6);
    expect(await shop.stockOf('SKU-0025')).toBe(stockBefore + 1);
    const cancellations = await shop.items('SentNotificationsTableName', (i) => i.orderId === orderId && i.template === 'OrderCancelled');
    expect(cancellations).toHaveLength(1);
  });
});
