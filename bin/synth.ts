#!/usr/bin/env node
/**
 * `cdk synth --quiet` into cdk.out as `npm start` runs it (local/cli/synthesize.ts): the assembly is stamped with the
 * inputs it was synthesized from, so `npm start` and the e2e suite's setup reuse it instead of synthesizing again.
 * CI's synth check runs this (`.ci/run`); a plain `npx cdk synth` writes the same assembly without the stamp.
 */
import * as path from 'node:path';
import { synthesize } from '../local/cli/synthesize';

const ROOT = path.resolve(__dirname, '..');

if (require.main === module) {
  synthesize({ root: ROOT, assemblyDir: path.join(ROOT, 'cdk.out'), output: 'inherit' }).then(
    (stamp) => console.log(`synth: cdk.out written and stamped (${stamp.bundles.length} bundles)`),
    (error: unknown) => {
      console.error(`synth: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
