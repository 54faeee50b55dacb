/**
 * `npx tsx bench/acceptance-tail.ts`: where an asynchronous order acceptance's time goes in the latency family's
 * load (`bench/scenarios/latency.ts`: open loop, sync and async orders interleaved, every inventory invocation
 * slowed by a level's delay), order by order. A diagnostic, not a figure of the report: it listens to what the runtime
 * publishes only while someone subscribes (node:http's server channels, the gateway's request reports, the function
 * pool's environment choices with each invocation's timing inside its worker), samples the main thread's event-loop
 * delay and its GC pauses, and splits each async order into segments:
 *
 * - `client→gw`: from the load client's send to the gateway's server reading the request's headers;
 * - `gw→fn`: from there to the invocation handed to place-order's environment (body, authorizer, event, pool);
 * - `queued`: of that, the wait for an environment;
 * - `to worker`: from the hand-off to the worker taking the message;
 * - `fn→edge`: the handler's AWS calls, summed, from the worker's HTTP client creating each request to the edge
 *   reading its headers (the SDK's send, the socket, and the main thread getting to it);
 * - `edge`: the calls at the edge, from reading the headers to finishing the response (DynamoDB, EventBridge);
 * - `edge→fn`: from there to the worker's HTTP client having the response's headers (the worker getting to it);
 * - `in fn`: the rest of the handler's run (its code and the SDK's, reading the response bodies);
 * - `from worker`: from the handler's end to the pool having its result;
 * - `gw→client`: from there to the client's last byte (the gateway's response, the client reading it).
 *
 * It prints, per level, each segment's p50, p90 and max and the slowest orders segment by segment, with the
 * environment that ran each (how many invocations it had run, how long it had been idle), the main thread's longest
 * event-loop delay, busy time and GC during the order, and what else the runtime served meanwhile; then the level's
 * main-thread busy share, GC and delays over 20 ms, its cold starts, and the cores the machine, other processes, this
 * process and its functions used in the 250 ms windows with a main-thread delay over 20 ms and in the others. The
 * figures are taken with all of this listening (a 5 ms timer, a CPU reading of every worker each 250 ms); what that
 * costs is not measured apart.
 *
 * With `--profile on` it also profiles the main thread's CPU during each level (V8's sampling profiler, through the
 * inspector) and prints where it went, by package or runtime folder.
 *
 *   npm run bench:acceptance-tail -- [--levels 0,500,2000] [--seconds 40] [--slowest 5] [--profile on] [--out splits.json]
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { API_REQUEST_CHANNEL, type ApiRequestReport } from '../local/apigateway/rest-api-gateway';
import { type EnvironmentChoice, INVOCATION_CHANNEL } from '../local/lambda/function-pool';
import type { RuntimeCpuUsage } from '../local/runtime/cpu-usage';
import { RATE_PER_SECOND, settle } from './scenarios/latency';
import { BenchShop } from './support/bench-shop';
import { CPU_PARTS, cpuBreakdown, cpuSnapshot, LAMBDA_PART } from './support/cpu-breakdown';
import { LoadClient } from './support/load-client';
import type { RequestRecord } from './support/load-client-protocol';
import { orderMix } from './support/order-requests';
import { runScript, scriptFlags, ScriptUsageError } from './support/script-flags';
import { percentile } from './support/statistics';

const ROOT_ASSEMBLY = 'cdk.out';
const ORDERS_FUNCTION = 'OrdersPlaceOrderFunction';
const WARM_UP_MS = 5_000;
/** How often the main thread's event-loop delay is sampled. */
const LAG_SAMPLE_MS = 5;

interface Options {
  readonly levels: number[];
  readonly seconds: number;
  readonly slowest: number;
  /** Profile the main thread's CPU during each level and print where it went. */
  readonly profile: boolean;
  /** A file to write every order's split to, as JSON. */
  readonly out?: string;
}

const USAGE =
  'usage: npm run bench:acceptance-tail -- [--levels 0,500,2000] [--seconds 40] [--slowest 5] [--profile on|off] [--out splits.json]\n' +
  '  --levels   inventory delays (ms) to measure, in order, comma-separated\n' +
  '  --seconds  how long each level is measured, after a 5 s warm-up\n' +
  '  --slowest  how many of each level\'s slowest orders to print segment by segment\n' +
  '  --profile  on: profile the main thread\'s CPU during each level\n' +
  '  --out      write every order\'s split to this file, as JSON';

function parse(argv: readonly string[]): Options {
  const { value } = scriptFlags(argv, ['--levels', '--seconds', '--slowest', '--profile', '--out']);
  const levels = value('--levels', '0,500,2000').split(',').map(Number);
  const seconds = Number(value('--seconds', '40'));
  const slowest = Number(value('--slowest', '5'));
  if (levels.some((ms) => !Number.isInteger(ms) || ms < 0)) throw new ScriptUsageError(`--levels is '${value('--levels', '')}': give inventory delays in whole ms, comma-separated`);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new ScriptUsageError(`--seconds is '${value('--seconds', '')}': give the seconds each level is measured`);
  if (!Number.isInteger(slowest) || slowest < 0) throw new ScriptUsageError(`--slowest is '${value('--slowest', '')}': give how many of the slowest orders to print`);
  const profile = value('--profile', 'off');
  if (profile !== 'on' && profile !== 'off') throw new ScriptUsageError(`--profile is '${profile}': give on or off`);
  const out = value('--out', '');
  return { levels, seconds, slowest, profile: profile === 'on', ...(out ? { out } : {}) };
}

const epoch = (monotonicMs: number) => performance.timeOrigin + monotonicMs;

/** A request one of the runtime's HTTP servers took, in epoch ms. */
interface ServedRequest {
  readonly arrivedAt: number;
  finishedAt?: number;
  readonly target: string;
  readonly respondAsync: boolean;
  readonly traceHeader?: string;
}

/** CPU used in one sampling window (ms), by whom. */
interface CpuWindow {
  /** Epoch ms at the window's end. */
  readonly at: number;
  /** The window's length (ms): CPU_WINDOW_MS and the time a read takes. */
  readonly lengthMs: number;
  readonly machineMs: number;
  readonly processMs: number;
  readonly mainMs: number;
  readonly functionsMs: ReadonlyMap<string, number>;
}

/** How often the CPU timeline is read. */
const CPU_WINDOW_MS = 250;

/** Everything the runtime published while listening, in epoch ms. */
class Recorder {
  readonly cpu: CpuWindow[] = [];
  readonly gateway: ServedRequest[] = [];
  readonly edge: ServedRequest[] = [];
  /** The gateway's reports of answered async orders (202), with the epoch ms each was published at. */
  readonly accepted: { readonly at: number; readonly report: ApiRequestReport }[] = [];
  /** place-order's invocations by trace. */
  readonly invocations = new Map<string, EnvironmentChoice>();
  /** Every function's invocations: [the function, epoch ms answered]. */
  readonly answered: [string, number][] = [];
  /** The functions of the cold starts, one entry each. */
  readonly coldStarts: string[] = [];
  /** The main thread's busy time (event-loop utilization) per sample: [epoch ms at the end of the sample, busy ms in it]. */
  readonly busy: [number, number][] = [];
  /** Main-thread event-loop delays over 1 ms: [epoch ms at the late wake-up, delay ms]. */
  readonly lags: [number, number][] = [];
  /** Main-thread GC pauses: [epoch ms at the start, ms]. */
  readonly gcs: [number, number][] = [];
  private readonly open = new Map<IncomingMessage, ServedRequest>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly apiPort: number,
    private readonly shop: BenchShop,
  ) {}

  start(): void {
    this.startCpuTimeline();
    const onStart = (message: unknown) => {
      const { request, server } = message as { request: IncomingMessage; server: Server };
      const port = (server.address() as AddressInfo | null)?.port;
      // The edge's HTTP server does not listen itself (the edge's socket hands it its connections): no port.
      const into = port === this.apiPort ? this.gateway : this.edge;
      const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
      const served: ServedRequest = {
        arrivedAt: epoch(performance.now()),
        target: header('x-amz-target') ?? `${request.method} ${request.url}`,
        respondAsync: /respond-async/.test(header('prefer') ?? ''),
        ...(header('x-amzn-trace-id') ? { traceHeader: header('x-amzn-trace-id') } : {}),
      };
      into.push(served);
      this.open.set(request, served);
    };
    const onFinish = (message: unknown) => {
      const { request } = message as { request: IncomingMessage };
      const served = this.open.get(request);
      if (!served) return;
      this.open.delete(request);
      served.finishedAt = epoch(performance.now());
    };
    const onReport = (message: unknown) => {
      const report = message as ApiRequestReport;
      if (report.status === 202) this.accepted.push({ at: epoch(performance.now()), report });
    };
    const onInvocation = (message: unknown) => {
      const choice = message as EnvironmentChoice;
      if (choice.logicalId.startsWith(ORDERS_FUNCTION)) this.invocations.set(choice.traceId, choice);
      const name = choice.logicalId.replace(/[0-9A-F]{8}$/, '');
      this.answered.push([name, epoch(choice.answeredAt)]);
      if (choice.initDurationMs !== undefined) this.coldStarts.push(name);
    };
    const channels: [string, (message: unknown) => void][] = [
      ['http.server.request.start', onStart],
      ['http.server.response.finish', onFinish],
      [API_REQUEST_CHANNEL, onReport],
      [INVOCATION_CHANNEL, onInvocation],
    ];
    for (const [name, listener] of channels) {
      subscribe(name, listener);
      this.stops.push(() => unsubscribe(name, listener));
    }

    let expected = performance.now() + LAG_SAMPLE_MS;
    let timer: NodeJS.Timeout;
    let utilization = performance.eventLoopUtilization();
    const sample = () => {
      const now = performance.now();
      if (now - expected > 1) this.lags.push([epoch(now), now - expected]);
      const since = performance.eventLoopUtilization(utilization);
      utilization = performance.eventLoopUtilization();
      this.busy.push([epoch(now), since.active]);
      expected = now + LAG_SAMPLE_MS;
      timer = setTimeout(sample, LAG_SAMPLE_MS);
    };
    timer = setTimeout(sample, LAG_SAMPLE_MS);
    this.stops.push(() => clearTimeout(timer));

    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.gcs.push([epoch(entry.startTime), entry.duration]);
    });
    gc.observe({ entryTypes: ['gc'] });
    this.stops.push(() => gc.disconnect());
  }

  /** Reads the machine's, the process's and the runtime's CPU every CPU_WINDOW_MS, one read at a time. */
  private startCpuTimeline(): void {
    let stopped = false;
    let previous: { at: number; machine: number; process: NodeJS.CpuUsage; runtime: RuntimeCpuUsage } | undefined;
    const read = async () => {
      const [machine, runtime] = await Promise.all([machineCpuMs(), this.shop.runtime.cpuUsage()]);
      const processNow = process.cpuUsage();
      if (previous && machine !== undefined) {
        const functionsMs = new Map(Object.entries(runtime.functionsMs).map(([name, ms]) => [name, ms - (previous?.runtime.functionsMs[name] ?? 0)]));
        const at = epoch(performance.now());
        this.cpu.push({
          at,
          lengthMs: at - previous.at,
          machineMs: machine - previous.machine,
          processMs: (processNow.user + processNow.system - previous.process.user - previous.process.system) / 1000,
          mainMs: (runtime.mainThreadMs ?? 0) - (previous.runtime.mainThreadMs ?? 0),
          functionsMs,
        });
      }
      previous = { at: epoch(performance.now()), machine: machine ?? 0, process: processNow, runtime };
      if (!stopped) timer = setTimeout(() => void read(), CPU_WINDOW_MS);
    };
    let timer = setTimeout(() => void read(), CPU_WINDOW_MS);
    this.stops.push(() => {
      stopped = true;
      clearTimeout(timer);
    });
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  clear(): void {
    this.gateway.length = 0;
    this.edge.length = 0;
    this.accepted.length = 0;
    this.invocations.clear();
    this.answered.length = 0;
    this.coldStarts.length = 0;
    this.busy.length = 0;
    this.cpu.length = 0;
    this.lags.length = 0;
    this.gcs.length = 0;
  }
}

/** One async order, split into segments (ms), with what was around it. */
interface OrderSplit {
  readonly totalMs: number;
  readonly segments: Record<Segment, number>;
  readonly authorizerMs: number;
  readonly edgeCalls: string;
  readonly choice: EnvironmentChoice;
  readonly workerGcMs: number;
  readonly mainLagMaxMs: number;
  readonly mainGcMs: number;
  /** How long the main thread was busy (running, not waiting for I/O) during the order. */
  readonly mainBusyMs: number;
  /** What else the main thread served during the order: edge requests by operation, invocations ended by function. */
  readonly meanwhile: string;
}

const SEGMENTS = ['client→gw', 'gw→fn', 'queued', 'to worker', 'fn→edge', 'edge', 'edge→fn', 'in fn', 'from worker', 'gw→client'] as const;
type Segment = (typeof SEGMENTS)[number];

/** The 202 report published last before `served` finished, and while it was served; taken from `reports`. */
function takeReport(reports: { readonly at: number; readonly report: ApiRequestReport }[], served: ServedRequest): ApiRequestReport | undefined {
  const finishedAt = served.finishedAt ?? 0;
  let best = -1;
  reports.forEach(({ at }, i) => {
    if (at >= served.arrivedAt && at <= finishedAt && (best < 0 || at > reports[best].at)) best = i;
  });
  return best < 0 ? undefined : reports.splice(best, 1)[0].report;
}

function splitOrders(records: readonly RequestRecord[], recorder: Recorder): { splits: OrderSplit[]; unmatched: number } {
  const asyncRecords = records.filter((r) => r.label === 'async' && r.status === 202).sort((a, b) => a.sentAt - b.sentAt);
  const arrivals = recorder.gateway.filter((g) => g.respondAsync && g.finishedAt !== undefined).sort((a, b) => a.arrivedAt - b.arrivedAt);
  const splits: OrderSplit[] = [];
  let unmatched = 0;
  let next = 0;
  for (const record of asyncRecords) {
    // The gateway request of this send: the first async one to arrive after it (one every 500 ms at 4 orders/s).
    while (next < arrivals.length && arrivals[next].arrivedAt < record.sentAt - 1) next++;
    const served = arrivals[next];
    // Its report: the one 202 published while it was served (async orders do not overlap at this rate); its
    // invocation: the one with the report's trace.
    const report = served ? takeReport(recorder.accepted, served) : undefined;
    const choice = report?.traceId !== undefined ? recorder.invocations.get(report.traceId) : undefined;
    if (!served || served.finishedAt === undefined || !report || !choice?.timing || served.arrivedAt > record.doneAt) {
      unmatched++;
      continue;
    }
    next++;
    const { timing } = choice;
    // The handler's calls one after the other, as the worker sent them and as the edge served them.
    const calls = recorder.edge.filter((e) => e.traceHeader === choice.traceId && e.finishedAt !== undefined).sort((a, b) => a.arrivedAt - b.arrivedAt);
    const sent = [...timing.calls].sort((a, b) => a.startedAt - b.startedAt);
    if (calls.length !== sent.length || sent.some((c) => c.answeredAt === 0)) {
      unmatched++;
      continue;
    }
    const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
    const toEdgeMs = sum(calls.map((c, i) => c.arrivedAt - sent[i].startedAt));
    const edgeMs = sum(calls.map((c) => (c.finishedAt as number) - c.arrivedAt));
    const fromEdgeMs = sum(calls.map((c, i) => sent[i].answeredAt - (c.finishedAt as number)));
    const handlerMs = timing.handlerEndedAt - timing.handlerStartedAt;
    const invokedAt = epoch(choice.invokedAt);
    const within = (at: number) => at >= record.sentAt && at <= record.doneAt;
    const lags = recorder.lags.filter(([at, ms]) => within(at) || within(at - ms)).map(([, ms]) => ms);
    splits.push({
      totalMs: record.doneAt - record.sentAt,
      segments: {
        'client→gw': served.arrivedAt - record.sentAt,
        'gw→fn': invokedAt - served.arrivedAt,
        queued: choice.queuedMs,
        'to worker': timing.receivedAt - invokedAt,
        'fn→edge': toEdgeMs,
        edge: edgeMs,
        'edge→fn': fromEdgeMs,
        'in fn': handlerMs - toEdgeMs - edgeMs - fromEdgeMs + (timing.handlerStartedAt - timing.receivedAt),
        'from worker': epoch(choice.answeredAt) - timing.handlerEndedAt,
        'gw→client': record.doneAt - epoch(choice.answeredAt),
      },
      authorizerMs: report.authorizerMs ?? 0,
      edgeCalls: calls
        .map((c, i) => `${c.target.replace(/^.*\./, '')} ${(c.arrivedAt - sent[i].startedAt).toFixed(1)}/${((c.finishedAt as number) - c.arrivedAt).toFixed(1)}/${(sent[i].answeredAt - (c.finishedAt as number)).toFixed(1)}`)
        .join(', '),
      choice,
      workerGcMs: timing.gcMs,
      mainLagMaxMs: lags.length > 0 ? Math.max(...lags) : 0,
      mainGcMs: recorder.gcs.filter(([at, ms]) => within(at) || within(at + ms)).reduce((sum, [, ms]) => sum + ms, 0),
      mainBusyMs: sum(recorder.busy.filter(([at]) => at > record.sentAt && at - LAG_SAMPLE_MS < record.doneAt).map(([, ms]) => ms)),
      meanwhile: tally([
        ...recorder.edge.filter((e) => e.traceHeader !== choice.traceId && within(e.arrivedAt)).map((e) => e.target.replace(/^.*\./, '')),
        ...recorder.gateway.filter((g) => g !== served && within(g.arrivedAt)).map(() => 'API request'),
        ...recorder.answered.filter(([name, at]) => within(at) && !(name === ORDERS_FUNCTION && at === epoch(choice.answeredAt))).map(([name]) => `λ ${name}`),
      ]),
    });
  }
  return { splits, unmatched };
}

/** `a ×3, b ×1`, most frequent first. */
function tally(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ×${n}`).join(', ') || 'nothing';
}

const f1 = (ms: number) => ms.toFixed(1).padStart(6);
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;

function printLevel(name: string, splits: readonly OrderSplit[], unmatched: number, slowest: number): void {
  const totals = splits.map((s) => s.totalMs);
  console.log(`\n${name}: ${splits.length} async orders split (${unmatched} not matched); total p50 ${f1(percentile(totals, 50))}  p99 ${f1(percentile(totals, 99))}  max ${f1(Math.max(...totals))} ms; ${load()}`);
  console.log(`  ${'segment'.padEnd(12)}    p50     p90     max`);
  for (const segment of SEGMENTS) {
    const values = splits.map((s) => s.segments[segment]);
    console.log(`  ${segment.padEnd(12)} ${f1(percentile(values, 50))}  ${f1(percentile(values, 90))}  ${f1(Math.max(...values))}`);
  }
  const extra = (label: string, values: number[]) => console.log(`  ${label.padEnd(12)} ${f1(percentile(values, 50))}  ${f1(percentile(values, 90))}  ${f1(Math.max(...values))}`);
  extra('authorizer', splits.map((s) => s.authorizerMs));
  extra('worker GC', splits.map((s) => s.workerGcMs));
  extra('main lag max', splits.map((s) => s.mainLagMaxMs));
  extra('main GC', splits.map((s) => s.mainGcMs));
  extra('main busy', splits.map((s) => s.mainBusyMs));
  extra('env idle', splits.map((s) => s.choice.idleMs ?? 0));
  extra('env runs', splits.map((s) => s.choice.environmentInvocations));
  extra('envs', splits.map((s) => s.choice.environments));
  console.log(`  slowest ${slowest}:`);
  for (const s of [...splits].sort((a, b) => b.totalMs - a.totalMs).slice(0, slowest)) {
    const parts = SEGMENTS.map((segment) => `${segment} ${s.segments[segment].toFixed(1)}`).join(' | ');
    const { choice } = s;
    console.log(`   ${f1(s.totalMs)} ms: ${parts}`);
    console.log(
      `           env #${choice.environment} (${choice.environmentInvocations} runs before, idle ${(choice.idleMs ?? 0).toFixed(0)} ms; ${choice.idleEnvironments} idle / ${choice.busyEnvironments} busy / ${choice.environments} envs); ` +
        `calls (to edge/at edge/back) ${s.edgeCalls}; worker GC ${s.workerGcMs.toFixed(1)}; main thread: lag max ${s.mainLagMaxMs.toFixed(1)}, busy ${s.mainBusyMs.toFixed(1)}, GC ${s.mainGcMs.toFixed(1)}; ` +
        `meanwhile: ${s.meanwhile}`,
    );
  }
}

/** CPU time (ms) the whole machine has spent running anything, every core: from /proc/stat; undefined elsewhere. */
async function machineCpuMs(): Promise<number | undefined> {
  try {
    const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Where the CPU went during a level: the machine's, this process's, and the runtime's parts of it. */
async function startCpu(shop: BenchShop, client: LoadClient): Promise<() => Promise<string>> {
  const sources = { runtime: shop.runtime, client };
  const [machine, from] = await Promise.all([machineCpuMs(), cpuSnapshot(sources)]);
  return async () => {
    const [machineNow, to] = await Promise.all([machineCpuMs(), cpuSnapshot(sources)]);
    const { parts } = cpuBreakdown(from, to, 0);
    const functions = Object.entries(parts)
      .filter(([part]) => part.startsWith(LAMBDA_PART))
      .map(([part, ms]) => [part.slice(LAMBDA_PART.length), ms] as const)
      .sort((a, b) => b[1] - a[1]);
    const functionsMs = functions.reduce((sum, [, ms]) => sum + ms, 0);
    const mainMs = (to.runtime.mainThreadMs ?? 0) - (from.runtime.mainThreadMs ?? 0);
    return (
      `CPU ms: machine ${((machineNow ?? Number.NaN) - (machine ?? Number.NaN)).toFixed(0)}, this process ${(to.processMs - from.processMs).toFixed(0)} (main thread ${mainMs.toFixed(0)}, ` +
      `functions ${functionsMs.toFixed(0)}: ${functions.slice(0, 4).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')}; ` +
      `dynalite ${(parts[CPU_PARTS.dynamoDb] ?? 0).toFixed(0)}; sqs ${(parts[CPU_PARTS.sqs] ?? 0).toFixed(0)})`
    );
  };
}

/** Over the whole level: the main thread's busy share and GC, and the cold starts by function. */
function printRuntime(recorder: Recorder, durationMs: number): void {
  const busyMs = recorder.busy.reduce((sum, [, ms]) => sum + ms, 0);
  const gcMs = recorder.gcs.reduce((sum, [, ms]) => sum + ms, 0);
  const longestGc = recorder.gcs.reduce((max, [, ms]) => Math.max(max, ms), 0);
  const lags = recorder.lags.map(([, ms]) => ms);
  // The CPU windows with an event-loop delay over 20 ms ending in them, against the others: who had the cores.
  const lagging = (w: CpuWindow) => recorder.lags.some(([at, ms]) => ms > 20 && at <= w.at && at > w.at - w.lengthMs);
  for (const [label, windows] of [
    ['windows with a delay over 20 ms', recorder.cpu.filter(lagging)],
    ['other windows', recorder.cpu.filter((w) => !lagging(w))],
  ] as const) {
    if (windows.length === 0) continue;
    const spanMs = windows.reduce((sum, w) => sum + w.lengthMs, 0);
    const cores = (pick: (w: CpuWindow) => number) => (windows.reduce((sum, w) => sum + pick(w), 0) / spanMs).toFixed(2);
    const byFunction = new Map<string, number>();
    for (const w of windows) for (const [name, ms] of w.functionsMs) byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 4);
    console.log(
      `  cores used in ${label} (${windows.length}): machine ${cores((w) => w.machineMs)}, others ${cores((w) => w.machineMs - w.processMs)}, this process ${cores((w) => w.processMs)} ` +
        `(main ${cores((w) => w.mainMs)}; ${top.map(([name, ms]) => `${name} ${(ms / spanMs).toFixed(2)}`).join(', ')})`,
    );
  }
  console.log(
    `  main thread over the level: busy ${((busyMs / durationMs) * 100).toFixed(0)} %, GC ${gcMs.toFixed(0)} ms (longest pause ${longestGc.toFixed(1)}), ` +
      `event-loop delays over 20 ms: ${lags.filter((ms) => ms > 20).length} (longest ${f1(Math.max(0, ...lags))} ms); cold starts: ${tally(recorder.coldStarts)}`,
  );
}

/** Self time of a main-thread CPU profile by where the code comes from (a package, a folder of the runtime, V8). */
function printProfile(profile: { nodes: { id: number; callFrame: { functionName: string; url: string } }[]; samples?: number[]; timeDeltas?: number[] }, durationMs: number): void {
  const place = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const { url, functionName } = callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const own = /\/(local\/[^/]+|lambdas|bench)\//.exec(url)?.[1];
    place.set(id, pkg ?? own ?? (url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[0] : url === '' ? functionName : url));
  }
  const selfMs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const key = place.get(id) ?? '?';
    selfMs.set(key, (selfMs.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  const top = [...selfMs].filter(([key]) => key !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`  main thread's CPU by code (ms over ${(durationMs / 1000).toFixed(0)} s): ${top.map(([key, ms]) => `${key} ${ms.toFixed(0)}`).join(', ')}`);
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parse(argv);
  console.log(`acceptance-tail: levels ${options.levels.join(', ')} ms, ${options.seconds} s each at ${RATE_PER_SECOND} orders/s; ${load()}`);
  const shop = await BenchShop.start({ assemblyDir: ROOT_ASSEMBLY });
  const client = LoadClient.start();
  const recorder = new Recorder(Number(new URL(shop.publicUrl).port), shop);
  const progress = (line: string) => console.log(`  ${line}`);
  const written: { inventoryDelayMs: number; splits: OrderSplit[] }[] = [];
  const session = options.profile ? new Session() : undefined;
  session?.connect();
  if (session) await session.post('Profiler.enable');
  try {
    const requests = orderMix(shop.publicUrl, { syncShare: 0.5, skus: shop.skus, idToken: (await shop.customer('bench-acceptance-tail')).idToken });
    const run = (durationMs: number) => client.openLoop({ ratePerSecond: RATE_PER_SECOND, durationMs, requests, progressEveryMs: 60_000 });
    await run(WARM_UP_MS);
    await settle(shop, { quick: false, progress });
    recorder.start();
    for (const delayMs of options.levels) {
      shop.inventoryLatency(delayMs);
      await run(WARM_UP_MS);
      await settle(shop, { quick: false, progress });
      recorder.clear();
      if (session) await session.post('Profiler.start');
      const cpu = await startCpu(shop, client);
      const records = await run(options.seconds * 1000);
      const cpuLine = await cpu();
      const profile = session ? (await session.post('Profiler.stop')).profile : undefined;
      shop.inventoryLatency(0);
      const { splits, unmatched } = splitOrders(records, recorder);
      written.push({ inventoryDelayMs: delayMs, splits });
      printLevel(delayMs === 0 ? 'healthy inventory' : `inventory +${delayMs} ms`, splits, unmatched, options.slowest);
      printRuntime(recorder, options.seconds * 1000);
      console.log(`  ${cpuLine}`);
      if (profile) printProfile(profile, options.seconds * 1000);
      await settle(shop, { quick: false, progress });
    }
    if (options.out) await writeFile(options.out, JSON.stringify(written, null, 1));
  } finally {
    recorder.stop();
    session?.disconnect();
    await client.stop();
    await shop.stop();
  }
}

void runScript('bench:acceptance-tail', USAGE, main);
