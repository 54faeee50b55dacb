/**
 * The spike scenario's arithmetic, from timestamps alone (pure: no runtime, no clock): the rate at which a backlog
 * of orders reached a final state, and the per-second arrivals, completions and backlog of a run.
 */
import type { SpikeSecond } from './results';

/** The shortest drain after a spike that gives a drain rate: below it, the spike left no backlog to speak of. */
export const MIN_DRAIN_MS = 2_000;

/** The drain rate of a spike's results, NaN when it left no backlog (results saved before that was checked included). */
export const drainPerSecond = (drain: { readonly afterSpikeMs: number; readonly perSecond: number }): number =>
  drain.afterSpikeMs >= MIN_DRAIN_MS ? drain.perSecond : Number.NaN;

/**
 * Orders per second that reached a final state, from their final times (epoch ms): the slope between the 10th and
 * the 90th percentile of the completions, so the pipeline's fill at the start and a straggler at the end do not
 * count. NaN with fewer than 10 completions.
 */
export function drainRate(finalTimes: readonly number[]): number {
  if (finalTimes.length < 10) return Number.NaN;
  const sorted = [...finalTimes].sort((a, b) => a - b);
  const low = Math.floor(sorted.length * 0.1);
  const high = Math.ceil(sorted.length * 0.9) - 1;
  const spanMs = sorted[high] - sorted[low];
  return spanMs > 0 ? ((high - low) * 1000) / spanMs : Number.NaN;
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
