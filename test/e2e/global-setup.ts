import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const template = path.join(root, 'cdk.out', 'HybridShop.template.json');

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The e2e suite runs the synthesized app: synthesize once unless cdk.out is newer than every source. */
export default function globalSetup(): void {
  const sources = ['bin', 'lib', 'lambdas'].map((d) => newestSourceMtime(path.join(root, d)));
  const fresh = existsSync(template) && statSync(template).mtimeMs > Math.max(...sources);
  if (fresh) return;
  process.stdout.write('\ne2e: cdk.out is missing or older than the sources; running `cdk synth`…\n');
  execFileSync('npx', ['cdk', 'synth', '--quiet'], { cwd: root, stdio: 'inherit' });
}
