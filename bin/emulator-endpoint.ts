/**
 * An AWS emulator's endpoint (`AWS_ENDPOINT_URL`) as `deploy:local`, `test:emulator` and the deployed e2e suite see
 * it: which emulator answers there (by what it reports about itself), which of the services the stack needs it lacks,
 * whether `cdk bootstrap` has run there, and the environment the CDK CLI deploys to it with.
 *
 * Nothing here assumes LocalStack: MiniStack and other LocalStack-compatible emulators answer LocalStack's health
 * route too, under their own service names (`monitoring` for CloudWatch), and S3 goes path-style to the endpoint
 * itself, so no public DNS name (`s3.localhost.localstack.cloud`) is needed and it all works offline.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { isAwsHost } from '../lambdas/shared/http/execute-api-url';

/**
 * The services the stack's template uses and the CDK CLI needs (CloudFormation, S3, SSM, STS…), each with the names
 * emulators report it under in their health document.
 */
export const NEEDED_SERVICES: Readonly<Record<string, readonly string[]>> = {
  cloudformation: ['cloudformation'],
  s3: ['s3'],
  ssm: ['ssm'],
  sts: ['sts'],
  iam: ['iam'],
  lambda: ['lambda'],
  apigateway: ['apigateway'],
  dynamodb: ['dynamodb'],
  sqs: ['sqs'],
  kinesis: ['kinesis'],
  events: ['events'],
  sns: ['sns'],
  logs: ['logs'],
  cloudwatch: ['cloudwatch', 'monitoring'],
};

export interface EmulatorHealth {
  /** What the emulator calls itself, e.g. `MiniStack`, `LocalStack 4.3.0 (community)`, or `an emulator` when it does not say. */
  readonly name: string;
  /** The short name the e2e suite keys known gaps by (`SHOP_EMULATOR`): `ministack`, `localstack`, `local-runtime`, `unknown`. */
  readonly kind: 'ministack' | 'localstack' | 'local-runtime' | 'unknown';
  /** Needed services its health document does not list as available (empty when it has no health document). */
  readonly unavailable: readonly string[];
}

/** An endpoint that cannot be used: nothing answers, or it is AWS itself. */
export class EmulatorEndpointError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'EmulatorEndpointError';
  }
}

/** Checks `endpoint` is a base URL of something that is not AWS; returns it without a trailing `/`. */
export function emulatorEndpoint(value: string | undefined, variable = 'AWS_ENDPOINT_URL'): string {
  const endpoint = value?.trim().replace(/\/+$/, '');
  if (!endpoint) throw new EmulatorEndpointError(`${variable} is not set: give the emulator's URL, e.g. http://127.0.0.1:4566`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EmulatorEndpointError(`${variable} is '${value}': give the emulator's base URL, e.g. http://127.0.0.1:4566`);
  }
  if (!/^https?:$/.test(url.protocol) || (url.pathname !== '/' && url.pathname !== '')) {
    throw new EmulatorEndpointError(`${variable} is '${value}': give the emulator's base URL (http or https, no path), e.g. http://127.0.0.1:4566`);
  }
  if (isAwsHost(url.hostname)) throw new EmulatorEndpointError(`${variable} is '${value}', a host of AWS itself: give an emulator's URL`);
  return endpoint;
}

/**
 * Asks the endpoint what it is: MiniStack (`/_ministack/health`), LocalStack or a compatible emulator
 * (`/_localstack/health`), the shop's own local runtime (`/_local/runtime`), or something else that answers HTTP.
 * Throws EmulatorEndpointError when nothing answers.
 */
export async function identifyEmulator(endpoint: string, timeoutMs = 5_000): Promise<EmulatorHealth> {
  const get = async (route: string): Promise<{ status: number; json?: Record<string, unknown> }> => {
    const response = await fetch(`${endpoint}${route}`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    try {
      const json: unknown = JSON.parse(text);
      return { status: response.status, ...(typeof json === 'object' && json !== null ? { json: json as Record<string, unknown> } : {}) };
    } catch {
      return { status: response.status };
    }
  };
  let ministack: Awaited<ReturnType<typeof get>>;
  try {
    ministack = await get('/_ministack/health');
  } catch (error) {
    throw new EmulatorEndpointError(`nothing answers at ${endpoint} (${causeOf(error)}): start the emulator (e.g. ../shared/ministack/start 4566, or LocalStack), or set AWS_ENDPOINT_URL to where it listens`);
  }
  const localstackHealth = () => get('/_localstack/health').catch(() => ({ status: 0 }) as Awaited<ReturnType<typeof get>>);
  const servicesAnswered = (health: Awaited<ReturnType<typeof get>>) => servicesOf(health.status === 200 ? health.json : undefined);
  // MiniStack answers LocalStack's route too: ask it only when MiniStack's own health does not list the services.
  if (ministack.status === 200 && ministack.json) {
    const services = servicesAnswered(ministack) ?? servicesAnswered(await localstackHealth());
    return { name: 'MiniStack', kind: 'ministack', unavailable: services === undefined ? [] : missingServices(services) };
  }
  const localstack = await localstackHealth();
  const services = servicesAnswered(localstack);
  if (services !== undefined) {
    const json = localstack.json ?? {};
    const version = typeof json.version === 'string' ? ` ${json.version}` : '';
    const edition = typeof json.edition === 'string' ? ` (${json.edition})` : '';
    return { name: `LocalStack${version}${edition}`, kind: 'localstack', unavailable: missingServices(services) };
  }
  const runtime = await get('/_local/runtime').catch(() => ({ status: 0 }));
  if (runtime.status === 200) return { name: "the shop's local runtime", kind: 'local-runtime', unavailable: [] };
  return { name: 'an emulator', kind: 'unknown', unavailable: [] };
}

/** The needed services a health document's `services` does not list as available or running, by our names. */
export function missingServices(services: Readonly<Record<string, unknown>>): string[] {
  const up = (name: string) => ['available', 'running'].includes(String(services[name]));
  return Object.entries(NEEDED_SERVICES)
    .filter(([, names]) => !names.some(up))
    .map(([name]) => name);
}

function servicesOf(json: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const services = json?.services;
  return typeof services === 'object' && services !== null ? (services as Record<string, unknown>) : undefined;
}

/** The region to deploy to: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. */
export function emulatorRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1';
}

/**
 * The environment the CDK CLI (and the AWS SDKs) deploy to the emulator with: every service at the endpoint, S3
 * path-style at the endpoint too (unless AWS_ENDPOINT_URL_S3 says otherwise), the region, and `test`/`test`
 * credentials when none are set.
 */
export function emulatorEnvironment(env: NodeJS.ProcessEnv, endpoint: string, region: string): NodeJS.ProcessEnv {
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID?.trim() || env.AWS_PROFILE?.trim());
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: env.AWS_ENDPOINT_URL_S3?.trim() || endpoint,
    // The CDK CLI goes path-style on its own for loopback endpoints; this makes it do so for any other host too.
    CDK_S3_FORCE_PATH_STYLE: env.CDK_S3_FORCE_PATH_STYLE ?? '1',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    ...(hasCredentials ? {} : { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
  };
}

/**
 * Whether the CDKToolkit stack (what `cdk bootstrap` creates) exists at the endpoint: CloudFormation DescribeStacks.
 * Undefined when the answer says neither (bootstrap then: it is idempotent).
 */
export async function isBootstrapped(endpoint: string, region: string, timeoutMs = 10_000): Promise<boolean | undefined> {
  const url = new URL(`${endpoint}/`);
  const body = 'Action=DescribeStacks&StackName=CDKToolkit&Version=2010-05-15';
  const signer = new SignatureV4({ service: 'cloudformation', region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
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

export function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'no answer within the timeout';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
