import { emulatorEndpoint, emulatorEnvironment, identifyEmulator, isBootstrapped, missingServices, NEEDED_SERVICES } from '../../../bin/emulator-endpoint';
import { deadEndpoint, serve, stop } from './support/loopback-server';

afterEach(stop);

/** Every needed service available, under the names LocalStack reports, but those named in `except`. */
const allServices = (...except: string[]): Record<string, string> =>
  Object.fromEntries(Object.keys(NEEDED_SERVICES).filter((name) => !except.includes(name)).map((name) => [name, 'available']));

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

describe('identifyEmulator', () => {
  it('names MiniStack by its own health route, and what it lacks', async () => {
    const endpoint = await serve((req, _body, res) => {
      const services = allServices('kinesis', 'cloudwatch');
      if (req.url === '/_ministack/health') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ services: { ...services, monitoring: 'available' } }));
      else res.writeHead(404).end();
    });

    await expect(identifyEmulator(endpoint)).resolves.toEqual({ name: 'MiniStack', kind: 'ministack', unavailable: ['kinesis'] });
  });

  it('names LocalStack by its health, with version and edition', async () => {
    const endpoint = await serve((req, _body, res) => {
      if (req.url === '/_localstack/health') res.writeHead(200).end(JSON.stringify({ services: allServices(), version: '4.3.0', edition: 'community' }));
      else res.writeHead(404).end();
    });

    await expect(identifyEmulator(endpoint)).resolves.toEqual({ name: 'LocalStack 4.3.0 (community)', kind: 'localstack', unavailable: [] });
  });

  it('recognises the local runtime by its control API, and accepts any other answer as an unnamed emulator', async () => {
    let runtime = true;
    const endpoint = await serve((req, _body, res) => {
      if (runtime && req.url === '/_local/runtime') res.writeHead(200).end('{}');
      else res.writeHead(404).end('no such route');
    });
    await expect(identifyEmulator(endpoint)).resolves.toMatchObject({ kind: 'local-runtime' });
    runtime = false;
    await expect(identifyEmulator(endpoint)).resolves.toEqual({ name: 'an emulator', kind: 'unknown', unavailable: [] });
  });

  it('says nothing answers, and how to start one, when nothing listens', async () => {
    const endpoint = await deadEndpoint();

    await expect(identifyEmulator(endpoint)).rejects.toThrow(new RegExp(`nothing answers at ${endpoint} \\(ECONNREFUSED\\).*ministack/start`));
  });
});

describe('isBootstrapped', () => {
  const describeStacks = (status: number, xml: string) =>
    serve((req, body, res) => {
      expect(req.method).toBe('POST');
      expect(body).toContain('Action=DescribeStacks&StackName=CDKToolkit');
      expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/cloudformation\/aws4_request/);
      res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    });

  it('is true when the CDKToolkit stack exists', async () => {
    const endpoint = await describeStacks(200, '<DescribeStacksResponse><Stacks><member><StackStatus>UPDATE_COMPLETE</StackStatus></member></Stacks></DescribeStacksResponse>');
    await expect(isBootstrapped(endpoint, 'eu-west-1')).resolves.toBe(true);
  });

  it('is false when CloudFormation says it does not exist, or was rolled back', async () => {
    let endpoint = await describeStacks(400, '<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id CDKToolkit does not exist</Message></Error></ErrorResponse>');
    await expect(isBootstrapped(endpoint, 'eu-west-1')).resolves.toBe(false);
    await stop();
    endpoint = await describeStacks(200, '<StackStatus>ROLLBACK_COMPLETE</StackStatus>');
    await expect(isBootstrapped(endpoint, 'eu-west-1')).resolves.toBe(false);
  });

  it('does not know when the answer says neither, or nothing answers', async () => {
    const endpoint = await describeStacks(500, 'internal error');
    await expect(isBootstrapped(endpoint, 'eu-west-1')).resolves.toBeUndefined();
    await stop();
    await expect(isBootstrapped(await deadEndpoint(), 'eu-west-1')).resolves.toBeUndefined();
  });
});
