/**
 * The report's charts, as Vega-Lite specs built from the saved results (pure data in, spec out; `svg-renderer.ts`
 * draws them). Latencies are on log scales: a 3 ms and a 3 s answer belong on one axis. Each chart has a title
 * that says what it shows and a subtitle that says how it was measured.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CdfPoint } from './statistics';
import type { LatencyResults, LoadResults, OutageResults, OverheadResults, SpikeResults } from './results';

/** One chart of the report: `name` is its file (`charts/<name>.svg`) and its anchor. */
export interface Chart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const WIDTH = 640;
const MODE_COLORS = { domain: ['sync', 'async'], range: ['#d62728', '#1f77b4'] };

export const levelName = (delayMs: number) => (delayMs === 0 ? 'healthy' : `+${delayMs} ms`);

const positive = (n: number) => Number.isFinite(n) && n > 0;

const cdfRows = (points: readonly CdfPoint[], extra: Record<string, string>) =>
  points.filter((p) => positive(p.value)).map((p) => ({ ...extra, ms: p.value, fraction: p.fraction }));

export function latencyCharts(results: LatencyResults): Chart[] {
  const levels = results.levels.map((l) => levelName(l.inventoryDelayMs));
  const cdf = results.levels.flatMap((l) => [
    ...cdfRows(l.sync.cdf, { level: levelName(l.inventoryDelayMs), mode: 'sync' }),
    ...cdfRows(l.async.cdf, { level: levelName(l.inventoryDelayMs), mode: 'async' }),
  ]);
  const percentiles = results.levels.flatMap((l) =>
    (['sync', 'async'] as const).flatMap((mode) =>
      (['p50', 'p99'] as const).map((p) => ({ level: levelName(l.inventoryDelayMs), mode, percentile: p, ms: l[mode].latency[p] })),
    ),
  ).filter((r) => positive(r.ms));
  return [
    {
      name: 'latency-ecdf',
      title: 'Order placement latency, sync against async, by inventory latency',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: {
          text: 'Order placement: client latency distribution (ECDF)',
          subtitle: `open loop, ${results.ratePerSecond} orders/s half sync half async, ${results.durationMs / 1000} s per inventory latency; all answers`,
        },
        data: { values: cdf },
        facet: { column: { field: 'level', type: 'ordinal', sort: levels, title: 'inventory latency' } },
        spec: {
          width: 180,
          height: 200,
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'response time (ms, log)' },
            y: { field: 'fraction', type: 'quantitative', title: 'fraction of orders answered', axis: { format: '%' } },
            color: { field: 'mode', type: 'nominal', scale: MODE_COLORS, title: 'placement' },
          },
        },
      },
    },
    {
      name: 'latency-percentiles',
      title: 'Order placement p50 and p99 by inventory latency',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: 'Order placement: p50 and p99 by inventory latency', subtitle: 'dashed rule: the async acceptance target, p99 ≤ 20 ms' },
        width: WIDTH,
        height: 260,
        layer: [
          {
            data: { values: percentiles },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'level', type: 'ordinal', sort: levels, title: 'inventory latency', axis: { labelAngle: 0 } },
              y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'response time (ms, log)' },
              color: { field: 'mode', type: 'nominal', scale: MODE_COLORS, title: 'placement' },
              strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile' },
              detail: { field: 'percentile' },
            },
          },
          {
            data: { values: [{ ms: 20 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: '#1f77b4' },
            encoding: { y: { field: 'ms', type: 'quantitative' } },
          },
        ],
      },
    },
  ];
}

/** Colors for the outcomes an outage run sees; anything else is grey. */
const OUTCOME_COLORS: Record<string, string> = {
  'sync 201': '#2ca02c',
  'async 202': '#1f77b4',
  'sync 503 circuit-open': '#ff7f0e',
  'sync 503 inventory-unavailable': '#d62728',
};

export function outageCharts(results: OutageResults): Chart[] {
  const runName = (breaker: string) => `breaker ${breaker}`;
  const outcomes = [...new Set(results.runs.flatMap((r) => r.timeline.flatMap((s) => Object.keys(s.outcomes))))].sort((a, b) => {
    const known = Object.keys(OUTCOME_COLORS);
    const rank = (o: string) => (known.includes(o) ? known.indexOf(o) : known.length);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  const palette = ['#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#aec7e8', '#c5b0d5'];
  const colors = outcomes.map((o, i) => OUTCOME_COLORS[o] ?? palette[i % palette.length]);
  const rows = results.runs.flatMap((run) => [
    ...run.timeline.flatMap((s) => Object.entries(s.outcomes).map(([outcome, count]) => ({ kind: 'answers', run: runName(run.breaker), seconds: s.seconds, outcome, count }))),
    { kind: 'window', run: runName(run.breaker), from: run.downFromS, to: run.downToS },
  ]);
  const p50Rows = results.runs.flatMap((run) => [
    ...run.timeline.filter((s) => positive(s.syncP50Ms)).map((s) => ({ kind: 'p50', run: runName(run.breaker), seconds: s.seconds + 0.5, ms: s.syncP50Ms })),
  ]);
  const windows = results.runs.map((run) => ({ run: runName(run.breaker), from: run.downFromS, to: run.downToS }));
  // Each second's bar spans [s, s + 1): without an explicit extent vega-lite closes the last bin on the last value.
  const lastSecond = Math.max(0, ...results.runs.flatMap((r) => r.timeline.map((s) => s.seconds)));
  return [
    {
      name: 'outage-timeline',
      title: 'Inventory down for 30 s: answers per second, with and without the breaker',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: {
          text: `Inventory down for ${results.downMs / 1000} s: answers per second by outcome`,
          subtitle: `open loop, ${results.ratePerSecond} orders/s half sync half async; shaded: inventory down (every invocation fails)`,
        },
        data: { values: rows },
        facet: { row: { field: 'run', type: 'nominal', title: null, sort: results.runs.map((r) => runName(r.breaker)) } },
        spec: {
          width: WIDTH,
          height: 160,
          layer: [
            {
              transform: [{ filter: "datum.kind === 'window'" }],
              mark: { type: 'rect', color: '#999', opacity: 0.2 },
              encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
            },
            {
              transform: [{ filter: "datum.kind === 'answers'" }],
              mark: { type: 'bar' },
              encoding: {
                x: { field: 'seconds', type: 'quantitative', bin: { step: 1, extent: [0, lastSecond + 1] }, title: 'seconds since the start of the run (by due time)' },
                y: { field: 'count', type: 'quantitative', aggregate: 'sum', stack: 'zero', title: 'requests' },
                color: { field: 'outcome', type: 'nominal', scale: { domain: outcomes, range: colors }, title: 'kind and answer', legend: { labelLimit: 320 } },
              },
            },
          ],
        },
      },
    },
    {
      name: 'outage-sync-latency',
      title: 'Inventory down: synchronous order latency per second, with and without the breaker',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: 'Synchronous orders: p50 response time per second', subtitle: 'every answer (201 or failure); shaded: inventory down' },
        width: WIDTH,
        height: 220,
        layer: [
          {
            data: { values: windows.slice(0, 1) },
            mark: { type: 'rect', color: '#999', opacity: 0.2 },
            encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
          },
          {
            data: { values: p50Rows },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'seconds', type: 'quantitative', title: 'seconds since the start of the run' },
              y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'p50 response time (ms, log)' },
              color: { field: 'run', type: 'nominal', title: null, sort: results.runs.map((r) => runName(r.breaker)) },
            },
          },
        ],
      },
    },
  ];
}

export function overheadCharts(results: OverheadResults): Chart[] {
  const series = [
    ...cdfRows(results.cdf.direct, { path: 'handler called in-process' }),
    ...cdfRows(results.cdf.api, { path: 'HTTP → gateway → Lambda worker' }),
    ...cdfRows(results.cdf.floor, { path: 'plain HTTP server (floor)' }),
  ];
  return [
    {
      name: 'overhead-ecdf',
      title: `${results.route}: through the local runtime against in-process`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: `${results.route}: latency distribution (ECDF)`, subtitle: `${results.iterations} calls of each, one at a time, interleaved` },
        data: { values: series },
        width: WIDTH,
        height: 260,
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log)' },
          y: { field: 'fraction', type: 'quantitative', title: 'fraction of calls', axis: { format: '%' } },
          color: { field: 'path', type: 'nominal', title: null, legend: { labelLimit: 320 } },
        },
      },
    },
    {
      name: 'overhead-throughput',
      title: `${results.route}: requests per second by connections`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: `${results.route}: throughput`, subtitle: 'closed loop, keep-alive connections; dashed rule: the 1,000 requests/s target' },
        width: WIDTH,
        height: 220,
        layer: [
          {
            data: { values: results.throughput.map((t) => ({ connections: String(t.connections), perSecond: t.perSecond, errors: t.errors })) },
            mark: { type: 'bar' },
            encoding: {
              x: { field: 'connections', type: 'ordinal', title: 'connections', axis: { labelAngle: 0 } },
              y: { field: 'perSecond', type: 'quantitative', title: 'requests/s' },
              tooltip: [{ field: 'errors' }],
            },
          },
          { data: { values: [{ target: 1000 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#d62728' }, encoding: { y: { field: 'target', type: 'quantitative' } } },
        ],
      },
    },
  ];
}

export function loadCharts(results: LoadResults): Chart[] {
  const endS = results.durationMs / 1000;
  const rate = results.timeline.flatMap((s) => [
    ...Object.entries(s.sent).map(([kind, n]) => ({ seconds: s.seconds, series: `${kind} sent`, perSecond: n })),
    ...Object.entries(s.ok).map(([kind, n]) => ({ seconds: s.seconds, series: `${kind} answered as expected`, perSecond: n })),
  ]);
  const p99 = results.timeline.flatMap((s) => Object.entries(s.p99Ms).filter(([, ms]) => positive(ms)).map(([kind, ms]) => ({ seconds: s.seconds, kind, ms })));
  const queues = results.queues.flatMap((q) => Object.entries(q.depths).map(([queue, depth]) => ({ seconds: q.seconds, queue, depth })));
  const names = [...new Set(queues.filter((q) => q.depth > 0).map((q) => q.queue))];
  // A queue's line drops to 0 when it empties: its absent samples are zeros.
  const filled = results.queues.flatMap((q) => names.map((queue) => ({ seconds: q.seconds, queue, depth: q.depths[queue] ?? 0 })));
  const endRule = { data: { values: [{ seconds: endS }] }, mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#555' }, encoding: { x: { field: 'seconds', type: 'quantitative' as const } } };
  return [
    {
      name: 'load-rate',
      title: `Load: ${results.ratePerSecond} orders/s for ${endS} s, sent and answered per second`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: `Load: orders per second, ${Math.round(results.syncShare * 100)} % sync`, subtitle: `open loop at ${results.ratePerSecond} orders/s, by due second` },
        data: { values: rate },
        width: WIDTH,
        height: 220,
        mark: { type: 'line' },
        encoding: {
          x: { field: 'seconds', type: 'quantitative', title: 'seconds since the start of the load' },
          y: { field: 'perSecond', type: 'quantitative', title: 'requests per second' },
          color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
        },
      },
    },
    {
      name: 'load-p99',
      title: 'Load: p99 response time per second',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: 'Load: p99 response time per second', subtitle: 'from each request’s due time (open loop)' },
        data: { values: p99 },
        width: WIDTH,
        height: 220,
        mark: { type: 'line', point: { size: 12 } },
        encoding: {
          x: { field: 'seconds', type: 'quantitative', title: 'seconds since the start of the load' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'p99 (ms, log)' },
          color: { field: 'kind', type: 'nominal', scale: MODE_COLORS, title: 'placement' },
        },
      },
    },
    {
      name: 'load-queues',
      title: 'Load: queue depths during the run and while draining',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: 'Load: messages in each queue', subtitle: 'visible + in flight + delayed, every queue of the template that held any; dashed rule: the load ends' },
        width: WIDTH,
        height: 260,
        layer: [
          {
            data: { values: filled },
            mark: { type: 'line' },
            encoding: {
              x: { field: 'seconds', type: 'quantitative', title: 'seconds since the start of the load' },
              y: { field: 'depth', type: 'quantitative', title: 'messages' },
              color: { field: 'queue', type: 'nominal', title: null, legend: { labelLimit: 320 } },
            },
          },
          endRule,
        ],
      },
    },
  ];
}

/** The queue-age alarms' changes during a spike, as rules on its time axis: red into ALARM, green back to OK. */
const alarmRules = (results: SpikeResults) => ({
  data: { values: results.alarms.filter((a) => /AgeOfOldestMessage/.test(a.name)).map((a) => ({ seconds: a.seconds, state: a.to })) },
  mark: { type: 'rule' as const, strokeWidth: 2 },
  encoding: {
    x: { field: 'seconds', type: 'quantitative' as const },
    color: { field: 'state', type: 'nominal' as const, scale: { domain: ['ALARM', 'OK'], range: ['#d62728', '#2ca02c'] }, title: 'queue-age alarm' },
  },
});

export function spikeCharts(results: SpikeResults): Chart[] {
  const endS = results.durationMs / 1000;
  const c = results.capacity.perSecond;
  const rate = results.timeline.flatMap((s) => [
    ...Object.entries(s.sent).map(([kind, n]) => ({ seconds: s.seconds, series: `${kind} sent`, perSecond: n })),
    { seconds: s.seconds, series: 'taken (201/202)', perSecond: s.taken },
    { seconds: s.seconds, series: 'reached a final state', perSecond: s.final },
  ]);
  const backlog = results.timeline.map((s) => ({ seconds: s.seconds, orders: s.backlog }));
  const queued = results.queues.map((q) => ({ seconds: q.seconds, messages: Object.entries(q.depths).filter(([name]) => !/DeadLetter|Failure/.test(name)).reduce((n, [, d]) => n + d, 0) }));
  const endRule = { data: { values: [{ seconds: endS }] }, mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#555' }, encoding: { x: { field: 'seconds', type: 'quantitative' as const } } };
  const x = { field: 'seconds', type: 'quantitative' as const, title: 'seconds since the spike started' };
  return [
    {
      name: 'spike-rate',
      title: `Spike: ${results.ratePerSecond} orders/s (${results.factor} × C) for ${endS} s, sent, taken and final per second`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: {
          text: `Spike: orders per second against the drain capacity C = ${c.toFixed(1)}/s`,
          subtitle: `open loop at ${results.ratePerSecond} orders/s, ${Math.round(results.syncShare * 100)} % sync; dotted rule: C; dashed rule: the spike ends; red/green rules: a queue-age alarm to ALARM/OK`,
        },
        width: WIDTH,
        height: 240,
        layer: [
          { data: { values: rate }, mark: { type: 'line' }, encoding: { x, y: { field: 'perSecond', type: 'quantitative', title: 'orders per second' }, strokeDash: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } } } },
          { data: { values: [{ perSecond: c }] }, mark: { type: 'rule', strokeDash: [1, 3], color: '#000' }, encoding: { y: { field: 'perSecond', type: 'quantitative' } } },
          endRule,
          alarmRules(results),
        ],
      },
    },
    {
      name: 'spike-backlog',
      title: 'Spike: the backlog of orders taken and not yet final, and the messages in the work queues',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: {
          text: 'Spike: backlog while it lasts and while it drains',
          subtitle: 'line: orders taken (201/202) and not yet final, per second from their timestamps; points: messages in every work queue, sampled every 2 s',
        },
        width: WIDTH,
        height: 260,
        layer: [
          { data: { values: backlog }, mark: { type: 'line', color: '#1f77b4' }, encoding: { x, y: { field: 'orders', type: 'quantitative', title: 'orders / messages' } } },
          { data: { values: queued }, mark: { type: 'point', color: '#ff7f0e', size: 14 }, encoding: { x, y: { field: 'messages', type: 'quantitative' } } },
          endRule,
          alarmRules(results),
        ],
      },
    },
  ];
}
