/**
 * The command line that runs a CDK app on the local runtime: synthesizes it (unless `--no-synth`, or its cloud
 * assembly is up to date with its files by content: `synth-stamp.ts`), starts the runtime,
 * lets the app seed itself, writes the stack's outputs as `cdk deploy --outputs-file` does
 * (`cdk-outputs.local.json`) and prints how to reach it, with the command that runs the e2e suite against it
 * (`npm run test:deployed`) as against any deployment. Ctrl-C stops everything, removes the outputs file again and
 * exits 0. With `--watch` it builds the app again on every change and swaps it into the running runtime
 * (`watch-app.ts`). The flags and the environment variables are in `cli-options.ts` (`--help`).
 *
 * What is the app's own, its data and users and its lines of the banner, is a `LocalApp` the app's entry gives
 * (the shop's: `bin/local-shop.ts`, `npm start`).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stackEnvironments } from '../assembly/cloud-assembly';
import { CONSOLE_PATH } from '../console/console-path';
import type { LocalRuntime } from '../runtime';
import { DEFAULT_KINESIS_BACKEND } from '../kinesis/kinesis-backend-name';
import { startEmulatorsAhead } from '../runtime/emulators-ahead';
import { stackEnvironment } from '../runtime/read-stack';
import { controlUrlOf, DEFAULT_OUTPUTS_FILE, deployedSuiteCommand, HELP, outputsFileText, parseCliOptions, type CliOptions } from './cli-options';
import { appFolders, describeFolders } from './synth-inputs';
import { reuseDecision, type ReuseDecision } from './synth-stamp';
import { currentSynthInputs, synthesize } from './synthesize';
import { watchApp, type AppWatcher } from './watch-app';

/** What an app's lines of the banner are. */
export interface AppBanner {
  /** Its APIs, under the banner's title: `  public API    http://127.0.0.1:3000/prod/`. */
  readonly apis: readonly string[];
  /** How to try it, at the end of the banner (demo users, curl lines…). */
  readonly tryIt: readonly string[];
}

/** What the command line does for one app, beyond running it. */
export interface LocalApp<Seeded> {
  /** The app's name in the banner: `{name} is running locally`. */
  readonly name: string;
  /** The folder of the app's project: where `cdk synth` runs, `cdk.out` and the outputs file are. */
  readonly root: string;
  /**
   * Seeds the running app (its data, its users); progress lines go to `log`.
   *
   * @default - nothing is seeded
   */
  seed?(runtime: LocalRuntime, context: { readonly region: string; readonly log: (line: string) => void }): Promise<Seeded>;
  /**
   * The app's lines of the banner, once it is seeded.
   *
   * @default - each REST API by name and URL, and nothing to try
   */
  banner?(runtime: LocalRuntime, seeded: Seeded | undefined): Promise<AppBanner>;
}

/**
 * Makes the assembly ready to run: as it is with `--no-synth`; reused when it is up to date with the app (by content,
 * `synth-stamp.ts`); synthesized otherwise, saying why.
 */
async function prepareAssembly(root: string, options: CliOptions): Promise<void> {
  const name = displayPath(root, options.assemblyDir) || '.';
  if (!options.synth) {
    console.log(`▶ --no-synth: using ${options.assemblyDir} as it is`);
    return;
  }
  const checked = performance.now();
  const decision: ReuseDecision = options.forceSynth ? { reuse: false, reason: '--force-synth' } : reuseDecision(options.assemblyDir, currentSynthInputs(root), name);
  if (decision.reuse) {
    const folders = describeFolders(appFolders(root));
    const ms = Math.round(performance.now() - checked);
    console.log(`✓ ${name} is up to date with ${folders} (content hash ${decision.inputsHash.slice(0, 12)}, checked in ${ms} ms): reused, not re-synthesized`);
    return;
  }
  console.log(`▶ cdk synth --quiet (${decision.reason})`);
  await synthesize({ root, assemblyDir: options.assemblyDir, output: 'inherit' });
  console.log(`✓ synthesized ${path.relative(root, options.assemblyDir) || '.'}`);
}

/** The stack the runtime runs: `--stack`, or the assembly's only one (the runtime refuses anything else). */
function stackNameOf(options: CliOptions): string {
  return options.stackName ?? stackEnvironments(options.assemblyDir)[0].stackName;
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
function displayPath(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function defaultBanner(runtime: LocalRuntime): AppBanner {
  return { apis: runtime.apis.map((api) => `  ${api.name}  ${api.url}`), tryIt: [] };
}

async function run<Seeded>(app: LocalApp<Seeded>): Promise<void> {
  const { root } = app;
  const options = parseCliOptions(process.argv.slice(2), process.env, root);
  if (options.help) {
    console.log(HELP);
    return;
  }
  // Signals may arrive at any step; they stop whatever has started.
  const state: { runtime?: LocalRuntime; watcher?: AppWatcher; removeOutputsFile?: () => void; stopping: boolean } = { stopping: false };
  const shutdown = async (signal: string) => {
    if (state.stopping) {
      console.log(`\n${signal} again: exiting now`);
      process.exit(1);
    }
    state.stopping = true;
    console.log(`\n${signal}: stopping the local runtime…`);
    state.removeOutputsFile?.();
    await state.watcher?.stop();
    await state.runtime?.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // fauxqs (and kinesis-local, when it serves Kinesis) boot on the other cores while this process loads the runtime and
  // checks the assembly.
  const kinesis = options.kinesis ?? DEFAULT_KINESIS_BACKEND;
  const environment = stackEnvironment({ assemblyDir: options.assemblyDir, ...(options.stackName ? { stackName: options.stackName } : {}) });
  const emulatorsAhead = startEmulatorsAhead({ ...environment, kinesisBackend: kinesis });
  const { startLocalRuntime } = await import('../runtime');
  await prepareAssembly(root, options);
  if (state.stopping) return;

  const runtime = await startLocalRuntime({
    assemblyDir: options.assemblyDir,
    edgePort: options.edgePort,
    apiBasePort: options.apiPort,
    ...(options.stackName ? { stackName: options.stackName } : {}),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    emulatorsAhead,
    kinesis,
    ...(options.backgroundConcurrency !== undefined ? { backgroundConcurrency: options.backgroundConcurrency } : {}),
    log: (line) => console.log(line),
  });
  state.runtime = runtime;
  if (state.stopping) {
    await runtime.stop();
    return;
  }

  const region = process.env.AWS_REGION ?? 'us-east-1';
  const seeded = await app.seed?.(runtime, { region, log: (line) => console.log(line) });

  const outputsFile = options.outputsFile ?? path.join(root, DEFAULT_OUTPUTS_FILE);
  state.removeOutputsFile = writeOutputsFile(outputsFile, outputsFileText(stackNameOf(options), runtime.outputs));

  const banner = (await app.banner?.(runtime, seeded)) ?? defaultBanner(runtime);
  console.log(
    [
      '',
      `${app.name} is running locally (ready in ${process.uptime().toFixed(1)} s). Ctrl-C stops it.`,
      '',
      ...banner.apis,
      `  edge          ${runtime.edgeUrl}   (AWS_ENDPOINT_URL for the AWS CLI and SDKs; faults: ${runtime.edgeUrl}/_local/faults)`,
      ...(runtime.timeScale !== 1 ? [`  time scale    ${runtime.timeScale}   (SQS visibility timeouts, delays and retry backoffs; not function or API timeouts)`] : []),
      `  outputs       ${displayPath(root, outputsFile)}   (as \`cdk deploy --outputs-file\` writes them)`,
      `  control API   ${controlUrlOf(runtime.edgeUrl)}   (faults, functions: SHOP_CONTROL_URL for the e2e suite)`,
      `  console       ${runtime.edgeUrl}${CONSOLE_PATH}   (live: orders and their hops, queues, alarms, functions, faults)`,
      '',
      'Run the e2e suite against it, as against any deployment:',
      `  ${deployedSuiteCommand({ outputsFile: displayPath(root, outputsFile), edgeUrl: runtime.edgeUrl, region, timeScale: runtime.timeScale })}`,
      '',
      ...banner.tryIt,
    ].join('\n'),
  );
  if (options.watch && !state.stopping) {
    const watcher = await watchApp({ root, assemblyDir: options.assemblyDir, runtime, log: (line) => console.log(line) });
    if (state.stopping) await watcher.stop();
    else state.watcher = watcher;
  }
}

/** Runs `app` on the local runtime as the command line asks; a failure is printed and exits 1. */
export function runLocalCli<Seeded>(app: LocalApp<Seeded>): void {
  run(app).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`✗ ${message}`);
    if (message.includes('EADDRINUSE')) {
      console.error('  a port is taken (another `npm start`?): pick others with --edge-port/--api-port or LOCAL_EDGE_PORT/LOCAL_API_PORT');
    }
    process.exit(1);
  });
}
