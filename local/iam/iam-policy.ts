import type { CfnTemplate } from '../assembly/cloud-assembly';
import { referencedLogicalId, resourcesOfType, ValueResolver } from '../assembly/template-refs';
import { conditionProblem, evaluateConditions, parseConditionBlock, type PolicyCondition, type RequestContext } from './policy-conditions';
import { wildcardMatches } from './wildcard';

export type { PolicyCondition, RequestContext } from './policy-conditions';
export { wildcardMatches } from './wildcard';

/** One statement of an identity policy, resolved to strings. */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** The statement's `Condition` block, one entry per operator and key (see `policy-conditions.ts`). */
  readonly conditions?: readonly PolicyCondition[];
}

/** IAM's answer: an explicit Deny wins over any Allow; no matching Allow is an implicit deny. */
export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/**
 * Evaluates identity-policy statements for one action on one resource, with IAM's wildcards (`*` any run of
 * characters, `?` one character; actions compare case-insensitively, resources case-sensitively) and their
 * `Condition` blocks against `context`, the request's context keys (none by default: every key is absent). A
 * condition that cannot be evaluated locally keeps an Allow statement from applying and makes a Deny statement apply
 * (see `policy-conditions.ts`).
 */
export function evaluatePolicy(statements: readonly PolicyStatement[], action: string, resource: string, context: RequestContext = {}): PolicyDecision {
  let allowed = false;
  for (const statement of statements) {
    const actionMatches = statement.actions
      ? statement.actions.some((pattern) => wildcardMatches(pattern, action, true))
      : statement.notActions !== undefined && !statement.notActions.some((pattern) => wildcardMatches(pattern, action, true));
    const resourceMatches = statement.resources
      ? statement.resources.some((pattern) => wildcardMatches(pattern, resource, false))
      : statement.notResources !== undefined && !statement.notResources.some((pattern) => wildcardMatches(pattern, resource, false));
    if (!actionMatches || !resourceMatches) continue;
    const conditions = evaluateConditions(statement.conditions ?? [], context, statement.effect);
    if (statement.effect === 'Deny') {
      if (conditions !== false) return 'ExplicitDeny';
      continue;
    }
    if (conditions === true) allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** The statements of a resolved policy document (`Statement` may be one object or a list; fields may be strings or lists). */
export function parsePolicyDocument(document: unknown): PolicyStatement[] {
  const doc = (document ?? {}) as Record<string, unknown>;
  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return statements.flatMap((s): PolicyStatement[] => {
    const st = (s ?? {}) as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return [];
    const list = (value: unknown) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String));
    return [
      {
        effect: st.Effect,
        ...(st.Action !== undefined ? { actions: list(st.Action) } : {}),
        ...(st.NotAction !== undefined ? { notActions: list(st.NotAction) } : {}),
        ...(st.Resource !== undefined ? { resources: list(st.Resource) } : {}),
        ...(st.NotResource !== undefined ? { notResources: list(st.NotResource) } : {}),
        ...(st.Condition !== undefined ? { conditions: parseConditionBlock(st.Condition) } : {}),
      },
    ];
  });
}

/**
 * The identity-policy statements of each IAM role of the template, by role logical id: AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources attached through `Roles`, managed policies of the template listed in the
 * role's `ManagedPolicyArns`, and the role's inline `Policies`. AWS-managed policies (outside the template) are
 * not known locally and grant nothing. A statement that does not resolve is dropped with a warning; a statement with
 * a condition that cannot be evaluated locally is kept, with a warning (see `policy-conditions.ts`).
 */
export function readRolePolicies(template: CfnTemplate, resolver: ValueResolver): { policies: Map<string, PolicyStatement[]>; warnings: string[] } {
  const roles = resourcesOfType(template, 'AWS::IAM::Role');
  const policies = new Map<string, PolicyStatement[]>(roles.map(([id]) => [id, []]));
  const warnings: string[] = [];
  const roleNames = new Map<string, string>();
  for (const [id] of roles) {
    try {
      roleNames.set(resolver.resolveString({ Ref: id }), id);
    } catch {
      // a role without a local name can only be referenced by Ref
    }
  }
  const resolveStatements = (owner: string, document: unknown): PolicyStatement[] => {
    const raw = ((document ?? {}) as Record<string, unknown>).Statement;
    const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    return statements.flatMap((statement, index) => {
      try {
        const parsed = parsePolicyDocument({ Statement: [resolver.resolve(statement)] });
        for (const condition of parsed.flatMap((p) => p.conditions ?? [])) {
          const problem = conditionProblem(condition);
          if (problem === undefined) continue;
          const effect = parsed[0]?.effect === 'Deny' ? 'this Deny always applies' : 'this Allow never applies';
          warnings.push(`${owner} statement ${index}: condition ${condition.operator} on ${condition.key} cannot be evaluated (${problem}): ${effect}`);
        }
        return parsed;
      } catch (error) {
        warnings.push(`${owner} statement ${index} ignored: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    });
  };
  const roleOf = (value: unknown): string | undefined => {
    const ref = referencedLogicalId(value);
    if (ref && ref.attribute === undefined && policies.has(ref.logicalId)) return ref.logicalId;
    try {
      return roleNames.get(resolver.resolveString(value));
    } catch {
      return undefined;
    }
  };

  const managed = new Map<string, PolicyStatement[]>();
  for (const [id, props] of resourcesOfType(template, 'AWS::IAM::ManagedPolicy')) {
    managed.set(id, resolveStatements(id, props.PolicyDocument));
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, props] of resourcesOfType(template, type)) {
      const statements = managed.get(id) ?? resolveStatements(id, props.PolicyDocument);
      for (const role of Array.isArray(props.Roles) ? props.Roles : []) {
        const roleId = roleOf(role);
        if (roleId) policies.get(roleId)?.push(...statements);
      }
    }
  }
  for (const [roleId, props] of roles) {
    for (const arn of Array.isArray(props.ManagedPolicyArns) ? props.ManagedPolicyArns : []) {
      const ref = referencedLogicalId(arn);
      if (ref && managed.has(ref.logicalId)) policies.get(roleId)?.push(...(managed.get(ref.logicalId) ?? []));
    }
    for (const inline of Array.isArray(props.Policies) ? props.Policies : []) {
      policies.get(roleId)?.push(...resolveStatements(`${roleId} inline policy`, (inline as Record<string, unknown>).PolicyDocument));
    }
  }
  return { policies, warnings };
}
