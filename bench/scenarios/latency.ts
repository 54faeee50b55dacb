/**
 * Latency family: what a client waits for an order, synchronous (`201`: stock reserved) against asynchronous
 * (`202`: accepted, stock reserved later), with a healthy inventory and with every inventory invocation slowed by
 * 100, 500 and 2000 ms (a fault on both inventory functions: the API the synchronous path calls and the queue
 * worker the asynchronous path feeds).
 *
 * Open loop: a fixed rate of orders, sync and async interleaved one for one, each timed from its due time. For the
 * async orders the bench also reads back when inventory decided (the order's `confirmedAt`/`rejectedAt` minus its
 * `createdAt`): what the client no longer waits for is still done, later.
 */
import { BenchShop } from '../support/bench-shop';
import { LoadClient } from '../support/load-client';
import type { RequestRecord } from '../support/load-client-protocol';
import { orderMix } from '../support/order-requests';
import { requestFigures } from '../support/request-figures';
import type { LatencyLevel, LatencyResults } from '../support/results';
import { runInfo, runStart } from '../support/run-info';
import { isDeadLetterQueue, problemsOf, type ScenarioContext, waitUntil } from '../support/scenario-context';
import { summarize } from '../support/statistics';
import { startUsage } from '../support/usage';

export const INVENTORY_DELAYS_MS = [0, 100, 500, 2000] as const;

/**
 * Low enough that the local runtime is not saturated on a 2-core machine (an order and what follows it make some 16
 * Lambda invocations, each with its AWS calls through the runtime's main thread; at 10 orders/s that thread was
 * 98 % busy), so the figures show the two paths rather than the runtime's queue.
 */
export const RATE_PER_SECOND = 4;

/** The function behind `POST /orders`, both modes: its cold starts during a level are reported with it. */
const ORDERS_FUNCTION = 'OrdersPlaceOrderFunction';

export async function latencyFamily(context: ScenarioContext): Promise<LatencyResults> {
  const start = runStart();
  const ratePerSecond = RATE_PER_SECOND;
  const durationMs = context.quick ? 2_000 : 40_000;
  const warmUpMs = context.quick ? 1_000 : 5_000;

  context.progress('latency: starting the local runtime');
  const shop = await BenchShop.start({ assemblyDir: context.assemblyDir });
  const client = LoadClient.start();
  try {
    const requests = orderMix(shop.publicUrl, { syncShare: 0.5, skus: shop.skus, idToken: (await shop.customer('bench-latency')).idToken });
    context.progress(`latency: warming up (${warmUpMs / 1000} s at ${ratePerSecond} orders/s, not recorded)`);
    await client.openLoop({ ratePerSecond, durationMs: warmUpMs, requests, progressEveryMs: 60_000 });
    await settle(shop, context);

    const levels: LatencyLevel[] = [];
    for (const delayMs of INVENTORY_DELAYS_MS) {
      const name = delayMs === 0 ? 'healthy inventory' : `inventory +${delayMs} ms`;
      shop.inventoryLatency(delayMs);
      if (delayMs > 0) {
        // A slower inventory keeps synchronous orders in the orders function longer, so the function needs more
        // execution environments than the healthy warm-up started; the level is measured once they exist (steady
        // state), and the cold starts that still fall in it are counted and reported, not hidden.
        context.progress(`latency: ${name}: warming up (${warmUpMs / 1000} s, not recorded)`);
        await client.openLoop({ ratePerSecond, durationMs: warmUpMs, requests, progressEveryMs: 60_000 });
        await settle(shop, context);
      }
      context.progress(`latency: ${name}: ${durationMs / 1000} s at ${ratePerSecond} orders/s (half sync, half async), open loop`);
      const coldStartsBefore = shop.coldStarts(ORDERS_FUNCTION);
      let last = performance.now();
      const usage = startUsage();
      const records = await client.openLoop({ ratePerSecond, durationMs, requests, progressEveryMs: 1000 }, (p) => {
        if (performance.now() - last < 5000) return;
        last = performance.now();
        context.progress(`latency: ${name}: ${p.sent} sent, ${p.ok} answered as expected, ${p.inFlight} in flight`);
      });
      const used = usage();
      const coldStarts = shop.coldStarts(ORDERS_FUNCTION) - coldStartsBefore;
      const decided = await asyncDecisions(shop, records, context.quick ? 20_000 : 60_000);
      shop.inventoryLatency(0);
      const level: LatencyLevel = {
        inventoryDelayMs: delayMs,
        sync: requestFigures(records.filter((r) => r.label === 'sync')),
        async: requestFigures(records.filter((r) => r.label === 'async')),
        asyncDecided: summarize(decided.ms),
        asyncUndecided: decided.undecided,
        ordersColdStarts: coldStarts,
        usage: used,
      };
      levels.push(level);
      context.progress(
        `latency: ${name}: sync p50 ${level.sync.latency.p50.toFixed(1)} / p99 ${level.sync.latency.p99.toFixed(1)} ms (${level.sync.ok}/${level.sync.sent} 201), ` +
          `async p50 ${level.async.latency.p50.toFixed(1)} / p99 ${level.async.latency.p99.toFixed(1)} ms (${level.async.ok}/${level.async.sent} 202), ` +
          `async decided p50 ${level.asyncDecided.p50.toFixed(0)} ms after acceptance; runtime main thread ${(used.mainThreadBusy * 100).toFixed(0)} % busy`,
      );
      await settle(shop, context);
    }
    return { family: 'latency', run: runInfo(start, context.command, context.quick, context.root), ratePerSecond, durationMs, levels, problems: problemsOf([shop]) };
  } finally {
    await client.stop();
    await shop.stop();
  }
}

/** For each accepted async order, ms from its creation to inventory's decision; waits for the decisions up to `deadlineMs`. */
async function asyncDecisions(shop: BenchShop, records: readonly RequestRecord[], deadlineMs: number): Promise<{ ms: number[]; undecided: number }> {
  const ids = records.filter((r) => r.label === 'async' && r.status === 202 && r.orderId).map((r) => r.orderId as string);
  const decided = new Map<string, number>();
  await waitUntil(
    async () => {
      const open = ids.filter((id) => !decided.has(id));
      for (const order of await shop.orders(open)) {
        const at = order.confirmedAt ?? order.rejectedAt;
        if (at) decided.set(order.orderId, Date.parse(at) - Date.parse(order.createdAt));
      }
      return decided.size === ids.length;
    },
    { deadlineMs, intervalMs: 500 },
  );
  return { ms: [...decided.values()], undecided: ids.length - decided.size };
}

/** Waits (up to a minute) until every work queue (dead-letter queues aside) is empty and no event delivery is left, so each level starts quiet. */
export async function settle(shop: BenchShop, context: Pick<ScenarioContext, 'quick' | 'progress'>): Promise<void> {
  const quiet = await waitUntil(
    async () => {
      await shop.runtime.eventsSettled();
      return [...(await shop.queueDepths())].every(([queue, n]) => n === 0 || isDeadLetterQueue(queue));
    },
    { deadlineMs: context.quick ? 20_000 : 60_000, intervalMs: 250 },
  );
  if (!quiet) context.progress('latency: queues still not empty after the settle deadline; going on');
}
