/**
 * The synthesized app a tool runs (`cdk.out`), synthesized first unless it is up to date. Up to date is decided as
 * `npm start` decides it, by the same code: the app's inputs by content, against those recorded at the last synth
 * (`synth-stamp.ts`), never by file times. The synth stamps the assembly as `npm start`'s does, so each reuses what the
 * other synthesized. The e2e suite's setup and the benchmarks use it: a benchmark run after an edit measures the edit.
 */
import * as path from 'node:path';
import { reuseDecision } from './synth-stamp';
import { currentSynthInputs, synthesize, type SynthOptions } from './synthesize';

export interface SynthUnlessUpToDateOptions {
  /** The project's folder (where cdk.json is). */
  readonly root: string;
  readonly assemblyDir: string;
  /** Who synthesizes, at the start of the line that says so (`e2e`, `bench:flows`). */
  readonly label: string;
  /** @default synthesize, `npm start`'s synth (`cdk synth --quiet`, then the stamp) */
  readonly synthesize?: (options: SynthOptions) => Promise<unknown>;
  /** @default - written to stdout */
  readonly log?: (line: string) => void;
}

/** Synthesizes `assemblyDir` unless it is up to date with the app in `root`; says whether it did. */
export async function synthesizeUnlessUpToDate(options: SynthUnlessUpToDateOptions): Promise<boolean> {
  const { root, assemblyDir } = options;
  const name = path.relative(root, assemblyDir) || '.';
  const decision = reuseDecision(assemblyDir, currentSynthInputs(root), name);
  if (decision.reuse) return false;
  (options.log ?? ((line) => process.stdout.write(`${line}\n`)))(`${options.label}: running \`cdk synth --quiet\` (${decision.reason})…`);
  await (options.synthesize ?? synthesize)({ root, assemblyDir, output: 'inherit' });
  return true;
}
