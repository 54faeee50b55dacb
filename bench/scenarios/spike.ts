/**
 * Spike family: does the asynchronous path absorb a burst the machine cannot process at once, while the synchronous
 * path sheds what it cannot serve instead of holding it? On a runtime whose CloudWatch runs faster (`timeScale`: at
 * 0.05, the alarms' 5-minute periods take 15 s and a queue's oldest message ages 20 times faster), in three phases:
 *
 * 1. Capacity: the reservation worker's queue consumer is paused, `capacityOrders` asynchronous orders are
 *    accepted, the consumer resumes, and C is the rate at which those orders then reach a final state (all of them,
 *    from the release to the last one final): the end-to-end drain capacity of this machine.
 * 2. Spike: `factor` × C orders/s for `seconds`, open loop, `syncShare` of them synchronous, the rest with
 *    `Prefer: respond-async`; the queues' depths sampled throughout.
 * 3. Drain: until every order taken is final, then until every queue-age alarm (AgeOfOldestMessage) is OK again.
 *
 * Throughout, each function's batches are tallied from the runtime's delivery trace lines: the drain's rate is the
 * work done after the spike in orders' worth at the capacity phase's cost per step (`workInOrders`), as the orders
 * taken first had steps done while the spike lasted.
 *
 * Passes (see `report-content.ts`) when every asynchronous order answered 202 with p99 ≤ 50 ms, none was lost, the
 * backlog drained at about C, a queue-age alarm went to ALARM and back to OK, and every synchronous order was served
 * (201) or shed (429/503 with Retry-After) within 100 ms, none answered 504.
 */
import { BenchShop, FINAL_STATUSES } from '../support/bench-shop';
import { LoadClient } from '../support/load-client';
import { orderMix } from '../support/order-requests';
import { figuresByLabel, isExpected, responseMs } from '../support/request-figures';
import { QueueSampler } from '../support/queue-sampler';
import type { SpikeResults } from '../support/results';
import { runInfo, runStart } from '../support/run-info';
import { isDeadLetterQueue, problemsOf, type ScenarioContext, waitUntil } from '../support/scenario-context';
import { backlogRate, deliveryOfLine, MIN_DRAIN_MS, type SpikeOrder, spikeTimeline, type StageDelivery, stageFigures, workInOrders } from '../support/spike-figures';
import { summarize } from '../support/statistics';
import { startUsage } from '../support/usage';
import { describeQueues, drainAll, totalWork } from './load';

const now = () => performance.timeOrigin + performance.now();


/** The consumer paused while the capacity phase's backlog is accepted: the first queue of the asynchronous path. */
const FIRST_CONSUMER = 'InventoryReservationWorkerFunction';

const CUSTOMER = 'bench-spike';

/**
 * Orders per second the capacity phase's backlog is sent at, with its first consumer paused: below what the runtime
 * accepts on a quiet machine, and quick enough that a backlog of several hundred takes seconds. On a busy one some are
 * shed (503): the backlog is the orders taken.
 */
const BACKLOG_ACCEPT_RATE = 30;

/** A delivery trace line's batch, and when the bench saw it (epoch ms). */
type SeenDelivery = { readonly at: number; readonly delivery: StageDelivery };


/** The queue-age alarms: one per QueueWorker. */
export const isAgeAlarm = (name: string) => /AgeOfOldestMessage/.test(name);

export interface SpikePlan {
  /** The spike's rate as a multiple of the measured capacity C. */
  readonly factor: number;
  readonly seconds: number;
  readonly syncShare: number;
  /** Orders in the capacity phase's backlog. */
  readonly capacityOrders: number;
  /**
   * CloudWatch's time scale (the runtime's `alarmTimeScale`): alarm periods and the ages they read run 1/timeScale
   * times faster, so the queue-age alarm decides within the run. Only CloudWatch's: the queues' visibility timeouts
   * stay real, so a handler slowed down by a busy machine does not see its messages delivered again.
   */
  readonly timeScale: number;
}

export async function spikeFamily(context: ScenarioContext, plan: SpikePlan): Promise<SpikeResults> {
  const start = runStart();
  const drainDeadlineMs = context.quick ? 120_000 : 300_000;
  context.progress(`spike: starting the local runtime (CloudWatch time scale ${plan.timeScale}: alarm periods and queue ages ${1 / plan.timeScale} times faster)`);
  const deliveries: SeenDelivery[] = [];
  const onLog = (line: string) => {
    const delivery = deliveryOfLine(line);
    if (delivery) deliveries.push({ at: now(), delivery });
  };
  const shop = await BenchShop.start({ assemblyDir: context.assemblyDir, alarmTimeScale: plan.timeScale, onLog });
  const client = LoadClient.start();
  let sampler: QueueSampler | undefined;
  try {
    const customer = await shop.customer(CUSTOMER);
    const warmUp = orderMix(shop.publicUrl, { syncShare: plan.syncShare, skus: shop.skus, idToken: (await shop.customer(`${CUSTOMER}-warm-up`)).idToken });
    context.progress(`spike: warming up (${context.quick ? 2 : 5} s at 10 orders/s, not recorded), then waiting for the queues to empty`);
    await client.openLoop({ ratePerSecond: 10, durationMs: context.quick ? 2_000 : 5_000, requests: warmUp, progressEveryMs: 60_000 });
    await waitUntil(async () => totalWork(await shop.queueDepths()) === 0, { deadlineMs: 60_000, intervalMs: 500 });

    // 1. Capacity: a backlog released at once.
    const capacity = await measureCapacity(shop, client, context, plan.capacityOrders, drainDeadlineMs, deliveries);
    await ageAlarmsOk(shop, context, drainDeadlineMs);

    // 2. The spike.
    const ratePerSecond = Math.max(1, Math.round(plan.factor * capacity.perSecond));
    const durationMs = plan.seconds * 1000;
    const requests = orderMix(shop.publicUrl, { syncShare: plan.syncShare, skus: shop.skus, idToken: customer.idToken });
    context.progress(`spike: ${ratePerSecond} orders/s (${plan.factor} × C) for ${plan.seconds} s, open loop, ${Math.round(plan.syncShare * 100)} % sync`);
    const spikeStart = now();
    const alarmsBefore = shop.alarmChanges.length;
    const queues = (sampler = new QueueSampler(shop, spikeStart, 2_000));
    let last = performance.now();
    const usage = startUsage();
    const records = await client.openLoop({ ratePerSecond, durationMs, requests, progressEveryMs: 1000 }, (p) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      context.progress(`spike: ${Math.round((now() - spikeStart) / 1000)} s, ${p.sent} sent, ${p.ok} ok, ${p.inFlight} in flight, queues: ${describeQueues(queues.latest)}`);
    });
    const used = usage();
    const spikeEnd = spikeStart + durationMs;
    const taken = records.filter((r) => isExpected(r) && r.orderId);
    context.progress(`spike: done sending: ${records.length} orders, ${taken.length} taken; draining (deadline ${drainDeadlineMs / 1000} s)`);

    // 3. The drain, then the alarms.
    const drain = await drainAll(shop, context, customer.sub, taken.map((r) => r.orderId as string), spikeEnd, drainDeadlineMs, 60_000, 'spike');
    await ageAlarmsOk(shop, context, drainDeadlineMs);
    await queues.stop();

    const finalAt = new Map(drain.orders.filter((o) => FINAL_STATUSES.has(o.status) && o.updatedAt).map((o) => [o.orderId, Date.parse(o.updatedAt as string)]));
    const orders: SpikeOrder[] = records.map((r) => {
      const isTaken = isExpected(r) && r.orderId !== undefined;
      const final = isTaken ? finalAt.get(r.orderId as string) : undefined;
      return { dueAt: r.dueAt, kind: r.label, ...(isTaken ? { takenAt: r.doneAt } : {}), ...(final !== undefined ? { finalAt: final } : {}) };
    });
    const takenFinal = taken.map((r) => finalAt.get(r.orderId as string)).filter((t): t is number => t !== undefined);
    const lastFinal = Math.max(...takenFinal);
    const finalAfterSpike = takenFinal.filter((t) => t > spikeEnd).length;
    const afterSpikeMs = takenFinal.length === taken.length ? Math.max(0, lastFinal - spikeEnd) : Number.NaN;
    const drainStages = stageFigures(deliveries, spikeEnd, lastFinal + 1);
    const workPerSecond = afterSpikeMs >= MIN_DRAIN_MS ? (workInOrders(capacity, drainStages) * 1000) / afterSpikeMs : Number.NaN;
    const statuses: Record<string, number> = {};
    for (const r of taken) {
      const status = drain.orders.find((o) => o.orderId === r.orderId)?.status ?? 'absent';
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    const shed = records.filter((r) => r.label === 'sync' && (r.status === 429 || r.status === 503));
    const depths = await shop.queueDepths();
    const ageAlarmsAtEnd = ageAlarmStates(shop);
    const result: SpikeResults = {
      family: 'spike',
      run: runInfo(start, context.command, context.quick, context.root),
      timeScale: plan.timeScale,
      capacity,
      factor: plan.factor,
      ratePerSecond,
      durationMs,
      syncShare: plan.syncShare,
      requests: figuresByLabel(records),
      syncShed: { count: shed.length, withRetryAfter: shed.filter((r) => r.retryAfter !== undefined).length, latency: summarize(shed.map(responseMs)) },
      timeouts: records.filter((r) => r.status === 504 || r.status === 0).length,
      timeline: spikeTimeline(orders, spikeStart),
      queues: queues.samples,
      alarms: shop.alarmChanges.slice(alarmsBefore).map((c) => ({ seconds: (c.at - spikeStart) / 1000, name: c.name, from: c.from, to: c.to })),
      ageAlarmsAtEnd,
      drain: {
        taken: taken.length,
        notFinal: taken.length - takenFinal.length,
        statuses,
        deadLettered: [...depths].filter(([q]) => isDeadLetterQueue(q)).reduce((n, [, d]) => n + d, 0),
        afterSpikeMs,
        // A drain shorter than MIN_DRAIN_MS is no backlog left by the spike, and no rate to speak of.
        perSecond: afterSpikeMs >= MIN_DRAIN_MS ? (finalAfterSpike * 1000) / afterSpikeMs : Number.NaN,
        workPerSecond,
        stages: drainStages,
        deadlineMs: drainDeadlineMs,
      },
      usage: used,
      problems: problemsOf([shop]),
    };
    const async = result.requests.async;
    context.progress(
      `spike: C ${capacity.perSecond.toFixed(1)}/s; async ${async?.ok ?? 0}/${async?.sent ?? 0} answered 202, p99 ${async?.latency.p99.toFixed(1)} ms; ` +
        `${result.drain.notFinal} of ${taken.length} taken not final; drained ${(afterSpikeMs / 1000).toFixed(1)} s after the spike: ${result.drain.perSecond.toFixed(1)} orders final/s, ` +
        `${workPerSecond.toFixed(1)} orders' worth of work/s; ` +
        `alarms: ${result.alarms.filter((a) => isAgeAlarm(a.name)).map((a) => `${a.to} at ${a.seconds.toFixed(0)} s`).join(', ') || 'none'}`,
    );
    return result;
  } finally {
    await sampler?.stop().catch(() => undefined);
    await client.stop();
    await shop.stop();
  }
}

/**
 * C: `orders` asynchronous orders accepted with the first consumer paused (so that acceptance is not what is
 * measured), released at once, and the rate at which they reach a final state, from the release to the last one.
 */
async function measureCapacity(shop: BenchShop, client: LoadClient, context: ScenarioContext, orders: number, drainDeadlineMs: number, deliveries: readonly SeenDelivery[]) {
  const capacityCustomer = await shop.customer(`${CUSTOMER}-capacity`);
  const backlogOrders = orderMix(shop.publicUrl, { syncShare: 0, skus: shop.skus, idToken: capacityCustomer.idToken });
  await shop.runtime.setMappingEnabled(FIRST_CONSUMER, false);
  context.progress(`spike: capacity: ${orders} async orders at ${BACKLOG_ACCEPT_RATE}/s with ${FIRST_CONSUMER} paused, then released`);
  const backlog = await client.openLoop({ ratePerSecond: BACKLOG_ACCEPT_RATE, durationMs: (orders / BACKLOG_ACCEPT_RATE) * 1000, requests: backlogOrders, progressEveryMs: 60_000 });
  const backlogIds = backlog.filter((r) => isExpected(r) && r.orderId).map((r) => r.orderId as string);
  await shop.runtime.setMappingEnabled(FIRST_CONSUMER, true);
  const releasedAt = now();
  const released = await drainAll(shop, context, capacityCustomer.sub, backlogIds, releasedAt, drainDeadlineMs, 60_000, 'spike capacity');
  const backlogFinal = released.orders.filter((o) => FINAL_STATUSES.has(o.status) && o.updatedAt).map((o) => Date.parse(o.updatedAt as string));
  const lastFinal = Math.max(...backlogFinal);
  const capacity = {
    orders: backlogIds.length,
    sent: backlog.length,
    perSecond: backlogRate(releasedAt, backlogFinal),
    drainMs: lastFinal - releasedAt,
    notFinal: backlogIds.length - backlogFinal.length,
    acceptPerSecond: BACKLOG_ACCEPT_RATE,
    stages: stageFigures(deliveries, releasedAt, lastFinal + 1),
  };
  if (!(capacity.perSecond > 0)) throw new Error(`spike: could not measure the capacity: ${backlogFinal.length} of ${backlogIds.length} orders reached a final state`);
  context.progress(
    `spike: C = ${capacity.perSecond.toFixed(1)} orders/s (${capacity.orders} orders taken of ${capacity.sent}, final ${(capacity.drainMs / 1000).toFixed(1)} s after the release); waiting for the queue-age alarms to be OK`,
  );
  return capacity;
}

/** Each queue-age alarm's last state seen (`OK` for one never seen leaving its first OK). */
function ageAlarmStates(shop: BenchShop): Record<string, string> {
  const states: Record<string, string> = {};
  for (const change of shop.alarmChanges) if (isAgeAlarm(change.name)) states[change.name] = change.to;
  return states;
}

/** Waits until no queue-age alarm is in ALARM (or the deadline passes). */
async function ageAlarmsOk(shop: BenchShop, context: ScenarioContext, deadlineMs: number): Promise<void> {
  let lastLine = performance.now();
  const ok = await waitUntil(
    async () => {
      const alarming = Object.entries(ageAlarmStates(shop)).filter(([, state]) => state === 'ALARM');
      if (alarming.length > 0 && performance.now() - lastLine >= 10_000) {
        lastLine = performance.now();
        context.progress(`spike: waiting for ${alarming.map(([name]) => name.replace(/^.*?-/, '')).join(', ')} to be OK`);
      }
      return alarming.length === 0;
    },
    { deadlineMs, intervalMs: 1000 },
  );
  if (!ok) context.progress('spike: a queue-age alarm is still in ALARM at the deadline');
}
