import { emulatorEndpoint, emulatorEnvironment, missingServices } from '../../../bin/emulator-endpoint';
import { allServices } from './support/all-services';

describe('emulatorEndpoint', () => {
  it('takes a base URL without its trailing slash', () => {
    expect(emulatorEndpoint('http://127.0.0.1:4566/')).toBe('http://127.0.0.1:4566');
  });

  it.each([
    [undefined, /AWS_ENDPOINT_URL is not set/],
    ['localhost:4566', /give the emulator's base URL/],
    ['http://127.0.0.1:4566/some/path', /no path/],
    ['https://sqs.us-east-1.amazonaws.com', /a host of AWS itself/],
  ])('rejects %p', (value, message) => {
    expect(() => emulatorEndpoint(value)).toThrow(message);
  });
});

describe('emulatorEnvironment', () => {
  it('sends every service, S3 included, to the endpoint path-style, with the region and test credentials', () => {
    expect(emulatorEnvironment({}, 'http://emulator:4567', 'eu-central-1')).toMatchObject({
      AWS_ENDPOINT_URL: 'http://emulator:4567',
      AWS_ENDPOINT_URL_S3: 'http://emulator:4567',
      CDK_S3_FORCE_PATH_STYLE: '1',
      AWS_REGION: 'eu-central-1',
      AWS_DEFAULT_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });

  it('keeps an S3 endpoint and credentials the caller set', () => {
    const env = emulatorEnvironment({ AWS_ENDPOINT_URL_S3: 'http://s3.emulator:4567', AWS_PROFILE: 'emulator' }, 'http://emulator:4567', 'us-east-1');
    expect(env.AWS_ENDPOINT_URL_S3).toBe('http://s3.emulator:4567');
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
  });
});

describe('missingServices', () => {
  it('knows CloudWatch by its other name, monitoring', () => {
    const services = allServices('cloudwatch');
    expect(missingServices({ ...services, monitoring: 'available' })).toEqual([]);
    expect(missingServices(services)).toEqual(['cloudwatch']);
  });
});
