/**
 * The start-up's first stage: the stack to run, read from the cloud assembly, and where it pretends to run.
 */
import * as path from 'node:path';
import { loadCloudAssembly, type CfnTemplate, type StackArtifact } from '../assembly/cloud-assembly';
import type { Startup } from './startup';

/** The account a stack that names none runs in (LocalStack's). */
const ACCOUNT_ID = '000000000000';

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
    region: artifact.region ?? options.region ?? 'us-east-1',
    accountId: artifact.account ?? ACCOUNT_ID,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
  };
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
