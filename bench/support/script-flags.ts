/**
 * The `--name value` flags of a one-off bench script (`bench:acceptance`, `bench:authorizer`): a flag not in `known`
 * is an error; `value` answers a flag's value, or `fallback` when the flag is not given.
 */
export function scriptFlags(argv: readonly string[], known: readonly string[]): { readonly value: (name: string, fallback: string) => string } {
  const unknown = argv.filter((arg, i) => arg.startsWith('--') && !known.includes(arg) && !known.includes(argv[i - 1] ?? ''));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')}`);
  return {
    value: (name, fallback) => {
      const at = argv.indexOf(name);
      return at < 0 ? fallback : (argv[at + 1] ?? '');
    },
  };
}
