/**
 * `cdk synth --quiet --output DIR` as `npm start` runs it: with `synth-recorder.cjs` loaded into its processes, and,
 * once it succeeded, the stamp (`synth-stamp.ts`) written next to the assembly: the inputs it was synthesized from,
 * read before it started (an edit made during the synth is then seen as one on the next start), the files the CDK
 * app loaded and how each bundle was built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { assemblyContents, loadCloudAssembly } from '../assembly/cloud-assembly';
import { resourcesOfType, shortNameOf } from '../assembly/template-refs';
import { bundleSources, holdsOnlyBuildOutput, outfileOf, type BundleRecord } from './bundle-rebuild';
import { readSynthInputs, type SynthInputs } from './synth-inputs';
import { assemblyFingerprint, removeStamp, writeStamp, type SynthStamp } from './synth-stamp';

const RECORDER = path.join(__dirname, 'synth-recorder.cjs');

/** The synth's command line, but where it writes (`--output`), which changes nothing in what it writes. */
const SYNTH_COMMAND = ['npx', 'cdk', 'synth', '--quiet'];

/** The synth's inputs as they are now. */
export function currentSynthInputs(root: string): SynthInputs {
  return readSynthInputs({ root, command: SYNTH_COMMAND, env: process.env, homeDir: homedir(), nodeVersion: process.version });
}

/** `cdk synth` failed: its exit, and what it printed when it was captured. */
export class SynthError extends Error {
  public constructor(
    public readonly exit: string,
    public readonly output: string,
  ) {
    super(`cdk synth failed (${exit})${output.trim() ? `:\n${output.trimEnd()}` : ''}`);
    this.name = 'SynthError';
  }
}

export interface SynthOptions {
  readonly root: string;
  readonly assemblyDir: string;
  /** `inherit`: the synth prints to this process's terminal; `capture`: its output goes into the SynthError. */
  readonly output: 'inherit' | 'capture';
  /** Called with the synth's process once it started: `--watch` stops it on Ctrl-C. */
  readonly onStart?: (child: ChildProcess) => void;
}

/** Synthesizes the app in `root` into `assemblyDir` and stamps it. Throws SynthError. */
export async function synthesize(options: SynthOptions): Promise<SynthStamp> {
  const { root, assemblyDir } = options;
  const inputs = currentSynthInputs(root);
  removeStamp(assemblyDir);
  const recordDir = mkdtempSync(path.join(tmpdir(), 'local-synth-'));
  const recordFile = path.join(recordDir, 'record.jsonl');
  try {
    const [command, ...args] = [...SYNTH_COMMAND, '--output', assemblyDir];
    const env = {
      ...process.env,
      LOCAL_SYNTH_RECORD: recordFile,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(RECORDER)}`.trim(),
    };
    const captured: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { cwd: root, env, stdio: options.output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (chunk: Buffer) => captured.push(chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => captured.push(chunk.toString('utf8')));
      options.onStart?.(child);
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(new SynthError(signal ?? `exit code ${code}`, captured.join('')));
      });
    });
    const recorded = readRecord(recordFile);
    const assembly = fingerprintAfterSynth(assemblyDir);
    return writeStamp(assemblyDir, { inputs, assembly, ...appModulesOf(recorded, root), bundles: bundleRecords(recorded, assemblyDir, root) });
  } finally {
    rmSync(recordDir, { recursive: true, force: true });
  }
}

/** One line of `synth-recorder.cjs`. */
type Recorded =
  | {
      readonly kind: 'command';
      readonly pid: number;
      readonly argv: readonly string[];
      readonly cwd: string;
      readonly env: Readonly<Record<string, string>>;
      readonly status: number | null;
      readonly outfileSha256?: string;
    }
  | { readonly kind: 'modules'; readonly pid: number; readonly modules: readonly string[] };

function readRecord(file: string): Recorded[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Recorded);
}

function fingerprintAfterSynth(assemblyDir: string): string {
  const result = assemblyFingerprint(assemblyDir);
  if ('missing' in result) throw new SynthError('an incomplete assembly', result.missing);
  return result.fingerprint;
}

/** The project files the CDK app's process loaded; none recorded (an app loaded otherwise): unknown. */
function appModulesOf(recorded: readonly Recorded[], root: string): { appModules?: readonly string[] } {
  const files = new Set<string>();
  for (const line of recorded) {
    if (line.kind !== 'modules') continue;
    for (const file of line.modules) {
      const relative = path.relative(root, file);
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) files.add(relative.split(path.sep).join('/'));
    }
  }
  return files.size > 0 ? { appModules: [...files].sort() } : {};
}

/**
 * How each bundle of the assembly was built: each `--bundle` command the app ran, matched to the asset folder that
 * holds what it wrote. None when the app's process ran any other command (a bundling hook, an install), or a bundle
 * holds more than the command wrote: `--watch` then synthesizes on every change.
 */
function bundleRecords(recorded: readonly Recorded[], assemblyDir: string, root: string): BundleRecord[] {
  const appPids = new Set(recorded.filter((line) => line.kind === 'modules').map((line) => line.pid));
  const commands = recorded.filter((line): line is Extract<Recorded, { kind: 'command' }> => line.kind === 'command' && appPids.has(line.pid));
  const bundling = commands.filter((line) => line.argv.includes('--bundle') && line.status === 0 && line.outfileSha256 !== undefined);
  const probes = commands.filter((line) => line.argv[line.argv.length - 1] === '--version');
  if (bundling.length + probes.length !== commands.length) return [];

  const functions = functionsByBundle(assemblyDir);
  const records: BundleRecord[] = [];
  for (const asset of assemblyContents(assemblyDir).assets) {
    for (const line of bundling) {
      const outfile = outfileOf(line.argv);
      if (outfile === undefined || sha256Of(path.join(asset, outfile)) !== line.outfileSha256) continue;
      if (!holdsOnlyBuildOutput(asset, line.argv)) return [];
      const outputDir = path.dirname(path.resolve(line.cwd, line.argv.find((arg) => arg.startsWith('--outfile='))?.slice('--outfile='.length) ?? ''));
      records.push({
        asset: path.relative(assemblyDir, asset),
        functions: functions.get(asset) ?? [],
        argv: line.argv,
        cwd: line.cwd,
        env: line.env,
        outputDir,
        ...optional('sources', bundleSources(asset, outfile, outputDir, root)),
      });
      break;
    }
  }
  return records;
}

/** The short names of the functions that run each bundle folder of the assembly. */
function functionsByBundle(assemblyDir: string): Map<string, string[]> {
  const byFolder = new Map<string, string[]>();
  for (const stack of loadCloudAssembly(assemblyDir)) {
    for (const [logicalId] of resourcesOfType(stack.template, 'AWS::Lambda::Function')) {
      let folder: string;
      try {
        folder = stack.lambdaCodeDir(logicalId);
      } catch {
        continue; // inline code, or no bundle: nothing to rebuild
      }
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), shortNameOf(logicalId)]);
    }
  }
  return byFolder;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [key in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [key in K]?: V };
}

function sha256Of(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
