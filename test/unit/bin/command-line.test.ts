import { readCommandLine } from '../../../bin/command-line';

const fail = (message: string) => new Error(`refused: ${message}`);

describe('readCommandLine', () => {
  it('hands each flag to its handler in order, with the value after it, and passes on what follows --', () => {
    const seen: string[] = [];

    const line = readCommandLine(
      ['--keep', '--stage', 'dev', '-h', '--', '--ci', '--stage'],
      { switches: { '--keep': () => seen.push('keep') }, values: { '--stage': (value) => seen.push(`stage ${value}`) } },
      fail,
    );

    expect(seen).toEqual(['keep', 'stage dev']);
    expect(line).toEqual({ help: true, passOn: ['--ci', '--stage'] });
  });

  it('answers no help and nothing to pass on for an empty command line', () => {
    expect(readCommandLine([], {}, fail)).toEqual({ help: false, passOn: [] });
  });

  it('refuses a flag without its value, and an argument it does not know, as fail words it', () => {
    expect(() => readCommandLine(['--stage'], { values: { '--stage': () => undefined } }, fail)).toThrow('refused: --stage needs a value');
    expect(() => readCommandLine(['--force'], {}, fail)).toThrow("refused: unknown argument '--force'");
  });

  it('stops at the first error, so a handler that refuses its value speaks before a later unknown argument', () => {
    const refuse = () => {
      throw new Error('bad mode');
    };

    expect(() => readCommandLine(['--mode', 'x', '--nope'], { values: { '--mode': refuse } }, fail)).toThrow('bad mode');
  });
});
