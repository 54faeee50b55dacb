import { HELP, parseCliOptions, UsageError } from '../../../../local/cli/cli-options';

const ROOT = '/project';

describe('parseCliOptions: synth and watch', () => {
  it('synthesizes when needed and does not watch by default', () => {
    const options = parseCliOptions([], {}, ROOT);
    expect(options.synth).toBe(true);
    expect(options.forceSynth).toBeUndefined();
    expect(options.watch).toBeUndefined();
  });

  it('reads --watch and --force-synth', () => {
    expect(parseCliOptions(['--watch', '--force-synth'], {}, ROOT)).toMatchObject({ synth: true, forceSynth: true, watch: true });
    expect(parseCliOptions(['--watch', '--no-synth'], {}, ROOT)).toMatchObject({ synth: false, watch: true });
  });

  it('rejects --force-synth with --no-synth, naming both', () => {
    expect(() => parseCliOptions(['--no-synth', '--force-synth'], {}, ROOT)).toThrow(UsageError);
    expect(() => parseCliOptions(['--force-synth', '--no-synth'], {}, ROOT)).toThrow(/--force-synth and --no-synth contradict each other/);
  });

  it('documents when cdk.out is reused, how to force a synth, and what --watch keeps', () => {
    expect(HELP).toContain('--force-synth');
    expect(HELP).toContain('unless cdk.out is up to date');
    expect(HELP).toContain('--watch');
    expect(HELP).toContain('tables, queues and streams keep their data');
  });
});
