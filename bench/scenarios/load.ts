/**
 * Load family: 200 orders/s for 60 s on the local runtime (`--load-rate`, `--load-seconds` change it), open loop,
 * a share placed synchronously (`--sync-share`, 10 % by default) and the rest with `Prefer: respond-async`, the
 * path built for bursts. Then it waits, with a deadline, until every queue of the template is empty and every order
 * taken is in a final state, sampling every queue's depth throughout.
 *
 * Passes when no order got an unexpected answer (anything but 201/202, or none), every queue drained and every
 * order reached a final state. Progress every 5 s: `load: 12 s, 2400 sent, 2398 ok, 1 in flight, queues: …`.
 */
import { launchChromium, type HeadlessChromium } from '../../bin/headless-chromium';
import { BenchShop, FINAL_STATUSES, type OrderState } from '../support/bench-shop';
import { CPU_PARTS, cpuBreakdown, cpuMsPerOrder, cpuSnapshot, totalCpuMs } from '../support/cpu-breakdown';
import { LoadClient } from '../support/load-client';
import type { RequestRecord } from '../support/load-client-protocol';
import { orderMix } from '../support/order-requests';
import { figuresByLabel, isExpected, responseMs } from '../support/request-figures';
import { QueueSampler } from '../support/queue-sampler';
import type { CpuBreakdown, LoadResults, LoadSecond } from '../support/results';
import { runInfo, runStart } from '../support/run-info';
import { isDeadLetterQueue, problemsOf, queueShortName, type ScenarioContext, waitUntil } from '../support/scenario-context';
import { buckets, percentile } from '../support/statistics';
import { startUsage } from '../support/usage';

const now = () => performance.timeOrigin + performance.now();

/** The customer every load order is placed for: the drain scans the orders table for it. */
const CUSTOMER = 'bench-load';

export interface LoadPlan {
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly syncShare: number;
  /**
   * Keep the runtime's console open in a headless Chromium while the load runs (`--console-open`): its cost shows in
   * the CPU per order, against a run without it.
   *
   * @default false
   */
  readonly consoleOpen?: boolean;
}

/** Opens the console in a headless Chromium and waits until its event stream is live. */
async function openConsole(edgeUrl: string): Promise<HeadlessChromium> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${edgeUrl}/_local/console`);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    return browser;
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** CPU ms per order of the whole bench process and of the runtime alone (all but the load client's thread). */
function cpuPerOrder(cpu: CpuBreakdown): string {
  const total = totalCpuMs(cpu);
  const runtime = total - (cpu.parts[CPU_PARTS.client] ?? 0);
  const per = (ms: number) => cpuMsPerOrder(cpu, ms)?.toFixed(2) ?? 'n/a';
  return `CPU ${per(runtime)} ms by the runtime (${per(total)} ms with the load client) over ${cpu.orders} orders`;
}

export async function loadFamily(context: ScenarioContext, plan: LoadPlan): Promise<LoadResults> {
  const start = runStart();
  const durationMs = plan.seconds * 1000;
  const drainDeadlineMs = context.quick ? 60_000 : 300_000;
  const sampleEveryMs = context.quick ? 1_000 : 2_000;

  context.progress('load: starting the local runtime');
  const shop = await BenchShop.start({ assemblyDir: context.assemblyDir });
  const client = LoadClient.start();
  let sampler: QueueSampler | undefined;
  let consolePage: HeadlessChromium | undefined;
  try {
    // The warm-up's orders are another customer's, so the scans below count only the measured ones.
    const customer = await shop.customer(CUSTOMER);
    const requests = orderMix(shop.publicUrl, { syncShare: plan.syncShare, skus: shop.skus, idToken: customer.idToken });
    const warmUp = orderMix(shop.publicUrl, { syncShare: plan.syncShare, skus: shop.skus, idToken: (await shop.customer(`${CUSTOMER}-warm-up`)).idToken });
    const warmUpRate = Math.min(20, plan.ratePerSecond);
    context.progress(`load: warming up (${context.quick ? 1 : 5} s at ${warmUpRate} orders/s, not recorded), then waiting for the queues to empty`);
    await client.openLoop({ ratePerSecond: warmUpRate, durationMs: context.quick ? 1_000 : 5_000, requests: warmUp, progressEveryMs: 60_000 });
    await waitUntil(async () => totalWork(await shop.queueDepths()) === 0, { deadlineMs: 60_000, intervalMs: 500 });

    if (plan.consoleOpen) {
      consolePage = await openConsole(shop.runtime.edgeUrl);
      context.progress(`load: the console is open in a headless Chromium (${shop.runtime.edgeUrl}/_local/console)`);
    }
    context.progress(`load: ${plan.ratePerSecond} orders/s for ${plan.seconds} s, open loop, ${Math.round(plan.syncShare * 100)} % sync, the rest async`);
    const loadStart = now();
    const queues = (sampler = new QueueSampler(shop, loadStart, sampleEveryMs));
    let last = performance.now();
    const cpuAtStart = await cpuSnapshot({ runtime: shop.runtime, client });
    const usage = startUsage();
    const records = await client.openLoop({ ratePerSecond: plan.ratePerSecond, durationMs, requests, progressEveryMs: 1000 }, (p) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      context.progress(`load: ${Math.round((now() - loadStart) / 1000)} s, ${p.sent} sent, ${p.ok} ok, ${p.inFlight} in flight, queues: ${describeQueues(queues.latest)}`);
    });
    const used = usage();
    const lastAnswer = Math.max(...records.map((r) => r.doneAt));
    const errors = records.filter((r) => !isExpected(r));
    context.progress(
      `load: done sending: ${records.length} orders, ${records.length - errors.length} ok, ${errors.length} errors; runtime main thread ${(used.mainThreadBusy * 100).toFixed(0)} % busy, ` +
        `process ${used.processCores.toFixed(2)} cores; draining (deadline ${drainDeadlineMs / 1000} s)`,
    );

    const taken = records.filter((r) => isExpected(r) && r.orderId).map((r) => r.orderId as string);
    const drain = await drainAll(shop, context, customer.sub, taken, lastAnswer, drainDeadlineMs, context.quick ? 15_000 : 60_000);
    const cpu = cpuBreakdown(cpuAtStart, await cpuSnapshot({ runtime: shop.runtime, client }), taken.length);
    context.progress(`load: ${cpuPerOrder(cpu)} per order taken, console ${plan.consoleOpen ? 'open' : 'closed'}`);
    const final = drain.orders.filter((o) => FINAL_STATUSES.has(o.status)).length;
    await queues.stop();

    const zero = Math.min(...records.map((r) => r.dueAt));
    const timeline: LoadSecond[] = buckets(records, (r) => r.dueAt, zero).map(({ seconds, items }) => {
      const kinds = [...new Set(records.map((r) => r.label))];
      const of = (kind: string) => items.filter((r) => r.label === kind);
      return {
        seconds,
        sent: Object.fromEntries(kinds.map((k) => [k, of(k).length])),
        ok: Object.fromEntries(kinds.map((k) => [k, of(k).filter(isExpected).length])),
        p99Ms: Object.fromEntries(kinds.map((k) => [k, percentile(of(k).map(responseMs), 99)])),
      };
    });
    const statuses: Record<string, number> = {};
    for (const order of drain.orders) statuses[order.status] = (statuses[order.status] ?? 0) + 1;
    const inTable = new Set(drain.orders.map((o) => o.orderId));
    const absent = taken.filter((id) => !inTable.has(id)).length;
    if (absent > 0) statuses.absent = absent;
    const depths = await shop.queueDepths();
    const result: LoadResults = {
      family: 'load',
      run: runInfo(start, context.command, context.quick, context.root),
      ratePerSecond: plan.ratePerSecond,
      durationMs,
      syncShare: plan.syncShare,
      requests: figuresByLabel(records),
      errors: errors.length,
      errorSamples: errorSamples(errors),
      achievedPerSecond: records.length / ((Math.max(...records.map((r) => r.sentAt)) - zero) / 1000 || 1),
      timeline,
      queues: queues.samples,
      usage: used,
      drain: {
        deadlineMs: drainDeadlineMs,
        queuesEmptyAfterMs: drain.queuesEmptyAt - lastAnswer,
        allFinalAfterMs: drain.allFinalAt - lastAnswer,
        orders: drain.orders.length + absent,
        taken: taken.length,
        notFinal: drain.orders.length + absent - final,
        statuses,
        deadLettered: [...depths].filter(([q]) => isDeadLetterQueue(q)).reduce((n, [, d]) => n + d, 0),
        stalled: drain.stalled,
      },
      problems: problemsOf([shop]),
      cpu,
    };
    context.progress(
      `load: ${result.errors} errors; queues empty ${(result.drain.queuesEmptyAfterMs / 1000).toFixed(1)} s and every order final ${(result.drain.allFinalAfterMs / 1000).toFixed(1)} s after the last answer; ` +
        `${result.drain.notFinal} of ${result.drain.orders} not final`,
    );
    return result;
  } finally {
    await sampler?.stop().catch(() => undefined);
    await consolePage?.close();
    await client.stop();
    await shop.stop();
  }
}

/** Messages in the work queues (dead-letter queues aside). */
export const totalWork = (depths: ReadonlyMap<string, number>) => [...depths].filter(([q]) => !isDeadLetterQueue(q)).reduce((n, [, d]) => n + d, 0);

/** `InventoryReservationsQueue 120, OrdersLifecycleQueue 30 (total 150)`, busiest first, or `empty`. */
export function describeQueues(depths: ReadonlyMap<string, number>): string {
  const busy = [...depths].filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
  if (busy.length === 0) return 'empty';
  const total = busy.reduce((n, [, d]) => n + d, 0);
  const shown = busy.slice(0, 4).map(([q, n]) => `${queueShortName(q)} ${n}`);
  return `${shown.join(', ')}${busy.length > 4 ? `, ${busy.length - 4} more` : ''} (total ${total})`;
}

/**
 * Waits until the work queues stay empty, no event delivery is left, and every order of the load in the orders
 * table (scanned, so orders placed for a client that got an error count too) and every order taken (201/202) is
 * final; or the deadline passes; or nothing has moved for `stallMs` with the queues empty (orders left behind, their
 * messages dead-lettered, will not move again). `queuesEmptyAt` is when the queues last became empty (NaN if they
 * never did for good). The table is scanned only while the queues are empty, at most every 5 s: scanning 12,000
 * orders while they drain would slow the drain. `label` prefixes its progress lines.
 */
export async function drainAll(
  shop: BenchShop,
  context: ScenarioContext,
  customerId: string,
  taken: readonly string[],
  since: number,
  deadlineMs: number,
  stallMs: number,
  label = 'load',
): Promise<{ queuesEmptyAt: number; allFinalAt: number; orders: OrderState[]; stalled: boolean }> {
  let orders: OrderState[] | undefined;
  let notFinal = Number.NaN;
  let scannedAt = -Infinity;
  let queuesEmptyAt = Number.NaN;
  let allFinalAt = Number.NaN;
  let last = performance.now();
  let stalled = false;
  let seen = '';
  let movedAt = performance.now();
  const scan = async () => {
    orders = await shop.ordersOf(customerId);
    scannedAt = performance.now();
    const inTable = new Set(orders.map((o) => o.orderId));
    notFinal = orders.filter((o) => !FINAL_STATUSES.has(o.status)).length + taken.filter((id) => !inTable.has(id)).length;
  };
  await waitUntil(
    async () => {
      const depths = await shop.queueDepths();
      const work = totalWork(depths);
      if (work > 0) queuesEmptyAt = Number.NaN;
      else if (Number.isNaN(queuesEmptyAt)) queuesEmptyAt = now();
      if (work === 0 && performance.now() - scannedAt >= 5000) {
        await scan();
        if (notFinal === 0 && Number.isNaN(allFinalAt)) allFinalAt = now();
      }
      if (performance.now() - last >= 5000) {
        last = performance.now();
        context.progress(
          `${label}: draining, ${Math.round((now() - since) / 1000)} s after the last answer: queues ${describeQueues(depths)}` +
            (orders && work === 0 ? `; ${orders.length - notFinal}/${orders.length} orders final` : ''),
        );
      }
      const state = `${[...depths.values()].join(',')}/${notFinal}`;
      if (state !== seen) {
        seen = state;
        movedAt = performance.now();
      }
      if (work === 0 && notFinal > 0 && performance.now() - movedAt > stallMs) {
        stalled = true;
        context.progress(`${label}: nothing moved for ${stallMs / 1000} s with the queues empty; ${notFinal} orders not final: giving up the drain`);
        return true;
      }
      if (work > 0 || notFinal !== 0) return false;
      await shop.runtime.eventsSettled();
      return totalWork(await shop.queueDepths()) === 0;
    },
    { deadlineMs, intervalMs: 1000 },
  );
  if (!orders) await scan();
  return { queuesEmptyAt, allFinalAt, orders: orders ?? [], stalled };
}

function errorSamples(errors: readonly RequestRecord[]): string[] {
  const seen = new Map<string, number>();
  for (const r of errors) {
    const key = `${r.label} ${r.status === 0 ? 'no answer' : r.status}${r.problemType ? ` ${r.problemType}` : ''}${r.error ? `: ${r.error.slice(0, 160)}` : ''}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen]
    .sort(([, a], [, b]) => b - a)
    .slice(0, 5)
    .map(([key, n]) => `${n} × ${key}`);
}
