import { DEFAULT_STAGE, OUTPUTS_FILE, parseTestEmulatorArgs, suiteEnvironment, TestEmulatorError } from '../../../bin/test-emulator';

describe('parseTestEmulatorArgs', () => {
  it('deploys a stage of its own to AWS_ENDPOINT_URL and passes what follows -- to jest', () => {
    expect(parseTestEmulatorArgs(['--', '--ci', '--json'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' })).toEqual({
      help: false,
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      stage: DEFAULT_STAGE,
      keep: false,
      jestArgs: ['--ci', '--json'],
    });
    expect(parseTestEmulatorArgs(['--stage', 'e2e', '--keep'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-1' })).toMatchObject({ stage: 'e2e', keep: true, region: 'eu-west-1' });
  });

  it('refuses to run without an emulator endpoint, or with AWS itself as one', () => {
    expect(() => parseTestEmulatorArgs([], {})).toThrow(/AWS_ENDPOINT_URL is not set/);
    expect(() => parseTestEmulatorArgs([], { AWS_ENDPOINT_URL: 'https://cloudformation.eu-west-1.amazonaws.com' })).toThrow(/a host of AWS itself/);
    expect(() => parseTestEmulatorArgs(['--stage'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toThrow(TestEmulatorError);
    expect(() => parseTestEmulatorArgs(['--force'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toThrow(/unknown argument '--force'/);
  });
});

describe('suiteEnvironment', () => {
  it("points the deployed suite at the outputs and the emulator, and names the emulator for its known gaps", () => {
    const options = parseTestEmulatorArgs([], { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });

    expect(suiteEnvironment({}, options, { name: 'MiniStack', kind: 'ministack', unavailable: [] })).toMatchObject({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
      AWS_REGION: 'us-east-1',
      SHOP_OUTPUTS: OUTPUTS_FILE,
      SHOP_EMULATOR: 'ministack',
    });
  });
});
