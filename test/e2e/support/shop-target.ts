/**
 * What the e2e suite runs against: a stack's outputs, a region, credentials, an optional endpoint (emulators), and
 * the local runtime's controls when there are any. Nothing else: every test reaches the shop through this, so the
 * suite runs unchanged against the in-process runtime (`npm test`), a running `npm start`, LocalStack, or AWS.
 *
 * `npm run test:deployed` reads its target from the environment (see `deployedSettings`); `npm test` builds one from
 * an in-process runtime (`local-shop.ts`). Deadlines differ: a deployed target gets at least `SHOP_DEADLINE_MS` for
 * every asynchronous result, since EventBridge → SQS → Lambda in AWS takes seconds where the local runtime takes
 * milliseconds.
 */
import * as path from 'node:path';
import { isAwsHost, resolveExecuteApiUrl } from '../../../lambdas/shared/http/execute-api-url';
import { httpControls, type ShopControls } from './shop-controls';
import { readStackOutputs, requireOutput, type StackOutputs } from '../../../bin/stack-outputs';

export interface Deadlines {
  /** Every poll for an asynchronous result waits at least this long (0: as long as the test asks). */
  readonly minimumMs: number;
  /** Time between two polls. */
  readonly pollIntervalMs: number;
  /** How long to let asynchronous work finish when no control says it has (cleanup, "nothing else happens" checks). */
  readonly settleMs: number;
}

export interface ShopTarget {
  readonly kind: 'in-process' | 'deployed';
  /** For messages, e.g. `stack HybridShop from cdk-outputs.json at http://localhost:4566`. */
  readonly description: string;
  readonly stack: StackOutputs;
  readonly region: string;
  /** The AWS endpoint of an emulator; absent: AWS itself. */
  readonly endpoint?: string;
  /** Fixed credentials (an in-process runtime's admin pair; `test`/`test` for an emulator when none are set); absent: the SDK's default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Absent: the tests that need controls are skipped, for `noControls`. */
  readonly controls?: ShopControls & { check?(): Promise<void> };
  readonly noControls?: string;
  /** The target's time scale (1: real time; the local runtime's `--time-scale`). */
  readonly timeScale: number;
  readonly deadlines: Deadlines;
}

/** A setting of the environment that cannot be used. */
export class TargetSettingError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'TargetSettingError';
  }
}

/** Set by the deployed run's Jest config: the suite runs against `deployedTarget()`. */
export const TARGET_VARIABLE = 'SHOP_TARGET';

export const IN_PROCESS_DEADLINES: Deadlines = { minimumMs: 0, pollIntervalMs: 100, settleMs: 1_000 };
const DEPLOYED_DEADLINES: Deadlines = { minimumMs: 60_000, pollIntervalMs: 500, settleMs: 5_000 };

/** True when this Jest run targets a deployed stack (`npm run test:deployed`). */
export function runsDeployed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TARGET_VARIABLE] === 'deployed';
}

/** The deadlines of this run: SHOP_DEADLINE_MS, SHOP_POLL_MS and SHOP_SETTLE_MS on a deployed target. */
export function deadlinesOf(env: NodeJS.ProcessEnv = process.env): Deadlines {
  if (!runsDeployed(env)) return IN_PROCESS_DEADLINES;
  return {
    minimumMs: milliseconds(env, 'SHOP_DEADLINE_MS', DEPLOYED_DEADLINES.minimumMs),
    pollIntervalMs: milliseconds(env, 'SHOP_POLL_MS', DEPLOYED_DEADLINES.pollIntervalMs),
    settleMs: milliseconds(env, 'SHOP_SETTLE_MS', DEPLOYED_DEADLINES.settleMs),
  };
}

/** A deadline for this run: the test's own (local) deadline, or the deployed minimum when that is longer. */
export function deadlineMs(localMs: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(localMs, deadlinesOf(env).minimumMs);
}

export interface DeployedSettings {
  readonly outputsFile: string;
  readonly stackName?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly controlUrl?: string;
  readonly timeScale: number;
  readonly deadlines: Deadlines;
}

/**
 * The deployed target's settings, from the environment:
 * SHOP_OUTPUTS (default `cdk-outputs.json`, relative to `cwd`), SHOP_STACK, AWS_REGION or AWS_DEFAULT_REGION,
 * AWS_ENDPOINT_URL, SHOP_CONTROL_URL, SHOP_TIME_SCALE (default 1) and the deadlines of `deadlinesOf`.
 */
export function deployedSettings(env: NodeJS.ProcessEnv, cwd: string): DeployedSettings {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const endpoint = text('AWS_ENDPOINT_URL');
  const controlUrl = text('SHOP_CONTROL_URL');
  for (const [name, value] of [['AWS_ENDPOINT_URL', endpoint], ['SHOP_CONTROL_URL', controlUrl]] as const) {
    if (value !== undefined && !/^https?:\/\/[^/]/.test(value)) throw new TargetSettingError(`${name} is '${value}': give a URL such as http://localhost:4566`);
  }
  const timeScaleText = text('SHOP_TIME_SCALE');
  const timeScale = timeScaleText === undefined ? 1 : Number(timeScaleText);
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new TargetSettingError(`SHOP_TIME_SCALE is '${timeScaleText}': give the local runtime's --time-scale, a positive number such as 0.05`);
  }
  const region = text('AWS_REGION') ?? text('AWS_DEFAULT_REGION');
  const stackName = text('SHOP_STACK');
  return {
    outputsFile: path.resolve(cwd, text('SHOP_OUTPUTS') ?? 'cdk-outputs.json'),
    ...(stackName ? { stackName } : {}),
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(controlUrl ? { controlUrl } : {}),
    timeScale,
    deadlines: deadlinesOf({ ...env, [TARGET_VARIABLE]: 'deployed' }),
  };
}

/** The region in an API Gateway URL (`https://{id}.execute-api.{region}.amazonaws.com/…`); undefined when none. */
export function regionOfApiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return /^[^.]+\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/** What LocalStack and the local runtime accept. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export const NO_CONTROL_URL =
  "SHOP_CONTROL_URL is not set: a deployed stack has no fault injection. Against a running `npm start`, set it to the control URL `npm start` prints";

/** The target of `npm run test:deployed`: the outputs file, the environment's region, credentials and endpoint. */
export function deployedTarget(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ShopTarget {
  const settings = deployedSettings(env, cwd);
  const stack = readStackOutputs(settings.outputsFile, settings.stackName);
  const region = settings.region ?? regionOfApiUrl(stack.outputs.PublicApiUrl);
  if (!region) throw new TargetSettingError(`set AWS_REGION to the region stack ${stack.stackName} is deployed in`);
  const where = settings.endpoint ? `at ${settings.endpoint}` : `in AWS (${region})`;
  return {
    kind: 'deployed',
    description: `stack ${stack.stackName} from ${displayPath(stack.source, cwd)} ${where}`,
    stack,
    region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // Against an emulator with no credentials set, its usual pair (as `npm run redrive` does).
    ...(settings.endpoint && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE ? { credentials: EMULATOR_CREDENTIALS } : {}),
    ...(settings.controlUrl ? { controls: httpControls(settings.controlUrl) } : { noControls: NO_CONTROL_URL }),
    timeScale: settings.timeScale,
    deadlines: settings.deadlines,
  };
}

/** Relative to `cwd` when the file is inside it. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new TargetSettingError(`${name} is '${text}': give whole milliseconds, e.g. ${fallback}`);
  return value;
}

/**
 * The URL of a stack's API output on this target: on an emulator (an endpoint set), an execute-api URL moves to the
 * endpoint's `/_aws/execute-api/…` path, as the functions' own calls do; on AWS it is the output as it is.
 */
export function apiUrlOf(target: ShopTarget, output: 'PublicApiUrl' | 'InternalApiUrl'): URL {
  const given = requireOutput(target.stack, output);
  const url = resolveExecuteApiUrl(given, { AWS_ENDPOINT_URL: target.endpoint });
  refuseAwsHost(target, url, `output ${output} (${given})`);
  return url;
}

/** With an emulator endpoint set, nothing may go to a host of AWS itself: fails with a message that says why. */
export function refuseAwsHost(target: Pick<ShopTarget, 'endpoint'>, url: URL, what: string): void {
  if (target.endpoint !== undefined && isAwsHost(url.hostname)) {
    throw new TargetSettingError(
      `refusing to call ${url.origin}, a host of AWS, for ${what}: AWS_ENDPOINT_URL is ${target.endpoint}, so every request must go there. ` +
        'An execute-api URL moves to the endpoint\'s /_aws/execute-api/{apiId}/{stage}/ path; any other AWS URL is a bug',
    );
  }
}
