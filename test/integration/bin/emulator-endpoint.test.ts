import { identifyEmulator, isBootstrapped } from '../../../bin/emulator-endpoint';
import { allServices } from '../../unit/bin/support/all-services';
import { deadEndpoint, serve, stop } from './support/loopback-server';

afterEach(stop);

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
