/**
 * What the report says, from the saved results of each family: the targets with PASS or MISS and the figure behind
 * each (a miss is shown as a miss), then one section per family with its tables and charts, how it was measured
 * (open or closed loop, rates, durations) and the run it came from. Families not measured yet are named as such.
 */
import { latencyCharts, levelName, loadCharts, outageCharts, overheadCharts, spikeCharts } from './charts';
import { cpuMsPerOrder, totalCpuMs } from './cpu-breakdown';
import type { Block } from './report-document';
import type { CpuBreakdown, InvocationProblems, LatencyResults, LoadResults, OutageResults, OverheadResults, RequestFigures, ResultSet, RunInfo, SpikeResults } from './results';
import { drainPerSecond } from './spike-figures';
import type { Summary } from './statistics';
import type { Usage } from './usage';

export const TARGETS = {
  overheadP50Ms: 1,
  getProductPerSecond: 1000,
  asyncAcceptP99Ms: 20,
  loadPerSecond: 200,
  loadSeconds: 60,
  /** The spike: this many times the measured drain capacity C, this long. */
  spikeFactor: 3,
  spikeSeconds: 30,
  spikeAsyncP99Ms: 50,
  /** A synchronous order the shop cannot serve is shed (429/503 with Retry-After) within this. */
  spikeShedMs: 100,
  /** The backlog drains at C within this share. */
  spikeDrainTolerance: 0.25,
} as const;

/** Whether a queue-age alarm's change is in `alarms`. */
const ageAlarm = (name: string) => /AgeOfOldestMessage/.test(name);

export type Verdict = 'PASS' | 'MISS' | 'not measured';

export interface TargetRow {
  readonly target: string;
  readonly figure: string;
  readonly verdict: Verdict;
}

/** Milliseconds for a table: 2 decimals under 10, 1 under 100, whole above; `—` when there is no figure. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  return abs < 10 ? value.toFixed(2) : abs < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

const seconds = (valueMs: number) => (Number.isFinite(valueMs) ? `${(valueMs / 1000).toFixed(1)} s` : '—');
const count = (n: number) => n.toLocaleString('en-US');
const share = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(part === whole || part === 0 ? 0 : 1)} %`);
/** `201 × 90, 503 × 10` (HTTP statuses in order), or `SHIPPED × 99, PENDING × 1` (the most frequent first). */
const statuses = (s: Readonly<Record<string, number>>) =>
  Object.entries(s)
    .sort(([a, x], [b, y]) => (Number.isNaN(Number(a)) || Number.isNaN(Number(b)) ? y - x : Number(a) - Number(b)))
    .map(([status, n]) => `${status === '0' ? 'no answer' : status} × ${count(n)}`)
    .join(', ');

export function targetRows(results: ResultSet): TargetRow[] {
  const rows: TargetRow[] = [];
  const { overhead, latency, outage, spike } = results;
  const missing = (target: string): TargetRow => ({ target, figure: 'not measured in the saved results', verdict: 'not measured' });

  const overheadTarget = `runtime overhead p50 ≤ ${TARGETS.overheadP50Ms} ms (HTTP → gateway → Lambda worker, over the in-process call)`;
  if (overhead) {
    const diff = overhead.api.p50 - overhead.direct.p50;
    rows.push({
      target: overheadTarget,
      figure: `${ms(diff)} ms (through the runtime ${ms(overhead.api.p50)} ms, in-process ${ms(overhead.direct.p50)} ms; p99 difference ${ms(overhead.api.p99 - overhead.direct.p99)} ms)`,
      verdict: diff <= TARGETS.overheadP50Ms ? 'PASS' : 'MISS',
    });
  } else rows.push(missing(overheadTarget));

  const throughputTarget = `≥ ${count(TARGETS.getProductPerSecond)} requests/s on \`GET /products/{sku}\`, no errors`;
  if (overhead && overhead.throughput.length > 0) {
    const best = [...overhead.throughput].sort((a, b) => b.perSecond - a.perSecond)[0];
    rows.push({
      target: throughputTarget,
      figure: `${count(Math.round(best.perSecond))} requests/s with ${best.connections} connection${best.connections === 1 ? '' : 's'}, ${count(best.errors)} errors`,
      verdict: best.perSecond >= TARGETS.getProductPerSecond && best.errors === 0 ? 'PASS' : 'MISS',
    });
  } else rows.push(missing(throughputTarget));

  const asyncTarget = `async acceptance p99 ≤ ${TARGETS.asyncAcceptP99Ms} ms at every inventory latency`;
  if (latency && latency.levels.length > 0) {
    const worst = [...latency.levels].sort((a, b) => b.async.latency.p99 - a.async.latency.p99)[0];
    const sent = latency.levels.reduce((n, l) => n + l.async.sent, 0);
    const accepted = latency.levels.reduce((n, l) => n + l.async.ok, 0);
    rows.push({
      target: asyncTarget,
      figure: `worst p99 ${ms(worst.async.latency.p99)} ms (inventory ${levelName(worst.inventoryDelayMs)}); ${latency.levels.map((l) => `${levelName(l.inventoryDelayMs)} ${ms(l.async.latency.p99)}`).join(', ')}; ${count(accepted)}/${count(sent)} answered 202`,
      verdict: latency.levels.every((l) => l.async.latency.p99 <= TARGETS.asyncAcceptP99Ms) && accepted === sent ? 'PASS' : 'MISS',
    });
  } else rows.push(missing(asyncTarget));

  const lostTarget = 'inventory down 30 s: async orders lost = 0';
  if (outage && outage.runs.length > 0) {
    const lost = outage.runs.reduce((n, r) => n + r.asyncDrain.lost, 0);
    const accepted = outage.runs.reduce((n, r) => n + r.asyncDrain.accepted, 0);
    const dead = outage.runs.reduce((n, r) => n + r.asyncDrain.deadLettered, 0);
    rows.push({
      target: lostTarget,
      figure: `${count(lost)} of ${count(accepted)} accepted orders not in a final state by the deadline; ${count(dead)} messages dead-lettered`,
      verdict: lost === 0 && dead === 0 ? 'PASS' : 'MISS',
    });
  } else rows.push(missing(lostTarget));

  rows.push(...spikeTargetRows(spike));
  return rows;
}

/** The spike's targets: async absorbed (202 fast, none lost, drained at about C, the age alarm ALARM then OK), sync shed fast. */
function spikeTargetRows(spike: SpikeResults | undefined): TargetRow[] {
  const name = `spike ${TARGETS.spikeFactor} × C for ${TARGETS.spikeSeconds} s`;
  const targets = [
    `${name}: every async order answered 202, p99 ≤ ${TARGETS.spikeAsyncP99Ms} ms`,
    `${name}: no async order lost (all reach a final state)`,
    `${name}: the backlog drains at about C (± ${TARGETS.spikeDrainTolerance * 100} %)`,
    `${name}: the queue-age alarm turns ALARM during it and OK after`,
    `${name}: sync orders served (201) or shed with 429/503 + Retry-After within ${TARGETS.spikeShedMs} ms, never 504`,
  ];
  if (!spike) return targets.map((target) => ({ target, figure: 'not measured in the saved results', verdict: 'not measured' }));
  const atTarget = spike.factor >= TARGETS.spikeFactor && spike.durationMs >= TARGETS.spikeSeconds * 1000;
  const ran = atTarget ? '' : ` (measured at ${spike.factor} × C for ${spike.durationMs / 1000} s, not the target's spike)`;
  const verdict = (ok: boolean): Verdict => (ok && atTarget ? 'PASS' : 'MISS');
  const c = spike.capacity.perSecond;
  const async = spike.requests.async;
  const sync = spike.requests.sync;
  const ageChanges = spike.alarms.filter((a) => ageAlarm(a.name));
  const wentAlarm = ageChanges.find((a) => a.to === 'ALARM');
  const backOk = wentAlarm ? ageChanges.find((a) => a.name === wentAlarm.name && a.to === 'OK' && a.seconds > wentAlarm.seconds) : undefined;
  const stillAlarm = Object.entries(spike.ageAlarmsAtEnd).filter(([, state]) => state === 'ALARM').length;
  const syncServed = sync ? sync.ok : 0;
  const syncOther = sync ? sync.sent - syncServed - spike.syncShed.count : 0;
  const shedFast = spike.syncShed.count === 0 || spike.syncShed.latency.max <= TARGETS.spikeShedMs;
  const drainRate = drainPerSecond(spike.drain);
  const drainRatio = drainRate / c;
  return [
    {
      target: targets[0],
      figure: async ? `${count(async.ok)}/${count(async.sent)} answered 202 (${outcomes(async)}); p99 ${ms(async.latency.p99)} ms, max ${ms(async.latency.max)} ms; at ${spike.ratePerSecond} orders/s, C = ${c.toFixed(1)}/s${ran}` : `no async order sent${ran}`,
      verdict: verdict(!!async && async.ok === async.sent && async.latency.p99 <= TARGETS.spikeAsyncP99Ms),
    },
    {
      target: targets[1],
      figure: `${count(spike.drain.taken - spike.drain.notFinal)}/${count(spike.drain.taken)} orders taken reached a final state (${statuses(spike.drain.statuses)}); ${count(spike.drain.deadLettered)} messages dead-lettered${ran}`,
      verdict: verdict(spike.drain.notFinal === 0 && spike.drain.deadLettered === 0 && spike.drain.taken > 0),
    },
    {
      target: targets[2],
      figure:
        (Number.isFinite(drainRate)
          ? `${drainRateText(spike.drain, drainRate)} after the spike (${drainRatio.toFixed(2)} × C); drained ${seconds(spike.drain.afterSpikeMs)} after the spike ended`
          : Number.isFinite(spike.drain.afterSpikeMs)
            ? `no backlog left to drain: every order final ${seconds(spike.drain.afterSpikeMs)} after the spike ended (largest backlog ${count(Math.max(0, ...spike.timeline.map((s) => s.backlog)))} orders), so the spike did not exceed what the machine carries`
            : `not drained within ${seconds(spike.drain.deadlineMs)}`) + ran,
      verdict: verdict(Math.abs(drainRatio - 1) <= TARGETS.spikeDrainTolerance),
    },
    {
      target: targets[3],
      figure:
        (wentAlarm ? `${wentAlarm.name.replace(/^.*?-/, '')} ALARM at ${wentAlarm.seconds.toFixed(0)} s` : 'no queue-age alarm went to ALARM') +
        (backOk ? `, OK at ${backOk.seconds.toFixed(0)} s` : wentAlarm ? ', not back to OK' : '') +
        `; ${count(stillAlarm)} in ALARM at the end (time scale ${spike.timeScale})${ran}`,
      verdict: verdict(!!wentAlarm && !!backOk && stillAlarm === 0),
    },
    {
      target: targets[4],
      figure: sync
        ? `${count(syncServed)} served, ${count(spike.syncShed.count)} shed (${count(spike.syncShed.withRetryAfter)} with Retry-After, max ${ms(spike.syncShed.latency.max)} ms), ${count(syncOther)} otherwise (${outcomes(sync)}); ${count(spike.timeouts)} answered 504 or not at all${ran}`
        : `no sync order sent${ran}`,
      verdict: verdict(!!sync && syncOther === 0 && spike.syncShed.withRetryAfter === spike.syncShed.count && shedFast && spike.timeouts === 0),
    },
  ];
}

/**
 * The drain rate as the target reads it: the work done after the spike in orders' worth, next to the orders that
 * became final (more, as some had steps done during the spike); in results saved before the work was measured, the
 * orders that became final, said so.
 */
function drainRateText(drain: SpikeResults['drain'], rate: number): string {
  return drain.workPerSecond !== undefined
    ? `${rate.toFixed(1)} orders' worth of work/s (${drain.perSecond.toFixed(1)} orders became final/s, some with steps done during the spike)`
    : `${rate.toFixed(1)} orders final/s (saved before the work drained was measured)`;
}

const busy = (u: Usage | undefined) => (u ? `${Math.round(u.mainThreadBusy * 100)} %` : '—');
const cores = (u: Usage | undefined) => (u ? u.processCores.toFixed(2) : '—');

/** `201 × 78, 503 circuit-open × 2`, the most frequent first (older results have statuses only). */
const outcomes = (f: RequestFigures) =>
  Object.entries(f.outcomes ?? f.statuses)
    .sort(([, a], [, b]) => b - a)
    .map(([outcome, n]) => `${outcome === '0' ? 'no answer' : outcome} × ${count(n)}`)
    .join(', ');

const summaryCells = (s: Summary) => [count(s.n), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];

function runLine(run: RunInfo): string {
  return (
    `Measured ${run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} by \`${run.command}\`${run.quick ? ' (**quick run: short phases, not the report’s figures**)' : ''}: ` +
    `Node.js ${run.node}, ${run.cpu} × ${run.cores} cores, ${run.os}, commit ${run.commit}; load average ${run.loadAverage[0]} at the start, ${run.loadAverage[1]} at the end.`
  );
}

function problemsLine(problems: InvocationProblems): string {
  const names = Object.entries(problems.byFunction)
    .filter(([, c]) => c.throttled + c.timedOut > 0)
    .map(([fn, c]) => `${fn.replace(/Function$/, '')} ${[c.throttled ? `${count(c.throttled)} throttled` : '', c.timedOut ? `${count(c.timedOut)} timed out` : ''].filter(Boolean).join(', ')}`);
  return names.length === 0
    ? 'The runtime throttled no invocation and none timed out.'
    : `Invocations the runtime throttled (over a function's concurrency) or timed out: ${names.join('; ')}.`;
}

/** A paragraph when the runtime's main thread was (nearly) saturated during a phase: its figures are the runtime's. */
function saturation(phases: readonly { name: string; usage?: Usage }[]): Block[] {
  const saturated = phases.filter((p) => p.usage && p.usage.mainThreadBusy >= 0.9);
  if (saturated.length === 0) return [];
  return [
    {
      kind: 'paragraph',
      text:
        `**The local runtime was the bottleneck** ${saturated.map((p) => `${p.name} (main thread ${busy(p.usage)} busy)`).join(', ')}: ` +
        'its main thread (gateway, edge, pollers, EventBridge) was saturated, so these figures measure the runtime’s queue on this machine rather than the shop’s two paths.',
    },
  ];
}

function overheadBlocks(r: OverheadResults): Block[] {
  return [
    { kind: 'paragraph', text: runLine(r.run) },
    {
      kind: 'paragraph',
      text:
        `The same handler, the CatalogGetProduct bundle from \`cdk.out\`, reached two ways and called ${count(r.iterations)} times each, one call at a time and interleaved: ` +
        'through HTTP → the API port → the gateway → its Lambda worker thread, and imported into the load client’s thread with the function’s environment and called directly. ' +
        'Both read the product from the same edge (DynamoDB on dynalite). A plain node:http server answering the same body gives the floor of any HTTP round trip.',
    },
    {
      kind: 'table',
      header: ['path', 'n', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'max (ms)'],
      numeric: [false, true, true, true, true, true],
      rows: [
        ['handler called in-process', ...summaryCells(r.direct)],
        ['HTTP → gateway → Lambda worker', ...summaryCells(r.api)],
        ['plain HTTP server (floor)', ...summaryCells(r.floor)],
        ['**runtime overhead** (through the runtime − in-process)', '', `**${ms(r.api.p50 - r.direct.p50)}**`, ms(r.api.p90 - r.direct.p90), `**${ms(r.api.p99 - r.direct.p99)}**`, ''],
      ],
    },
    {
      kind: 'paragraph',
      text: `Throughput, closed loop: N keep-alive connections, each sending its next \`${r.route}\` as soon as the previous one answered; any answer but 200 (a 429 or 5xx) is an error.`,
    },
    {
      kind: 'table',
      header: ['connections', 'duration (s)', 'requests', 'requests/s', 'errors', 'p50 (ms)', 'p99 (ms)', 'main thread busy', 'process CPU (cores)'],
      numeric: [true, true, true, true, true, true, true, true, true],
      rows: r.throughput.map((t) => [
        String(t.connections),
        (t.durationMs / 1000).toFixed(1),
        count(t.requests),
        count(Math.round(t.perSecond)),
        count(t.errors),
        ms(t.latency.p50),
        ms(t.latency.p99),
        busy(t.usage),
        cores(t.usage),
      ]),
    },
    ...overheadCharts(r).map((chart): Block => ({ kind: 'chart', chart })),
    { kind: 'paragraph', text: problemsLine(r.problems) },
  ];
}

const figureCells = (f: RequestFigures) => [ms(f.latency.p50), ms(f.latency.p99), ms(f.latency.max), `${count(f.ok)}/${count(f.sent)}`];

function latencyBlocks(r: LatencyResults): Block[] {
  return [
    { kind: 'paragraph', text: runLine(r.run) },
    {
      kind: 'paragraph',
      text:
        `**Open loop**: ${r.ratePerSecond} orders/s, synchronous and asynchronous interleaved one for one, ${r.durationMs / 1000} s per inventory latency, each after a warm-up at that latency (not recorded), so the orders function has the execution environments the level needs. ` +
        'Each order’s response time counts from the moment it was due, so a client that could not send on time does not hide latency. ' +
        'Inventory latency is a delay added to every invocation of both inventory functions (the API synchronous orders call, and the queue worker asynchronous orders feed). ' +
        '“Decided” is how long after its creation inventory confirmed or rejected an asynchronous order (its `confirmedAt` or `rejectedAt`): what the 202 does not wait for.',
    },
    {
      kind: 'table',
      header: ['inventory latency', 'sync p50 (ms)', 'sync p99 (ms)', 'sync max (ms)', 'sync 201', 'async p50 (ms)', 'async p99 (ms)', 'async max (ms)', 'async 202', 'async decided p50 (ms)', 'async decided p99 (ms)', 'orders function cold starts', 'main thread busy'],
      numeric: [false, true, true, true, true, true, true, true, true, true, true, true, true],
      rows: r.levels.map((l) => [
        levelName(l.inventoryDelayMs),
        ...figureCells(l.sync),
        ...figureCells(l.async),
        ms(l.asyncDecided.p50),
        ms(l.asyncDecided.p99),
        l.ordersColdStarts === undefined ? 'n/a' : count(l.ordersColdStarts),
        busy(l.usage),
      ]),
    },
    {
      kind: 'list',
      items: r.levels.map(
        (l) =>
          `${levelName(l.inventoryDelayMs)}: sync answers ${outcomes(l.sync)}; async answers ${outcomes(l.async)}` +
          (l.asyncUndecided > 0 ? `; ${count(l.asyncUndecided)} async orders still undecided at the read-back deadline` : ''),
      ),
    },
    ...saturation(r.levels.map((l) => ({ name: `with inventory ${levelName(l.inventoryDelayMs)}`, usage: l.usage }))),
    ...latencyCharts(r).map((chart): Block => ({ kind: 'chart', chart })),
    { kind: 'paragraph', text: problemsLine(r.problems) },
  ];
}

function outageBlocks(r: OutageResults): Block[] {
  const failures = (f: Readonly<Record<string, number>>) =>
    Object.entries(f)
      .map(([outcome, n]) => `${outcome} × ${count(n)}`)
      .join(', ') || 'none';
  return [
    { kind: 'paragraph', text: runLine(r.run) },
    {
      kind: 'paragraph',
      text:
        `**Open loop**: ${r.ratePerSecond} orders/s, sync and async interleaved one for one: ${r.healthyMs / 1000} s healthy, ${r.downMs / 1000} s with every invocation of both inventory functions failing ` +
        `(FIS’s invocation-error fault), ${r.afterMs / 1000} s after recovery. Two runs on two runtimes: the circuit breaker as deployed (opens after 5 failures in 10 s, per execution environment), ` +
        'and without it (its failure threshold raised out of reach through the runtime’s environment overrides). “Time to fail” is the response time of the synchronous orders that failed during the outage. ' +
        'After the load, the bench waits for every accepted asynchronous order to reach a final state; the drain times come from the orders’ own timestamps.',
    },
    {
      kind: 'table',
      header: ['breaker', 'sync ok during outage', 'time to fail p50 (ms)', 'time to fail p99 (ms)', 'inventory calls during outage', 'first sync 201 after recovery', 'sync failures during outage', 'main thread busy'],
      numeric: [false, true, true, true, true, true, false, true],
      rows: r.runs.map((run) => [
        run.breaker,
        `${count(run.syncDuringOutage.ok)}/${count(run.syncDuringOutage.sent)} (${share(run.syncDuringOutage.ok, run.syncDuringOutage.sent)})`,
        ms(run.syncDuringOutage.timeToFail.p50),
        ms(run.syncDuringOutage.timeToFail.p99),
        count(run.inventoryCallsDuringOutage),
        seconds(run.syncAfterRecovery.firstOkAfterMs),
        failures(run.syncDuringOutage.failures),
        busy(run.usage),
      ]),
    },
    {
      kind: 'table',
      header: ['breaker', 'async accepted during outage', 'acceptance p50 (ms)', 'acceptance p99 (ms)', 'backlog decided after recovery', 'backlog final after recovery', 'accepted orders', 'lost', 'dead-lettered'],
      numeric: [false, true, true, true, true, true, true, true, true],
      rows: r.runs.map((run) => [
        run.breaker,
        `${count(run.asyncDuringOutage.accepted)}/${count(run.asyncDuringOutage.sent)} (${share(run.asyncDuringOutage.accepted, run.asyncDuringOutage.sent)})`,
        ms(run.asyncDuringOutage.latency.p50),
        ms(run.asyncDuringOutage.latency.p99),
        seconds(run.asyncDrain.decidedAfterRecoveryMs),
        seconds(run.asyncDrain.finalAfterRecoveryMs),
        count(run.asyncDrain.accepted),
        `**${count(run.asyncDrain.lost)}**`,
        count(run.asyncDrain.deadLettered),
      ]),
    },
    ...saturation(r.runs.map((run) => ({ name: `with the breaker ${run.breaker}`, usage: run.usage }))),
    ...outageCharts(r).map((chart): Block => ({ kind: 'chart', chart })),
    { kind: 'paragraph', text: problemsLine(r.problems) },
  ];
}

/** One row per kind of request of an open-loop run: what was sent, how it was answered, how fast. */
function requestsTable(requests: Readonly<Record<string, RequestFigures>>): Block {
  return {
    kind: 'table',
    header: ['kind', 'sent', 'as expected', 'answers', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'max (ms)'],
    numeric: [false, true, true, false, true, true, true, true],
    rows: Object.entries(requests).map(([kind, f]) => [kind, count(f.sent), count(f.ok), outcomes(f), ms(f.latency.p50), ms(f.latency.p90), ms(f.latency.p99), ms(f.latency.max)]),
  };
}

/** How the capacity's backlog was sent, and how many of its orders were shed, when the results say. */
function backlogSent(capacity: SpikeResults['capacity']): string {
  const rate = capacity.acceptPerSecond !== undefined ? ` (sent at ${count(capacity.acceptPerSecond)}/s` : '';
  const shed = capacity.sent !== undefined && capacity.sent > capacity.orders ? `${rate ? ', ' : ' ('}${count(capacity.sent - capacity.orders)} more shed with 503` : '';
  return rate || shed ? `${rate}${shed})` : '';
}

/** How C was taken from the released backlog: over the whole drain, or (older results, saved without batches) a slope. */
function capacityMethod(capacity: SpikeResults['capacity']): string {
  return capacity.stages !== undefined
    ? `every one of them, over the ${seconds(capacity.drainMs)} from the release to the last one final`
    : `the slope between the 10th and 90th percentile of their final times, as older results (saved without the batches per function) took it; the last one ${seconds(capacity.drainMs)} after the release`;
}

/**
 * Each function's batches while the capacity's backlog drained and after the spike, and the work after the spike in
 * orders' worth: why the drain's orders final per second are not its rate. Absent for results saved before.
 */
function stageBlocks(r: SpikeResults): Block[] {
  const capacity = r.capacity.stages;
  const drain = r.drain.stages;
  if (!capacity || !drain) return [];
  const perOrder = (fn: string) => (capacity[fn] ? capacity[fn].items / r.capacity.orders : Number.NaN);
  const batch = (f: { batches: number; items: number } | undefined) => (f && f.batches > 0 ? `${count(f.items)} in ${count(f.batches)} (${(f.items / f.batches).toFixed(1)} a batch)` : '—');
  const cost = (f: { items: number; handlerMs: number } | undefined) => (f && f.items > 0 ? `${(f.handlerMs / f.items).toFixed(1)} ms` : '—');
  const functions = [...new Set([...Object.keys(capacity), ...Object.keys(drain)])].sort();
  return [
    {
      kind: 'paragraph',
      text:
        `**Where the drain's work went**, from the runtime's delivery trace lines: each function's items (messages, records, events) while the capacity's ${count(r.capacity.orders)} orders drained, and after the spike. ` +
        `An order of the spike is final only once its last step ran, but many had their first steps run while the spike lasted; so the drain rate set against C is the work done after the spike in orders' worth ` +
        `(each function's items at its handler time per item in the capacity phase, over the capacity's handler time per order), not the orders that became final.`,
    },
    {
      kind: 'table',
      header: ['function', 'capacity: items (batches)', 'capacity: handler per item', 'after the spike: items (batches)', 'after the spike: handler per item', 'after the spike, in orders'],
      rows: functions.map((fn) => [
        fn,
        batch(capacity[fn]),
        cost(capacity[fn]),
        batch(drain[fn]),
        cost(drain[fn]),
        Number.isFinite(perOrder(fn)) && drain[fn] ? count(Math.round(drain[fn].items / perOrder(fn))) : '—',
      ]),
    },
  ];
}

function spikeBlocks(r: SpikeResults): Block[] {
  const ageChanges = r.alarms.filter((a) => ageAlarm(a.name));
  const otherAlarms = [...new Set(r.alarms.filter((a) => !ageAlarm(a.name)).map((a) => a.name))];
  const c = r.capacity.perSecond;
  return [
    { kind: 'paragraph', text: runLine(r.run) },
    {
      kind: 'paragraph',
      text:
        `**Capacity first**: with the reservation worker's queue consumer paused, ${count(r.capacity.orders)} asynchronous orders were accepted${backlogSent(r.capacity)}, then the consumer resumed. ` +
        `They reached a final state at **C = ${c.toFixed(1)} orders/s** (${capacityMethod(r.capacity)}${r.capacity.notFinal > 0 ? `, ${count(r.capacity.notFinal)} not final` : ''}): the end-to-end drain capacity of this machine. ` +
        `**Then the spike**, open loop: ${count(r.ratePerSecond)} orders/s (${r.factor} × C) for ${r.durationMs / 1000} s, ${Math.round(r.syncShare * 100)} % placed synchronously and the rest with \`Prefer: respond-async\`, interleaved evenly. ` +
        `Then the bench waits until every order taken is final and every queue-age alarm is OK. CloudWatch ran at time scale ${r.timeScale} (the runtime's \`alarmTimeScale\`; queues and retries in real time): alarm periods (5 min) and the queue ages they read run ${Math.round(1 / r.timeScale)} times faster, so the alarm that takes 2 of 3 five-minute periods on AWS decides here in 2 of 3 periods of ${Math.round(300 * r.timeScale)} s.`,
    },
    requestsTable(r.requests),
    {
      kind: 'table',
      header: ['figure', 'value'],
      rows: [
        ['drain capacity C', `${c.toFixed(1)} orders/s (${count(r.capacity.orders)} orders)`],
        ['spike rate', `${count(r.ratePerSecond)} orders/s for ${r.durationMs / 1000} s`],
        ['sync orders shed (429/503)', `${count(r.syncShed.count)}, ${count(r.syncShed.withRetryAfter)} with Retry-After; p50 ${ms(r.syncShed.latency.p50)} ms, max ${ms(r.syncShed.latency.max)} ms`],
        ['answered 504 or not at all', count(r.timeouts)],
        ['largest backlog (orders taken, not final)', count(Math.max(0, ...r.timeline.map((s) => s.backlog)))],
        ['every order taken final', Number.isFinite(r.drain.afterSpikeMs) ? `${seconds(r.drain.afterSpikeMs)} after the spike ended` : `not within ${seconds(r.drain.deadlineMs)}: ${count(r.drain.notFinal)} of ${count(r.drain.taken)} not final`],
        ['drain rate after the spike', Number.isFinite(drainPerSecond(r.drain)) ? `${drainRateText(r.drain, drainPerSecond(r.drain))} (${(drainPerSecond(r.drain) / c).toFixed(2)} × C)` : '— (no backlog left after the spike)'],
        ['orders by status', statuses(r.drain.statuses)],
        ['messages dead-lettered', count(r.drain.deadLettered)],
        ['runtime main thread busy while sending', busy(r.usage)],
        ['process CPU while sending (cores)', cores(r.usage)],
      ],
    },
    {
      kind: 'paragraph',
      text: 'Queue-age alarm changes during the spike and its drain (seconds from the spike’s start):',
    },
    {
      kind: 'list',
      items: ageChanges.length > 0 ? ageChanges.map((a) => `${a.seconds.toFixed(1)} s: \`${a.name}\` ${a.from} → ${a.to}`) : ['none'],
    },
    ...(otherAlarms.length > 0
      ? [{ kind: 'paragraph' as const, text: `Other alarms that changed state meanwhile (${count(r.alarms.length - ageChanges.length)} changes): ${otherAlarms.map((name) => `\`${name}\``).join(', ')}.` }]
      : []),
    ...saturation([{ name: 'while the orders were sent', usage: r.usage }]),
    ...stageBlocks(r),
    ...spikeCharts(r).map((chart): Block => ({ kind: 'chart', chart })),
    { kind: 'paragraph', text: problemsLine(r.problems) },
  ];
}

function loadBlocks(r: LoadResults): Block[] {
  return [
    { kind: 'paragraph', text: runLine(r.run) },
    {
      kind: 'paragraph',
      text:
        `**Open loop**: ${r.ratePerSecond} orders/s for ${r.durationMs / 1000} s (${count(Math.round(r.achievedPerSecond))} orders/s achieved), ` +
        `${Math.round(r.syncShare * 100)} % placed synchronously and the rest with \`Prefer: respond-async\` (the path built for bursts), interleaved evenly, each order one unit of a SKU taken in turn from the 60 of the catalog. ` +
        `Then the bench waits (up to ${seconds(r.drain.deadlineMs)}) until every queue of the template is empty and every order is in a final state (SHIPPED, REJECTED, PAYMENT_FAILED, CANCELLED or REFUNDED).`,
    },
    requestsTable(r.requests),
    {
      kind: 'table',
      header: ['after the load', 'figure'],
      rows: [
        ['errors (any answer but 201/202, or none)', count(r.errors)],
        ['every queue empty', Number.isFinite(r.drain.queuesEmptyAfterMs) ? `${seconds(r.drain.queuesEmptyAfterMs)} after the last answer` : `not within ${seconds(r.drain.deadlineMs)}`],
        ['every order in a final state', Number.isFinite(r.drain.allFinalAfterMs) ? `${seconds(r.drain.allFinalAfterMs)} after the last answer` : `not within ${seconds(r.drain.deadlineMs)}: ${count(r.drain.notFinal)} of ${count(r.drain.orders)} not final`],
        ['orders of the load in the orders table', `${count(r.drain.orders)} (${count(r.drain.taken)} answered 201/202${r.drain.orders > r.drain.taken ? `; ${count(r.drain.orders - r.drain.taken)} placed although their client got an error, which a retry with the same Idempotency-Key would have found` : ''})`],
        ['orders by status', statuses(r.drain.statuses)],
        ['messages dead-lettered', count(r.drain.deadLettered)],
        ...(r.drain.stalled ? [['drain', 'given up before the deadline: nothing moved for a minute with every work queue empty']] : []),
        ['runtime main thread busy while sending', busy(r.usage)],
        ['process CPU while sending (cores)', cores(r.usage)],
      ],
    },
    ...saturation([{ name: 'while the orders were sent', usage: r.usage }]),
    ...(r.cpu ? cpuBlocks(r.cpu) : []),
    ...(r.errorSamples.length > 0 ? [{ kind: 'paragraph' as const, text: 'First errors:' }, { kind: 'list' as const, items: r.errorSamples.map((s) => `\`${s}\``) }] : []),
    ...loadCharts(r).map((chart): Block => ({ kind: 'chart', chart })),
    { kind: 'paragraph', text: problemsLine(r.problems) },
  ];
}

/** Parts that used less than this share of the CPU are summed into one row. */
const MINOR_CPU_SHARE = 0.02;

/** Where the CPU of the load and its drain went, biggest part first, with the CPU each accepted order cost. */
export function cpuBlocks(cpu: CpuBreakdown): Block[] {
  const total = totalCpuMs(cpu);
  if (total <= 0 || cpu.wallMs <= 0) return [];
  const sorted = Object.entries(cpu.parts).sort(([, a], [, b]) => b - a);
  const major = sorted.filter(([, ms]) => ms / total >= MINOR_CPU_SHARE);
  const minor = sorted.filter(([, ms]) => ms / total < MINOR_CPU_SHARE);
  const rows = [...major, ...(minor.length > 0 ? [[`${minor.length} smaller parts`, minor.reduce((sum, [, ms]) => sum + ms, 0)] as const] : [])];
  const perOrder = (used: number) => {
    const perOrderMs = cpuMsPerOrder(cpu, used);
    return perOrderMs === undefined ? '—' : ms(perOrderMs);
  };
  return [
    {
      kind: 'paragraph',
      text:
        `**Where the CPU went**, from the first order sent until the drain ended (${seconds(cpu.wallMs)}): ${(total / 1000).toFixed(1)} CPU seconds, ` +
        `${(total / cpu.wallMs).toFixed(2)} cores on average, ${perOrder(total)} ms per order answered 201/202 (${count(cpu.orders)}). ` +
        'Read per thread (`process.threadCpuUsage`, `worker.cpuUsage()`) and, for kinesis-local, from /proc.',
    },
    {
      kind: 'table',
      header: ['part', 'CPU (s)', 'share', 'cores (average)', 'ms per order'],
      numeric: [false, true, true, true, true],
      rows: rows.map(([part, used]) => [part, (used / 1000).toFixed(1), `${Math.round((used / total) * 100)} %`, (used / cpu.wallMs).toFixed(2), perOrder(used)]),
    },
  ];
}

export function reportBlocks(results: ResultSet): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: 'Hybrid Shop bench report' },
    {
      kind: 'paragraph',
      text:
        'Written by `npm run bench` (`npm run bench:load` refreshes the load section alone) from measurements on the local runtime: the synthesized app from `cdk.out` on one machine, ' +
        'the load client in its own worker thread. These are the local runtime’s figures on a small, shared machine, not AWS’s; each section names its run and the machine’s load average, ' +
        'and baselines measured in the same run (an in-process call, a plain HTTP server) say what part of a figure is the runtime’s own.',
    },
  ];
  if (Object.values(results).some((r: { run: RunInfo } | undefined) => r?.run.quick)) {
    blocks.push({ kind: 'paragraph', text: '**Some sections come from a quick run (`--quick`): short phases for a smoke test; their figures are not representative.**' });
  }
  blocks.push(
    { kind: 'heading', level: 2, text: 'Targets' },
    { kind: 'table', header: ['target', 'measured', 'verdict'], rows: targetRows(results).map((t) => [t.target, t.figure, t.verdict === 'PASS' ? 'PASS' : `**${t.verdict}**`]) },
    { kind: 'heading', level: 2, text: 'How the load is generated' },
    {
      kind: 'list',
      items: [
        '**Open loop** (a fixed arrival rate; each request sent when due whatever is still in flight, its latency counted from its due time, so coordinated omission cannot hide slowness): sync against async, inventory down, load.',
        '**Closed loop** (N connections, each sending when the previous answer came): throughput of `GET /products/{sku}`, where the question is how many requests get through; and the overhead comparison, one call at a time, where each call must run alone.',
        'Every request’s outcome is recorded: its status (or “no answer” after 30 s), and for a problem answer its `type`.',
        '**Main thread busy** is the event-loop utilization of the bench process’s main thread while the requests were sent: the local runtime’s gateway, edge, pollers and EventBridge all run on it (dynalite and fauxqs have threads of their own), so near 100 % the runtime itself is the bottleneck, not the shop’s code. **Process CPU** is CPU time over wall time, every thread of the process (the Lambda workers and the load client included; kinesis-local, a child process, not).',
      ],
    },
  );
  const section = (title: string, build: () => Block[], present: boolean, how: string) => {
    blocks.push({ kind: 'heading', level: 2, text: title });
    blocks.push(...(present ? build() : [{ kind: 'paragraph' as const, text: `Not measured yet: run \`${how}\`.` }]));
  };
  section('Local runtime overhead', () => overheadBlocks(results.overhead as OverheadResults), !!results.overhead, 'npm run bench -- --only overhead');
  section('Sync against async order placement', () => latencyBlocks(results.latency as LatencyResults), !!results.latency, 'npm run bench -- --only latency');
  section('Inventory down for 30 s', () => outageBlocks(results.outage as OutageResults), !!results.outage, 'npm run bench -- --only outage');
  section(`Spike: ${TARGETS.spikeFactor} × the drain capacity for ${TARGETS.spikeSeconds} s`, () => spikeBlocks(results.spike as SpikeResults), !!results.spike, 'npm run bench:spike');
  section(
    'Load: 200 orders/s for 60 s (an option, no longer a target)',
    () => [{ kind: 'paragraph', text: 'The spike above replaced this load as the target: on two cores the question is whether the asynchronous path absorbs what it cannot process at once, not the peak rate.' }, ...loadBlocks(results.load as LoadResults)],
    !!results.load,
    'npm run bench:load',
  );
  return blocks;
}
