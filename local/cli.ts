/**
 * `npm start`: synthesizes the app, runs it on the local runtime, seeds the catalog and prints how to call it.
 *
 *   npm start                              # cdk synth, then edge on :4566 and the APIs from :3000
 *   npm start -- --no-synth                # reuse cdk.out as it is
 *   npm start -- --edge-port 4567 --api-port 3100
 *   npm start -- --no-synth --assembly /tmp/other.out   # run another cloud assembly
 *   npm start -- --time-scale 0.05         # SQS visibility timeouts, delays and retry backoffs 20 times shorter
 *   npm start -- --outputs-file out.json   # the stack's outputs elsewhere (default cdk-outputs.local.json)
 *   npm start -- --help
 *
 * Ports also come from LOCAL_EDGE_PORT and LOCAL_API_PORT, the time scale from LOCAL_TIME_SCALE (flags win). The time
 * scale multiplies the waits that exist only to let time pass: the template's SQS VisibilityTimeout, DelaySeconds and
 * ReceiveMessageWaitTimeSeconds (rounded to whole seconds, at least 1 s: fauxqs takes nothing finer), a message's
 * VisibilityTimeout and DelaySeconds through the edge (to the millisecond), and the EventBridge, Lambda async and
 * Kinesis retry backoffs; never function or API timeouts (`--help` has the details, `runtime.ts` too). Ctrl-C stops
 * everything and exits 0.
 *
 * Once running it writes the stack's outputs as `cdk deploy --outputs-file` does (cdk-outputs.local.json), and prints
 * the command that runs the e2e suite against it (`npm run test:deployed`) as against any deployment; Ctrl-C removes
 * the file again.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type DemoUser, seedDemoUsers, seedShop, signInCommand } from '../bin/seed';
import { loadCloudAssembly } from './assembly/cloud-assembly';
import { controlUrlOf, DEFAULT_OUTPUTS_FILE, deployedSuiteCommand, HELP, outputsFileText, parseCliOptions, type CliOptions } from './cli-options';
import { LocalRuntime, startLocalRuntime } from './runtime';

const ROOT = path.resolve(__dirname, '..');

function synthesize(options: CliOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', 'synth', '--quiet', '--output', options.assemblyDir], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`cdk synth failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** The stack the runtime runs: `--stack`, or the assembly's only one (the runtime refuses anything else). */
function stackNameOf(options: CliOptions): string {
  return options.stackName ?? loadCloudAssembly(options.assemblyDir)[0].stackName;
}

/** Writes the outputs file; the returned function removes it again, unless something else rewrote it meanwhile. */
function writeOutputsFile(file: string, text: string): () => void {
  writeFileSync(file, text);
  return () => {
    try {
      if (readFileSync(file, 'utf8') === text) rmSync(file);
    } catch {
      // already gone
    }
  };
}

/** As the user types it: relative to the project's folder when it is inside it. */
function displayPath(file: string): string {
  const relative = path.relative(ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** The SKU of the first product, to make the example curl lines real. */
async function firstSku(publicUrl: string): Promise<string> {
  try {
    const res = await fetch(new URL('products?limit=1', publicUrl));
    const body = (await res.json()) as { items?: { sku?: string }[] };
    return body.items?.[0]?.sku ?? 'SKU-0001';
  } catch {
    return 'SKU-0001';
  }
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), process.env, ROOT);
  if (options.help) {
    console.log(HELP);
    return;
  }
  // Signals may arrive at any step; they stop whatever has started.
  const state: { runtime?: LocalRuntime; removeOutputsFile?: () => void; stopping: boolean } = { stopping: false };
  const shutdown = async (signal: string) => {
    if (state.stopping) {
      console.log(`\n${signal} again: exiting now`);
      process.exit(1);
    }
    state.stopping = true;
    console.log(`\n${signal}: stopping the local runtime…`);
    state.removeOutputsFile?.();
    await state.runtime?.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (options.synth) {
    console.log('▶ cdk synth --quiet');
    await synthesize(options);
    console.log(`✓ synthesized ${path.relative(ROOT, options.assemblyDir) || '.'}`);
  } else {
    console.log(`▶ --no-synth: using ${options.assemblyDir} as it is`);
  }
  if (state.stopping) return;

  const runtime = await startLocalRuntime({
    assemblyDir: options.assemblyDir,
    edgePort: options.edgePort,
    apiBasePort: options.apiPort,
    ...(options.stackName ? { stackName: options.stackName } : {}),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    log: (line) => console.log(line),
  });
  state.runtime = runtime;
  if (state.stopping) {
    await runtime.stop();
    return;
  }

  const { outputs } = runtime;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  if (outputs.ProductsTableName && outputs.StockTableName) {
    const seeded = await seedShop({
      endpoint: runtime.edgeUrl,
      region,
      productsTableName: outputs.ProductsTableName,
      stockTableName: outputs.StockTableName,
      credentials: runtime.credentials,
    });
    console.log(`✓ seeded ${seeded.products} products and ${seeded.stock} stock levels`);
  } else {
    console.log('! no ProductsTableName/StockTableName outputs: nothing seeded');
  }
  let users: DemoUser[] = [];
  if (outputs.UserPoolId && outputs.UserPoolClientId) {
    users = await seedDemoUsers({ endpoint: runtime.edgeUrl, region, userPoolId: outputs.UserPoolId, clientId: outputs.UserPoolClientId, credentials: runtime.credentials });
    console.log(`✓ seeded the demo users ${users.map((user) => user.username).join(', ')} in user pool ${outputs.UserPoolId}`);
  }

  const outputsFile = options.outputsFile ?? path.join(ROOT, DEFAULT_OUTPUTS_FILE);
  state.removeOutputsFile = writeOutputsFile(outputsFile, outputsFileText(stackNameOf(options), outputs));

  const publicUrl = outputs.PublicApiUrl ?? runtime.apis[0]?.url ?? '';
  const internalUrl = outputs.InternalApiUrl ?? runtime.apis[1]?.url ?? '';
  const sku = publicUrl ? await firstSku(publicUrl) : 'SKU-0001';
  const order = JSON.stringify({ lines: [{ sku, quantity: 1 }] });
  const alice = users.find((user) => user.username === 'alice');
  const staff = users.find((user) => user.username === 'staff');
  console.log(
    [
      '',
      `Hybrid Shop is running locally (ready in ${process.uptime().toFixed(1)} s). Ctrl-C stops it.`,
      '',
      `  public API    ${publicUrl}`,
      `  internal API  ${internalUrl}   (IAM auth: SigV4 with the admin pair test/test, or a function's role)`,
      `  edge          ${runtime.edgeUrl}   (AWS_ENDPOINT_URL for the AWS CLI and SDKs; faults: ${runtime.edgeUrl}/_local/faults)`,
      ...(runtime.timeScale !== 1 ? [`  time scale    ${runtime.timeScale}   (SQS visibility timeouts, delays and retry backoffs; not function or API timeouts)`] : []),
      `  outputs       ${displayPath(outputsFile)}   (as \`cdk deploy --outputs-file\` writes them)`,
      `  control API   ${controlUrlOf(runtime.edgeUrl)}   (faults, functions: SHOP_CONTROL_URL for the e2e suite)`,
      '',
      'Run the e2e suite against it, as against any deployment:',
      `  ${deployedSuiteCommand({ outputsFile: displayPath(outputsFile), edgeUrl: runtime.edgeUrl, region, timeScale: runtime.timeScale })}`,
      '',
      ...(users.length > 0
        ? [
            'Demo users (passwords are new on every start):',
            ...users.map((user) => `  ${user.username.padEnd(6)} ${user.password}${user.groups.length > 0 ? `   (groups: ${user.groups.join(', ')}: may read GET /analytics/sales)` : ''}`),
            '',
          ]
        : []),
      'Try (the catalog is public; orders need a signed-in customer\'s ID token in Authorization):',
      `  curl -s '${publicUrl}products?limit=3'`,
      `  curl -s '${publicUrl}products/${sku}'`,
      ...(alice && outputs.UserPoolClientId
        ? [
            `  ${signInCommand(`${runtime.edgeUrl}/`, outputs.UserPoolClientId, alice)}`,
            `  curl -si -X POST '${publicUrl}orders' -H "Authorization: $TOKEN" -H 'content-type: application/json' -H "Idempotency-Key: $(date +%s%N)" -d '${order}'`,
          ]
        : []),
      ...(staff && outputs.UserPoolClientId
        ? [`  ${signInCommand(`${runtime.edgeUrl}/`, outputs.UserPoolClientId, staff).replace('TOKEN=', 'STAFF_TOKEN=')}`, `  curl -s '${publicUrl}analytics/sales' -H "Authorization: $STAFF_TOKEN"`]
        : []),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`✗ ${message}`);
  if (message.includes('EADDRINUSE')) {
    console.error('  a port is taken (another `npm start`?): pick others with --edge-port/--api-port or LOCAL_EDGE_PORT/LOCAL_API_PORT');
  }
  process.exit(1);
});
