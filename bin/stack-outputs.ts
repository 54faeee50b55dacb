/**
 * The outputs of a deployed stack, as `cdk deploy --outputs-file cdk-outputs.json` writes them:
 * `{ "<StackName>": { "<OutputName>": "value" } }`. `npm start` writes the same shape for the local runtime
 * (`cdk-outputs.local.json`), so one reader serves every target.
 */
import { readFileSync } from 'node:fs';

export interface StackOutputs {
  readonly stackName: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** Where they came from, for error messages: a file path or a description. */
  readonly source: string;
}

/** How to produce an outputs file, for the error that says one is missing. */
export const OUTPUTS_FILE_HINT =
  'write it with `npx cdk deploy --outputs-file cdk-outputs.json` (AWS), `npm run deploy:local` (an emulator), ' +
  'or `npm start` (the local runtime writes cdk-outputs.local.json), or point SHOP_OUTPUTS at it';

/** The outputs file is missing, unreadable, or does not hold the stack asked for. */
export class StackOutputsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'StackOutputsError';
  }
}

/**
 * Picks one stack's outputs from the text of an outputs file.
 * @param stackName the stack to pick; without it, the file must hold exactly one
 * @param pickWith how the caller names a stack, for the messages: `SHOP_STACK` (the e2e suite), `--stack` (a CLI)
 */
export function parseStackOutputs(text: string, source: string, stackName?: string, pickWith = 'SHOP_STACK'): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StackOutputsError(`${source} is not JSON (${error instanceof Error ? error.message : String(error)}): ${OUTPUTS_FILE_HINT}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StackOutputsError(`${source} is not an outputs file ({ "<StackName>": { "<OutputName>": "value" } }): ${OUTPUTS_FILE_HINT}`);
  }
  const stacks = parsed as Record<string, unknown>;
  const names = Object.keys(stacks);
  let picked: string;
  if (stackName !== undefined && stackName !== '') {
    if (!(stackName in stacks)) {
      throw new StackOutputsError(`${source} has no stack ${stackName} (${pickWith}); it has: ${names.join(', ') || '(none)'}`);
    }
    picked = stackName;
  } else if (names.length === 1) {
    picked = names[0];
  } else {
    throw new StackOutputsError(
      names.length === 0
        ? `${source} holds no stack: ${OUTPUTS_FILE_HINT}`
        : `${source} holds ${names.length} stacks (${names.join(', ')}): pick one with ${pickWith}`,
    );
  }
  const values = stacks[picked];
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new StackOutputsError(`${source}: stack ${picked} holds no outputs object`);
  }
  const outputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') outputs[name] = value;
  }
  return { stackName: picked, outputs, source };
}

/** Reads and picks as `parseStackOutputs` does; a missing file says which commands write one. */
export function readStackOutputs(file: string, stackName?: string, pickWith?: string): StackOutputs {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StackOutputsError(`no outputs file at ${file}: ${OUTPUTS_FILE_HINT}`);
    throw new StackOutputsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseStackOutputs(text, file, stackName, pickWith);
}

/** One output's value; a missing one is named, with the file it was looked for in. */
export function requireOutput(stack: StackOutputs, name: string): string {
  const value = stack.outputs[name];
  if (value === undefined || value === '') {
    throw new StackOutputsError(
      `stack ${stack.stackName} in ${stack.source} has no output ${name}: redeploy the current app (its template has it) and write the outputs file again`,
    );
  }
  return value;
}
