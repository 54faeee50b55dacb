import type { CfnTemplate } from '../assembly/cloud-assembly';
import { LocalCredentials } from './local-credentials';
import { PhysicalIds, referencedLogicalId, resourcesOfType, shortNameOf, ValueResolver } from '../assembly/template-refs';

/** Everything the local runtime needs to run one AWS::Lambda::Function of the template. */
export interface LambdaFunctionConfig {
  readonly logicalId: string;
  /** The logical id without CDK's hash, used to prefix the function's log lines. */
  readonly shortName: string;
  readonly functionName: string;
  readonly arn: string;
  /** The unpacked bundle: `cdk.out/asset.<hash>`. */
  readonly codeDir: string;
  /** `module.export`, e.g. `index.handler`. */
  readonly handler: string;
  /** e.g. `nodejs22.x`. */
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  /** ReservedConcurrentExecutions, when the template sets it. */
  readonly reservedConcurrency?: number;
  /** The template's `Environment.Variables`, resolved to local values. */
  readonly environment: Readonly<Record<string, string>>;
  readonly region: string;
  /** AWS_ENDPOINT_URL of the function: the local runtime's edge. */
  readonly endpointUrl: string;
  readonly credentials: Required<LocalCredentials>;
  /** The execution role's logical id, when `Role` points at a role of the template. */
  readonly roleLogicalId?: string;
  /** The execution role's name (its Ref), used in the function's assumed-role ARN. */
  readonly roleName?: string;
  readonly tracingActive: boolean;
  readonly logGroupName: string;
  /** LoggingConfig.LogFormat: `Text` or `JSON`. */
  readonly logFormat: string;
  readonly applicationLogLevel?: string;
  readonly systemLogLevel?: string;
}

/** Where `readFunctionConfigs` reads from. */
export interface FunctionConfigSource {
  readonly template: CfnTemplate;
  readonly resolver: ValueResolver;
  readonly physical: PhysicalIds;
  /** The bundle folder of a function (StackArtifact.lambdaCodeDir). */
  readonly codeDir: (logicalId: string) => string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly endpointUrl: string;
  readonly credentialsFor: (logicalId: string) => Required<LocalCredentials>;
  /**
   * Applied to every resolved environment value (the runtime rewrites execute-api URLs to local ports).
   *
   * @default - values are used as resolved
   */
  readonly rewriteValue?: (value: string) => string;
}

/** A function the local runtime cannot run, and why. */
export interface SkippedFunction {
  readonly logicalId: string;
  readonly reason: string;
}

/** A problem that does not stop the function from running (e.g. an environment value that did not resolve). */
export interface FunctionConfigWarning {
  readonly logicalId: string;
  readonly message: string;
}

const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

/** Reads every Node.js AWS::Lambda::Function of the template into a config; others are listed as skipped. */
export function readFunctionConfigs(source: FunctionConfigSource): {
  functions: LambdaFunctionConfig[];
  skipped: SkippedFunction[];
  warnings: FunctionConfigWarning[];
} {
  const functions: LambdaFunctionConfig[] = [];
  const skipped: SkippedFunction[] = [];
  const warnings: FunctionConfigWarning[] = [];
  const rewrite = source.rewriteValue ?? ((value: string) => value);

  for (const [logicalId, props] of resourcesOfType(source.template, 'AWS::Lambda::Function')) {
    const runtime = typeof props.Runtime === 'string' ? props.Runtime : '';
    if (!runtime.startsWith('nodejs')) {
      skipped.push({ logicalId, reason: `runtime ${runtime || '(container image)'} is not Node.js` });
      continue;
    }
    const code = props.Code as Record<string, unknown> | undefined;
    if (code && 'ZipFile' in code) {
      skipped.push({ logicalId, reason: 'inline code (Code.ZipFile) is not run locally' });
      continue;
    }
    let codeDir: string;
    try {
      codeDir = source.codeDir(logicalId);
    } catch (error) {
      skipped.push({ logicalId, reason: `no bundle in the cloud assembly: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }

    const physical = source.physical.get(logicalId);
    const functionName = props.FunctionName !== undefined ? source.resolver.resolveString(props.FunctionName) : (physical?.ref ?? logicalId);
    const environment: Record<string, string> = {};
    const variables = ((props.Environment as Record<string, unknown> | undefined)?.Variables ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(variables)) {
      try {
        environment[name] = rewrite(source.resolver.resolveString(value));
      } catch (error) {
        warnings.push({ logicalId, message: `environment variable ${name} left unset: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    const role = referencedLogicalId(props.Role);
    const roleLogicalId = role && source.template.Resources[role.logicalId]?.Type === 'AWS::IAM::Role' ? role.logicalId : undefined;
    const logging = (props.LoggingConfig ?? {}) as Record<string, unknown>;
    const tracing = (props.TracingConfig ?? {}) as Record<string, unknown>;

    functions.push({
      logicalId,
      shortName: shortNameOf(logicalId),
      functionName,
      arn: physical?.attributes.Arn ?? `arn:${source.partition}:lambda:${source.region}:${source.accountId}:function:${functionName}`,
      codeDir,
      handler: typeof props.Handler === 'string' ? props.Handler : 'index.handler',
      runtime,
      timeoutSeconds: numberOr(source.resolver.resolve(props.Timeout), DEFAULT_TIMEOUT_SECONDS),
      memorySizeMb: numberOr(source.resolver.resolve(props.MemorySize), DEFAULT_MEMORY_MB),
      ...(props.ReservedConcurrentExecutions !== undefined
        ? { reservedConcurrency: numberOr(source.resolver.resolve(props.ReservedConcurrentExecutions), 0) }
        : {}),
      environment,
      region: source.region,
      endpointUrl: source.endpointUrl,
      credentials: source.credentialsFor(logicalId),
      ...(roleLogicalId ? { roleLogicalId, roleName: source.physical.get(roleLogicalId)?.ref ?? roleLogicalId } : {}),
      tracingActive: tracing.Mode === 'Active',
      logGroupName: logGroupNameOf(logging.LogGroup, source.resolver) ?? `/aws/lambda/${functionName}`,
      logFormat: typeof logging.LogFormat === 'string' ? logging.LogFormat : 'Text',
      ...(typeof logging.ApplicationLogLevel === 'string' ? { applicationLogLevel: logging.ApplicationLogLevel } : {}),
      ...(typeof logging.SystemLogLevel === 'string' ? { systemLogLevel: logging.SystemLogLevel } : {}),
    });
  }
  return { functions, skipped, warnings };
}

/**
 * The environment of one execution environment: the template's variables plus what Lambda itself sets
 * (region, function identity, log stream, credentials, endpoint, handler location, TZ).
 */
export function lambdaEnvironment(config: LambdaFunctionConfig, logStreamName: string): Record<string, string> {
  const env: Record<string, string> = {
    // The host's PATH (Lambda's /var/lang/bin does not exist here), so a function can still spawn tools.
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...config.environment,
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: config.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    LAMBDA_TASK_ROOT: config.codeDir,
    LAMBDA_RUNTIME_DIR: config.codeDir,
    _HANDLER: config.handler,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: config.credentials.sessionToken,
    AWS_ENDPOINT_URL: config.endpointUrl,
  };
  if (config.logFormat === 'JSON') {
    env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    if (config.applicationLogLevel) env.AWS_LAMBDA_LOG_LEVEL = config.applicationLogLevel;
  }
  return env;
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

function logGroupNameOf(value: unknown, resolver: ValueResolver): string | undefined {
  if (value === undefined) return undefined;
  try {
    return resolver.resolveString(value);
  } catch {
    return undefined;
  }
}
