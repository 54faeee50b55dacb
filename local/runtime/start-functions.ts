/**
 * The start-up's Lambda functions: each function of the template with its environment resolved to local values
 * (execute-api URLs to the local API ports), its own credentials and its role's policies; workers start on first
 * invocation. Its embedded-metric-format lines become metrics, as Lambda's log agent makes them. The control API
 * (`/_local/faults`, `/_local/functions`) registers on the edge.
 */
import { randomBytes } from 'node:crypto';
import { parseEmfLine } from '../cloudwatch/emf';
import type { EdgeServer } from '../edge/edge-server';
import { adminCaller, callerDirectory, functionCaller, type CallerDirectory } from '../iam/api-callers';
import { readRolePolicies } from '../iam/iam-policy';
import { localControlService } from '../lambda/control-service';
import { withEnvironmentOverrides } from '../lambda/environment-overrides';
import { readFunctionConfigs, type LambdaFunctionConfig } from '../lambda/function-config';
import { LambdaService } from '../lambda/lambda-service';
import { ADMIN_CREDENTIALS, functionCredentials } from '../lambda/local-credentials';
import { formatFunctionOutput, formatInvocation } from './log-format';
import type { Resources } from './provision-resources';
import type { StackToRun } from './read-stack';
import type { Startup } from './startup';

export interface RunningFunctions {
  readonly configs: readonly LambdaFunctionConfig[];
  readonly lambda: LambdaService;
  /** Who may sign what: the admin pair, and each function's own key with its role. */
  readonly callers: CallerDirectory;
}

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
  const read = readFunctionConfigs({
    template: stack.template,
    resolver: resources.resolver,
    physical: resources.physical,
    codeDir: (logicalId) => stack.artifact.lambdaCodeDir(logicalId),
    region: stack.region,
    accountId: stack.accountId,
    partition: stack.partition,
    endpointUrl: edge.url,
    credentialsFor: (logicalId) => functionCredentials(logicalId, secretSeed),
    rewriteValue: options.rewrite,
  });
  const configs = withEnvironmentOverrides(read.functions, options.environmentOverrides);
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

  const roles = readRolePolicies(stack.template, resources.resolver);
  for (const w of roles.warnings) log(`  ! IAM: ${w}`);
  const functionCallers = configs.map((fn) =>
    functionCaller({
      credentials: fn.credentials,
      functionName: fn.functionName,
      roleName: fn.roleName ?? `${fn.functionName}-role`,
      roleId: (fn.roleLogicalId && resources.physical.get(fn.roleLogicalId)?.attributes.RoleId) || 'AROALOCALROLE',
      accountId: stack.accountId,
      partition: stack.partition,
      statements: (fn.roleLogicalId && roles.policies.get(fn.roleLogicalId)) || [],
    }),
  );
  const callers = callerDirectory([adminCaller(ADMIN_CREDENTIALS, stack.accountId, stack.partition), ...functionCallers]);
  startup.step(`${configs.length} Lambda functions (workers start on first invocation): ${configs.map((f) => f.shortName).join(', ')}`);
  return { configs, lambda, callers };
}
