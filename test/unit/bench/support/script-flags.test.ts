import { runScript, scriptFlags, ScriptUsageError } from '../../../../bench/support/script-flags';

describe('scriptFlags', () => {
  it('answers the value after a known flag, and the fallback for a flag not given', () => {
    const { value } = scriptFlags(['--orders', '50', '--consumers', 'paused'], ['--orders', '--gap-ms', '--consumers']);

    expect(value('--orders', '300')).toBe('50');
    expect(value('--consumers', 'running')).toBe('paused');
    expect(value('--gap-ms', '100')).toBe('100');
  });

  it('answers an empty value for a known flag given last, without one', () => {
    const { value } = scriptFlags(['--requests'], ['--requests']);

    expect(value('--requests', '2000')).toBe('');
  });

  it('rejects every flag it does not know, naming them, as a usage error', () => {
    expect(() => scriptFlags(['--orders', '5', '--fast', '--slow'], ['--orders'])).toThrow(new ScriptUsageError('unknown option --fast, --slow'));
    expect(() => scriptFlags(['--fast'], ['--orders'])).toThrow(ScriptUsageError);
  });

  it('takes a value that looks like a flag as the known flag’s value', () => {
    const { value } = scriptFlags(['--gap-ms', '--x'], ['--gap-ms']);

    expect(value('--gap-ms', '100')).toBe('--x');
  });
});

describe('runScript', () => {
  const USAGE = 'usage: npm run bench:x -- [--n 1]';

  function recorder() {
    const lines = { out: [] as string[], err: [] as string[], exits: [] as number[] };
    return { lines, io: { out: (t: string) => lines.out.push(t), err: (t: string) => lines.err.push(t), exit: (c: number) => lines.exits.push(c) } };
  }

  it('prints the usage for --help and -h, and runs nothing', async () => {
    for (const flag of ['--help', '-h']) {
      // Prepare
      const { lines, io } = recorder();
      const main = jest.fn(async () => {});

      // Act
      await runScript('bench:x', USAGE, main, ['--n', '2', flag], io);

      // Assess
      expect(main).not.toHaveBeenCalled();
      expect(lines).toEqual({ out: [USAGE], err: [], exits: [] });
    }
  });

  it('answers a usage error in one line with the usage, and exits with 2', async () => {
    // Prepare
    const { lines, io } = recorder();

    // Act
    await runScript('bench:x', USAGE, async (argv) => void scriptFlags(argv, ['--n']), ['--fast'], io);

    // Assess
    expect(lines.err).toEqual([`bench:x: unknown option --fast\n${USAGE}`]);
    expect(lines.exits).toEqual([2]);
  });

  it('names any other failure with its stack, and exits with 1', async () => {
    // Prepare
    const { lines, io } = recorder();

    // Act
    await runScript('bench:x', USAGE, async () => { throw new Error('the runtime did not start'); }, [], io);

    // Assess
    expect(lines.err).toHaveLength(1);
    expect(lines.err[0]).toMatch(/^bench:x failed: Error: the runtime did not start\n\s+at /);
    expect(lines.exits).toEqual([1]);
  });

  it('hands main the arguments and ends without exiting when main succeeds', async () => {
    // Prepare
    const { lines, io } = recorder();
    const main = jest.fn(async () => {});

    // Act
    await runScript('bench:x', USAGE, main, ['--n', '3'], io);

    // Assess
    expect(main).toHaveBeenCalledWith(['--n', '3']);
    expect(lines).toEqual({ out: [], err: [], exits: [] });
  });
});
