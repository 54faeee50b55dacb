/**
 * `npm start -- --watch`: watches the CDK app's folders (cdk.json's `watch.include`, the shop's bin, lib and lambdas)
 * and the build's files, and on a change (debounced) builds the app again and has the running runtime reload it
 * (`LocalRuntime.reload`), so that the next request runs the new version; tables, queues and streams keep their data.
 *
 * - A change to files that are only in Lambda bundles (a handler, its domain code) rebuilds those bundles, each with
 *   the command the last synth built it with, into a new folder (`bundle-rebuild.ts`): well under a second.
 * - Any other change (lib/, the app's entry, a file the CDK app imports, package-lock.json, cdk.json…) runs
 *   `cdk synth` into a new folder, never the one running; the runtime then swaps in what changed.
 * - A build that fails (a syntax error, a failed synth) prints why and leaves the previous version serving; the next
 *   change builds from the last good build again.
 *
 * One line per reload says what changed, what was rebuilt and how long it took; what needs a restart is named. The
 * builds live in a temporary folder, removed on stop: the next `npm start` synthesizes cdk.out again if the app
 * changed meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LocalRuntime, RuntimeReload } from '../runtime';
import { planRebuild, rebuildBundle, withSources, type BuildRecord, type BundleRecord } from './bundle-rebuild';
import { FolderWatcher } from './folder-watcher';
import { appFolders, describeFolders, describeInputChanges, hasChanges, inputChanges, isInputName, NOT_APP_FOLDERS, type SynthInputs } from './synth-inputs';
import { readStamp } from './synth-stamp';
import { currentSynthInputs, synthesize } from './synthesize';

/** How long the files must stay quiet after a change before a build starts: an editor's save is several writes. */
export const WATCH_DEBOUNCE_MS = 100;

export interface WatchOptions {
  /** The project's folder. */
  readonly root: string;
  /** The assembly the runtime runs now. */
  readonly assemblyDir: string;
  readonly runtime: Pick<LocalRuntime, 'reload'>;
  readonly log: (line: string) => void;
}

export interface AppWatcher {
  /** Stops watching, ends a build under way and removes the builds' folder. */
  stop(): Promise<void>;
}

/** What the runtime runs: the assembly, the bundles rebuilt since, and what they were built from. */
interface Build {
  readonly assemblyDir: string;
  readonly inputs: SynthInputs;
  readonly record: BuildRecord;
  /** The rebuilt bundles: by the folder the assembly names, the folder that replaces it. */
  readonly replaced: ReadonlyMap<string, string>;
}

/** Starts watching once it knows what each bundle is built from (a bundle without a source map is built once more). */
export async function watchApp(options: WatchOptions): Promise<AppWatcher> {
  const { root, log } = options;
  const buildsDir = mkdtempSync(path.join(tmpdir(), 'local-runtime-watch-'));
  let generation = 0;
  const withKnownSources = async (record: BuildRecord): Promise<BuildRecord> => ({
    ...record,
    bundles: await withSources(record.bundles, path.join(buildsDir, `probe-${++generation}`), root),
  });
  const stamp = readStamp(options.assemblyDir);
  let record: BuildRecord = stamp ?? { bundles: [] };
  try {
    record = await withKnownSources(record);
  } catch (error) {
    log(`  ! --watch: ${error instanceof Error ? error.message : String(error)}; a change to a handler runs cdk synth`);
  }
  let build: Build = {
    assemblyDir: options.assemblyDir,
    // An assembly npm start did not synthesize: its inputs are taken to be the files as they are now.
    inputs: stamp?.inputs ?? currentSynthInputs(root),
    record,
    replaced: new Map(),
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let synthProcess: ChildProcess | undefined;
  /** The code folders of the last two reloads: what running or finishing invocations may still read. */
  let inUse: readonly string[] = [];

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = rebuild()
        .catch((error: unknown) => log(`  ! --watch: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            schedule();
          }
        });
    }, WATCH_DEBOUNCE_MS);
  };

  const rebuild = async () => {
    const started = performance.now();
    const inputs = currentSynthInputs(root);
    const changes = inputChanges(build.inputs, inputs);
    if (!hasChanges(changes)) return;
    const what = describeInputChanges(changes);
    const plan = planRebuild(build.record, changes);
    if (plan.kind === 'nothing') {
      build = { ...build, inputs };
      log(`↻ ${what}: nothing to rebuild (no bundle and no part of the CDK app uses it yet)`);
      return;
    }
    const folder = path.join(buildsDir, `${plan.kind === 'synth' ? 'synth' : 'bundles'}-${++generation}`);
    let built: string;
    let reload: RuntimeReload;
    try {
      if (plan.kind === 'bundles') {
        const rebuilt = await Promise.all(plan.bundles.map((bundle) => rebuildBundle(bundle, path.join(folder, bundle.asset), root)));
        built = `rebuilt ${plural(rebuilt.length, 'bundle')} in ${seconds(started)}`;
        const replaced = new Map(build.replaced);
        for (const bundle of rebuilt) replaced.set(path.join(build.assemblyDir, bundle.asset), path.join(folder, bundle.asset));
        reload = await options.runtime.reload({ assemblyDir: build.assemblyDir, replacedBundles: replaced });
        const byAsset = new Map<string, BundleRecord>(rebuilt.map((bundle) => [bundle.asset, bundle]));
        build = { ...build, inputs, record: { ...build.record, bundles: build.record.bundles.map((bundle) => byAsset.get(bundle.asset) ?? bundle) }, replaced };
      } else {
        const synthesized = await synthesize({ root, assemblyDir: folder, output: 'capture', onStart: (child) => (synthProcess = child) });
        const synthesizedRecord = await withKnownSources(synthesized);
        built = `cdk synth (${plan.reason}) in ${seconds(started)}`;
        reload = await options.runtime.reload({ assemblyDir: folder });
        build = { assemblyDir: folder, inputs: synthesized.inputs, record: synthesizedRecord, replaced: new Map() };
      }
    } catch (error) {
      if (stopped) return;
      const message = error instanceof Error ? error.message : String(error);
      log(`✗ ${what}: the build failed after ${seconds(started)}; still serving the previous version:\n${indent(message)}`);
      return;
    } finally {
      synthProcess = undefined;
    }
    log(`↻ ${what}: ${built}; ${describeReload(reload)} (ready in ${seconds(started)})`);
    if (reload.needsRestart.length > 0) log(`  ! needs a restart to take effect: ${reload.needsRestart.join(', ')}`);
    const now = [...reload.codeDirs.values(), build.assemblyDir];
    removeUnused(buildsDir, [...inUse, ...now]);
    inUse = now;
  };

  const watcher = watchFolders(root, schedule);
  log(`👀 watching ${describeFolders(appFolders(root))} (and the build's files): a change is built and swapped in without a restart`);

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      watcher.close();
      synthProcess?.kill('SIGTERM');
      await running;
      rmSync(buildsDir, { recursive: true, force: true });
    },
  };
}

/** Watches each of the app's folders, with everything under them, and the project's own folder (its build files). */
function watchFolders(root: string, onChange: () => void): FolderWatcher {
  const watcher = new FolderWatcher(onChange, (name) => isInputName(name) && name !== 'node_modules');
  const folders = appFolders(root);
  const deep = folders.includes('.')
    ? readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && isInputName(entry.name) && !NOT_APP_FOLDERS.has(entry.name))
        .map((entry) => entry.name)
    : folders;
  for (const folder of deep) watcher.add(path.join(root, folder), true);
  watcher.add(root, false);
  return watcher;
}

/** Removes the builds no longer in use: none of `inUse` (code folders, assemblies) is in them. */
function removeUnused(buildsDir: string, inUse: readonly string[]): void {
  for (const name of readdirSync(buildsDir)) {
    const folder = path.join(buildsDir, name);
    if (!inUse.some((used) => used === folder || used.startsWith(`${folder}${path.sep}`))) rmSync(folder, { recursive: true, force: true });
  }
}

/** `new code for A, B; configuration of C (environment); REST API HybridShop-public served anew; IAM policies`. */
export function describeReload(reload: RuntimeReload): string {
  const parts = [
    ...(reload.code.length > 0 ? [`new code for ${reload.code.join(', ')}`] : []),
    ...(reload.configuration.length > 0 ? [`new configuration of ${reload.configuration.join(', ')}`] : []),
    ...(reload.apis.length > 0 ? [`REST API${reload.apis.length === 1 ? '' : 's'} ${reload.apis.join(', ')} served anew`] : []),
    ...(reload.policies ? ["the roles' new IAM policies"] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'nothing the runtime runs changed';
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

function plural(count: number, one: string): string {
  return `${count} ${count === 1 ? one : `${one}s`}`;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
