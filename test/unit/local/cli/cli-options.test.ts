import { HELP, parseCliOptions, UsageError } from '../../../../local/cli/cli-options';

const ROOT = '/project';

describe('parseCliOptions', () => {
  it('defaults to synthesizing cdk.out, the edge on 4566, the APIs from 3000 and real time', () => {
    expect(parseCliOptions([], {}, ROOT)).toEqual({ help: false, synth: true, edgePort: 4566, apiPort: 3000, assemblyDir: '/project/cdk.out' });
  });

  it('reads the time scale from --time-scale, over LOCAL_TIME_SCALE', () => {
    expect(parseCliOptions(['--time-scale', '0.05'], {}, ROOT).timeScale).toBe(0.05);
    expect(parseCliOptions([], { LOCAL_TIME_SCALE: '0.1' }, ROOT).timeScale).toBe(0.1);
    expect(parseCliOptions(['--time-scale', '0.05'], { LOCAL_TIME_SCALE: '0.1' }, ROOT).timeScale).toBe(0.05);
  });

  it('rejects a time scale that is not a positive number, naming where it came from', () => {
    expect(() => parseCliOptions(['--time-scale', '0'], {}, ROOT)).toThrow(/--time-scale is '0': give a positive number/);
    expect(() => parseCliOptions(['--time-scale', 'fast'], {}, ROOT)).toThrow(UsageError);
    expect(() => parseCliOptions([], { LOCAL_TIME_SCALE: '-1' }, ROOT)).toThrow(/LOCAL_TIME_SCALE is '-1'/);
    expect(() => parseCliOptions(['--time-scale'], {}, ROOT)).toThrow(/--time-scale needs a value/);
  });

  it('reads the background budget from --background-concurrency, over LOCAL_BACKGROUND_CONCURRENCY', () => {
    expect(parseCliOptions(['--background-concurrency', '4'], {}, ROOT).backgroundConcurrency).toBe(4);
    expect(parseCliOptions([], { LOCAL_BACKGROUND_CONCURRENCY: '3' }, ROOT).backgroundConcurrency).toBe(3);
    expect(parseCliOptions(['--background-concurrency', '1'], { LOCAL_BACKGROUND_CONCURRENCY: '3' }, ROOT).backgroundConcurrency).toBe(1);
    expect(HELP).toContain('--background-concurrency N');
  });

  it('rejects a background budget that is not a whole number of batches, naming where it came from', () => {
    expect(() => parseCliOptions(['--background-concurrency', '0'], {}, ROOT)).toThrow(/--background-concurrency is '0': give a whole number, 1 or more/);
    expect(() => parseCliOptions([], { LOCAL_BACKGROUND_CONCURRENCY: '2.5' }, ROOT)).toThrow(/LOCAL_BACKGROUND_CONCURRENCY is '2.5'/);
  });

  it('answers --help with the help text, which documents how the time scale rounds', () => {
    expect(parseCliOptions(['--help'], {}, ROOT).help).toBe(true);
    expect(HELP).toContain('--time-scale N');
    expect(HELP).toContain('rounded to whole seconds, at least 1 s unless 0');
  });

  it('reads the other flags as before', () => {
    expect(parseCliOptions(['--no-synth', '--edge-port', '0', '--api-port', '3100', '--stack', 'Other', '--assembly', 'out'], { LOCAL_EDGE_PORT: '1' }, ROOT)).toMatchObject({
      synth: false,
      edgePort: 0,
      apiPort: 3100,
      stackName: 'Other',
    });
    expect(() => parseCliOptions(['--fast'], {}, ROOT)).toThrow(/unknown argument '--fast'/);
  });
});
