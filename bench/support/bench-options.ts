/**
 * The bench's command line (and the environment variables that stand in for it), parsed and checked in one place:
 *
 *   npm run bench -- [--only <family>[,<family>…]] [--quick] [--out <dir>] [--report-only]
 *                    [--load-rate <orders/s>] [--load-seconds <s>] [--sync-share <0..1>] [--console-open]
 *                    [--spike-factor <× C>] [--spike-seconds <s>] [--spike-sync-share <0..1>] [--capacity-orders <n>]
 *                    [--spike-time-scale <factor>]
 *
 * BENCH_ONLY, BENCH_QUICK=1, BENCH_OUT, BENCH_LOAD_RATE, BENCH_LOAD_SECONDS, BENCH_SYNC_SHARE, BENCH_CONSOLE_OPEN=1,
 * BENCH_SPIKE_FACTOR, BENCH_SPIKE_SECONDS, BENCH_SPIKE_SYNC_SHARE, BENCH_CAPACITY_ORDERS, BENCH_SPIKE_TIME_SCALE do the
 * same; a flag wins over its variable. `--quick` shortens every phase (seconds instead of minutes) for a smoke run; its figures
 * are not the report's. `--report-only` measures nothing and writes the report from the saved results.
 * `--console-open` keeps the runtime's console (`/_local/console`) open in a headless Chromium while the load runs, to
 * measure what the page costs the runtime (compare the CPU per order with a run without it).
 */
import { FAMILIES, type Family } from './results';

export interface BenchOptions {
  readonly families: readonly Family[];
  readonly quick: boolean;
  /** Where report.md, report.html, charts/ and results/ go. */
  readonly outDir: string;
  readonly load: {
    readonly ratePerSecond: number;
    readonly seconds: number;
    readonly syncShare: number;
    /** Whether the console is open in a headless Chromium during the load. */
    readonly consoleOpen: boolean;
  };
  readonly spike: { readonly factor: number; readonly seconds: number; readonly syncShare: number; readonly capacityOrders: number; readonly timeScale: number };
}

/** The bench's usage line, for `npm run <script>` (`bench`, `bench:load`, `bench:spike`: the same options). */
export function benchUsage(script = 'bench'): string {
  return (
    `usage: npm run ${script} -- [--only ${FAMILIES.join('|')}[,…]] [--quick] [--out <dir>] [--report-only] ` +
    '[--load-rate <orders/s>] [--load-seconds <s>] [--sync-share <0..1>] [--console-open] ' +
    '[--spike-factor <× C>] [--spike-seconds <s>] [--spike-sync-share <0..1>] [--capacity-orders <n>] [--spike-time-scale <factor>]'
  );
}

export class BenchUsageError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`${problems.join('; ')}\n${benchUsage()}`);
    this.name = 'BenchUsageError';
  }
}

const VALUED = new Set(['only', 'out', 'load-rate', 'load-seconds', 'sync-share', 'spike-factor', 'spike-seconds', 'spike-sync-share', 'capacity-orders', 'spike-time-scale']);

/** Parses `argv` (without node and the script) over `env`; `defaults.families` is what runs without `--only`. */
export function parseBenchOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaults: { readonly families: readonly Family[]; readonly outDir: string },
): BenchOptions {
  const problems: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if ((name === 'quick' || name === 'report-only' || name === 'console-open') && inline === undefined) flags.set(name, '1');
    else if (name !== undefined && VALUED.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) problems.push(`--${name} needs a value`);
      else flags.set(name, value);
    } else problems.push(`unknown argument '${arg}'`);
  }
  const value = (flag: string, variable: string) => flags.get(flag) ?? env[variable];

  const onlyText = value('only', 'BENCH_ONLY');
  let families = defaults.families;
  if (onlyText !== undefined && onlyText !== '') {
    const named = onlyText.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = named.filter((n) => !FAMILIES.includes(n as Family));
    if (unknown.length > 0) problems.push(`--only ${unknown.join(',')}: the families are ${FAMILIES.join(', ')}`);
    families = FAMILIES.filter((f) => named.includes(f));
  }
  const isOn = (text: string | undefined) => text !== undefined && text !== '' && text !== '0' && text !== 'false';
  const quick = isOn(value('quick', 'BENCH_QUICK'));

  const number = (flag: string, variable: string, fallback: number, check: (n: number) => boolean, expected: string): number => {
    const text = value(flag, variable);
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || !check(n)) {
      problems.push(`--${flag} is '${text}': give ${expected}`);
      return fallback;
    }
    return n;
  };
  const load = {
    ratePerSecond: number('load-rate', 'BENCH_LOAD_RATE', quick ? 40 : 200, (n) => n > 0 && n <= 5000, 'orders per second, above 0 and at most 5000'),
    seconds: number('load-seconds', 'BENCH_LOAD_SECONDS', quick ? 3 : 60, (n) => n > 0 && n <= 3600, 'seconds, above 0 and at most 3600'),
    syncShare: number('sync-share', 'BENCH_SYNC_SHARE', 0.1, (n) => n >= 0 && n <= 1, 'a share from 0 to 1'),
    consoleOpen: isOn(value('console-open', 'BENCH_CONSOLE_OPEN')),
  };
  const spike = {
    factor: number('spike-factor', 'BENCH_SPIKE_FACTOR', 3, (n) => n > 0 && n <= 20, 'a multiple of the capacity above 0 and at most 20'),
    seconds: number('spike-seconds', 'BENCH_SPIKE_SECONDS', quick ? 5 : 30, (n) => n > 0 && n <= 600, 'seconds, above 0 and at most 600'),
    syncShare: number('spike-sync-share', 'BENCH_SPIKE_SYNC_SHARE', 0.05, (n) => n >= 0 && n <= 1, 'a share from 0 to 1'),
    capacityOrders: number('capacity-orders', 'BENCH_CAPACITY_ORDERS', quick ? 40 : 600, (n) => Number.isInteger(n) && n >= 20 && n <= 10_000, 'a whole number of orders from 20 to 10000'),
    timeScale: number('spike-time-scale', 'BENCH_SPIKE_TIME_SCALE', 0.05, (n) => n >= 0.01 && n <= 1, 'a factor from 0.01 to 1, e.g. 0.05 (alarm periods 20 times faster)'),
  };
  if (flags.has('report-only')) {
    if (onlyText) problems.push('--report-only measures nothing: leave out --only');
    families = [];
  }
  if (problems.length > 0) throw new BenchUsageError(problems);
  return { families, quick, outDir: value('out', 'BENCH_OUT') ?? defaults.outDir, load, spike };
}
