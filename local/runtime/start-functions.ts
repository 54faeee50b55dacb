/**
 * The start-up's Lambda functions: each function of the template with its environment resolved to local values
 * (execute-api URLs to the local API ports), its own credentials and its role's policies; workers start on first
 * invocation. Its embedded-metric-format lines become metrics, as Lambda's log agent makes them. The control API
 * (`/_local/faults`, `/_local/functions`) registers on the edge. A reload reads the functions and their roles'
 * policies again from a new synth (`readFunctions`, `setCallers`): the callers API Gateway and EventBridge check follow.
 */
import { randomBytes } from 'node:crypto';
import type { IntrinsicResolver } from '../assembly/intrinsics';
import type { PhysicalIds } from '../assembly/template-refs';
import { parseEmfLine } from '../cloudwatch/emf';
import type { EdgeServer } from '../edge/edge-server';
import { adminCaller, callerDirectory, functionCaller, type CallerDirectory } from '../iam/api-callers';
import { readRolePolicies } from '../iam/iam-policy';
import { localControlService } from '../lambda/control-service';
import { withEnvironmentOverrides } from '../lambda/environment-overrides';
import { readFunctionConfigs, type FunctionConfigWarning, type LambdaFunctionConfig, type SkippedFunction } from '../lambda/function-config';
import { LambdaService } from '../lambda/lambda-service';
import { ADMIN_CREDENTIALS, functionCredentials } from '../lambda/local-credentials';
import { formatFunctionOutput, formatInvocation } from './log-format';
import type { Resources } from './provision-resources';
import type { StackToRun } from './read-stack';
import type { Startup } from './startup';

export interface RunningFunctions {
  readonly lambda: LambdaService;
  /** Who may sign what: the admin pair, and each function's own key with its role (as of the last reload). */
  readonly callers: CallerDirectory;
  /** Reads each function of `source`'s template as the start-up did: for a reload. */
  readFunctions(source: FunctionSource): ReadFunctions;
  /** Takes the functions' keys and their roles' policies from `configs` and `source` from now on: for a reload. */
  setCallers(source: StackValues, configs: readonly LambdaFunctionConfig[]): RolePolicies;
}

/** A stack and its values resolved locally. */
export interface StackValues {
  readonly stack: StackToRun;
  readonly resolver: IntrinsicResolver;
  readonly physical: PhysicalIds;
}

/** Where the functions' configurations are read from: the stack, its values, and where the bundles are. */
export interface FunctionSource extends StackValues {
  /** The folder of a function's bundle, by logical id. */
  readonly codeDir: (logicalId: string) => string;
}

export interface ReadFunctions {
  readonly configs: readonly LambdaFunctionConfig[];
  readonly skipped: readonly SkippedFunction[];
  readonly warnings: readonly FunctionConfigWarning[];
}

/** Each role's policy statements, by logical id, and what could not be read of them. */
export type RolePolicies = ReturnType<typeof readRolePolicies>;

export function startFunctions(
  options: {
    readonly stack: StackToRun;
    readonly resources: Resources;
    readonly edge: { readonly server: EdgeServer; readonly url: string };
    /** Rewrites the execute-api URLs of the template's values to the local API ports. */
    readonly rewrite: (value: string) => string;
    readonly environmentOverrides: Readonly<Record<string, Readonly<Record<string, string>>>>;
  },
  startup: Startup,
): RunningFunctions {
  const { stack, resources, edge } = options;
  const { log } = startup;
  const secretSeed = randomBytes(32).toString('hex');
  const readFunctions = (source: FunctionSource): ReadFunctions => {
    const read = readFunctionConfigs({
      template: source.stack.template,
      resolver: source.resolver,
      physical: source.physical,
      codeDir: source.codeDir,
      region: source.stack.region,
      accountId: source.stack.accountId,
      partition: source.stack.partition,
      endpointUrl: edge.url,
      credentialsFor: (logicalId) => functionCredentials(logicalId, secretSeed),
      rewriteValue: options.rewrite,
    });
    return { ...read, configs: withEnvironmentOverrides(read.functions, options.environmentOverrides) };
  };
  const read = readFunctions({ stack, resolver: resources.resolver, physical: resources.physical, codeDir: (logicalId) => stack.artifact.lambdaCodeDir(logicalId) });
  const { configs } = read;
  for (const s of read.skipped) log(`  ! function ${s.logicalId} not run locally: ${s.reason}`);
  for (const w of read.warnings) log(`  ! function ${w.logicalId}: ${w.message}`);
  const warnedEmf = new Set<string>();
  const lambda = new LambdaService(configs, {
    onOutput: (config, stream, line) => {
      // Lambda's log agent extracts embedded-metric-format lines into metrics; so does the runtime.
      if (stream === 'stdout' && line.includes('"_aws"')) {
        const emf = parseEmfLine(line);
        for (const datum of emf.datums) startup.store.put(datum);
        if (emf.problem !== undefined && !warnedEmf.has(config.shortName)) {
          warnedEmf.add(config.shortName);
          log(`  ! ${config.shortName}: an embedded-metric-format line gave no metrics: ${emf.problem}`);
        }
      }
      log(formatFunctionOutput(config.shortName, stream, line));
    },
    onInvocation: (report) => {
      startup.metrics.invocation(lambda.pool(report.logicalId).config.functionName, report);
      log(formatInvocation(report));
    },
  });
  startup.onStop(() => lambda.stop());
  edge.server.register(localControlService(lambda));

  let current: CallerDirectory = callerDirectory([]);
  const setCallers = (source: StackValues, functions: readonly LambdaFunctionConfig[]): RolePolicies => {
    const roles = readRolePolicies(source.stack.template, source.resolver);
    const functionCallers = functions.map((fn) =>
      functionCaller({
        credentials: fn.credentials,
        functionName: fn.functionName,
        roleName: fn.roleName ?? `${fn.functionName}-role`,
        roleId: (fn.roleLogicalId && source.physical.get(fn.roleLogicalId)?.attributes.RoleId) || 'AROALOCALROLE',
        accountId: source.stack.accountId,
        partition: source.stack.partition,
        statements: (fn.roleLogicalId && roles.policies.get(fn.roleLogicalId)) || [],
      }),
    );
    current = callerDirectory([adminCaller(ADMIN_CREDENTIALS, source.stack.accountId, source.stack.partition), ...functionCallers]);
    return roles;
  };
  const roles = setCallers({ stack, resolver: resources.resolver, physical: resources.physical }, configs);
  for (const w of roles.warnings) log(`  ! IAM: ${w}`);
  startup.step(`${configs.length} Lambda functions (workers start on first invocation): ${configs.map((f) => f.shortName).join(', ')}`);
  return { lambda, callers: { find: (accessKeyId) => current.find(accessKeyId) }, readFunctions, setCallers };
}
