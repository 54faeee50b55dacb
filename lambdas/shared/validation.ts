import type * as z from 'zod/mini';
import { type FieldError, ValidationError } from './errors';

type Issue = z.core.$ZodIssue;

/** `['lines', 0, 'quantity']` → `lines[0].quantity`; the empty path is `root`. */
export function fieldName(path: readonly PropertyKey[], root: string): string {
  let name = '';
  for (const segment of path) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else name += name === '' ? String(segment) : `.${String(segment)}`;
  }
  return name === '' ? root : name;
}

function describeBound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const isMin = issue.code === 'too_small';
  const bound = String(isMin ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const relation = isMin ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  if (issue.origin === 'string') return `must be ${relation} ${bound} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${relation} ${bound} items`;
  return `must be ${relation} ${bound}`;
}

const ARTICLE: Record<string, string> = { int: 'an integer', object: 'an object', array: 'an array' };

/** A client-facing message for one zod issue; schemas give their own message for formats and refinements. */
function messageOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
    case 'too_small':
    case 'too_big':
      return describeBound(issue);
    default:
      return issue.message;
  }
}

/**
 * One field error per issue (parsed with `reportInput`); an unknown key is named itself (`lines[0].colour`), not
 * its parent object.
 */
export function fieldErrors(issues: readonly Issue[], root: string): FieldError[] {
  return issues.flatMap((issue): FieldError[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName([...issue.path, key], root), message: 'is not a known field' }))
      : [{ field: fieldName(issue.path, root), message: messageOf(issue) }],
  );
}

/**
 * Parse `input` with `schema`, or throw a `ValidationError` naming every offending field.
 * @param root what to call the input itself when an issue is about all of it (`body`, `sku`).
 */
export function parseInput<T extends z.ZodMiniType>(schema: T, input: unknown, root: string): z.output<T> {
  // reportInput: issues carry the offending value, which tells a missing field from a wrong type.
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(`The ${root} is invalid.`, { errors: fieldErrors(result.error.issues, root) });
}
