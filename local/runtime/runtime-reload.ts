/**
 * A reload: the running runtime takes another synth of its app (a new cloud assembly, or new bundles for some of its
 * functions) without a restart. The emulators keep running and keep their data (tables, queues, streams, users).
 *
 * What it applies (see `template-changes.ts` for what it does not):
 * - each function's new code or configuration (environment, timeout, memory, handler, reserved concurrency…), as a
 *   function update does on Lambda: invocations in flight finish on the version they started on, later ones start
 *   environments of the new version (`FunctionPool.update`). A bundle whose code is the same as the running one's is
 *   no change, wherever it was built.
 * - each REST API whose routes, methods, authorizers or gateway responses changed: served by a gateway built anew.
 * - the IAM policies of the functions' roles, for the callers API Gateway and EventBridge check.
 * Everything is read before anything is applied: an assembly that cannot be read changes nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readRestApis, type RestApiModel } from '../apigateway/rest-api-model';
import { assignPhysicalIds, IntrinsicResolver } from '../assembly/intrinsics';
import { readRolePolicies } from '../iam/iam-policy';
import type { LambdaFunctionConfig } from '../lambda/function-config';
import type { ReloadOptions, RuntimeReload } from './local-runtime';
import type { ListeningApis, ServedApis } from './start-apis';
import type { Resources } from './provision-resources';
import { loadStack, type StackOptions } from './read-stack';
import type { RunningFunctions, StackValues } from './start-functions';
import { changesNeedingRestart } from './template-changes';

export function runtimeReloader(parts: {
  readonly stackOptions: StackOptions;
  readonly initial: StackValues;
  readonly resources: Resources;
  readonly edgeUrl: string;
  readonly functions: RunningFunctions;
  readonly listening: ListeningApis;
  readonly served: ServedApis;
}): (options: ReloadOptions) => Promise<RuntimeReload> {
  const { resources, functions, served } = parts;
  const { lambda } = functions;
  let current = parts.initial;
  let policies: string | undefined;
  const apiModels = new Map(parts.listening.servers.map(({ model }) => [model.id, serialized(model)]));
  const bundles = new BundleDigests();
  let queue: Promise<unknown> = Promise.resolve();

  const reload = async (options: ReloadOptions): Promise<RuntimeReload> => {
    const stack = loadStack({ ...parts.stackOptions, assemblyDir: options.assemblyDir, stackName: current.stack.stackName });
    if (stack.region !== current.stack.region || stack.accountId !== current.stack.accountId) {
      return nothingApplied([`the stack's environment changed (${stack.accountId}/${stack.region})`], lambda.functions);
    }
    const physical = assignPhysicalIds(stack.template, resources.context, { edgeUrl: parts.edgeUrl });
    const next: StackValues = { stack, resolver: new IntrinsicResolver(stack.template, resources.context, physical), physical };
    // Against the template the runtime started with: what it set up then is what still runs, whatever reloads came since.
    const needsRestart = changesNeedingRestart(parts.initial.stack.template, stack.template);

    const replaced = options.replacedBundles ?? new Map<string, string>();
    const read = functions.readFunctions({
      ...next,
      codeDir: (logicalId) => {
        const folder = stack.artifact.lambdaCodeDir(logicalId);
        return replaced.get(folder) ?? folder;
      },
    });
    const code: string[] = [];
    const configuration: string[] = [];
    const updates: LambdaFunctionConfig[] = [];
    for (const running of lambda.functions) {
      const config = read.configs.find((candidate) => candidate.logicalId === running.logicalId);
      if (config === undefined) {
        if (stack.template.Resources[running.logicalId] !== undefined) needsRestart.push(`function ${running.shortName} is no longer run locally`);
        continue;
      }
      const sameCode = bundles.same(running.codeDir, config.codeDir);
      const candidate = sameCode ? { ...config, codeDir: running.codeDir } : config;
      const fields = changedFields(running, candidate);
      if (fields.length === 0) continue;
      if (!sameCode) code.push(running.shortName);
      const settings = fields.filter((field) => field !== 'codeDir');
      if (settings.length > 0) configuration.push(`${running.shortName} (${settings.join(', ')})`);
      updates.push(candidate);
    }
    const apis = readRestApis(stack.template, next.resolver, physical).filter((model) => {
      const before = apiModels.get(model.id);
      return before !== undefined && before !== serialized(model);
    });

    policies ??= serialized(readRolePolicies(current.stack.template, current.resolver).policies);
    const roles = functions.setCallers(next, lambda.functions.map((running) => updates.find((config) => config.logicalId === running.logicalId) ?? running));
    const policiesNow = serialized(roles.policies);
    const policiesChanged = policiesNow !== policies;
    policies = policiesNow;
    for (const config of updates) lambda.update(config);
    for (const model of apis) {
      served.serve(model);
      apiModels.set(model.id, serialized(model));
    }
    current = next;
    return {
      code,
      configuration,
      apis: apis.map((model) => model.name),
      policies: policiesChanged,
      needsRestart,
      codeDirs: codeDirsOf(lambda.functions),
    };
  };

  // One reload at a time, in the order asked.
  return (options) => {
    const result = queue.then(() => reload(options));
    queue = result.catch(() => undefined);
    return result;
  };
}

function nothingApplied(needsRestart: readonly string[], functions: readonly LambdaFunctionConfig[]): RuntimeReload {
  return { code: [], configuration: [], apis: [], policies: false, needsRestart, codeDirs: codeDirsOf(functions) };
}

function codeDirsOf(functions: readonly LambdaFunctionConfig[]): ReadonlyMap<string, string> {
  return new Map(functions.map((fn) => [fn.logicalId, fn.codeDir]));
}

/** The fields of a function's configuration that differ. */
function changedFields(before: LambdaFunctionConfig, after: LambdaFunctionConfig): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof LambdaFunctionConfig)[]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** JSON with maps as lists of entries: what compares two models or policy sets. */
function serialized(value: RestApiModel | ReadonlyMap<string, unknown>): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? [...item] : item));
}

/**
 * The digest of each bundle folder's code, once per folder (a bundle folder never changes once built): its files but
 * source maps, whose paths to the sources differ with where the bundle was built and change nothing it does.
 */
class BundleDigests {
  private readonly digests = new Map<string, string>();

  /** Whether two bundle folders hold the same code. */
  same(a: string, b: string): boolean {
    return a === b || this.digest(a) === this.digest(b);
  }

  private digest(folder: string): string {
    let digest = this.digests.get(folder);
    if (digest === undefined) {
      const hash = createHash('sha256');
      const walk = (relative: string) => {
        for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
          const child = path.join(relative, entry.name);
          if (entry.isDirectory()) walk(child);
          else if (!entry.name.endsWith('.map')) hash.update(`${child}\0`).update(readFileSync(path.join(folder, child)));
        }
      };
      try {
        walk('.');
        digest = hash.digest('hex');
      } catch {
        // A folder that cannot be read is the same as no other.
        digest = `unreadable ${folder}`;
      }
      this.digests.set(folder, digest);
    }
    return digest;
  }
}
