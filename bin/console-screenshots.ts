#!/usr/bin/env node
/**
 * `npm run console:screenshots`: starts the shop on the local runtime (from `cdk.out`: run `npm run synth` first if it
 * is missing or old), opens the console in Debian's headless Chromium, places a few orders synchronously and
 * asynchronously from the page, slows inventory until the internal latency alarm fires, and writes what the page
 * shows to docs/images/console-*.png:
 *
 * - console-orders.png: sync and async orders side by side, each with its hops
 * - console-overview.png: the whole page (queues, streams, alarms, functions and faults)
 * - console-alarm.png: the alarms panel with the internal latency alarm in ALARM and its transition
 */
import * as path from 'node:path';
import { startConsoleSession } from './console-session';

const OUT = path.resolve(__dirname, '..', 'docs', 'images');
const INTERNAL_LATENCY_ALARM = 'HybridShop/InternalApi/Alarms/LatencyP99';

async function main(): Promise<void> {
  const session = await startConsoleSession({ timeScale: 0.01, viewport: { width: 1440, height: 1100 } });
  const { page } = session;
  const place = async (mode: 'sync' | 'async'): Promise<void> => {
    const button = mode === 'sync' ? '#place-sync' : '#place-async';
    await page.click(button);
    await page.locator(`${button}:not([disabled])`).waitFor({ timeout: 30_000 });
  };
  try {
    // Warm the functions first (cold starts can outlast inventory's 1 s timeout), then the orders to show.
    for (let i = 0; i < 2; i++) await place('sync');
    await place('async');
    await place('sync');
    await place('async');
    await page.waitForTimeout(4_000); // the async order's reservation and payment, behind the reply
    await page.locator('#orders-panel').screenshot({ path: path.join(OUT, 'console-orders.png') });
    await page.screenshot({ path: path.join(OUT, 'console-overview.png'), fullPage: true });

    await page.fill('#fault-delay', '2500');
    await page.locator('[data-testid="function"][data-function="InventoryCreateReservationFunction"] [data-testid="slow"]').click();
    await page.fill('#order-count', '2');
    const alarm = page.locator(`[data-testid="alarm"][data-alarm="${INTERNAL_LATENCY_ALARM}"]`);
    const deadline = Date.now() + 60_000;
    while ((await alarm.getAttribute('data-state')) !== 'ALARM') {
      if (Date.now() > deadline) throw new Error(`${INTERNAL_LATENCY_ALARM} did not turn ALARM within 60 s`);
      await place('sync');
    }
    await place('async');
    await page.locator('#alarms-panel').screenshot({ path: path.join(OUT, 'console-alarm.png') });
    console.log(`wrote ${['console-orders.png', 'console-overview.png', 'console-alarm.png'].map((f) => path.join('docs/images', f)).join(', ')}`);
  } finally {
    await session.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
