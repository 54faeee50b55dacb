import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  cdklocalEnvironment,
  checkEndpoint,
  DEFAULT_ENDPOINT,
  DeployLocalError,
  deployArguments,
  isBootstrapped,
  nextSteps,
  parseDeployLocalArgs,
} from '../../../bin/deploy-local';

/** A server on a free loopback port that answers with `handler`; closed after each test. */
let server: Server | undefined;
async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  if (server) throw new Error('one server at a time: stop() the previous one');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function stop(): Promise<void> {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise<void>((resolve) => closing.close(() => resolve()));
}
afterEach(stop);

/** A loopback URL where nothing listens: a port just released. */
async function deadEndpoint(): Promise<string> {
  const url = await serve(() => undefined);
  await stop();
  return url;
}

describe('parseDeployLocalArgs', () => {
  it('defaults to LocalStack on 4566, us-east-1, cdk-outputs.json and bootstrapping only when needed', () => {
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

  it('reads the endpoint and region from the environment, and passes what follows -- to cdk deploy', () => {
    const options = parseDeployLocalArgs(['--outputs-file', 'o.json', '--bootstrap', 'never', '--', '--hotswap', 'HybridShop'], {
      AWS_ENDPOINT_URL: 'http://emulator:4567/',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(options).toMatchObject({ endpoint: 'http://emulator:4567', endpointFromEnv: true, region: 'eu-west-1', outputsFile: 'o.json', bootstrap: 'never' });
    expect(deployArguments(options)).toEqual(['deploy', '--require-approval', 'never', '--outputs-file', 'o.json', '--hotswap', 'HybridShop']);
  });

  it('rejects an unknown flag, a bootstrap mode it does not know and an endpoint that is not a base URL', () => {
    expect(() => parseDeployLocalArgs(['--force'], {})).toThrow(/unknown argument '--force'/);
    expect(() => parseDeployLocalArgs(['--bootstrap', 'maybe'], {})).toThrow(/--bootstrap is 'maybe': give auto, always or never/);
    expect(() => parseDeployLocalArgs([], { AWS_ENDPOINT_URL: 'localhost:4566' })).toThrow(/AWS_ENDPOINT_URL is 'localhost:4566'/);
    expect(() => parseDeployLocalArgs(['--outputs-file'], {})).toThrow(DeployLocalError);
  });
});

describe('cdklocalEnvironment', () => {
  it('gives a local endpoint LocalStack S3 subdomains, and keeps the region through cdklocal', () => {
    const env = cdklocalEnvironment({ AWS_ENVAR_ALLOWLIST: 'AWS_PROFILE' }, { endpoint: 'http://localhost:4566', region: 'eu-central-1' });
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://localhost:4566',
      AWS_ENDPOINT_URL_S3: 'http://s3.localhost.localstack.cloud:4566',
      AWS_REGION: 'eu-central-1',
      AWS_DEFAULT_REGION: 'eu-central-1',
    });
    expect(env.AWS_S3_FORCE_PATH_STYLE).toBeUndefined();
    expect(String(env.AWS_ENVAR_ALLOWLIST).split(',')).toEqual(expect.arrayContaining(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']));
  });

  it('sends S3 to a remote emulator itself, path-style, unless told otherwise', () => {
    expect(cdklocalEnvironment({}, { endpoint: 'http://emulator:4567', region: 'us-east-1' })).toMatchObject({
      AWS_ENDPOINT_URL_S3: 'http://emulator:4567',
      AWS_S3_FORCE_PATH_STYLE: '1',
    });
    expect(cdklocalEnvironment({ AWS_ENDPOINT_URL_S3: 'http://s3.emulator:4567' }, { endpoint: 'http://emulator:4567', region: 'us-east-1' }).AWS_ENDPOINT_URL_S3).toBe(
      'http://s3.emulator:4567',
    );
  });
});

describe('checkEndpoint', () => {
  it('recognises LocalStack by its health, and names the needed services it lacks', async () => {
    const endpoint = await serve((req, _body, res) => {
      expect(req.url).toBe('/_localstack/health');
      const services = { cloudformation: 'running', s3: 'running', ssm: 'available', sts: 'available', iam: 'available', lambda: 'available', apigateway: 'available', dynamodb: 'running', sqs: 'running', events: 'available', sns: 'available', logs: 'available', cloudwatch: 'available', kinesis: 'disabled' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ services, version: '4.0.0' }));
    });

    await expect(checkEndpoint({ endpoint, endpointFromEnv: true })).resolves.toEqual({ kind: 'localstack', version: '4.0.0', unavailable: ['kinesis'] });
  });

  it('accepts another emulator that answers without LocalStack health', async () => {
    const endpoint = await serve((_req, _body, res) => res.writeHead(404).end('no such route'));

    await expect(checkEndpoint({ endpoint, endpointFromEnv: true })).resolves.toEqual({ kind: 'other', status: 404 });
  });

  it('says nothing answers, naming AWS_ENDPOINT_URL, when nothing listens', async () => {
    const endpoint = await deadEndpoint();

    await expect(checkEndpoint({ endpoint, endpointFromEnv: true })).rejects.toThrow(new RegExp(`nothing answers at ${endpoint} \\(AWS_ENDPOINT_URL\\).*ECONNREFUSED.*localstack start`));
    await expect(checkEndpoint({ endpoint, endpointFromEnv: false })).rejects.toThrow(/the default; AWS_ENDPOINT_URL is not set/);
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
    await expect(isBootstrapped({ endpoint, region: 'eu-west-1' })).resolves.toBe(true);
  });

  it('is false when CloudFormation says it does not exist, or was rolled back', async () => {
    let endpoint = await describeStacks(400, '<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id CDKToolkit does not exist</Message></Error></ErrorResponse>');
    await expect(isBootstrapped({ endpoint, region: 'eu-west-1' })).resolves.toBe(false);
    await stop();
    endpoint = await describeStacks(200, '<StackStatus>ROLLBACK_COMPLETE</StackStatus>');
    await expect(isBootstrapped({ endpoint, region: 'eu-west-1' })).resolves.toBe(false);
  });

  it('does not know when the answer says neither, or nothing answers', async () => {
    const endpoint = await describeStacks(500, 'internal error');
    await expect(isBootstrapped({ endpoint, region: 'eu-west-1' })).resolves.toBeUndefined();
    await stop();
    await expect(isBootstrapped({ endpoint: await deadEndpoint(), region: 'eu-west-1' })).resolves.toBeUndefined();
  });
});

describe('nextSteps', () => {
  it('names the next command, the teardown and the way to AWS', () => {
    const text = nextSteps({ endpoint: 'http://localhost:4566', region: 'us-east-1', outputsFile: 'cdk-outputs.json' });
    expect(text).toContain('AWS_ENDPOINT_URL=http://localhost:4566 AWS_REGION=us-east-1 npm run test:deployed');
    expect(text).toContain('npx cdklocal destroy');
    expect(text).toContain('npx cdk deploy --outputs-file cdk-outputs.json');
    expect(nextSteps({ endpoint: 'http://localhost:4566', region: 'us-east-1', outputsFile: 'other.json' })).toContain('SHOP_OUTPUTS=other.json ');
  });
});
