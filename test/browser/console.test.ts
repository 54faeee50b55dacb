/**
 * The console driven in a headless Chromium against the shop on an in-process runtime: what a person does on the
 * page, and what they see. At a time scale of 0.01 an alarm's five-minute period lasts 3 s, so the latency alarm can
 * turn within the test; latencies stay real (a 2.5 s slow inventory is 2.5 s).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Locator } from 'playwright-core';
import { startConsoleSession, type ConsoleSession } from '../../bin/console-session';

const TIME_SCALE = 0.01;
const INTERNAL_LATENCY_ALARM = 'HybridShop/InternalApi/Alarms/LatencyP99';

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ timeScale: TIME_SCALE });
}, 120_000);

afterAll(async () => {
  await session?.stop();
}, 60_000);

/** Clicks a place-order button and waits until the page has the answers back (the button is enabled again). */
async function place(mode: 'sync' | 'async'): Promise<void> {
  const button = session.page.locator(mode === 'sync' ? '#place-sync' : '#place-async');
  await button.click();
  await session.page.locator(`${mode === 'sync' ? '#place-sync' : '#place-async'}:not([disabled])`).waitFor({ timeout: 20_000 });
}

const orders = (mode: 'sync' | 'async', status: number): Locator => session.page.locator(`#orders-${mode} [data-testid="order"][data-status="${status}"]`);

/** Waits for `order` to show a hop of `kind` whose label has `text`; the failure lists the hops it shows. */
async function seeHop(order: Locator, kind: string, text: string, timeout = 5_000): Promise<void> {
  try {
    await order.locator(`[data-testid="hop"][data-kind="${kind}"]`, { hasText: text }).first().waitFor({ timeout });
  } catch (error) {
    const shown = await order.locator('[data-testid="hop"]').allTextContents();
    throw new Error(`no ${kind} hop "${text}" in ${timeout} ms; the order shows: ${shown.join(' | ')} (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Waits until `probe` holds. */
async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The name of a queue of the template (its URL's last segment), by logical id prefix. */
const queueName = (logicalIdPrefix: string): string => session.runtime.queueUrl(logicalIdPrefix).split('/').pop() ?? '';

describe('the console in a browser', () => {
  it('places a sync and an async order from the page, and shows each one hops as they happen, side by side', async () => {
    // Act: sync orders until one is accepted (the first may meet inventory's cold start past its 1 s timeout)
    for (let attempt = 0; attempt < 4 && (await orders('sync', 201).count()) === 0; attempt++) await place('sync');
    await place('async');

    // Assess: the sync order waited on inventory and published OrderPlaced before answering
    const syncOrder = orders('sync', 201).first();
    await syncOrder.waitFor({ timeout: 5_000 });
    await seeHop(syncOrder, 'client', 'POST /orders → 201', 5_000);
    await seeHop(syncOrder, 'sync', 'public → OrdersPlaceOrder', 5_000);
    await seeHop(syncOrder, 'sync', 'internal → InventoryCreateReservation', 5_000);
    await seeHop(syncOrder, 'publish', 'PutEvents OrderPlaced', 5_000);
    await seeHop(syncOrder, 'delivery', 'rule: OrderPlaced', 10_000);
    // … the async one answered with 202, and inventory reserved behind the reply, from its queue
    const asyncOrder = orders('async', 202).first();
    await seeHop(asyncOrder, 'client', 'POST /orders (respond-async) → 202', 5_000);
    await seeHop(asyncOrder, 'publish', 'PutEvents OrderRequested', 5_000);
    await seeHop(asyncOrder, 'consume', 'queue wait InventoryReservationsQueue → InventoryReservationWorker', 15_000);
    await seeHop(asyncOrder, 'publish', 'PutEvents StockReserved', 15_000);
    expect(await asyncOrder.locator('[data-testid="hop"][data-kind="sync"]', { hasText: 'InventoryCreateReservation' }).count()).toBe(0);
  });

  it('slows inventory from the page: the internal latency alarm turns ALARM, sync orders fail while async ones are accepted', async () => {
    // Prepare
    const { page } = session;
    const inventory = page.locator('[data-testid="function"][data-function="InventoryCreateReservationFunction"]');
    await page.fill('#fault-delay', '2500');
    const failedBefore = await orders('sync', 503).count();
    const acceptedBefore = await orders('async', 202).count();

    // Act: inventory answers in 2.5 s (p99 threshold 2,000 ms) while orders keep coming, until 3 of 5 periods saw it
    await inventory.locator('[data-testid="slow"]').click();
    await inventory.locator('td.fault', { hasText: '+2500 ms' }).waitFor({ timeout: 5_000 });
    await page.fill('#order-count', '2');
    // Once inventory's breaker opens, only a probe every 5 s reaches it: the alarm may turn ALARM and later lack data,
    // so the page's list of transitions is what is watched, not only the state of the moment.
    const alarmed = page.locator(`[data-testid="transition"][title="${INTERNAL_LATENCY_ALARM}"]`, { hasText: /: (OK|INSUFFICIENT_DATA) → ALARM$/ });
    const deadline = Date.now() + 60_000;
    while ((await alarmed.count()) === 0 && Date.now() < deadline) await place('sync');
    await place('async');

    // Assess
    expect(await alarmed.count()).toBeGreaterThan(0);
    expect(await orders('sync', 503).count()).toBeGreaterThan(failedBefore);
    await expect(orders('sync', 503).first().locator('.problem').textContent()).resolves.toBe('Service Unavailable: Inventory did not answer successfully.');
    expect(await orders('async', 202).count()).toBeGreaterThan(acceptedBefore);
    expect(await orders('async', 503).count()).toBe(0);

    // Act: clear the fault from the page
    await inventory.locator('[data-testid="clear"]').click();
    await until(async () => (await inventory.locator('td.fault').textContent()) === '', 5_000, 'the fault to be cleared');
  });

  it("redrives a DLQ from the page: its messages go back to the source queue, whose consumer the page paused", async () => {
    // Prepare
    const { page, runtime } = session;
    const dlqName = queueName('InventoryReleasesDeadLetterQueue');
    const sourceName = queueName('InventoryReleasesQueue');
    const dlq = page.locator(`[data-testid="queue"][data-queue="${dlqName}"]`);
    const source = page.locator(`[data-testid="queue"][data-queue="${sourceName}"]`);
    await source.locator('[data-testid="mapping-toggle"]', { hasText: 'Pause' }).click();
    await source.locator('.mapping-state', { hasText: 'paused' }).waitFor({ timeout: 5_000 });
    const sqs = new SQSClient({ endpoint: runtime.edgeUrl, region: 'us-east-1', credentials: { ...runtime.credentials } });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl(dlqName), MessageBody: JSON.stringify({ parked: true }) }));
    } finally {
      sqs.destroy();
    }
    await page.locator(`[data-testid="queue"][data-queue="${dlqName}"][data-depth="1"]`).waitFor({ timeout: 10_000 });
    const errorsBefore = await page.locator('[data-testid="error"]').allTextContents();

    // Act
    await dlq.locator('[data-testid="redrive"]').click();

    // Assess
    await page.locator(`[data-testid="queue"][data-queue="${dlqName}"][data-depth="0"]`).waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="queue"][data-queue="${sourceName}"][data-depth="1"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="error"]').allTextContents()).toEqual(errorsBefore);

    // Act: resume the consumer
    await source.locator('[data-testid="mapping-toggle"]', { hasText: 'Resume' }).click();
    await source.locator('.mapping-state', { hasText: 'polling' }).waitFor({ timeout: 5_000 });
  });

  it('shows a problem+json answer of the control API as a readable error', async () => {
    // Prepare
    const { page } = session;
    await page.fill('#fault-delay', '-5');

    // Act
    await page.locator('[data-testid="function"][data-function="InventoryCreateReservationFunction"] [data-testid="slow"]').click();

    // Assess
    const error = page.locator('[data-testid="error"]').first();
    await error.waitFor({ timeout: 5_000 });
    expect(await error.textContent()).toMatch(/delayMs/);
  });
});
