/**
 * What each scenario family measured, as saved in `bench/results/<family>.json` and read back to write the report:
 * summaries, thinned distributions and per-second series, never the raw requests. Saving per family lets
 * `npm run bench:load` (or `--only`) refresh one family and still write the whole report, each section naming the
 * run it came from.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CdfPoint, Summary } from './statistics';
import type { Usage } from './usage';

/** Where, when and how a family was measured. */
export interface RunInfo {
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly os: string;
  /** The checkout's commit, `+ uncommitted changes` when the tree differs from it. */
  readonly commit: string;
  readonly quick: boolean;
  /** Load average (1 min) when the family started and ended: other work on the machine shows here. */
  readonly loadAverage: readonly [number, number];
}

/** Invocations the runtime throttled, timed out or failed during a family, over every function. */
export interface InvocationProblems {
  readonly throttled: number;
  readonly timedOut: number;
  readonly failed: number;
  /** Function short name → its counts, for the functions with any. */
  readonly byFunction: Readonly<Record<string, { throttled: number; timedOut: number; failed: number }>>;
}

/** One kind of request (`sync`, `async`…) of an open-loop run. */
export interface RequestFigures {
  readonly sent: number;
  /** HTTP status (or `0` for no answer) → count. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Answer by status and problem type (`503 circuit-open`, `202`, `no answer`) → count. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Answers with the expected status. */
  readonly ok: number;
  /** Every request's response time (from its due time), whatever the answer. */
  readonly latency: Summary;
  readonly cdf: readonly CdfPoint[];
  /** Response times of the requests that got the expected status. */
  readonly okLatency: Summary;
}

export interface OverheadResults {
  readonly family: 'overhead';
  readonly run: RunInfo;
  readonly iterations: number;
  readonly route: string;
  readonly direct: Summary;
  readonly api: Summary;
  readonly floor: Summary;
  readonly cdf: { readonly direct: readonly CdfPoint[]; readonly api: readonly CdfPoint[]; readonly floor: readonly CdfPoint[] };
  readonly errors: number;
  readonly throughput: readonly ThroughputRow[];
  readonly problems: InvocationProblems;
}

export interface ThroughputRow {
  readonly connections: number;
  readonly durationMs: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly latency: Summary;
  readonly usage: Usage;
}

export interface LatencyLevel {
  /** Delay added to every inventory invocation (0: healthy). */
  readonly inventoryDelayMs: number;
  readonly sync: RequestFigures;
  readonly async: RequestFigures;
  /** Async orders: from the order's creation to inventory's decision (`confirmedAt` / `rejectedAt`), ms. */
  readonly asyncDecided: Summary;
  /** Async orders still undecided when the level's read-back deadline passed. */
  readonly asyncUndecided: number;
  /** Cold starts of the orders function (both modes) while the level's orders were sent; absent in older results. */
  readonly ordersColdStarts?: number;
  /** While the orders were sent. */
  readonly usage: Usage;
}

export interface LatencyResults {
  readonly family: 'latency';
  readonly run: RunInfo;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly levels: readonly LatencyLevel[];
  readonly problems: InvocationProblems;
}

/** One second of an outage run: answers by kind and outcome (`201`, `503 circuit-open`, `202`…). */
export interface OutageSecond {
  readonly seconds: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** p50 response time of the synchronous orders sent in that second. */
  readonly syncP50Ms: number;
}

export interface OutageRun {
  readonly breaker: 'on' | 'off';
  /** While the orders were sent. */
  readonly usage: Usage;
  readonly timeline: readonly OutageSecond[];
  /** Seconds from the run's start. */
  readonly downFromS: number;
  readonly downToS: number;
  readonly syncDuringOutage: { readonly sent: number; readonly ok: number; readonly timeToFail: Summary; readonly failures: Readonly<Record<string, number>> };
  readonly syncAfterRecovery: { readonly sent: number; readonly ok: number; readonly firstOkAfterMs: number };
  /** Inventory API invocations while it was down: what the failing calls cost inventory. */
  readonly inventoryCallsDuringOutage: number;
  readonly asyncDuringOutage: { readonly sent: number; readonly accepted: number; readonly latency: Summary };
  readonly asyncDrain: {
    readonly accepted: number;
    /** From recovery until the last order accepted before it was decided by inventory (its confirmedAt/rejectedAt). */
    readonly decidedAfterRecoveryMs: number;
    /** From recovery until the last order accepted before it reached a final state (its updatedAt). */
    readonly finalAfterRecoveryMs: number;
    /** Accepted orders not in a final state by the deadline (or absent). */
    readonly lost: number;
    readonly deadlineMs: number;
    /** Messages left in dead-letter and failure queues. */
    readonly deadLettered: number;
  };
}

export interface OutageResults {
  readonly family: 'outage';
  readonly run: RunInfo;
  readonly ratePerSecond: number;
  readonly healthyMs: number;
  readonly downMs: number;
  readonly afterMs: number;
  readonly runs: readonly OutageRun[];
  readonly problems: InvocationProblems;
}

export interface LoadSecond {
  readonly seconds: number;
  /** Requests due in that second, by kind. */
  readonly sent: Readonly<Record<string, number>>;
  /** Answers with the expected status for requests due in that second, by kind. */
  readonly ok: Readonly<Record<string, number>>;
  readonly p99Ms: Readonly<Record<string, number>>;
}

export interface QueueSample {
  /** Seconds from the start of the run. */
  readonly seconds: number;
  /** Queue short name → messages, for queues with any. */
  readonly depths: Readonly<Record<string, number>>;
}

/** CPU time of a phase, part by part (see `cpu-breakdown.ts`). */
export interface CpuBreakdown {
  readonly wallMs: number;
  /** CPU ms by part: the runtime's main thread, `Lambda {function}`, fauxqs, kinesis-local, the load client, the rest. */
  readonly parts: Readonly<Record<string, number>>;
  /** Orders the phase's CPU was spent on (those answered 201/202), for the CPU per order. */
  readonly orders: number;
}

export interface LoadResults {
  readonly family: 'load';
  readonly run: RunInfo;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Share of the orders placed synchronously; the rest use `Prefer: respond-async`. */
  readonly syncShare: number;
  readonly requests: Readonly<Record<string, RequestFigures>>;
  /** Requests without the expected answer (any kind). */
  readonly errors: number;
  /** The first few errors, for the report. */
  readonly errorSamples: readonly string[];
  /** Achieved rate: requests sent / the time from the first due time to the last send. */
  readonly achievedPerSecond: number;
  readonly timeline: readonly LoadSecond[];
  readonly queues: readonly QueueSample[];
  /** While the orders were sent. */
  readonly usage: Usage;
  readonly drain: {
    readonly deadlineMs: number;
    /** From the last request's answer until every queue was empty; NaN when the deadline passed first. */
    readonly queuesEmptyAfterMs: number;
    /** From the last request's answer until every accepted order was in a final state; NaN if never. */
    readonly allFinalAfterMs: number;
    /** Orders of the load in the orders table (and any order answered 201/202 that is missing from it). */
    readonly orders: number;
    /** Orders answered 201/202: fewer than `orders` when some were placed although their client got an error. */
    readonly taken: number;
    readonly notFinal: number;
    readonly statuses: Readonly<Record<string, number>>;
    readonly deadLettered: number;
    /** The drain gave up before its deadline: nothing moved for a while (queues empty, orders not final). */
    readonly stalled: boolean;
  };
  /** CPU from the first order sent until the drain ended; absent in results saved before it was measured. */
  readonly cpu?: CpuBreakdown;
  readonly problems: InvocationProblems;
}

/** One second of a spike run, from the spike's start: arrivals, answers and the backlog of orders not yet final. */
export interface SpikeSecond {
  readonly seconds: number;
  /** Orders sent (due) in that second, by kind. */
  readonly sent: Readonly<Record<string, number>>;
  /** Orders taken (201/202) in that second. */
  readonly taken: number;
  /** Orders of the spike that reached a final state in that second (their `updatedAt`). */
  readonly final: number;
  /** Orders taken and not yet final at the end of that second. */
  readonly backlog: number;
}

/** The batches one function ran on over a phase of a spike run (from the runtime's delivery trace lines). */
export interface StageFigures {
  readonly batches: number;
  /** Messages, records or events in those batches. */
  readonly items: number;
  /** Handler time summed over the batches. */
  readonly handlerMs: number;
}

/** An alarm's state change during a spike run, seconds from the spike's start. */
export interface SpikeAlarmChange {
  readonly seconds: number;
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

export interface SpikeResults {
  readonly family: 'spike';
  readonly run: RunInfo;
  /** CloudWatch's time scale (the runtime's `alarmTimeScale`): alarm periods and the ages they read run 1/timeScale times faster. */
  readonly timeScale: number;
  /** End-to-end drain capacity C, measured first: a backlog of asynchronous orders released at once. */
  readonly capacity: {
    readonly orders: number;
    /**
     * Orders per second reaching a final state, from the release until the last one was final (in older results,
     * without `stages`: the slope between the 10th and the 90th percentile of their final times, of 150 orders).
     */
    readonly perSecond: number;
    /** From the release until the last order was final. */
    readonly drainMs: number;
    readonly notFinal: number;
    /** Orders sent for the backlog (`orders` of them were taken); absent in results saved before it was recorded. */
    readonly sent?: number;
    /** The rate the backlog was sent at, with the first consumer paused; absent in results saved before it was recorded. */
    readonly acceptPerSecond?: number;
    /** Each function's batches from the release until the last order was final, by short name; absent in older results. */
    readonly stages?: Readonly<Record<string, StageFigures>>;
  };
  /** The spike: `factor` × C for `durationMs`, open loop. */
  readonly factor: number;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly syncShare: number;
  readonly requests: Readonly<Record<string, RequestFigures>>;
  /** Synchronous orders shed (429 or 503): how many, how fast, how many said `Retry-After`. */
  readonly syncShed: { readonly count: number; readonly withRetryAfter: number; readonly latency: Summary };
  /** Answers 504, or none at all, of either kind. */
  readonly timeouts: number;
  readonly timeline: readonly SpikeSecond[];
  readonly queues: readonly QueueSample[];
  readonly alarms: readonly SpikeAlarmChange[];
  /** The queue-age alarms of the template (AgeOfOldestMessage), by name, and their state when the run ended. */
  readonly ageAlarmsAtEnd: Readonly<Record<string, string>>;
  readonly drain: {
    readonly taken: number;
    readonly notFinal: number;
    readonly statuses: Readonly<Record<string, number>>;
    readonly deadLettered: number;
    /** From the spike's end until the last order taken was final; NaN if never. */
    readonly afterSpikeMs: number;
    /** Orders that reached a final state after the spike's end, per second of `afterSpikeMs`; NaN when it left no backlog (under 2 s). */
    readonly perSecond: number;
    /**
     * The work done after the spike's end, in orders' worth (`workInOrders`, at the capacity phase's cost per step), per
     * second of `afterSpikeMs`: the drain rate to set against C. NaN when the spike left no backlog; absent in older results.
     */
    readonly workPerSecond?: number;
    /** Each function's batches from the spike's end until the last order was final, by short name; absent in older results. */
    readonly stages?: Readonly<Record<string, StageFigures>>;
    readonly deadlineMs: number;
  };
  /** While the orders were sent. */
  readonly usage: Usage;
  readonly problems: InvocationProblems;
}

export type FamilyResults = OverheadResults | LatencyResults | OutageResults | LoadResults | SpikeResults;
export type Family = FamilyResults['family'];
/** Every family, in the order they run. */
export const FAMILIES: readonly Family[] = ['overhead', 'latency', 'outage', 'spike', 'load'];
/** What `npm run bench` runs without `--only`: the load at a fixed rate is an option (`--only load`, `npm run bench:load`). */
export const DEFAULT_FAMILIES: readonly Family[] = ['overhead', 'latency', 'outage', 'spike'];

export interface ResultSet {
  overhead?: OverheadResults;
  latency?: LatencyResults;
  outage?: OutageResults;
  spike?: SpikeResults;
  load?: LoadResults;
}

const fileOf = (outDir: string, family: Family) => path.join(outDir, 'results', `${family}.json`);

export function saveResults(outDir: string, results: FamilyResults): void {
  mkdirSync(path.join(outDir, 'results'), { recursive: true });
  writeFileSync(fileOf(outDir, results.family), `${JSON.stringify(results, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 1)}\n`);
}

/** Every family's last saved results under `outDir` (NaN figures come back as NaN). */
export function loadResults(outDir: string): ResultSet {
  const set: ResultSet = {};
  for (const family of FAMILIES) {
    const file = fileOf(outDir, family);
    if (!existsSync(file)) continue;
    const parsed = JSON.parse(readFileSync(file, 'utf8'), (_key, value) => (value === null ? Number.NaN : value)) as FamilyResults;
    (set as Record<Family, FamilyResults>)[family] = parsed;
  }
  return set;
}
