#!/usr/bin/env node
/**
 * Deploys the stack to LocalStack (or a LocalStack-compatible emulator) with LocalStack's `cdklocal`, and writes the
 * stack's outputs where `npm run test:deployed` reads them.
 *
 *   npm run deploy:local                                        # LocalStack at http://localhost:4566
 *   AWS_ENDPOINT_URL=http://localhost:4567 npm run deploy:local  # another endpoint
 *   npm run deploy:local -- --outputs-file other.json --bootstrap always -- --hotswap   # after `--`: cdk deploy's own flags
 *   npm run deploy:local -- --help
 *
 * Steps: check that the endpoint answers (LocalStack's `/_localstack/health`), `cdklocal bootstrap` unless the
 * CDKToolkit stack is there already, `cdklocal deploy --require-approval never --outputs-file cdk-outputs.json`, then
 * print the next command and the teardown. For AWS itself there is nothing to wrap:
 * `npx cdk bootstrap && npx cdk deploy --outputs-file cdk-outputs.json` with your credentials and AWS_REGION.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export const DEFAULT_ENDPOINT = 'http://localhost:4566';
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';
/** The services the stack's template uses, and the ones cdklocal itself needs (CloudFormation, S3, SSM, STS…). */
export const NEEDED_SERVICES = ['cloudformation', 's3', 'ssm', 'sts', 'iam', 'lambda', 'apigateway', 'dynamodb', 'sqs', 'kinesis', 'events', 'sns', 'logs', 'cloudwatch'] as const;

export const USAGE = 'usage: npm run deploy:local -- [--outputs-file FILE] [--bootstrap auto|always|never] [--help] [-- <cdk deploy flags>]';

export const HELP = `${USAGE}

Deploys the stack with cdklocal to the endpoint in AWS_ENDPOINT_URL (default ${DEFAULT_ENDPOINT}) and writes its
outputs for \`npm run test:deployed\`.

  --outputs-file F   where cdk writes the stack's outputs (default ${DEFAULT_OUTPUTS_FILE})
  --bootstrap MODE   auto: only when the CDKToolkit stack is missing (default); always; never
  -- …               anything after a second \`--\` goes to \`cdklocal deploy\`

Environment: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 (default: s3.localhost.localstack.cloud on the same port for a
local endpoint, else the endpoint itself, path-style), AWS_REGION (default us-east-1).
For AWS itself: npx cdk bootstrap && npx cdk deploy --outputs-file ${DEFAULT_OUTPUTS_FILE} (teardown: npx cdk destroy).`;

export interface DeployLocalOptions {
  readonly help: boolean;
  readonly endpoint: string;
  /** Whether the endpoint came from AWS_ENDPOINT_URL (for messages). */
  readonly endpointFromEnv: boolean;
  readonly region: string;
  readonly outputsFile: string;
  readonly bootstrap: 'auto' | 'always' | 'never';
  /** Passed on to `cdklocal deploy`. */
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
  let help = false;
  let outputsFile = DEFAULT_OUTPUTS_FILE;
  let bootstrap: DeployLocalOptions['bootstrap'] = 'auto';
  let deployArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new DeployLocalError(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--') {
      deployArgs = argv.slice(i + 1);
      break;
    }
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--outputs-file') outputsFile = value();
    else if (arg === '--bootstrap') {
      const mode = value();
      if (mode !== 'auto' && mode !== 'always' && mode !== 'never') throw new DeployLocalError(`--bootstrap is '${mode}': give auto, always or never\n${USAGE}`);
      bootstrap = mode;
    } else throw new DeployLocalError(`unknown argument '${arg}'\n${USAGE}`);
  }
  const fromEnv = env.AWS_ENDPOINT_URL?.trim();
  const endpoint = (fromEnv || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(endpoint)) throw new DeployLocalError(`AWS_ENDPOINT_URL is '${fromEnv}': give the emulator's base URL, e.g. ${DEFAULT_ENDPOINT}`);
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1';
  return { help, endpoint, endpointFromEnv: Boolean(fromEnv), region, outputsFile, bootstrap, deployArgs };
}

/**
 * The environment cdklocal runs with. cdklocal refuses AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3, and drops every
 * other AWS_* variable that AWS_ENVAR_ALLOWLIST does not name — the region among them.
 */
export function cdklocalEnvironment(env: NodeJS.ProcessEnv, options: Pick<DeployLocalOptions, 'endpoint' | 'region'>): NodeJS.ProcessEnv {
  const url = new URL(options.endpoint);
  const local = ['localhost', '127.0.0.1', 'localhost.localstack.cloud'].includes(url.hostname);
  const s3 = env.AWS_ENDPOINT_URL_S3 ?? (local ? `${url.protocol}//s3.localhost.localstack.cloud:${url.port || (url.protocol === 'https:' ? 443 : 80)}` : options.endpoint);
  const pathStyle = env.AWS_S3_FORCE_PATH_STYLE ?? (local ? undefined : '1');
  const allow = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_S3_FORCE_PATH_STYLE', ...(env.AWS_ENVAR_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean)]);
  return {
    ...env,
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_ENDPOINT_URL_S3: s3,
    ...(pathStyle ? { AWS_S3_FORCE_PATH_STYLE: pathStyle } : {}),
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ENVAR_ALLOWLIST: [...allow].join(','),
  };
}

/** `cdklocal deploy`'s arguments. */
export function deployArguments(options: Pick<DeployLocalOptions, 'outputsFile' | 'deployArgs'>): string[] {
  return ['deploy', '--require-approval', 'never', '--outputs-file', options.outputsFile, ...options.deployArgs];
}

export type EndpointHealth =
  | { readonly kind: 'localstack'; readonly version?: string; readonly unavailable: readonly string[] }
  | { readonly kind: 'other'; readonly status: number };

/**
 * Checks that something answers at the endpoint: LocalStack (its health, and which needed services it lacks) or
 * another emulator (any HTTP answer). Throws DeployLocalError naming AWS_ENDPOINT_URL when nothing does.
 */
export async function checkEndpoint(options: Pick<DeployLocalOptions, 'endpoint' | 'endpointFromEnv'>, timeoutMs = 5_000): Promise<EndpointHealth> {
  const url = `${options.endpoint}/_localstack/health`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const which = options.endpointFromEnv ? 'AWS_ENDPOINT_URL' : 'the default; AWS_ENDPOINT_URL is not set';
    throw new DeployLocalError(
      `nothing answers at ${options.endpoint} (${which}): ${causeOf(error)}. Start LocalStack (\`localstack start -d\`, or ` +
        '`docker run -d -p 4566:4566 localstack/localstack`), or set AWS_ENDPOINT_URL to your emulator\'s URL',
    );
  }
  const text = await response.text();
  if (!response.ok) return { kind: 'other', status: response.status };
  let health: { services?: Record<string, string>; version?: string };
  try {
    health = JSON.parse(text) as typeof health;
  } catch {
    return { kind: 'other', status: response.status };
  }
  if (typeof health.services !== 'object' || health.services === null) return { kind: 'other', status: response.status };
  const services = health.services;
  const unavailable = NEEDED_SERVICES.filter((name) => !['available', 'running'].includes(String(services[name])));
  return { kind: 'localstack', ...(health.version ? { version: health.version } : {}), unavailable };
}

/**
 * Whether the CDKToolkit stack (what `cdk bootstrap` creates) exists at the endpoint: CloudFormation DescribeStacks.
 * Undefined when the answer says neither (bootstrap then, it is idempotent).
 */
export async function isBootstrapped(options: Pick<DeployLocalOptions, 'endpoint' | 'region'>, timeoutMs = 10_000): Promise<boolean | undefined> {
  const url = new URL(`${options.endpoint}/`);
  const body = 'Action=DescribeStacks&StackName=CDKToolkit&Version=2010-05-15';
  const signer = new SignatureV4({ service: 'cloudformation', region: options.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    }),
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (response.ok) {
      const status = /<StackStatus>([A-Z_]+)<\/StackStatus>/.exec(text)?.[1];
      if (status === undefined) return undefined;
      return !['DELETE_COMPLETE', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED'].includes(status);
    }
    return /does not exist/.test(text) ? false : undefined;
  } catch {
    return undefined;
  }
}

/** What to print once deployed: the next command and the teardown. */
export function nextSteps(options: Pick<DeployLocalOptions, 'endpoint' | 'region' | 'outputsFile'>): string {
  const env = `AWS_ENDPOINT_URL=${options.endpoint} AWS_REGION=${options.region}`;
  const outputs = options.outputsFile === DEFAULT_OUTPUTS_FILE ? '' : `SHOP_OUTPUTS=${options.outputsFile} `;
  return [
    `✓ deployed to ${options.endpoint}; outputs in ${options.outputsFile}`,
    '',
    'Run the e2e suite against it (it seeds the catalog, and cleans up what it created):',
    `  ${outputs}${env} npm run test:deployed`,
    '',
    'Tear it down:',
    `  ${env} npx cdklocal destroy --force`,
    '',
    `On AWS itself: npx cdk deploy --outputs-file ${DEFAULT_OUTPUTS_FILE}, npm run test:deployed, npx cdk destroy.`,
  ].join('\n');
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'no answer within the timeout';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

const ROOT = path.resolve(__dirname, '..');

function cdklocal(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'cdklocal');
  console.log(`▶ cdklocal ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('error', (error) => reject(new DeployLocalError(`cannot run ${bin} (${error.message}): is aws-cdk-local installed (npm ci)?`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new DeployLocalError(`cdklocal ${args[0]} failed (${signal ?? `exit code ${code}`}): see its output above`));
    });
  });
}

async function main(): Promise<void> {
  const options = parseDeployLocalArgs(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(HELP);
    return;
  }
  const health = await checkEndpoint(options);
  if (health.kind === 'localstack') {
    console.log(`✓ LocalStack${health.version ? ` ${health.version}` : ''} answers at ${options.endpoint}`);
    if (health.unavailable.length > 0) console.log(`! not available there: ${health.unavailable.join(', ')} (the deploy may fail on them)`);
  } else {
    console.log(`✓ ${options.endpoint} answers (GET /_localstack/health → ${health.status}: not LocalStack; going on as a LocalStack-compatible emulator)`);
  }
  const env = cdklocalEnvironment(process.env, options);
  const bootstrapped = options.bootstrap === 'auto' ? await isBootstrapped(options) : undefined;
  if (options.bootstrap === 'always' || (options.bootstrap === 'auto' && bootstrapped !== true)) {
    await cdklocal(['bootstrap'], env);
  } else {
    console.log(options.bootstrap === 'never' ? '▷ --bootstrap never: not bootstrapping' : '✓ already bootstrapped (CDKToolkit exists)');
  }
  await cdklocal(deployArguments(options), env);
  console.log(`\n${nextSteps(options)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`✗ deploy:local: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
