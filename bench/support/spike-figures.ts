/**
 * The spike scenario's arithmetic, from timestamps and trace lines alone (pure: no runtime, no clock): the rate at
 * which a backlog of orders reached a final state, the per-second arrivals, completions and backlog of a run, and the
 * batches each function ran on, in orders' worth of work.
 */
import type { SpikeSecond, StageFigures } from './results';

/** The shortest drain after a spike that gives a drain rate: below it, the spike left no backlog to speak of. */
export const MIN_DRAIN_MS = 2_000;

/**
 * The drain rate of a spike's results, to set against C: the orders' worth of work done per second after the spike
 * (`workPerSecond`), or, in results saved before that was measured, the orders that became final per second. NaN when
 * the spike left no backlog (results saved before that was checked included).
 */
export const drainPerSecond = (drain: { readonly afterSpikeMs: number; readonly perSecond: number; readonly workPerSecond?: number }): number =>
  drain.afterSpikeMs >= MIN_DRAIN_MS ? (drain.workPerSecond ?? drain.perSecond) : Number.NaN;

/**
 * The drain capacity C from a backlog released at once: the orders that reached a final state per second, from the
 * release (epoch ms) until the last of them was final. The pipeline starts and ends empty, as it does after a spike:
 * the rate over the whole drain, not a slope over part of it, because the orders do not become final at a steady
 * rate (the lifecycle queue takes each order's first steps before its last, so most orders become final in a burst at
 * the end). NaN with fewer than 10 completions.
 */
export function backlogRate(releasedAt: number, finalTimes: readonly number[]): number {
  if (finalTimes.length < 10) return Number.NaN;
  const spanMs = Math.max(...finalTimes) - releasedAt;
  return spanMs > 0 ? (finalTimes.length * 1000) / spanMs : Number.NaN;
}

/** One order of a spike run: when it was due, its kind, when it was taken (201/202) and when it became final. */
export interface SpikeOrder {
  readonly dueAt: number;
  readonly kind: string;
  /** When its 201/202 came; undefined when it was not taken. */
  readonly takenAt?: number;
  /** When it reached a final state (its `updatedAt`); undefined when it did not. */
  readonly finalAt?: number;
}

/**
 * Per second from `startMs` until the last event of any order (an arrival, an answer, a completion): orders sent by
 * kind, taken, final, and the backlog (taken so far minus final so far) at the end of each second.
 */
export function spikeTimeline(orders: readonly SpikeOrder[], startMs: number): SpikeSecond[] {
  const kinds = [...new Set(orders.map((o) => o.kind))];
  const times = orders.flatMap((o) => [o.dueAt, o.takenAt ?? o.dueAt, o.finalAt ?? o.dueAt]);
  const last = Math.max(startMs, ...times);
  const seconds = Math.floor((last - startMs) / 1000) + 1;
  const secondOf = (t: number) => Math.max(0, Math.floor((t - startMs) / 1000));
  const timeline = Array.from({ length: seconds }, (_, s) => ({ seconds: s, sent: Object.fromEntries(kinds.map((k) => [k, 0])) as Record<string, number>, taken: 0, final: 0, backlog: 0 }));
  for (const o of orders) {
    timeline[secondOf(o.dueAt)].sent[o.kind]++;
    if (o.takenAt !== undefined) timeline[secondOf(o.takenAt)].taken++;
    if (o.takenAt !== undefined && o.finalAt !== undefined) timeline[secondOf(o.finalAt)].final++;
  }
  let backlog = 0;
  for (const second of timeline) {
    backlog += second.taken - second.final;
    second.backlog = backlog;
  }
  return timeline;
}

/** One batch a function ran on: a mapping's messages or records, or an asynchronous invocation's event. */
export interface StageDelivery {
  /** The function's short name. */
  readonly fn: string;
  /** Messages, records or events in the batch. */
  readonly items: number;
  readonly handlerMs: number;
}

const MAPPING_DELIVERY = /^⇢ (?:sqs|kinesis) {2}\S+ → (\S+) {2}(\d+) (?:msg|rec)s?\b.*\bhandler (\d+) ms/;
const ASYNC_DELIVERY = /^⇢ lambda {2}async → (\S+) {2}(\d+) events?\b.*\bhandler (\d+) ms/;

/**
 * The batch a runtime trace line reports a handler ran on (`⇢ sqs  orders-lifecycle → OrderLifecycleWorker  3 msgs
 * 12 ms after send, handler 8 ms`, `⇢ lambda  async → ShipmentHandler  1 event  …, handler 44 ms`); undefined for
 * any other line (throttled or discarded deliveries, invocations, requests, the functions' output).
 */
export function deliveryOfLine(line: string): StageDelivery | undefined {
  const match = MAPPING_DELIVERY.exec(line) ?? ASYNC_DELIVERY.exec(line);
  return match ? { fn: match[1], items: Number(match[2]), handlerMs: Number(match[3]) } : undefined;
}

/** Each function's batches whose trace line came in [fromMs, toMs) (epoch ms), by function short name. */
export function stageFigures(deliveries: readonly { readonly at: number; readonly delivery: StageDelivery }[], fromMs: number, toMs: number): Record<string, StageFigures> {
  const byFunction: Record<string, { batches: number; items: number; handlerMs: number }> = {};
  for (const { at, delivery } of deliveries) {
    if (at < fromMs || at >= toMs) continue;
    const figures = (byFunction[delivery.fn] ??= { batches: 0, items: 0, handlerMs: 0 });
    figures.batches++;
    figures.items += delivery.items;
    figures.handlerMs += delivery.handlerMs;
  }
  return byFunction;
}

/**
 * How many orders' worth of work the batches `done` are, at what each function's items cost when `capacity.orders`
 * orders went through the whole pipeline (`capacity.stages`): each function's items weighted by its handler time per
 * item then, over the handler time per order then. After a spike the backlog is not whole orders: the orders taken
 * first had some of their steps done while it lasted, so the orders that become final after it outnumber the work
 * left. Functions the capacity's orders did not use count for nothing. NaN when the capacity's batches took no time.
 */
export function workInOrders(capacity: { readonly orders: number; readonly stages: Readonly<Record<string, StageFigures>> }, done: Readonly<Record<string, StageFigures>>): number {
  const perOrderMs = Object.values(capacity.stages).reduce((sum, stage) => sum + stage.handlerMs, 0) / capacity.orders;
  let workMs = 0;
  for (const [fn, figures] of Object.entries(done)) {
    const stage = capacity.stages[fn];
    if (stage && stage.items > 0) workMs += figures.items * (stage.handlerMs / stage.items);
  }
  return perOrderMs > 0 ? workMs / perOrderMs : Number.NaN;
}
