/**
 * Before the e2e suite: the synthesized app it runs (`cdk.out`), synthesized unless it is up to date. Up to date is
 * decided as `npm start` decides it, by the same code: the app's inputs by content, against those recorded at the
 * last synth (local/cli/synth-stamp.ts), never by file times. The synth stamps the assembly as `npm start`'s does, so
 * each reuses what the other synthesized.
 */
import * as path from 'node:path';
import { reuseDecision } from '../../local/cli/synth-stamp';
import { currentSynthInputs, synthesize, type SynthOptions } from '../../local/cli/synthesize';

const ROOT = path.resolve(__dirname, '../..');

export interface SynthUnlessUpToDateOptions {
  /** The project's folder (where cdk.json is). */
  readonly root: string;
  readonly assemblyDir: string;
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
  (options.log ?? ((line) => process.stdout.write(`${line}\n`)))(`\ne2e: running \`cdk synth --quiet\` (${decision.reason})…`);
  await (options.synthesize ?? synthesize)({ root, assemblyDir, output: 'inherit' });
  return true;
}

export default async function globalSetup(): Promise<void> {
  await synthesizeUnlessUpToDate({ root: ROOT, assemblyDir: path.join(ROOT, 'cdk.out') });
}
