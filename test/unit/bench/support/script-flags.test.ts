import { scriptFlags } from '../../../../bench/support/script-flags';

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

  it('rejects every flag it does not know, naming them', () => {
    expect(() => scriptFlags(['--orders', '5', '--fast', '--slow'], ['--orders'])).toThrow('unknown option --fast, --slow');
  });

  it('takes a value that looks like a flag as the known flag’s value', () => {
    const { value } = scriptFlags(['--gap-ms', '--x'], ['--gap-ms']);

    expect(value('--gap-ms', '100')).toBe('--x');
  });
});
