import { randomUUID } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { redrive } from '../../bin/redrive';
import { eventIdFor, newEvent } from '../../lambdas/shared/events/contracts';
import { describeNeeds, eventually, itNeeds, itNeedsControls, useShop } from './support/local-shop';

// Queue visibility timeouts are minutes in the template (6 × each function's timeout); a time scale of 0.05
// lets a failed message come back in about a second, so retries and DLQ moves fit in a test. Tests that count on it
// say so (`fast-retries`); on a real-time target they are skipped.
const localShop = useShop({ timeScale: 0.05 });

const anOrder = (sku: string) => ({ lines: [{ sku, quantity: 1 }] });

/** The provider's settings, as `npm run payments:provider` sets them; a warm worker reads them again within 1 s. */
async function setProvider(settings: { latencyMs: number; failureRate: number; down: boolean }): Promise<void> {
  await localShop().put('PaymentProviderTableName', { provider: 'default', ...settings });
  await new Promise((resolve) => setTimeout(resolve, 1_100));
}

const emailsOf = async (orderId: string) =>
  (await localShop().items('SentNotificationsTableName', (item) => item.orderId === orderId)).map((e) => String(e.template)).sort();

describeNeeds(['user-pool-authorizer'], 'the payment provider down for a while', () => {
  afterEach(() => setProvider({ latencyMs: 0, failureRate: 0, down: false }));

  itNeeds(['fast-retries'], 'keeps the charges waiting in their queue, loses none, and processes them all after recovery', async () => {
    // Prepare
    const shop = localShop();
    await setProvider({ latencyMs: 0, failureRate: 0, down: true });

    // Act 1: three orders while the provider is down (one after the other: three inventory cold starts at once can
    // outlast the 1 s reservation timeout on a busy machine, and placement is not what this test is about)
    const placed = [];
    for (const sku of ['SKU-0031', 'SKU-0032', 'SKU-0033']) placed.push(await shop.placeOrder(anOrder(sku)));
    expect(placed.map((p) => p.status)).toEqual([201, 201, 201]);
    const orderIds = placed.map((p) => String(p.json.orderId));

    // Assess 1: the charges wait (retried, not lost, not dead-lettered), the orders stay unpaid
    await eventually(async () => ((await shop.queueDepth('PaymentsCommandsQueue')) === 3 ? true : undefined), { what: 'three charges waiting' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const orderId of orderIds) expect((await shop.call('GET', `orders/${orderId}`)).json.status).toBe('CONFIRMED');
    expect(await shop.queueDepth('PaymentsCommandsDeadLetterQueue')).toBe(0);

    // Act 2: the provider recovers
    await setProvider({ latencyMs: 0, failureRate: 0, down: false });

    // Assess 2: every order is paid and shipped, nothing reached the DLQ
    for (const orderId of orderIds) await shop.orderReaches(orderId, ['SHIPPED']);
    expect(await shop.queueDepth('PaymentsCommandsQueue')).toBe(0);
    expect(await shop.queueDepth('PaymentsCommandsDeadLetterQueue')).toBe(0);
  });

  it('answers a declined payment with PaymentFailed, released stock and an e-mail', async () => {
    const shop = localShop();
    await setProvider({ latencyMs: 0, failureRate: 1, down: false });
    const before = await shop.stockOf('SKU-0034');

    const placed = await shop.placeOrder(anOrder('SKU-0034'));

    const orderId = String(placed.json.orderId);
    await shop.orderReaches(orderId, ['PAYMENT_FAILED']);
    await eventually(async () => ((await shop.stockOf('SKU-0034')) === before ? true : undefined), { what: 'the stock to be released' });
    await eventually(async () => ((await emailsOf(orderId)).includes('PaymentFailed') ? true : undefined), { what: 'the PaymentFailed e-mail' });
  });
});

describeNeeds(['user-pool-authorizer'], 'a poison message', () => {
  itNeeds(['controls', 'fast-retries'], 'reaches the DLQ after the configured receives, and is processed once redriven after the fix', async () => {
    // Prepare: the notification worker fails every message
    const shop = localShop();
    await shop.controls.setFault('NotificationsNotificationWorker', { error: true });

    // Act 1
    const placed = await shop.placeOrder(anOrder('SKU-0035'));
    const orderId = String(placed.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);

    // Assess 1: three e-mails' messages in the DLQ, none sent, and none still failing its way there (a message whose
    // last receive is in flight when the fault is cleared would reach the DLQ after the redrive and never be sent)
    await eventually(async () => ((await shop.queueDepth('NotificationsEmailsDeadLetterQueue')) >= 3 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the e-mail messages to reach the DLQ',
    });
    await eventually(async () => ((await shop.queueDepth('NotificationsEmailsQueue')) === 0 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the e-mail queue to hold no message still being retried',
    });
    expect(await emailsOf(orderId)).toEqual([]);

    // Act 2: fix the worker, redrive the DLQ
    await shop.controls.setFault('NotificationsNotificationWorker', undefined);
    const result = await redrive({ queue: await shop.queueUrl('NotificationsEmailsQueue'), sqs: shop.sqs, log: () => undefined });

    // Assess 2
    expect(result.status).toBe('COMPLETED');
    expect(result.moved).toBeGreaterThanOrEqual(3);
    await eventually(async () => ((await emailsOf(orderId)).length === 3 ? true : undefined), { what: 'the redriven e-mails' });
    expect(await emailsOf(orderId)).toEqual(['OrderPlaced', 'PaymentCaptured', 'ShipmentCreated']);
    expect(await shop.queueDepth('NotificationsEmailsDeadLetterQueue')).toBe(0);
  });
});

describeNeeds(['user-pool-authorizer'], 'a duplicate delivery', () => {
  it('has one effect: one charge, one e-mail, one count', async () => {
    // Prepare: an order that went through once
    const shop = localShop();
    const placed = await shop.placeOrder(anOrder('SKU-0036'));
    const orderId = String(placed.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);
    await eventually(async () => ((await emailsOf(orderId)).length === 3 ? true : undefined), { what: 'the first e-mails' });
    const staff = await shop.staff();
    const totals = async () => (await shop.call('GET', 'analytics/sales', { as: staff })).json.totals as { orders: number };
    // Analytics counts every order of the shop, read from the order-event log a moment after each put: wait for this
    // order's own marker, then for the totals to hold still, so no earlier order's count lands after the baseline.
    const marker = { pk: `EVENT#${eventIdFor('shop.orders', 'OrderPlaced', orderId, 1)}`, sk: '-' };
    await eventually(async () => ((await shop.item('AnalyticsTableName', marker)) ? true : undefined), { what: 'analytics to count the order' });
    let ordersCounted = (await totals()).orders;
    await eventually(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const now = (await totals()).orders;
        const still = now === ordersCounted;
        ordersCounted = now;
        return still ? true : undefined;
      },
      { what: 'the analytics totals to hold still' },
    );

    // Act: the same OrderPlaced fact published again (a producer retry): same eventId
    const order = placed.json as { customerId: string; lines: { sku: string; quantity: number; unitPriceCents: number }[]; totalCents: number };
    const again = newEvent('OrderPlaced', {
      orderId,
      version: 1,
      correlationId: 'duplicate-test',
      data: { customerId: order.customerId, lines: order.lines, totalCents: order.totalCents, currency: 'EUR' },
    });
    const out = await shop.eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: shop.outputs.EventBusName, Source: again.source, DetailType: again.detailType, Detail: JSON.stringify(again.detail) }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);

    // Assess: let the duplicate travel everywhere, then count the effects
    await shop.settle();
    await eventually(async () => ((await shop.queueDepth('NotificationsEmailsQueue')) === 0 && (await shop.queueDepth('PaymentsCommandsQueue')) === 0 ? true : undefined), {
      what: 'the queues to drain',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await emailsOf(orderId)).toEqual(['OrderPlaced', 'PaymentCaptured', 'ShipmentCreated']);
    expect(await shop.item('PaymentsTableName', { orderId })).toMatchObject({ status: 'CAPTURED' });
    expect((await totals()).orders).toBe(ordersCounted);
  });
});

describeNeeds(['user-pool-authorizer'], 'a PutEvents partial failure', () => {
  itNeedsControls('fails the request, and the retry with the same key publishes the order', async () => {
    // Prepare: the next PutEvents call fails one entry
    const shop = localShop();
    const key = randomUUID();
    await shop.controls.putEventsFault({ failEntries: 1, requests: 1 });

    // Act
    const failed = await shop.placeOrder(anOrder('SKU-0037'), { key });
    const retried = await shop.placeOrder(anOrder('SKU-0037'), { key });

    // Assess
    expect(failed.status).toBe(503);
    expect(String(failed.json.type)).toMatch(/event-publish-failed$/);
    expect(retried.status).toBe(201);
    const orderId = String(retried.json.orderId);
    await shop.orderReaches(orderId, ['SHIPPED']);
    await eventually(async () => ((await emailsOf(orderId)).includes('OrderPlaced') ? true : undefined), { what: 'the OrderPlaced e-mail' });
  });
});

describeNeeds(['user-pool-authorizer'], 'a poison record in the order-event log', () => {
  itNeeds(['kinesis-failure-handling'], 'goes to the on-failure destination after bisecting, while the records behind it keep flowing', async () => {
    // Prepare
    const shop = localShop();

    // Act: a record no consumer can parse, then a real order behind it on the same shard
    await shop.putLogRecord('this is not an event', 'poison', ['OrderEventLogAnalyticsFailureQueue', 'OrderEventLogTimelineFailureQueue']);
    const placed = await shop.placeOrder(anOrder('SKU-0038'));
    const orderId = String(placed.json.orderId);

    // Assess: both consumers record the poison on their failure queues and still project the order
    await eventually(async () => ((await shop.queueDepth('OrderEventLogAnalyticsFailureQueue')) >= 1 ? true : undefined), { timeoutMs: 20_000, what: 'the analytics failure record' });
    await eventually(async () => ((await shop.queueDepth('OrderEventLogTimelineFailureQueue')) >= 1 ? true : undefined), { timeoutMs: 20_000, what: 'the timeline failure record' });
    await eventually(
      async () => {
        const res = await shop.call('GET', `orders/${orderId}/timeline`);
        return ((res.json.entries as unknown[] | undefined) ?? []).length >= 3 ? true : undefined;
      },
      { what: 'the timeline behind the poison record' },
    );
  });
});
