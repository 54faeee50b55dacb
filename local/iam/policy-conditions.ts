/**
 * IAM `Condition` blocks: parsing them out of a policy statement, and deciding whether they hold for a request.
 *
 * What IAM documents, and what this file does:
 * - A block holds when every operator holds, an operator when every key holds, a key when any of its policy values
 *   matches (for a negated operator such as `StringNotEquals`: when none does).
 * - Keys compare case-insensitively; values as the operator says (`StringEquals` and `StringLike` case-sensitively).
 * - A key absent from the request: a positive operator is false, a negated operator is true, `…IfExists` is true,
 *   `Null` tells which (`"true"`: absent). An empty list of values counts as absent.
 * - `ForAllValues:` holds when every request value matches (and when the key is absent: IAM's documented trap, which
 *   a `Null` check closes); `ForAnyValue:` when at least one does (and never when the key is absent).
 *
 * Two choices of our own, each the answer that can never allow more than AWS would:
 * - An operator without `ForAllValues:`/`ForAnyValue:` on a key with several values (`events:source` on a PutEvents
 *   with entries from several sources): IAM says a multivalued key needs a set operator and leaves this case
 *   undocumented. In an Allow statement every value must match (`ForAllValues`, the key being present); in a Deny
 *   statement one is enough (`ForAnyValue`). With a single value both read the same, as AWS does.
 * - An operator this file does not implement (the numeric, date, IP address and binary ones), a policy variable
 *   (`${aws:username}`) in a value, or a malformed block: the condition is unknown. An Allow statement with an
 *   unknown condition never applies (the request is denied unless another statement allows it); a Deny statement
 *   with one always applies. `conditionProblem` names the problem so the loader can warn once per statement.
 */
import { wildcardMatches } from './wildcard';
import { isRecord } from '../shared/json';

/** One key of one operator of a statement's `Condition` block: `"StringLike": {"events:source": "shop.*"}`. */
export interface PolicyCondition {
  /** The operator as written, qualifiers included: `StringEquals`, `ForAllValues:StringLike`, `BoolIfExists`, `Null`. */
  readonly operator: string;
  /** The context key as written, e.g. `events:source` (keys compare case-insensitively). */
  readonly key: string;
  /** The policy's values, as text (a JSON `true` becomes `"true"`). */
  readonly values: readonly string[];
  /** Why the block could not be read, when it could not (the condition is then unknown). */
  readonly malformed?: string;
}

/**
 * The request's context keys and their values, e.g. `{ 'events:source': ['shop.orders'] }`. A multivalued key has
 * several values; an absent key is simply left out. Keys compare case-insensitively.
 */
export type RequestContext = Readonly<Record<string, readonly string[]>>;

/** The operators this file evaluates, without qualifiers or `IfExists`. */
export const SUPPORTED_CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Bool',
  'Null',
] as const;

type BaseOperator = (typeof SUPPORTED_CONDITION_OPERATORS)[number];
type SetOperator = 'ForAllValues' | 'ForAnyValue';

interface ParsedOperator {
  readonly base: BaseOperator;
  readonly set?: SetOperator;
  readonly ifExists: boolean;
}

/** How one request value compares with the policy's values; `negated` operators hold when no policy value matches. */
const MATCHERS: Readonly<Record<Exclude<BaseOperator, 'Null'>, { readonly negated: boolean; readonly matches: (policy: string, value: string) => boolean }>> = {
  StringEquals: { negated: false, matches: (policy, value) => policy === value },
  StringNotEquals: { negated: true, matches: (policy, value) => policy === value },
  StringEqualsIgnoreCase: { negated: false, matches: (policy, value) => policy.toLowerCase() === value.toLowerCase() },
  StringNotEqualsIgnoreCase: { negated: true, matches: (policy, value) => policy.toLowerCase() === value.toLowerCase() },
  StringLike: { negated: false, matches: (policy, value) => wildcardMatches(policy, value, false) },
  StringNotLike: { negated: true, matches: (policy, value) => wildcardMatches(policy, value, false) },
  // IAM documents ArnEquals and ArnLike as the same test: each of the six colon-separated parts, wildcards allowed.
  ArnEquals: { negated: false, matches: arnMatches },
  ArnNotEquals: { negated: true, matches: arnMatches },
  ArnLike: { negated: false, matches: arnMatches },
  ArnNotLike: { negated: true, matches: arnMatches },
  Bool: { negated: false, matches: (policy, value) => policy.toLowerCase() === value.toLowerCase() },
};

/** The conditions of a statement's `Condition` block (one per operator and key); a malformed block is kept, marked. */
export function parseConditionBlock(block: unknown): PolicyCondition[] {
  if (!isRecord(block)) return [{ operator: '?', key: '?', values: [], malformed: 'the Condition element is not an object' }];
  return Object.entries(block).flatMap(([operator, keys]): PolicyCondition[] => {
    if (!isRecord(keys)) return [{ operator, key: '?', values: [], malformed: `${operator} does not map context keys to values` }];
    return Object.entries(keys).map(([key, raw]) => {
      const list: unknown[] = Array.isArray(raw) ? raw : [raw];
      const scalar = list.every((value) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean');
      return scalar
        ? { operator, key, values: list.map(String) }
        : { operator, key, values: [], malformed: `a value of ${key} is not a string, number or boolean` };
    });
  });
}

/** Why a condition cannot be evaluated locally (it is then unknown), or undefined when it can. */
export function conditionProblem(condition: PolicyCondition): string | undefined {
  if (condition.malformed !== undefined) return condition.malformed;
  const parsed = parseOperator(condition.operator);
  if (typeof parsed === 'string') return parsed;
  if (parsed.base !== 'Null' && parsed.base !== 'Bool' && condition.values.some((value) => value.includes('${'))) {
    return `policy variables (\${…}) are not substituted locally`;
  }
  return undefined;
}

/**
 * Whether a statement's conditions hold for a request: `true`, `false`, or `'unknown'` when one that could decide
 * cannot be evaluated locally (see `conditionProblem`). `effect` is the statement's: it decides how an operator
 * without a set qualifier reads a key with several values (see the module's documentation).
 */
export function evaluateConditions(conditions: readonly PolicyCondition[], context: RequestContext, effect: 'Allow' | 'Deny'): boolean | 'unknown' {
  if (conditions.length === 0) return true;
  const lookup = new Map(Object.entries(context).map(([key, values]) => [key.toLowerCase(), values]));
  let unknown = false;
  for (const condition of conditions) {
    const result = evaluateCondition(condition, lookup, effect);
    if (result === false) return false;
    if (result === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

function evaluateCondition(condition: PolicyCondition, context: ReadonlyMap<string, readonly string[]>, effect: 'Allow' | 'Deny'): boolean | 'unknown' {
  const operator = parseOperator(condition.operator);
  if (typeof operator === 'string' || conditionProblem(condition) !== undefined) return 'unknown';
  const found = context.get(condition.key.toLowerCase());
  const values = found !== undefined && found.length > 0 ? found : undefined;

  if (operator.base === 'Null') {
    const absent = values === undefined;
    return condition.values.some((policy) => policy.toLowerCase() === String(absent));
  }
  const matcher = MATCHERS[operator.base];
  const holdsFor = (value: string) => {
    const matched = condition.values.some((policy) => matcher.matches(policy, value));
    return matcher.negated ? !matched : matched;
  };
  if (values === undefined) {
    if (operator.ifExists) return true;
    if (operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return matcher.negated;
  }
  const every = operator.set === 'ForAllValues' || (operator.set === undefined && effect === 'Allow');
  return every ? values.every(holdsFor) : values.some(holdsFor);
}

/** `ForAllValues:StringLikeIfExists` → its parts; a string says why the operator is not supported. */
function parseOperator(operator: string): ParsedOperator | string {
  const colon = operator.indexOf(':');
  const qualifier = colon < 0 ? undefined : operator.slice(0, colon);
  const rest = colon < 0 ? operator : operator.slice(colon + 1);
  let set: SetOperator | undefined;
  if (qualifier !== undefined) {
    if (qualifier.toLowerCase() === 'forallvalues') set = 'ForAllValues';
    else if (qualifier.toLowerCase() === 'foranyvalue') set = 'ForAnyValue';
    else return `${qualifier} is not a condition set operator (ForAllValues, ForAnyValue)`;
  }
  const ifExists = /IfExists$/i.test(rest);
  const name = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const base = SUPPORTED_CONDITION_OPERATORS.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (base === undefined) return `the ${name} operator is not evaluated locally (supported: ${SUPPORTED_CONDITION_OPERATORS.join(', ')})`;
  if (base === 'Null' && (ifExists || set !== undefined)) return `${operator} is not a valid form of Null`;
  return { base, ifExists, ...(set ? { set } : {}) };
}

/** ARN comparison as IAM does it: six colon-separated parts (the last keeps its colons), each with wildcards. */
function arnMatches(pattern: string, value: string): boolean {
  const patternParts = arnParts(pattern);
  const valueParts = arnParts(value);
  if (patternParts === undefined || valueParts === undefined) return false;
  return patternParts.every((part, index) => wildcardMatches(part, valueParts[index], false));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
