/**
 * `npm run bench:bundles`: for every function in the synthesized app, its minified bundle size and the time a fresh
 * Node.js process takes to load it, next to an empty handler's load time measured in the same run.
 *
 * Targets (issue 2): every bundle ≤ 250 KB (256,000 bytes); load time over the empty handler's ≤ 30 ms.
 * Load time = the `import()` of the bundle in a fresh process with the function's own environment (NODE_OPTIONS
 * included), what a cold start pays before the handler runs; median of BENCH_RUNS runs, interleaved with the
 * baselines so machine noise hits all alike. A second baseline, a handler that only builds the DynamoDB document
 * client (bundled with the same esbuild settings), shows how much of each figure is the AWS SDK's own floor.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCloudAssembly } from '../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver, ResolverContext } from '../local/assembly/intrinsics';
import { synthesizeUnlessUpToDate } from '../local/cli/synth-unless-up-to-date';
import { runScript, scriptFlags } from './support/script-flags';
import { bundleLikeShop } from './support/shop-like-bundle';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SIZE_BUDGET_BYTES = 250 * 1024;
const LOAD_BUDGET_MS = 30;
const USAGE = 'usage: [BENCH_RUNS=15] npm run bench:bundles\n  BENCH_RUNS  how many times each bundle is loaded, interleaved with the baselines (the median is reported)';

const LOADER = `
const url = process.argv[1];
const t0 = performance.now();
await import(url);
process.stdout.write(String(performance.now() - t0));
`;

function loadOnce(bundle: string, env: Record<string, string>): number {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', LOADER, pathToFileURL(bundle).href], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return Number(out);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(argv: readonly string[]): Promise<void> {
  scriptFlags(argv, []);
  const assemblyDir = path.join(ROOT, 'cdk.out');
  await synthesizeUnlessUpToDate({ root: ROOT, assemblyDir, label: 'bench:bundles' });
  const [stack] = loadCloudAssembly(assemblyDir);
  const context: ResolverContext = {
    region: 'us-east-1',
    accountId: '000000000000',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: stack.stackName,
    stackId: `arn:aws:cloudformation:us-east-1:000000000000:stack/${stack.stackName}/bench`,
  };
  const resolver = new IntrinsicResolver(stack.template, context, assignPhysicalIds(stack.template, context, { edgeUrl: 'http://127.0.0.1:4566' }));

  const baselineDir = mkdtempSync(path.join(tmpdir(), 'bench-baselines-'));
  const baseline = path.join(baselineDir, 'empty.mjs');
  writeFileSync(baseline, 'export const handler = async () => ({});\n');
  const sdkOnly = buildSdkOnlyBaseline(baselineDir);

  const functions = Object.entries(stack.template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  console.log(`bench:bundles: ${functions.length} functions, ${RUNS} fresh-process loads each (Node ${process.version})`);
  const rows: { name: string; bytes: number; loadMs: number; baselineMs: number; sdkMs: number }[] = [];
  for (const [logicalId, resource] of functions) {
    const dir = stack.lambdaCodeDir(logicalId);
    const file = readdirSync(dir).find((f) => /^index\.(mjs|js)$/.test(f));
    if (!file) throw new Error(`${logicalId}: no index.mjs/index.js in ${dir}`);
    const bundle = path.join(dir, file);
    const variables = ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {};
    const env: Record<string, string> = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
    for (const [k, v] of Object.entries(variables)) env[k] = resolver.resolveString(v);
    const load: number[] = [];
    const base: number[] = [];
    const sdk: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(loadOnce(baseline, env));
      sdk.push(loadOnce(sdkOnly, env));
      load.push(loadOnce(bundle, env));
    }
    const row = {
      name: logicalId.replace(/[0-9A-F]{8}$/, ''),
      bytes: statSync(bundle).size,
      loadMs: median(load),
      baselineMs: median(base),
      sdkMs: median(sdk),
    };
    rows.push(row);
    process.stdout.write(`  measured ${row.name}\n`);
  }

  const pad = (s: string, n: number) => s.padEnd(n);
  const lpad = (s: string, n: number) => s.padStart(n);
  const nameWidth = Math.max(...rows.map((r) => r.name.length), 8);
  console.log('');
  console.log(`| ${pad('function', nameWidth)} | bundle (KiB) | load p50 (ms) | empty p50 (ms) | over empty (ms) | SDK-only over empty (ms) | verdict |`);
  console.log(`| ${'-'.repeat(nameWidth)} | -----------: | ------------: | -------------: | --------------: | -----------------------: | ------- |`);
  let ok = true;
  for (const r of rows) {
    const over = r.loadMs - r.baselineMs;
    const pass = r.bytes <= SIZE_BUDGET_BYTES && over <= LOAD_BUDGET_MS;
    ok &&= pass;
    console.log(
      `| ${pad(r.name, nameWidth)} | ${lpad((r.bytes / 1024).toFixed(1), 12)} | ${lpad(r.loadMs.toFixed(1), 13)} | ${lpad(r.baselineMs.toFixed(1), 14)} | ${lpad(over.toFixed(1), 15)} | ${lpad((r.sdkMs - r.baselineMs).toFixed(1), 24)} | ${pass ? 'ok     ' : 'OVER   '} |`,
    );
  }
  console.log('');
  console.log(`SDK-only: a handler that only builds the DynamoDB document client, ${(statSync(sdkOnly).size / 1024).toFixed(1)} KiB with the same esbuild settings.`);
  console.log(`targets: bundle ≤ ${SIZE_BUDGET_BYTES / 1024} KiB, load over the empty handler ≤ ${LOAD_BUDGET_MS} ms — ${ok ? 'all met' : 'NOT all met'}`);
  process.exitCode = ok ? 0 : 1;
}

/** The floor every function pays: the DynamoDB document client alone, bundled as ServiceFunction bundles. */
function buildSdkOnlyBaseline(dir: string): string {
  const entry = path.join(dir, 'sdk-only.ts');
  writeFileSync(
    entry,
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      'export const handler = async () => client.config.region();',
    ].join('\n'),
  );
  const outfile = path.join(dir, 'sdk-only.mjs');
  bundleLikeShop(entry, outfile);
  return outfile;
}

void runScript('bench:bundles', USAGE, main);
