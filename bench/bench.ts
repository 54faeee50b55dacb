/**
 * `npm run bench`: sync against async order placement, measured on the local runtime in one run, written up as
 * `bench/report.md` and `bench/report.html` with SVG charts (`bench/charts/`). Four families, each on its own
 * runtime start(s), in this order:
 *
 * - overhead: HTTP → gateway → Lambda worker against the same handler in-process, and `GET /products/{sku}` throughput;
 * - latency: client latency of sync and async orders with a healthy inventory and with it 100, 500 and 2000 ms slower;
 * - outage: inventory down for 30 s, with and without the circuit breaker;
 * - spike: the machine's drain capacity C, then 3 × C for 30 s: the async path absorbs it, the sync path sheds fast
 *   (also `npm run bench:spike`).
 *
 * The old load, 200 orders/s for 60 s then every queue drained and every order final, runs only when asked:
 * `--only load` or `npm run bench:load`.
 *
 * Options: `--only <family>[,…]`, `--quick` (seconds instead of minutes, for a smoke run), `--out <dir>`,
 * `--report-only` (rewrite the report from the saved results), the load's `--load-rate`, `--load-seconds`,
 * `--sync-share`, and the spike's `--spike-factor`, `--spike-seconds`, `--spike-sync-share`, `--capacity-orders`
 * (see `support/bench-options.ts`). Each family's results are
 * saved in `<out>/results/`, and the report is written from all saved results, so `--only` refreshes one section.
 * Exits 1 when a target is missed (the report says which), 2 on a usage error.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeUnlessUpToDate } from '../local/cli/synth-unless-up-to-date';
import { latencyFamily } from './scenarios/latency';
import { loadFamily } from './scenarios/load';
import { outageFamily } from './scenarios/outage';
import { overheadFamily } from './scenarios/overhead';
import { spikeFamily } from './scenarios/spike';
import { benchUsage, BenchUsageError, type BenchOptions, parseBenchOptions } from './support/bench-options';
import { targetRows } from './support/report-content';
import { writeReport } from './support/report-writer';
import { DEFAULT_FAMILIES, type Family, type FamilyResults, loadResults, saveResults } from './support/results';
import { progressPrinter, type ScenarioContext } from './support/scenario-context';
import { runScript, ScriptUsageError } from './support/script-flags';

const ROOT = path.resolve(__dirname, '..');

/** Runs the chosen families, saves each one's results, writes the report; resolves to whether every target passed. */
export async function runBench(options: BenchOptions, command: string): Promise<boolean> {
  const assemblyDir = path.join(ROOT, 'cdk.out');
  // What is measured is the code as it is: an edit since the last synth is synthesized first (`--report-only` measures nothing).
  if (options.families.length > 0) await synthesizeUnlessUpToDate({ root: ROOT, assemblyDir, label: 'bench' });
  const progress = progressPrinter();
  const [load1] = os.loadavg();
  progress(`bench: ${options.families.join(', ') || 'no family (the report only)'}${options.quick ? ' (quick)' : ''} → ${path.relative(process.cwd(), options.outDir) || '.'}; Node ${process.version}, ${os.cpus().length} cores, load average ${load1.toFixed(2)}`);
  if (load1 > os.cpus().length) progress(`bench: the machine is busy (load average ${load1.toFixed(2)} on ${os.cpus().length} cores): expect noisy figures`);
  const context: ScenarioContext = { root: ROOT, assemblyDir, quick: options.quick, command, progress };
  const run: Record<Family, () => Promise<FamilyResults>> = {
    overhead: () => overheadFamily(context),
    latency: () => latencyFamily(context),
    outage: () => outageFamily(context),
    spike: () => spikeFamily(context, options.spike),
    load: () => loadFamily(context, options.load),
  };
  for (const family of options.families) {
    const results = await run[family]();
    saveResults(options.outDir, results);
    progress(`bench: ${family} done, results saved`);
  }
  const written = await writeReport(options.outDir);
  const rows = targetRows(loadResults(options.outDir));
  console.log('');
  for (const row of rows) console.log(`${row.verdict.padEnd(12)} ${row.target}: ${row.figure}`);
  console.log(`\nreport: ${path.relative(process.cwd(), written.markdown)}, ${path.relative(process.cwd(), written.html)} (${written.charts.length} charts)`);
  return rows.every((r) => r.verdict !== 'MISS');
}

/** The command line as the report names it. */
export function commandLine(script: string, argv: readonly string[]): string {
  return [`npm run ${script}`, ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
}

export function main(script: string, defaults: { families: readonly Family[] }): void {
  const usage = `${benchUsage(script)}\nEach flag but --report-only also reads from an environment variable (BENCH_ONLY, BENCH_LOAD_RATE, …); a flag wins. See docs/performance.md.`;
  void runScript(script, usage, async (argv) => {
    let options: BenchOptions;
    try {
      options = parseBenchOptions(argv, process.env, { families: defaults.families, outDir: path.join(ROOT, 'bench') });
    } catch (error) {
      throw error instanceof BenchUsageError ? new ScriptUsageError(error.problems.join('; ')) : error;
    }
    process.exitCode = (await runBench(options, commandLine(script, argv))) ? 0 : 1;
  });
}

if (require.main === module) main('bench', { families: DEFAULT_FAMILIES });
