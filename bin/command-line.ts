/** What a script's command line asks for, besides the flags its handlers took. */
export interface CommandLine {
  /** `--help` or `-h` was given. */
  readonly help: boolean;
  /** Everything after a `--`, for the tool the script runs (cdk deploy, jest). */
  readonly passOn: readonly string[];
}

export interface CommandLineFlags {
  /** Flags without a value, each with what it does. */
  readonly switches?: Readonly<Record<string, () => void>>;
  /** Flags with a value (the next argument), each with what it does with it; a handler may throw to refuse it. */
  readonly values?: Readonly<Record<string, (value: string) => void>>;
}

/**
 * Walks a script's command line (deploy-local, test-emulator) in order: `--help`/`-h`, the `flags` with their
 * handlers, and from a `--` on, the rest as it is. A flag that needs a value and has none, or an argument it does not
 * know, is an error: what `fail` makes of the message.
 */
export function readCommandLine(argv: readonly string[], flags: CommandLineFlags, fail: (message: string) => Error): CommandLine {
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { help, passOn: argv.slice(i + 1) };
    const takesValue = flags.values?.[arg];
    if (arg === '--help' || arg === '-h') help = true;
    else if (flags.switches?.[arg] !== undefined) flags.switches[arg]();
    else if (takesValue !== undefined) {
      const value = argv[++i];
      if (value === undefined) throw fail(`${arg} needs a value`);
      takesValue(value);
    } else throw fail(`unknown argument '${arg}'`);
  }
  return { help, passOn: [] };
}
