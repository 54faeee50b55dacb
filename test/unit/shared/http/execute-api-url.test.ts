import { configuredEndpoint, isAwsHost, resolveExecuteApiUrl } from '../../../../lambdas/shared/http/execute-api-url';

const STAGE_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/';

describe('resolveExecuteApiUrl', () => {
  it('leaves an execute-api URL as it is on AWS (no endpoint configured)', () => {
    expect(resolveExecuteApiUrl(STAGE_URL, {}).href).toBe(STAGE_URL);
  });

  it("moves an execute-api URL to the emulator endpoint's /_aws/execute-api path, keeping stage, path and query", () => {
    const url = resolveExecuteApiUrl(`${STAGE_URL}orders/o-1?view=full`, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' });

    expect(url.href).toBe('http://127.0.0.1:4566/_aws/execute-api/abc123/prod/orders/o-1?view=full');
  });

  it('keeps a base URL a base URL: new URL(route, it) stays under the stage', () => {
    const base = resolveExecuteApiUrl(STAGE_URL, { AWS_ENDPOINT_URL: 'http://localhost:4566' });

    expect(new URL('reservations', base).href).toBe('http://localhost:4566/_aws/execute-api/abc123/prod/reservations');
  });

  it.each([
    ['the China partition', 'https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod/', 'http://127.0.0.1:4566/_aws/execute-api/abc123/prod/'],
    ['a local API port', 'http://127.0.0.1:3001/prod/', 'http://127.0.0.1:3001/prod/'],
    ['a custom domain', 'https://shop.example.com/v1/', 'https://shop.example.com/v1/'],
  ])('with an endpoint, resolves %s', (_name, given, expected) => {
    expect(resolveExecuteApiUrl(given, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).href).toBe(expected);
  });

  it('honours AWS_IGNORE_CONFIGURED_ENDPOINT_URLS as the SDKs do', () => {
    expect(resolveExecuteApiUrl(STAGE_URL, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).href).toBe(STAGE_URL);
  });
});

describe('configuredEndpoint', () => {
  it.each([
    [{}, undefined],
    [{ AWS_ENDPOINT_URL: '  ' }, undefined],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566//' }, 'http://127.0.0.1:4566'],
  ])('reads %p as %p', (env, expected) => {
    expect(configuredEndpoint(env)).toBe(expected);
  });
});

describe('isAwsHost', () => {
  it.each(['abc.execute-api.us-east-1.amazonaws.com', 'sqs.us-east-1.amazonaws.com', 'AMAZONAWS.COM', 'x.amazonaws.com.', 'lambda.eu-west-1.api.aws'])(
    'recognises %s as AWS',
    (host) => {
      expect(isAwsHost(host)).toBe(true);
    },
  );

  it.each(['127.0.0.1', 'localhost', 'notamazonaws.com', 'abc.execute-api.localhost.localstack.cloud'])('does not take %s for AWS', (host) => {
    expect(isAwsHost(host)).toBe(false);
  });
});
