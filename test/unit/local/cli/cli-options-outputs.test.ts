import { controlUrlOf, DEFAULT_OUTPUTS_FILE, deployedSuiteCommand, HELP, outputsFileText, parseCliOptions } from '../../../../local/cli/cli-options';
import { parseStackOutputs } from '../../../../bin/stack-outputs';

describe("npm start's outputs file", () => {
  it('is written in the format of `cdk deploy --outputs-file`, which the deployed suite reads back', () => {
    const outputs = { PublicApiUrl: 'http://127.0.0.1:3000/prod/', EventBusName: 'HybridShop-bus' };

    const text = outputsFileText('HybridShop', outputs);

    expect(JSON.parse(text)).toEqual({ HybridShop: outputs });
    expect(parseStackOutputs(text, DEFAULT_OUTPUTS_FILE)).toEqual({ stackName: 'HybridShop', outputs, source: DEFAULT_OUTPUTS_FILE });
  });

  it('goes where --outputs-file says, else to cdk-outputs.local.json (decided by the CLI)', () => {
    expect(parseCliOptions(['--outputs-file', 'out/local.json'], {}, '/project').outputsFile).toMatch(/out\/local\.json$/);
    expect(parseCliOptions([], {}, '/project').outputsFile).toBeUndefined();
    expect(DEFAULT_OUTPUTS_FILE).toBe('cdk-outputs.local.json');
    expect(HELP).toContain('--outputs-file F');
  });
});

describe('deployedSuiteCommand', () => {
  it('names the outputs file, the edge, the control API, the region and the emulator credentials', () => {
    expect(deployedSuiteCommand({ outputsFile: 'cdk-outputs.local.json', edgeUrl: 'http://127.0.0.1:4566', region: 'us-east-1', timeScale: 1 })).toBe(
      'SHOP_OUTPUTS=cdk-outputs.local.json AWS_ENDPOINT_URL=http://127.0.0.1:4566 SHOP_CONTROL_URL=http://127.0.0.1:4566/_local ' +
        'AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test npm run test:deployed',
    );
  });

  it("passes the runtime's time scale on, so the tests that need fast retries run", () => {
    expect(deployedSuiteCommand({ outputsFile: 'o.json', edgeUrl: 'http://127.0.0.1:4700', region: 'us-east-1', timeScale: 0.05 })).toContain(' SHOP_TIME_SCALE=0.05 ');
  });

  it('puts the control API under /_local on the edge', () => {
    expect(controlUrlOf('http://127.0.0.1:4700/')).toBe('http://127.0.0.1:4700/_local');
  });
});
