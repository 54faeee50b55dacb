/**
 * What a synthesized cloud assembly depends on, read by content (never by time stamps): `npm start` compares them
 * with those recorded at the last synth (`synth-stamp.ts`) to decide whether `cdk synth` must run again.
 *
 * - The CDK app's files: every file under the folders cdk.json's `watch.include` names (`cdk watch`'s own list, the
 *   shop's: bin, lib and lambdas, where the handlers the bundles come from live), or, without that list, every file
 *   of the project but node_modules, dot-folders and cloud assemblies. Dot-files and editor backups (`~`) are not
 *   inputs.
 * - The build's files: the app entry cdk.json's `app` names, cdk.json (the app command, its context and feature
 *   flags), cdk.context.json, package.json, package-lock.json and the installed tree (node_modules/.package-lock.json:
 *   the versions of aws-cdk-lib, esbuild and everything bundled), tsconfig.json.
 * - What is no file of the project: Node.js's version, the synth command line, the project's folder (once moved, the
 *   bundling commands the synth recorded would name files no longer there), ~/.cdk.json (the user's CDK defaults),
 *   and the environment variables the CDK CLI and app read: every CDK_*, AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE
 *   (the app itself reads none: bin/ and lib/ take their options from the context).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export interface SynthInputs {
  /** The sha256 (hex) of each input file, by its path relative to the project's folder (`/`-separated). */
  readonly files: Readonly<Record<string, string>>;
  /** What is no file of the project, by name (`node`, `command`, `folder`, `~/.cdk.json`, `env CDK_…`): its value or sha256. */
  readonly settings: Readonly<Record<string, string>>;
}

/** Where the inputs are read from. */
export interface SynthInputSource {
  /** The project's folder (where cdk.json is). */
  readonly root: string;
  /** The synth command line, as run in `root`. */
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The user's home folder, where ~/.cdk.json is. */
  readonly homeDir: string;
  /** `process.version` of the Node.js that runs the synth. */
  readonly nodeVersion: string;
}

/** How two sets of inputs differ: paths relative to the project's folder, settings by name. */
export interface InputChanges {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly deleted: readonly string[];
  readonly settings: readonly string[];
}

const BUILD_FILES = ['cdk.json', 'cdk.context.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json'];
const ENVIRONMENT = /^(CDK_.+|AWS_REGION|AWS_DEFAULT_REGION|AWS_PROFILE)$/;
/** Never inputs, in the whole-project fallback: dependencies, version control, assemblies. */
export const NOT_APP_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'cdk.out', 'coverage']);

/** The folders whose files are the CDK app's, relative to `root`: cdk.json's `watch.include`, or `.` for every one. */
export function appFolders(root: string): readonly string[] {
  const include = (readCdkJson(root)?.watch as { include?: unknown } | undefined)?.include;
  const entries = typeof include === 'string' ? [include] : Array.isArray(include) ? include : [];
  const folders = entries.filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.replace(/^\.\/|\/(\*\*(\/\*)?)?$/g, ''));
  // A glob `cdk watch` understands but this does not: every file of the project is an input instead.
  if (folders.length === 0 || folders.some((folder) => /[*?[\]{}!]/.test(folder))) return ['.'];
  return [...new Set(folders)];
}

/** `bin/, lib/ and lambdas/`: the app's folders as a line of text says them. */
export function describeFolders(folders: readonly string[]): string {
  const names = folders.map((folder) => (folder === '.' ? 'the project' : `${folder}/`));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Reads the inputs now; a file that cannot be read is no input. */
export function readSynthInputs(source: SynthInputSource): SynthInputs {
  const { root } = source;
  const files: Record<string, string> = {};
  const add = (relative: string) => {
    const digest = sha256OfFile(path.join(root, relative));
    if (digest !== undefined) files[relative.split(path.sep).join('/')] = digest;
  };
  for (const folder of appFolders(root)) {
    for (const file of filesUnder(root, folder)) add(file);
  }
  for (const file of [...BUILD_FILES, ...appEntryFiles(root)]) add(file);

  // The project's folder too: the bundling commands the synth recorded name their files by absolute path.
  const settings: Record<string, string> = { node: source.nodeVersion, command: source.command.join(' '), folder: path.resolve(root) };
  const userDefaults = sha256OfFile(path.join(source.homeDir, '.cdk.json'));
  if (userDefaults !== undefined) settings['~/.cdk.json'] = userDefaults;
  for (const [name, value] of Object.entries(source.env)) {
    if (ENVIRONMENT.test(name) && value !== undefined) settings[`env ${name}`] = value;
  }
  return { files: sorted(files), settings: sorted(settings) };
}

/** One sha256 (hex) of all the inputs. */
export function synthInputsHash(inputs: SynthInputs): string {
  const hash = createHash('sha256');
  for (const [file, digest] of Object.entries(inputs.files).sort(byKey)) hash.update(`file ${file}\0${digest}\n`);
  for (const [name, value] of Object.entries(inputs.settings).sort(byKey)) hash.update(`setting ${name}\0${value}\n`);
  return hash.digest('hex');
}

export function inputChanges(before: SynthInputs, after: SynthInputs): InputChanges {
  const changed: string[] = [];
  const added: string[] = [];
  const deleted: string[] = [];
  for (const [file, digest] of Object.entries(after.files)) {
    const earlier = before.files[file];
    if (earlier === undefined) added.push(file);
    else if (earlier !== digest) changed.push(file);
  }
  for (const file of Object.keys(before.files)) if (after.files[file] === undefined) deleted.push(file);
  const names = new Set([...Object.keys(before.settings), ...Object.keys(after.settings)]);
  const settings = [...names].filter((name) => before.settings[name] !== after.settings[name]);
  return { changed: changed.sort(), added: added.sort(), deleted: deleted.sort(), settings: settings.sort() };
}

export function hasChanges(changes: InputChanges): boolean {
  return changes.changed.length + changes.added.length + changes.deleted.length + changes.settings.length > 0;
}

/** `lambdas/a.ts changed, lib/b.ts deleted and 2 more`: the first few changes, for a line of text. */
export function describeInputChanges(changes: InputChanges, shown = 3): string {
  const all = [
    ...changes.changed.map((file) => `${file} changed`),
    ...changes.deleted.map((file) => `${file} deleted`),
    ...changes.added.map((file) => `${file} added`),
    ...changes.settings.map((name) => `${name} changed`),
  ];
  if (all.length <= shown) return all.join(', ');
  return `${all.slice(0, shown).join(', ')} and ${all.length - shown} more`;
}

function readCdkJson(root: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The files cdk.json's `app` command names (`tsx bin/app.ts` → bin/app.ts), relative to `root`. */
function appEntryFiles(root: string): string[] {
  const app = readCdkJson(root)?.app;
  if (typeof app !== 'string') return [];
  return app.split(/\s+/).filter((word) => /\.[cm]?[jt]sx?$/.test(word) && existsSync(path.join(root, word)));
}

/** Every input file under `folder` (relative to `root`), relative to `root`. */
function filesUnder(root: string, folder: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!isInputName(entry.name)) continue;
      const child = relative === '.' ? entry.name : path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (folder === '.' && relative === '.' && (NOT_APP_FOLDERS.has(entry.name) || isAssembly(path.join(root, child)))) continue;
        if (entry.name !== 'node_modules') walk(child);
      } else if (entry.isFile()) {
        files.push(child);
      }
    }
  };
  walk(folder);
  return files;
}

/** Dot-files, dot-folders and editor backups are no inputs. */
export function isInputName(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('~');
}

function isAssembly(folder: string): boolean {
  return existsSync(path.join(folder, 'manifest.json')) && existsSync(path.join(folder, 'cdk.out'));
}

function sha256OfFile(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return undefined;
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function byKey([a]: [string, string], [b]: [string, string]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(byKey));
}
