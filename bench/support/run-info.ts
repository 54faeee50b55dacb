/**
 * The environment a bench family ran in, written at the top of each report section: Node.js version, CPU, cores,
 * OS, load average, the commit (marked when the tree has uncommitted changes) and the command that produced it.
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import type { RunInfo } from './results';

/** What `runInfo` needs from the start of the run: its start time and load average then. */
export interface RunStart {
  readonly startedAt: Date;
  readonly loadAverage: number;
}

export const runStart = (): RunStart => ({ startedAt: new Date(), loadAverage: os.loadavg()[0] });

export function runInfo(start: RunStart, command: string, quick: boolean, cwd: string): RunInfo {
  const cpus = os.cpus();
  return {
    command,
    startedAt: start.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: commitOf(cwd),
    quick,
    loadAverage: [round2(start.loadAverage), round2(os.loadavg()[0])],
  };
}

/**
 * What the bench itself writes in the checkout (`npm run bench` without `--out`): a family run after another has
 * rewritten these, and they say nothing about the code measured.
 */
const BENCH_OUTPUTS = ['bench/report.md', 'bench/report.html', 'bench/charts', 'bench/results'];

/** The commit checked out in `cwd`, marked when tracked files other than the bench's own outputs have changed. */
export function commitOf(cwd: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', ':/', ...BENCH_OUTPUTS.map((output) => `:(top,exclude)${output}`));
    return changed === '' ? commit : `${commit} + uncommitted changes`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
