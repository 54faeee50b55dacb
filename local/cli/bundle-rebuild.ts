/**
 * `npm start -- --watch`'s short way from a handler edit to the new code running: instead of a whole `cdk synth`
 * (the CDK app, every bundle, the validations: seconds), the bundles the edited files are part of are built again,
 * with the very command the synth built them with (`synth-recorder.cjs` records it: NodejsFunction's
 * `esbuild --bundle …`), into a new folder, which the runtime then runs instead of the assembly's.
 *
 * Only where that gives what a synth would: every changed or deleted file is in a bundle (its source map says so) and
 * none is part of the CDK app (whose template it could change), no setting changed, and the synth built each bundle
 * with that one command (no command hooks, no node_modules installed). Anything else is a whole synth
 * (`planRebuild`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { InputChanges } from './synth-inputs';

/** How the synth built one Lambda bundle, to build it again. */
export interface BundleRecord {
  /** The asset folder it became in the assembly (`asset.<hash>`), relative to the assembly. */
  readonly asset: string;
  /** The functions that run it, by short name. */
  readonly functions: readonly string[];
  /** The command, as the CDK app ran it (`npx --no-install esbuild --bundle …`). */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The environment variables the bundling set on top of the app's. */
  readonly env: Readonly<Record<string, string>>;
  /** The folder the command wrote into (the CDK renamed it to the asset's afterwards): replaced in `argv` by another. */
  readonly outputDir: string;
  /**
   * The project's files the bundle is built from, relative to the project's folder: from its source map, or the
   * metafile of a rebuild. Absent while unknown (a bundle built without a source map: `withSources` finds them).
   */
  readonly sources?: readonly string[];
}

/** What to do about changed inputs. */
export type RebuildPlan =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'bundles'; readonly bundles: readonly BundleRecord[] }
  | { readonly kind: 'synth'; readonly reason: string };

/** What the last synth recorded, as `planRebuild` needs it. */
export interface BuildRecord {
  readonly appModules?: readonly string[];
  readonly bundles: readonly BundleRecord[];
}

/** Whether `changes` need a synth, some bundles built again, or nothing (only files added, which nothing uses yet). */
export function planRebuild(record: BuildRecord, changes: InputChanges): RebuildPlan {
  if (changes.settings.length > 0) return { kind: 'synth', reason: `${changes.settings[0]} changed` };
  const touched = [...changes.changed, ...changes.deleted];
  if (touched.length === 0) return { kind: 'nothing' };
  if (record.appModules === undefined) return { kind: 'synth', reason: 'the last synth did not record which files the CDK app loads' };
  const appModules = new Set(record.appModules);
  const bundles = new Set<BundleRecord>();
  for (const file of touched) {
    if (appModules.has(file)) return { kind: 'synth', reason: `${file} is part of the CDK app` };
    const including = record.bundles.filter((bundle) => bundle.sources?.includes(file));
    if (including.length === 0) return { kind: 'synth', reason: `${file} is in no bundle the last synth recorded` };
    for (const bundle of including) bundles.add(bundle);
  }
  return { kind: 'bundles', bundles: [...bundles] };
}

/** A bundle that did not build: the command's output says why. */
export class BundleBuildError extends Error {
  public constructor(
    public readonly bundle: BundleRecord,
    public readonly output: string,
  ) {
    super(`the bundle of ${bundle.functions.join(', ') || bundle.asset} did not build:\n${output.trimEnd()}`);
    this.name = 'BundleBuildError';
  }
}

/**
 * Builds `bundle` again into `outputDir`, as the synth built it, with esbuild's metafile beside the folder
 * (`<outputDir>.meta.json`); resolves with the record of the new build, its sources read from that metafile. Throws
 * BundleBuildError.
 */
export async function rebuildBundle(bundle: BundleRecord, outputDir: string, root: string): Promise<BundleRecord> {
  const metafile = `${outputDir}.meta.json`;
  const argv = bundle.argv.map((arg) => arg.split(bundle.outputDir).join(outputDir));
  const [command, ...args] = withoutNpx([...argv, ...(argv.some((arg) => arg.startsWith('--metafile=')) ? [] : [`--metafile=${metafile}`])], bundle.cwd);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { cwd: bundle.cwd, env: { ...process.env, ...bundle.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new BundleBuildError(bundle, output.join(''));
  const written = argv.find((arg) => arg.startsWith('--metafile='))?.slice('--metafile='.length) ?? metafile;
  return { ...bundle, sources: metafileSources(path.resolve(bundle.cwd, written), bundle.cwd, root) };
}

/**
 * The bundles with their sources known: those the synth built without a source map are built once more into
 * `scratchDir`, for their metafile. Throws BundleBuildError.
 */
export async function withSources(bundles: readonly BundleRecord[], scratchDir: string, root: string): Promise<BundleRecord[]> {
  return Promise.all(bundles.map((bundle) => (bundle.sources !== undefined ? bundle : rebuildBundle(bundle, path.join(scratchDir, bundle.asset), root))));
}

/**
 * `npx --no-install esbuild …` → the project's `node_modules/.bin/esbuild …`: the binary npx would run, without npx's
 * start-up (a few hundred milliseconds a bundle). Any other command is run as it is.
 */
function withoutNpx(argv: readonly string[], cwd: string): readonly string[] {
  if (argv[0] !== 'npx' || argv[1] !== '--no-install') return argv;
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', argv[2]);
    if (existsSync(bin)) return [bin, ...argv.slice(3)];
    if (path.dirname(dir) === dir) return argv;
  }
}

/** The file name `--outfile=` gives (`index.mjs`), or undefined. */
export function outfileOf(argv: readonly string[]): string | undefined {
  const outfile = argv.find((arg) => arg.startsWith('--outfile='));
  return outfile === undefined ? undefined : path.basename(outfile.slice('--outfile='.length));
}

/**
 * The project's files in the bundle in `folder`, from the source map next to its `outfile`; undefined without one.
 * `builtIn` is the folder esbuild wrote the map in: its `sources` are relative to it.
 */
export function bundleSources(folder: string, outfile: string | undefined, builtIn: string, root: string): string[] | undefined {
  if (outfile === undefined) return undefined;
  let sources: unknown;
  try {
    sources = (JSON.parse(readFileSync(path.join(folder, `${outfile}.map`), 'utf8')) as { sources?: unknown }).sources;
  } catch {
    return undefined;
  }
  return Array.isArray(sources) ? projectFiles(sources, builtIn, root) : undefined;
}

/** The project's files esbuild read for a bundle, from its metafile (`inputs`, relative to its working folder). */
function metafileSources(metafile: string, cwd: string, root: string): string[] | undefined {
  try {
    const { inputs } = JSON.parse(readFileSync(metafile, 'utf8')) as { inputs?: Record<string, unknown> };
    return inputs === undefined ? undefined : projectFiles(Object.keys(inputs), cwd, root);
  } catch {
    return undefined;
  }
}

/** `paths` (relative to `base`) that are files of the project, relative to `root`: node_modules left out, as package-lock.json stands for them. */
function projectFiles(paths: readonly unknown[], base: string, root: string): string[] {
  const files = paths
    .filter((source): source is string => typeof source === 'string')
    .map((source) => path.relative(root, path.resolve(base, source)))
    .filter((relative) => !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.split(path.sep).includes('node_modules'))
    .map((relative) => relative.split(path.sep).join('/'));
  return [...new Set(files)].sort();
}

/** Whether `folder` holds only what `argv` writes: its outfile, the outfile's source map, its metafile. */
export function holdsOnlyBuildOutput(folder: string, argv: readonly string[]): boolean {
  const outfile = outfileOf(argv);
  if (outfile === undefined) return false;
  const metafile = argv.find((arg) => arg.startsWith('--metafile='));
  const expected = new Set([outfile, `${outfile}.map`, ...(metafile ? [path.basename(metafile.slice('--metafile='.length))] : [])]);
  try {
    return readdirSync(folder).every((name) => expected.has(name));
  } catch {
    return false;
  }
}
