/** IAM wildcard match of a whole string: `*` any run of characters, `?` one character, everything else literal. */
export function wildcardMatches(pattern: string, value: string, caseInsensitive: boolean): boolean {
  return wildcardPattern(pattern, caseInsensitive).test(value);
}

/**
 * Most patterns kept compiled. The patterns are the template's (policy statements' actions and resources, `…Like`
 * conditions): a few hundred at most; past this the cache starts over rather than grow.
 */
const MAX_CACHED_PATTERNS = 2000;
const compiled = new Map<string, RegExp>();

/**
 * The regular expression of an IAM wildcard pattern, compiled once: every PutEvents call and IAM-authorized API
 * request evaluates each statement of its caller's policies, so building each pattern's expression per request
 * cost more than the evaluation itself.
 */
export function wildcardPattern(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let expression = compiled.get(key);
  if (expression === undefined) {
    const source = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    expression = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
    compiled.set(key, expression);
  }
  return expression;
}
