/** A command line a one-off bench script cannot run: said in one line with the script's usage, never as a stack. */
export class ScriptUsageError extends Error {}

/**
 * The `--name value` flags of a one-off bench script (`bench:acceptance`, `bench:authorizer`): a flag not in `known`
 * is a ScriptUsageError; `value` answers a flag's value, or `fallback` when the flag is not given.
 */
export function scriptFlags(argv: readonly string[], known: readonly string[]): { readonly value: (name: string, fallback: string) => string } {
  const unknown = argv.filter((arg, i) => arg.startsWith('--') && !known.includes(arg) && !known.includes(argv[i - 1] ?? ''));
  if (unknown.length > 0) throw new ScriptUsageError(`unknown option ${unknown.join(', ')}`);
  return {
    value: (name, fallback) => {
      const at = argv.indexOf(name);
      return at < 0 ? fallback : (argv[at + 1] ?? '');
    },
  };
}

/** Where `runScript` writes and how it ends the process; a test gives its own. */
export interface ScriptConsole {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly exit: (code: number) => void;
}

const PROCESS_CONSOLE: ScriptConsole = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  exit: (code) => process.exit(code),
};

/**
 * Runs a one-off bench script's `main` on the command line's arguments, every script alike:
 * - `--help` or `-h` prints `usage` and runs nothing;
 * - a ScriptUsageError prints `<name>: <message>` and the usage, and exits with 2;
 * - any other failure prints `<name> failed:` and its stack, and exits with 1 (the script may have left a runtime
 *   running: exiting stops it).
 * A script that succeeds ends on its own.
 */
export async function runScript(
  name: string,
  usage: string,
  main: (argv: readonly string[]) => Promise<void>,
  argv: readonly string[] = process.argv.slice(2),
  io: ScriptConsole = PROCESS_CONSOLE,
): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage);
    return;
  }
  try {
    await main(argv);
  } catch (error) {
    if (error instanceof ScriptUsageError) {
      io.err(`${name}: ${error.message}\n${usage}`);
      io.exit(2);
    } else {
      io.err(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      io.exit(1);
    }
  }
}
