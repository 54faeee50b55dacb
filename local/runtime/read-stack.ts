/**
 * The start-up's first stage: the stack to run, read from the cloud assembly, and where it pretends to run.
 */
import * as path from 'node:path';
import { loadCloudAssembly, stackEnvironments, type CfnTemplate, type StackArtifact, type StackEnvironment } from '../assembly/cloud-assembly';
import type { Startup } from './startup';

/** The account a stack that names none runs in (LocalStack's). */
const ACCOUNT_ID = '000000000000';
/** The region a stack that names none runs in, unless the runtime is told another. */
const REGION = 'us-east-1';

export interface StackToRun {
  readonly artifact: StackArtifact;
  readonly stackName: string;
  readonly template: CfnTemplate;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

export function readStack(options: StackOptions, startup: Startup): StackToRun {
  const stack = loadStack(options);
  startup.step(`cloud assembly: stack ${stack.stackName} (${Object.keys(stack.template.Resources).length} resources) from ${stack.artifact.assemblyDir}`);
  return stack;
}

export interface StackOptions {
  readonly assemblyDir: string;
  readonly stackName?: string;
  readonly region?: string;
}

/** The stack to run, from the cloud assembly in `options.assemblyDir`: at start, and for a reload. */
export function loadStack(options: StackOptions): StackToRun {
  const artifact = pickStack(loadCloudAssembly(path.resolve(options.assemblyDir)), options.stackName);
  const { template } = artifact;
  return {
    artifact,
    stackName: artifact.stackName,
    template,
    region: artifact.region ?? options.region ?? REGION,
    accountId: artifact.account ?? ACCOUNT_ID,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
  };
}

/**
 * The account and region the stack will run in, read from the assembly's manifest alone (`loadStack` reads the
 * templates too); the defaults when there is no assembly yet, or it does not say which stack.
 */
export function stackEnvironment(options: StackOptions): { readonly accountId: string; readonly region: string } {
  let stacks: StackEnvironment[] = [];
  try {
    stacks = stackEnvironments(path.resolve(options.assemblyDir));
  } catch {
    // No assembly yet: a synth is about to write one.
  }
  const stack = options.stackName !== undefined ? stacks.find((s) => s.stackName === options.stackName) : stacks.length === 1 ? stacks[0] : undefined;
  return { accountId: stack?.account ?? ACCOUNT_ID, region: stack?.region ?? options.region ?? REGION };
}

function pickStack(stacks: readonly StackArtifact[], stackName: string | undefined): StackArtifact {
  const names = stacks.map((s) => s.stackName).join(', ') || '(none)';
  if (stackName !== undefined) {
    const stack = stacks.find((s) => s.stackName === stackName);
    if (!stack) throw new Error(`The cloud assembly has no stack ${stackName}; it has: ${names}`);
    return stack;
  }
  if (stacks.length !== 1) throw new Error(`The cloud assembly has ${stacks.length} stacks (${names}): pass stackName`);
  return stacks[0];
}
