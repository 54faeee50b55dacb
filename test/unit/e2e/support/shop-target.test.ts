import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { apiUrlOf, deadlineMs, deadlinesOf, deployedSettings, deployedTarget, refuseAwsHost, regionOfApiUrl, TargetSettingError } from '../../../e2e/support/shop-target';

/** A folder with a cdk-outputs.json holding `outputs` for stack HybridShop. */
function project(outputs: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shop-target-'));
  writeFileSync(path.join(dir, 'cdk-outputs.json'), JSON.stringify({ HybridShop: outputs }));
  return dir;
}

describe('deployedSettings', () => {
  it('defaults to cdk-outputs.json in the working folder, real time, and the deployed deadlines', () => {
    expect(deployedSettings({}, '/work')).toEqual({
      outputsFile: '/work/cdk-outputs.json',
      timeScale: 1,
      deadlines: { minimumMs: 60_000, pollIntervalMs: 500, settleMs: 5_000 },
    });
  });

  it('reads every setting from the environment', () => {
    const env = {
      SHOP_OUTPUTS: 'out/local.json',
      SHOP_STACK: 'Shop2',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://localhost:4566',
      SHOP_CONTROL_URL: 'http://localhost:4566/_local',
      SHOP_TIME_SCALE: '0.05',
      SHOP_DEADLINE_MS: '90000',
      SHOP_POLL_MS: '250',
      SHOP_SETTLE_MS: '0',
    };
    expect(deployedSettings(env, '/work')).toEqual({
      outputsFile: '/work/out/local.json',
      stackName: 'Shop2',
      region: 'eu-west-1',
      endpoint: 'http://localhost:4566',
      controlUrl: 'http://localhost:4566/_local',
      timeScale: 0.05,
      deadlines: { minimumMs: 90_000, pollIntervalMs: 250, settleMs: 0 },
    });
  });

  it('rejects settings it cannot use, naming the variable', () => {
    expect(() => deployedSettings({ SHOP_TIME_SCALE: '0' }, '/w')).toThrow(/SHOP_TIME_SCALE is '0'/);
    expect(() => deployedSettings({ SHOP_DEADLINE_MS: '1m' }, '/w')).toThrow(/SHOP_DEADLINE_MS is '1m': give whole milliseconds/);
    expect(() => deployedSettings({ AWS_ENDPOINT_URL: 'localhost:4566' }, '/w')).toThrow(/AWS_ENDPOINT_URL is 'localhost:4566'/);
    expect(() => deployedSettings({ SHOP_CONTROL_URL: '4566' }, '/w')).toThrow(TargetSettingError);
  });
});

describe('deadlines', () => {
  it('keeps the local deadlines in-process and lengthens them on a deployed target', () => {
    expect(deadlineMs(15_000, {})).toBe(15_000);
    expect(deadlinesOf({}).pollIntervalMs).toBe(100);
    expect(deadlineMs(15_000, { SHOP_TARGET: 'deployed' })).toBe(60_000);
    expect(deadlineMs(15_000, { SHOP_TARGET: 'deployed', SHOP_DEADLINE_MS: '5000' })).toBe(15_000);
  });
});

describe('regionOfApiUrl', () => {
  it('reads the region of an API Gateway URL, and nothing else', () => {
    expect(regionOfApiUrl('https://abc123.execute-api.eu-central-1.amazonaws.com/prod/')).toBe('eu-central-1');
    expect(regionOfApiUrl('https://abc123.execute-api.us-gov-west-1.amazonaws.com/prod/')).toBe('us-gov-west-1');
    expect(regionOfApiUrl('http://127.0.0.1:3000/prod/')).toBeUndefined();
    expect(regionOfApiUrl(undefined)).toBeUndefined();
  });
});

describe('deployedTarget', () => {
  it('targets AWS with the default credential chain, the region of the API URL, and no controls', () => {
    const cwd = project({ PublicApiUrl: 'https://abc.execute-api.ap-southeast-2.amazonaws.com/prod/' });

    const target = deployedTarget({ SHOP_TARGET: 'deployed' }, cwd);

    expect(target).toMatchObject({ kind: 'deployed', region: 'ap-southeast-2', timeScale: 1, description: 'stack HybridShop from cdk-outputs.json in AWS (ap-southeast-2)' });
    expect(target.endpoint).toBeUndefined();
    expect(target.credentials).toBeUndefined();
    expect(target.controls).toBeUndefined();
    expect(target.noControls).toMatch(/SHOP_CONTROL_URL is not set/);
  });

  it("targets an emulator with its test credentials unless some are set, and a local runtime's controls", () => {
    const cwd = project({ PublicApiUrl: 'http://127.0.0.1:3000/prod/' });
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'us-east-1', SHOP_CONTROL_URL: 'http://127.0.0.1:4566/_local' };

    const target = deployedTarget(env, cwd);

    expect(target).toMatchObject({ endpoint: 'http://127.0.0.1:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    expect(target.controls?.description).toBe('the control API at http://127.0.0.1:4566/_local/');
    expect(deployedTarget({ ...env, AWS_PROFILE: 'dev' }, cwd).credentials).toBeUndefined();
  });

  it('asks for AWS_REGION when neither the environment nor the API URL gives one', () => {
    const cwd = project({ PublicApiUrl: 'http://127.0.0.1:3000/prod/' });
    expect(() => deployedTarget({}, cwd)).toThrow(/set AWS_REGION to the region stack HybridShop is deployed in/);
  });
});

describe('apiUrlOf', () => {
  const outputs = { PublicApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/', InternalApiUrl: 'https://def456.execute-api.us-east-1.amazonaws.com/prod/' };

  it("sends an emulator's execute-api URLs to its endpoint, stage kept", () => {
    const target = deployedTarget({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, project(outputs));

    expect(apiUrlOf(target, 'PublicApiUrl').href).toBe('http://127.0.0.1:4566/_aws/execute-api/abc123/prod/');
    expect(apiUrlOf(target, 'InternalApiUrl').href).toBe('http://127.0.0.1:4566/_aws/execute-api/def456/prod/');
  });

  it('leaves them as they are on AWS', () => {
    const target = deployedTarget({}, project(outputs));

    expect(apiUrlOf(target, 'PublicApiUrl').href).toBe(outputs.PublicApiUrl);
  });

  it('refuses an output that would still reach AWS with an emulator endpoint set', () => {
    const target = deployedTarget({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'us-east-1' }, project({ ...outputs, PublicApiUrl: 'https://shop.s3.us-east-1.amazonaws.com/prod/' }));

    expect(() => apiUrlOf(target, 'PublicApiUrl')).toThrow(/refusing to call https:\/\/shop\.s3\.us-east-1\.amazonaws\.com, a host of AWS, for output PublicApiUrl/);
  });
});

describe('refuseAwsHost', () => {
  it('refuses an AWS host only when an emulator endpoint is set', () => {
    const aws = new URL('https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders');

    expect(() => refuseAwsHost({ endpoint: 'http://127.0.0.1:4566' }, aws, 'GET /prod/orders')).toThrow(TargetSettingError);
    expect(() => refuseAwsHost({}, aws, 'GET /prod/orders')).not.toThrow();
    expect(() => refuseAwsHost({ endpoint: 'http://127.0.0.1:4566' }, new URL('http://127.0.0.1:4566/_aws/execute-api/abc123/prod/orders'), 'GET')).not.toThrow();
  });
});
