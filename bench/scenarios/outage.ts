/**
 * Outage family: inventory down for 30 s (every invocation of both inventory functions fails, FIS's
 * invocation-error), between a healthy stretch and a recovery stretch, under an open loop of orders (sync and async
 * interleaved one for one, each timed from its due time).
 *
 * Run twice, on two runtimes: with the circuit breaker as deployed, and without it (place-order's failure threshold
 * raised out of reach through the runtime's environment overrides). Per run: each second's answers by kind and
 * outcome; the synchronous orders' success rate and time to fail during the outage, and how soon they succeed after
 * recovery; how many calls the failing inventory still took; the asynchronous orders' acceptance during the outage,
 * the time from recovery until every accepted order is decided and until every one is in a final state, and the
 * accepted orders that never got there (lost: must be 0).
 */
import { BenchShop, FINAL_STATUSES, INVENTORY_FUNCTIONS, type OrderState } from '../support/bench-shop';
import { LoadClient } from '../support/load-client';
import type { RequestRecord } from '../support/load-client-protocol';
import { orderMix } from '../support/order-requests';
import { outcomeOf, responseMs } from '../support/request-figures';
import type { OutageResults, OutageRun, OutageSecond } from '../support/results';
import { runInfo, runStart } from '../support/run-info';
import { isDeadLetterQueue, problemsOf, type ScenarioContext, sleep, waitUntil } from '../support/scenario-context';
import { buckets, percentile, summarize } from '../support/statistics';
import { startUsage } from '../support/usage';

/** Place-order's breaker never opens with this many failures in its window: the "without the breaker" run. */
const NO_BREAKER = { OrdersPlaceOrderFunction: { INVENTORY_BREAKER_FAILURE_THRESHOLD: '1000000' } };

const now = () => performance.timeOrigin + performance.now();

export async function outageFamily(context: ScenarioContext): Promise<OutageResults> {
  const start = runStart();
  // As the latency family's: below what saturates the local runtime on a 2-core machine.
  const ratePerSecond = 4;
  const healthyMs = context.quick ? 2_000 : 10_000;
  const downMs = context.quick ? 4_000 : 30_000;
  const afterMs = context.quick ? 3_000 : 15_000;
  const drainDeadlineMs = context.quick ? 40_000 : 180_000;
  const shops: BenchShop[] = [];
  const runs: OutageRun[] = [];
  for (const breaker of ['on', 'off'] as const) {
    context.progress(`outage, breaker ${breaker}: starting the local runtime`);
    const shop = await BenchShop.start({ assemblyDir: context.assemblyDir, ...(breaker === 'off' ? { environmentOverrides: NO_BREAKER } : {}) });
    shops.push(shop);
    const client = LoadClient.start();
    try {
      runs.push(await outageRun(context, shop, client, { breaker, ratePerSecond, healthyMs, downMs, afterMs, drainDeadlineMs }));
    } finally {
      await client.stop();
      await shop.stop();
    }
  }
  return {
    family: 'outage',
    run: runInfo(start, context.command, context.quick, context.root),
    ratePerSecond,
    healthyMs,
    downMs,
    afterMs,
    runs,
    problems: problemsOf(shops),
  };
}

interface RunPlan {
  readonly breaker: 'on' | 'off';
  readonly ratePerSecond: number;
  readonly healthyMs: number;
  readonly downMs: number;
  readonly afterMs: number;
  readonly drainDeadlineMs: number;
}

async function outageRun(context: ScenarioContext, shop: BenchShop, client: LoadClient, plan: RunPlan): Promise<OutageRun> {
  const name = `outage, breaker ${plan.breaker}`;
  const requests = orderMix(shop.publicUrl, { syncShare: 0.5, skus: shop.skus, idToken: (await shop.customer(`bench-outage-breaker-${plan.breaker}`)).idToken });
  context.progress(`${name}: warming up (3 s, not recorded)`);
  await client.openLoop({ ratePerSecond: plan.ratePerSecond, durationMs: context.quick ? 1_000 : 3_000, requests, progressEveryMs: 60_000 });
  await sleep(1_000);

  const totalMs = plan.healthyMs + plan.downMs + plan.afterMs;
  context.progress(
    `${name}: ${totalMs / 1000} s at ${plan.ratePerSecond} orders/s (half sync, half async), open loop; inventory down from ${plan.healthyMs / 1000} s to ${(plan.healthyMs + plan.downMs) / 1000} s`,
  );
  const inventoryApi = INVENTORY_FUNCTIONS[0];
  const marks: { downAt?: number; upAt?: number; callsAtDown?: number; callsAtUp?: number } = {};
  const toggles = [
    setTimeout(() => {
      marks.callsAtDown = shop.runtime.invocationCount(inventoryApi);
      shop.inventoryDown(true);
      marks.downAt = now();
      context.progress(`${name}: inventory DOWN`);
    }, plan.healthyMs),
    setTimeout(() => {
      shop.inventoryDown(false);
      marks.upAt = now();
      marks.callsAtUp = shop.runtime.invocationCount(inventoryApi);
      context.progress(`${name}: inventory back UP`);
    }, plan.healthyMs + plan.downMs),
  ];
  let last = performance.now();
  let records: RequestRecord[];
  const usage = startUsage();
  try {
    records = await client.openLoop({ ratePerSecond: plan.ratePerSecond, durationMs: totalMs, requests, progressEveryMs: 1000 }, (p) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      context.progress(`${name}: ${p.sent} sent, ${p.ok} answered as expected, ${p.inFlight} in flight`);
    });
  } finally {
    for (const t of toggles) clearTimeout(t);
    shop.inventoryDown(false);
  }
  const used = usage();
  const { downAt, upAt } = marks;
  if (downAt === undefined || upAt === undefined) throw new Error(`${name}: the run ended before inventory went down and came back: the timers did not fire`);
  const zero = Math.min(...records.map((r) => r.dueAt));
  const during = records.filter((r) => r.dueAt >= downAt && r.dueAt < upAt);
  const after = records.filter((r) => r.dueAt >= upAt);
  const syncDuring = during.filter((r) => r.label === 'sync');
  const asyncDuring = during.filter((r) => r.label === 'async');
  const failedDuring = syncDuring.filter((r) => r.status !== 201);
  const failures: Record<string, number> = {};
  for (const r of failedDuring) failures[outcomeOf(r)] = (failures[outcomeOf(r)] ?? 0) + 1;
  const firstOk = Math.min(...records.filter((r) => r.label === 'sync' && r.status === 201 && r.doneAt >= upAt).map((r) => r.doneAt));

  const timeline: OutageSecond[] = buckets(records, (r) => r.dueAt, zero).map(({ seconds, items }) => {
    const outcomes: Record<string, number> = {};
    for (const r of items) outcomes[`${r.label} ${outcomeOf(r)}`] = (outcomes[`${r.label} ${outcomeOf(r)}`] ?? 0) + 1;
    return { seconds, outcomes, syncP50Ms: percentile(items.filter((r) => r.label === 'sync').map(responseMs), 50) };
  });

  const accepted = records.filter((r) => r.label === 'async' && r.status === 202 && r.orderId);
  context.progress(`${name}: load done; waiting for the ${accepted.length} accepted async orders to reach a final state`);
  const states = await finalStates(shop, accepted.map((r) => r.orderId as string), plan.drainDeadlineMs, (line) => context.progress(`${name}: ${line}`));
  // The orders accepted before recovery are the backlog; their own timestamps say when each was decided and finished.
  const backlog = accepted.filter((r) => r.dueAt < upAt).map((r) => states.get(r.orderId as string));
  const latest = (times: (string | undefined)[]) => (times.some((t) => t === undefined) ? Number.NaN : Math.max(...times.map((t) => Date.parse(t as string))));
  const drain = {
    decidedAfterRecoveryMs: latest(backlog.map((o) => o?.confirmedAt ?? o?.rejectedAt)) - upAt,
    finalAfterRecoveryMs: latest(backlog.map((o) => (o && FINAL_STATUSES.has(o.status) ? (o.updatedAt ?? o.createdAt) : undefined))) - upAt,
    lost: accepted.filter((r) => !FINAL_STATUSES.has(states.get(r.orderId as string)?.status ?? 'absent')).length,
  };
  const depths = await shop.queueDepths();
  const deadLettered = [...depths].filter(([q]) => isDeadLetterQueue(q)).reduce((n, [, d]) => n + d, 0);

  const run: OutageRun = {
    breaker: plan.breaker,
    usage: used,
    timeline,
    downFromS: (downAt - zero) / 1000,
    downToS: (upAt - zero) / 1000,
    syncDuringOutage: { sent: syncDuring.length, ok: syncDuring.length - failedDuring.length, timeToFail: summarize(failedDuring.map(responseMs)), failures },
    syncAfterRecovery: { sent: after.filter((r) => r.label === 'sync').length, ok: after.filter((r) => r.label === 'sync' && r.status === 201).length, firstOkAfterMs: firstOk - upAt },
    inventoryCallsDuringOutage: (marks.callsAtUp ?? 0) - (marks.callsAtDown ?? 0),
    asyncDuringOutage: { sent: asyncDuring.length, accepted: asyncDuring.filter((r) => r.status === 202).length, latency: summarize(asyncDuring.map(responseMs)) },
    asyncDrain: { accepted: accepted.length, ...drain, deadlineMs: plan.drainDeadlineMs, deadLettered },
  };
  context.progress(
    `${name}: sync during the outage ${run.syncDuringOutage.ok}/${run.syncDuringOutage.sent} ok, time to fail p50 ${run.syncDuringOutage.timeToFail.p50.toFixed(1)} ms; ` +
      `${run.inventoryCallsDuringOutage} inventory calls; async accepted ${run.asyncDuringOutage.accepted}/${run.asyncDuringOutage.sent}; ` +
      `all decided ${(drain.decidedAfterRecoveryMs / 1000).toFixed(1)} s and final ${(drain.finalAfterRecoveryMs / 1000).toFixed(1)} s after recovery; lost ${drain.lost}`,
  );
  return run;
}

/** Polls the orders until each is in a final state or the deadline passes; returns what each was last seen as. */
async function finalStates(shop: BenchShop, orderIds: readonly string[], deadlineMs: number, progress: (line: string) => void): Promise<Map<string, OrderState>> {
  const states = new Map<string, OrderState>();
  const open = new Set(orderIds);
  let last = performance.now();
  await waitUntil(
    async () => {
      for (const order of await shop.orders([...open])) {
        states.set(order.orderId, order);
        if (FINAL_STATUSES.has(order.status)) open.delete(order.orderId);
      }
      if (performance.now() - last >= 5000) {
        last = performance.now();
        progress(`${orderIds.length - open.size}/${orderIds.length} accepted orders in a final state`);
      }
      return open.size === 0;
    },
    { deadlineMs, intervalMs: 500 },
  );
  return states;
}
