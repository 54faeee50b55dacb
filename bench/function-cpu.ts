/**
 * `npm run bench:functions`: the CPU one warm invocation of each function costs on the local runtime, measured in one
 * run, with two baselines beside it.
 *
 * - The shop's functions: after a warm-up, `--orders` orders (default 40) placed one after another, half synchronous
 *   and half `Prefer: respond-async`, each followed until it is SHIPPED and every queue and delivery it caused has
 *   drained. Each function's CPU (its execution environments' threads, as `/_local/cpu` reads them) over the run,
 *   divided by its invocations in the run: the CPU of one warm invocation, everything the function's thread did for it
 *   included (the handler, the SDK's calls, the runtime's own work in the worker).
 * - Baselines, in the same runtime and run: an empty handler, and one doing a single DynamoDB GetItem against the
 *   edge (the client made once, as the shop's are), each bundled as the shop's functions are and invoked
 *   `--orders` times in an execution environment of its own.
 *
 * Cold starts during the measured part are counted: one there puts an init's CPU into its function's figure.
 *
 * `--assembly <dir>` runs another synth's cloud assembly (default `cdk.out`), e.g. one of the commit before a change.
 * `LOCAL_LAMBDA_CPU_PROF_DIR=<dir>` makes each execution environment write a CPU profile there when the run ends.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { synthesizeUnlessUpToDate } from '../local/cli/synth-unless-up-to-date';
import { FunctionPool } from '../local/lambda/function-pool';
import type { LambdaFunctionConfig } from '../local/lambda/function-config';
import { BenchShop, FINAL_STATUSES } from './support/bench-shop';
import { HttpClient } from './support/http-client';
import { orderRequest, type OrderKind } from './support/order-requests';
import { runScript, scriptFlags, ScriptUsageError } from './support/script-flags';
import { bundleLikeShop } from './support/shop-like-bundle';

const ROOT = path.resolve(__dirname, '..');
const WARM_UP_ORDERS = 6;
const POLL_MS = 5;
const ORDER_DEADLINE_MS = 20_000;
const REGION = 'us-east-1';
const USAGE =
  'usage: npm run bench:functions -- [--orders 40] [--assembly cdk.out]\n' +
  '  --orders    orders measured, one after another, half sync and half async (2 or more)\n' +
  '  --assembly  the cloud assembly to run (another synth\'s, e.g. of the commit before a change)\n' +
  '  LOCAL_LAMBDA_CPU_PROF_DIR=<dir> makes each execution environment write a CPU profile there';

/** The baselines' handlers, bundled as `ServiceFunction` bundles the shop's (esbuild, minified ESM, node24, SDK inside). */
const PROBES = {
  BenchEmptyHandler: `export const handler = async () => ({ ok: true });`,
  BenchOneGetItem: [
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
    `import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';`,
    `const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));`,
    `export const handler = async () => {`,
    `  const out = await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { sku: 'SKU-0001' } }));`,
    `  return { found: out.Item !== undefined };`,
    `};`,
  ].join('\n'),
} as const;

interface FunctionFigure {
  readonly name: string;
  readonly invocations: number;
  readonly cpuMs: number;
  readonly coldStarts: number;
}

async function main(argv: readonly string[]): Promise<void> {
  const flags = scriptFlags(argv, ['--orders', '--assembly']);
  const assemblyDir = path.resolve(flags.value('--assembly', path.join(ROOT, 'cdk.out')));
  const orders = Number(flags.value('--orders', '40'));
  if (!Number.isInteger(orders) || orders < 2) throw new ScriptUsageError(`--orders must be an integer of at least 2, not ${flags.value('--orders', '')}`);
  if (assemblyDir === path.join(ROOT, 'cdk.out')) await synthesizeUnlessUpToDate({ root: ROOT, assemblyDir, label: 'bench:functions' });
  else if (!existsSync(path.join(assemblyDir, 'manifest.json'))) throw new ScriptUsageError(`no cloud assembly in ${assemblyDir}`);
  const [load1] = loadavg();
  console.log(`bench:functions: ${orders} orders, ${path.relative(ROOT, assemblyDir) || '.'}, Node ${process.version}, ${cpus().length} cores, load average ${load1.toFixed(2)} at start`);
  const probeDir = mkdtempSync(path.join(tmpdir(), 'bench-functions-'));
  const shop = await BenchShop.start({ assemblyDir });
  const http = new HttpClient({ maxSockets: 4 });
  const probes: FunctionPool[] = [];
  try {
    const customer = await shop.customer('bench-functions');
    const place = (kind: OrderKind, i: number) => placeAndFollow(shop, http, kind, shop.skus[i % shop.skus.length], customer.idToken);

    console.log(`  warming up with ${WARM_UP_ORDERS} orders…`);
    for (let i = 0; i < WARM_UP_ORDERS; i++) await place(i % 2 === 0 ? 'sync' : 'async', i);
    const cpuBefore = (await shop.runtime.cpuUsage()).functionsMs;
    const names = Object.keys(cpuBefore);
    const coldBefore = new Map(names.map((name) => [name, shop.coldStarts(name)]));
    const countsBefore = new Map(names.map((name) => [name, shop.runtime.invocationCount(name)]));
    const started = performance.now();
    for (let i = 0; i < orders; i++) {
      await place(i % 2 === 0 ? 'sync' : 'async', i);
      if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${orders} orders`);
    }
    const wallMs = performance.now() - started;
    const cpuAfter = (await shop.runtime.cpuUsage()).functionsMs;
    const figures: FunctionFigure[] = names
      .map((name) => ({
        name,
        invocations: shop.runtime.invocationCount(name) - (countsBefore.get(name) ?? 0),
        cpuMs: (cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0),
        coldStarts: shop.coldStarts(name) - (coldBefore.get(name) ?? 0),
      }))
      .filter((figure) => figure.invocations > 0);

    const baselines: FunctionFigure[] = [];
    for (const [name, source] of Object.entries(PROBES)) {
      const pool = new FunctionPool(probeConfig(shop, probeDir, name, source), { maxEnvironments: 1 });
      probes.push(pool);
      baselines.push(await measureProbe(pool, name, orders));
    }

    console.log('');
    console.log(`| function | invocations | cold starts | CPU per invocation (ms) | CPU per order (ms) |`);
    console.log(`| --- | ---: | ---: | ---: | ---: |`);
    let total = 0;
    for (const f of figures.sort((a, b) => b.cpuMs - a.cpuMs)) {
      total += f.cpuMs;
      console.log(`| ${f.name} | ${f.invocations} | ${f.coldStarts} | ${(f.cpuMs / f.invocations).toFixed(2)} | ${(f.cpuMs / orders).toFixed(2)} |`);
    }
    const invocations = figures.reduce((sum, f) => sum + f.invocations, 0);
    console.log(`| **all functions** | ${invocations} | ${figures.reduce((sum, f) => sum + f.coldStarts, 0)} | ${(total / invocations).toFixed(2)} | ${(total / orders).toFixed(2)} |`);
    for (const b of baselines) console.log(`| baseline: ${b.name} | ${b.invocations} | ${b.coldStarts} | ${(b.cpuMs / b.invocations).toFixed(2)} | — |`);
    console.log('');
    console.log(`${orders} orders in ${(wallMs / 1000).toFixed(1)} s; load average ${loadavg()[0].toFixed(2)} at the end`);
  } finally {
    http.close();
    await Promise.all(probes.map((pool) => pool.stop()));
    await shop.stop();
    rmSync(probeDir, { recursive: true, force: true });
  }
}

/** Places one order and waits until it is SHIPPED and everything it set off has run (queues empty, deliveries done). */
async function placeAndFollow(shop: BenchShop, http: HttpClient, kind: OrderKind, sku: string, idToken: string): Promise<void> {
  const spec = orderRequest(shop.publicUrl, kind, sku, idToken);
  const outcome = await http.send({ method: spec.method, url: spec.url, headers: { ...spec.headers, 'idempotency-key': crypto.randomUUID() }, body: spec.body });
  if (outcome.status !== (kind === 'sync' ? 201 : 202)) throw new Error(`POST /orders (${kind}) answered ${outcome.status}: ${outcome.body || outcome.error}`);
  const { orderId } = JSON.parse(outcome.body) as { orderId: string };
  const deadline = performance.now() + ORDER_DEADLINE_MS;
  for (;;) {
    const [order] = await shop.orders([orderId]);
    if (order && FINAL_STATUSES.has(order.status)) {
      if (order.status !== 'SHIPPED') throw new Error(`order ${orderId} ended ${order.status}`);
      break;
    }
    if (performance.now() > deadline) throw new Error(`order ${orderId} still ${order?.status ?? 'absent'} after ${ORDER_DEADLINE_MS} ms`);
    await sleep(POLL_MS);
  }
  // What follows SHIPPED (notifications, projections) drains before the next order starts.
  for (;;) {
    await shop.runtime.eventsSettled();
    const depths = await shop.queueDepths();
    if ([...depths.values()].every((depth) => depth === 0)) return;
    if (performance.now() > deadline) throw new Error(`queues still busy after order ${orderId}: ${JSON.stringify(Object.fromEntries(depths))}`);
    await sleep(POLL_MS);
  }
}

/** A baseline function: `source` bundled into `probeDir/name`, with the edge as its endpoint and the admin's keys. */
function probeConfig(shop: BenchShop, probeDir: string, name: string, source: string): LambdaFunctionConfig {
  const codeDir = path.join(probeDir, name);
  const entry = path.join(probeDir, `${name}.mjs`);
  writeFileSync(entry, source);
  bundleLikeShop(entry, path.join(codeDir, 'index.mjs'));
  const outputs = shop.runtime.outputs;
  return {
    logicalId: name,
    shortName: name,
    functionName: name,
    arn: `arn:aws:lambda:${REGION}:000000000000:function:${name}`,
    codeDir,
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    timeoutSeconds: 10,
    memorySizeMb: 256,
    environment: { TABLE_NAME: outputs.ProductsTableName },
    region: REGION,
    endpointUrl: shop.runtime.edgeUrl,
    credentials: { ...shop.runtime.credentials, sessionToken: '' },
    tracingActive: false,
    logGroupName: `/aws/lambda/${name}`,
    logFormat: 'JSON',
  };
}

/** `invocations` warm invocations of a baseline after as many to warm it: its CPU over the measured ones. */
async function measureProbe(pool: FunctionPool, name: string, invocations: number): Promise<FunctionFigure> {
  for (let i = 0; i < invocations; i++) await expectOk(pool, name);
  const before = await pool.cpuMs();
  for (let i = 0; i < invocations; i++) await expectOk(pool, name);
  return { name, invocations, cpuMs: (await pool.cpuMs()) - before, coldStarts: 0 };
}

async function expectOk(pool: FunctionPool, name: string): Promise<void> {
  const result = await pool.invoke({});
  if (!result.ok) throw new Error(`${name} failed: ${result.error.errorType}: ${result.error.errorMessage}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

void runScript('bench:functions', USAGE, main);
