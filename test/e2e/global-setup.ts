/**
 * Before the e2e suite: the synthesized app it runs (`cdk.out`), synthesized unless it is up to date, as `npm start`
 * decides it (local/cli/synth-unless-up-to-date.ts).
 */
import * as path from 'node:path';
import { synthesizeUnlessUpToDate } from '../../local/cli/synth-unless-up-to-date';

const ROOT = path.resolve(__dirname, '../..');

export default async function globalSetup(): Promise<void> {
  // Jest's own output ends its line without a newline: the synth's line starts on one of its own.
  await synthesizeUnlessUpToDate({ root: ROOT, assemblyDir: path.join(ROOT, 'cdk.out'), label: 'e2e', log: (line) => process.stdout.write(`\n${line}\n`) });
}
