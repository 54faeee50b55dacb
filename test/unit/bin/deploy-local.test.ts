import { DEFAULT_ENDPOINT, DeployLocalError, deployArguments, nextSteps, parseDeployLocalArgs } from '../../../bin/deploy-local';

describe('parseDeployLocalArgs', () => {
  it('defaults to an emulator on localhost:4566, us-east-1, cdk-outputs.json, the default stage and bootstrapping only when needed', () => {
    expect(parseDeployLocalArgs([], {})).toEqual({
      help: false,
      endpoint: DEFAULT_ENDPOINT,
      endpointFromEnv: false,
      region: 'us-east-1',
      outputsFile: 'cdk-outputs.json',
      bootstrap: 'auto',
      deployArgs: [],
    });
  });

  it('reads the endpoint and region from the environment, and passes the stage and what follows -- to cdk deploy', () => {
    const options = parseDeployLocalArgs(['--outputs-file', 'o.json', '--bootstrap', 'never', '--stage', 'dev', '--', '--hotswap', 'HybridShop-dev'], {
      AWS_ENDPOINT_URL: 'http://emulator:4567/',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(options).toMatchObject({ endpoint: 'http://emulator:4567', endpointFromEnv: true, region: 'eu-west-1', outputsFile: 'o.json', bootstrap: 'never', stage: 'dev' });
    expect(deployArguments(options)).toEqual(['deploy', '-c', 'stage=dev', '-c', 'waf=false', '--require-approval', 'never', '--outputs-file', 'o.json', '--hotswap', 'HybridShop-dev']);
  });

  it('deploys without the web ACL, which no emulator enforces and MiniStack cannot associate, unless the cdk flags ask for it', () => {
    expect(deployArguments(parseDeployLocalArgs([], {}))).toEqual(['deploy', '-c', 'waf=false', '--require-approval', 'never', '--outputs-file', 'cdk-outputs.json']);
    expect(deployArguments(parseDeployLocalArgs(['--', '-c', 'waf=true'], {}))).toEqual(['deploy', '--require-approval', 'never', '--outputs-file', 'cdk-outputs.json', '-c', 'waf=true']);
    expect(deployArguments(parseDeployLocalArgs(['--', '--context=waf=true'], {}))).not.toContain('waf=false');
  });

  it('rejects an unknown flag, a bootstrap mode it does not know, an endpoint that is not a base URL, and AWS itself', () => {
    expect(() => parseDeployLocalArgs(['--force'], {})).toThrow(/unknown argument '--force'/);
    expect(() => parseDeployLocalArgs(['--bootstrap', 'maybe'], {})).toThrow(/--bootstrap is 'maybe': give auto, always or never/);
    expect(() => parseDeployLocalArgs([], { AWS_ENDPOINT_URL: 'localhost:4566' })).toThrow(/AWS_ENDPOINT_URL is 'localhost:4566'/);
    expect(() => parseDeployLocalArgs([], { AWS_ENDPOINT_URL: 'https://cloudformation.us-east-1.amazonaws.com' })).toThrow(/a host of AWS itself/);
    expect(() => parseDeployLocalArgs(['--outputs-file'], {})).toThrow(DeployLocalError);
  });
});

describe('nextSteps', () => {
  it('names the next command, a plain cdk teardown of the same stage, and the way to AWS', () => {
    const text = nextSteps({ endpoint: 'http://localhost:4566', region: 'us-east-1', outputsFile: 'cdk-outputs.json', stage: 'dev' });
    expect(text).toContain('AWS_ENDPOINT_URL=http://localhost:4566 AWS_REGION=us-east-1 npm run test:deployed');
    expect(text).toContain('npx cdk destroy -c stage=dev --force');
    expect(text).not.toContain('cdklocal');
    expect(text).toContain('npx cdk deploy --outputs-file cdk-outputs.json');
    expect(nextSteps({ endpoint: 'http://localhost:4566', region: 'us-east-1', outputsFile: 'other.json' })).toContain('SHOP_OUTPUTS=other.json ');
  });
});
