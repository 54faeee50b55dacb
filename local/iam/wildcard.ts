/** IAM wildcard match of a whole string: `*` any run of characters, `?` one character, everything else literal. */
export function wildcardMatches(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}
