/**
 * The record `npm start` keeps next to a cloud assembly it synthesized (`cdk.out/.local-synth.json`): the inputs it
 * was synthesized from (`synth-inputs.ts`), a fingerprint of the assembly as the synth left it, and what the synth
 * did that `--watch` repeats without it (`bundle-rebuild.ts`). An assembly is reused when its inputs are the same by
 * content and it is complete and unchanged since; otherwise the decision says why not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assemblyContents } from '../assembly/cloud-assembly';
import type { BundleRecord } from './bundle-rebuild';
import { describeInputChanges, hasChanges, inputChanges, synthInputsHash, type SynthInputs } from './synth-inputs';

/** The stamp's file, in the assembly's folder. */
export const STAMP_FILE = '.local-synth.json';
const STAMP_VERSION = 1;

export interface SynthStamp {
  readonly version: number;
  readonly inputs: SynthInputs;
  /** `synthInputsHash(inputs)`. */
  readonly inputsHash: string;
  /** `assemblyFingerprint` right after the synth. */
  readonly assembly: string;
  /**
   * The files the CDK app loaded, relative to the project's folder: a change to one of them may change the template.
   * Absent when the synth did not say (then every change may).
   */
  readonly appModules?: readonly string[];
  /** How each Lambda bundle was built; empty when the synth built them in a way `--watch` does not repeat. */
  readonly bundles: readonly BundleRecord[];
}

export type ReuseDecision =
  | { readonly reuse: true; readonly inputsHash: string; readonly stamp: SynthStamp }
  | { readonly reuse: false; readonly reason: string };

export function readStamp(assemblyDir: string): SynthStamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(path.join(assemblyDir, STAMP_FILE), 'utf8')) as SynthStamp;
    return stamp.version === STAMP_VERSION ? stamp : undefined;
  } catch {
    return undefined;
  }
}

export function writeStamp(assemblyDir: string, stamp: Omit<SynthStamp, 'version' | 'inputsHash'>): SynthStamp {
  const written: SynthStamp = { version: STAMP_VERSION, inputsHash: synthInputsHash(stamp.inputs), ...stamp };
  writeFileSync(path.join(assemblyDir, STAMP_FILE), `${JSON.stringify(written, null, 1)}\n`);
  return written;
}

/** Forgets what the assembly was synthesized from: before a synth rewrites it, so a synth that fails leaves none. */
export function removeStamp(assemblyDir: string): void {
  rmSync(path.join(assemblyDir, STAMP_FILE), { force: true });
}

/**
 * The sha256 of the assembly's manifests and templates, with the names of its assets (their folders are named for
 * their content's hash), or what is missing.
 */
export function assemblyFingerprint(assemblyDir: string): { readonly fingerprint: string } | { readonly missing: string } {
  let contents;
  try {
    contents = assemblyContents(assemblyDir);
  } catch (error) {
    return { missing: error instanceof Error ? error.message : String(error) };
  }
  const hash = createHash('sha256');
  for (const file of contents.files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return { missing: `${path.relative(assemblyDir, file)} is missing` };
    }
    hash.update(`${path.relative(assemblyDir, file)}\0`).update(bytes);
  }
  for (const asset of contents.assets) {
    if (!existsSync(asset)) return { missing: `${path.relative(assemblyDir, asset)} is missing` };
    hash.update(`asset ${path.relative(assemblyDir, asset)}\n`);
  }
  return { fingerprint: hash.digest('hex') };
}

/**
 * Whether the assembly in `assemblyDir` can run as it is for `inputs`: it was synthesized by `npm start` from the same
 * inputs, by content, and is complete and as the synth left it.
 * @param name how lines of text name the assembly (`cdk.out`)
 */
export function reuseDecision(assemblyDir: string, inputs: SynthInputs, name: string): ReuseDecision {
  if (!existsSync(path.join(assemblyDir, 'manifest.json'))) return { reuse: false, reason: `there is no ${name} yet` };
  const stamp = readStamp(assemblyDir);
  if (stamp === undefined) return { reuse: false, reason: `${name} has no record of what it was synthesized from` };
  const assembly = assemblyFingerprint(assemblyDir);
  if ('missing' in assembly) return { reuse: false, reason: `${name} is incomplete: ${assembly.missing}` };
  if (assembly.fingerprint !== stamp.assembly) return { reuse: false, reason: `${name} was rewritten since (by another cdk synth?)` };
  const changes = inputChanges(stamp.inputs, inputs);
  if (hasChanges(changes)) return { reuse: false, reason: `${describeInputChanges(changes)} since ${name} was synthesized` };
  return { reuse: true, inputsHash: stamp.inputsHash, stamp };
}
