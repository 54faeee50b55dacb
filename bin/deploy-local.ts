#!/usr/bin/env node
/**
 * Deploys the stack to LocalStack or any LocalStack-compatible emulator (MiniStack…) with the plain CDK CLI, and
 * writes the stack's outputs where `npm run test:deployed` reads them. No cdklocal: the CDK CLI honours
 * AWS_ENDPOINT_URL itself, and S3 goes path-style to the endpoint, so nothing needs public DNS.
 *
 *   npm run deploy:local                                           # the emulator at http://localhost:4566
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4567 npm run deploy:local    # another endpoint
 *   npm run deploy:local -- --stage dev --outputs-file other.json --bootstrap always -- --hotswap   # after `--`: cdk deploy's own flags
 *   npm run deploy:local -- --help
 *
 * Steps: ask the endpoint what it is (and which needed services it lacks), `cdk bootstrap` unless the CDKToolkit
 * stack is there already, `cdk deploy --require-approval never --outputs-file cdk-outputs.json`, then print the next
 * command and the teardown. For AWS itself there is nothing to wrap:
 * `npx cdk bootstrap && npx cdk deploy --outputs-file cdk-outputs.json` with your credentials and AWS_REGION.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { readCommandLine } from './command-line';
import { emulatorEndpoint, emulatorEnvironment, emulatorRegion, identifyEmulator, isBootstrapped, type EmulatorHealth } from './emulator-endpoint';

export const DEFAULT_ENDPOINT = 'http://localhost:4566';
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';

export const USAGE = 'usage: npm run deploy:local -- [--stage NAME] [--outputs-file FILE] [--bootstrap auto|always|never] [--help] [-- <cdk deploy flags>]';

export const HELP = `${USAGE}

Deploys the stack with the CDK CLI to the LocalStack-compatible emulator at AWS_ENDPOINT_URL (default
${DEFAULT_ENDPOINT}) and writes its outputs for \`npm run test:deployed\`.

  --stage NAME       deploy that stage (cdk's -c stage=NAME; default: the app's default stage)
  --outputs-file F   where cdk writes the stack's outputs (default ${DEFAULT_OUTPUTS_FILE})
  --bootstrap MODE   auto: only when the CDKToolkit stack is missing (default); always; never
  -- …               anything after a second \`--\` goes to \`cdk deploy\`

The public API's WAF web ACL is left out (-c waf=false), whatever the stage: no emulator enforces one, and MiniStack
cannot associate one with an API. Give -- -c waf=true to try anyway.

Environment: AWS_ENDPOINT_URL; AWS_ENDPOINT_URL_S3 (default: the endpoint itself, path-style); AWS_REGION (default
us-east-1); credentials (default test/test).
For AWS itself: npx cdk bootstrap && npx cdk deploy --outputs-file ${DEFAULT_OUTPUTS_FILE} (teardown: npx cdk destroy).`;

export interface DeployLocalOptions {
  readonly help: boolean;
  readonly endpoint: string;
  /** Whether the endpoint came from AWS_ENDPOINT_URL (for messages). */
  readonly endpointFromEnv: boolean;
  readonly region: string;
  readonly outputsFile: string;
  readonly bootstrap: 'auto' | 'always' | 'never';
  /** The app's stage (`-c stage=…`). @default - the app's default stage */
  readonly stage?: string;
  /** Passed on to `cdk deploy`. */
  readonly deployArgs: readonly string[];
}

/** A command line or setting deploy-local cannot use, or an endpoint it cannot reach. */
export class DeployLocalError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DeployLocalError';
  }
}

export function parseDeployLocalArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DeployLocalOptions {
  let outputsFile = DEFAULT_OUTPUTS_FILE;
  let bootstrap: DeployLocalOptions['bootstrap'] = 'auto';
  let stage: string | undefined;
  const { help, passOn: deployArgs } = readCommandLine(
    argv,
    {
      values: {
        '--outputs-file': (file) => (outputsFile = file),
        '--stage': (name) => (stage = name),
        '--bootstrap': (mode) => {
          if (mode !== 'auto' && mode !== 'always' && mode !== 'never') throw new DeployLocalError(`--bootstrap is '${mode}': give auto, always or never\n${USAGE}`);
          bootstrap = mode;
        },
      },
    },
    (message) => new DeployLocalError(`${message}\n${USAGE}`),
  );
  const fromEnv = env.AWS_ENDPOINT_URL?.trim();
  let endpoint: string;
  try {
    endpoint = emulatorEndpoint(fromEnv || DEFAULT_ENDPOINT);
  } catch (error) {
    throw new DeployLocalError((error as Error).message);
  }
  const region = emulatorRegion(env);
  return { help, endpoint, endpointFromEnv: Boolean(fromEnv), region, outputsFile, bootstrap, ...(stage === undefined ? {} : { stage }), deployArgs };
}

/** The CDK context arguments of the options' stage: `-c stage=NAME`, or none. */
export function stageArguments(options: Pick<DeployLocalOptions, 'stage'>): string[] {
  return options.stage === undefined ? [] : ['-c', `stage=${options.stage}`];
}

/**
 * `cdk deploy`'s arguments. The web ACL is off unless the deploy arguments name `waf` themselves: prod (the default
 * stage) has one, and MiniStack's CloudFormation has no AWS::WAFv2::WebACLAssociation, so the deploy would fail on it.
 */
export function deployArguments(options: Pick<DeployLocalOptions, 'outputsFile' | 'deployArgs' | 'stage'>): string[] {
  const wafGiven = options.deployArgs.some((arg) => /(^|[\s=])waf=/.test(arg));
  return [
    'deploy',
    ...stageArguments(options),
    ...(wafGiven ? [] : ['-c', 'waf=false']),
    '--require-approval',
    'never',
    '--outputs-file',
    options.outputsFile,
    ...options.deployArgs,
  ];
}

/** `cdk destroy`'s arguments: the options' stage, without asking. */
export function destroyArguments(options: Pick<DeployLocalOptions, 'stage'>): string[] {
  return ['destroy', ...stageArguments(options), '--force'];
}

/** What to print once deployed: the next command and the teardown. */
export function nextSteps(options: Pick<DeployLocalOptions, 'endpoint' | 'region' | 'outputsFile' | 'stage'>): string {
  const env = `AWS_ENDPOINT_URL=${options.endpoint} AWS_REGION=${options.region}`;
  const outputs = options.outputsFile === DEFAULT_OUTPUTS_FILE ? '' : `SHOP_OUTPUTS=${options.outputsFile} `;
  return [
    `✓ deployed to ${options.endpoint}; outputs in ${options.outputsFile}`,
    '',
    'Run the e2e suite against it (it seeds the catalog, and cleans up what it created):',
    `  ${outputs}${env} npm run test:deployed`,
    '',
    'Tear it down:',
    `  ${env} AWS_ENDPOINT_URL_S3=${options.endpoint} npx cdk ${destroyArguments(options).join(' ')}`,
    '',
    `On AWS itself: npx cdk deploy --outputs-file ${DEFAULT_OUTPUTS_FILE}, npm run test:deployed, npx cdk destroy.`,
  ].join('\n');
}

const ROOT = path.resolve(__dirname, '..');

/**
 * Runs one of the project's own command-line tools (`node_modules/.bin/NAME`) with `args` in `env`, its output on
 * ours; resolves with its exit status (1 when a signal ended it), rejects when it cannot be started.
 */
export function runProjectBin(name: string, args: readonly string[], env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<number> {
  const bin = path.join(ROOT, 'node_modules', '.bin', name);
  log(`▶ ${name} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('error', (error) => reject(new DeployLocalError(`cannot run ${bin} (${error.message}): is the project installed (npm ci)?`)));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Runs the project's pinned CDK CLI; rejects on a non-zero exit. */
export async function cdk(args: readonly string[], env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<void> {
  const status = await runProjectBin('cdk', args, env, log);
  if (status !== 0) throw new DeployLocalError(`cdk ${args[0]} failed (exit status ${status}): see its output above`);
}

/** Asks the options' endpoint what answers there, and says so (and what it lacks); throws when nothing does. */
export async function reachEmulator(options: DeployLocalOptions, log: (line: string) => void = console.log): Promise<EmulatorHealth> {
  let health: EmulatorHealth;
  try {
    health = await identifyEmulator(options.endpoint);
  } catch (error) {
    const which = options.endpointFromEnv ? 'AWS_ENDPOINT_URL' : 'the default; AWS_ENDPOINT_URL is not set';
    throw new DeployLocalError(`${(error as Error).message} [${which}]`);
  }
  log(`✓ ${health.name} answers at ${options.endpoint}`);
  if (health.unavailable.length > 0) log(`! not available there: ${health.unavailable.join(', ')} (the deploy may fail on them)`);
  return health;
}

/** Deploys to the emulator `reachEmulator` found at the options' endpoint: bootstraps when needed, then deploys. */
export async function deployToEmulator(options: DeployLocalOptions, log: (line: string) => void = console.log): Promise<void> {
  const env = emulatorEnvironment(process.env, options.endpoint, options.region);
  const bootstrapped = options.bootstrap === 'auto' ? await isBootstrapped(options.endpoint, options.region) : undefined;
  if (options.bootstrap === 'always' || (options.bootstrap === 'auto' && bootstrapped !== true)) {
    await cdk(['bootstrap', ...stageArguments(options)], env, log);
  } else {
    log(options.bootstrap === 'never' ? '▷ --bootstrap never: not bootstrapping' : '✓ already bootstrapped (CDKToolkit exists)');
  }
  await cdk(deployArguments(options), env, log);
}

async function main(): Promise<void> {
  const options = parseDeployLocalArgs(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(HELP);
    return;
  }
  await reachEmulator(options);
  await deployToEmulator(options);
  console.log(`\n${nextSteps(options)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`✗ deploy:local: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
