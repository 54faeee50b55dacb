import { request } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerDirectory } from '../../../../local/iam/api-callers';
import { RestApiGateway } from '../../../../local/apigateway/rest-api-gateway';
import { readRestApis } from '../../../../local/apigateway/rest-api-model';
import { restApisEdgeService, RestApiServer } from '../../../../local/apigateway/rest-api-server';
import { resolvedShop } from '../../../unit/local/apigateway/shop-template';

function publicGateway(events: APIGatewayProxyEvent[]): RestApiGateway {
  const { template, resolver, physical } = resolvedShop();
  const [model] = readRestApis(template, resolver, physical);
  return new RestApiGateway({
    model,
    callers: callerDirectory([]),
    region: 'us-east-1',
    accountId: '000000000000',
    invoker: {
      invoke: async (_ref, event) => {
        events.push(event as APIGatewayProxyEvent);
        return { ok: true, requestId: 'r', payload: JSON.stringify({ statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'hello' }), durationMs: 1 };
      },
    },
  });
}

/** A GET to `url` with the Host header given (fetch derives Host from the URL and refuses to be given one). */
function getWithHost(url: string, host: string): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request({ hostname: target.hostname, port: target.port, path: target.pathname, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('RestApiServer', () => {
  let server: RestApiServer;
  afterEach(async () => {
    await server?.close();
  });

  it('serves the API on its own port at /{stage}/{path}', async () => {
    // Prepare
    const events: APIGatewayProxyEvent[] = [];
    server = new RestApiServer(publicGateway(events));
    const { url } = await server.listen(0);

    // Act
    const response = await fetch(`${url}/prod/products/SKU%201?limit=2`, { headers: { 'X-Custom': 'yes' } });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(events[0]).toMatchObject({
      path: '/products/SKU%201',
      pathParameters: { sku: 'SKU 1' },
      queryStringParameters: { limit: '2' },
      requestContext: { stage: 'prod', path: '/prod/products/SKU%201', protocol: 'HTTP/1.1' },
    });
    const custom = Object.entries(events[0].headers).find(([name]) => name.toLowerCase() === 'x-custom');
    expect(custom?.[1]).toBe('yes');
  });

  it('answers 503 until it is given its gateway, when it listens before the gateway exists', async () => {
    // Prepare
    const events: APIGatewayProxyEvent[] = [];
    server = new RestApiServer();
    const { url } = await server.listen(0);

    // Act
    const early = await fetch(`${url}/prod/products`);
    server.serve(publicGateway(events));
    const served = await fetch(`${url}/prod/products`);

    // Assess
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({ message: 'The local runtime is still starting' });
    expect(served.status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it.each(['evil.example.com', '192.168.1.5', 'evil.example.com:3000'])(
    'refuses a request for Host %s with a 403 problem naming the Host, before the function is called',
    async (host) => {
      // Prepare
      const events: APIGatewayProxyEvent[] = [];
      server = new RestApiServer(publicGateway(events));
      const { url } = await server.listen(0);

      // Act
      const answer = await getWithHost(`${url}/prod/products`, host);

      // Assess
      expect(answer).toMatchObject({ status: 403, contentType: 'application/problem+json' });
      expect(JSON.parse(answer.body)).toEqual({
        type: 'https://hybrid-shop.example/problems/host-not-loopback',
        title: 'Forbidden',
        status: 403,
        detail: expect.stringContaining(`Host '${host}' is not a loopback name or address`),
      });
      expect(events).toEqual([]);
    },
  );

  it.each(['127.0.0.1:{port}', 'localhost:{port}', '[::1]', '[::1]:{port}'])('serves a request for the loopback Host %s', async (host) => {
    // Prepare
    const events: APIGatewayProxyEvent[] = [];
    server = new RestApiServer(publicGateway(events));
    const { url, port } = await server.listen(0);

    // Act
    const answer = await getWithHost(`${url}/prod/products`, host.replace('{port}', String(port)));

    // Assess
    expect(answer).toMatchObject({ status: 200, body: 'hello' });
    expect(events).toHaveLength(1);
  });
});

describe('restApisEdgeService', () => {
  it.each([
    ['/_aws/execute-api/{id}/{stage}/{path}', (id: string) => `/_aws/execute-api/${id}/prod/products`],
    ['/restapis/{id}/{stage}/_user_request_/{path}', (id: string) => `/restapis/${id}/prod/_user_request_/products`],
  ])('serves an API LocalStack-style at %s', async (_name, pathOf) => {
    // Prepare
    const events: APIGatewayProxyEvent[] = [];
    const gateway = publicGateway(events);
    const service = restApisEdgeService(new Map([[gateway.model.id, gateway]]));
    const request = {
      method: 'GET',
      url: new URL(`http://127.0.0.1:4566${pathOf(gateway.model.id)}`),
      headers: { host: '127.0.0.1:4566' },
      body: Buffer.alloc(0),
    };

    // Act
    const matched = service.matches(request);
    const response = await service.handle(request);

    // Assess
    expect(matched).toBe(true);
    expect(response.status).toBe(200);
    expect(events[0]).toMatchObject({ resource: '/products', path: '/products' });
  });

  it('answers 404 for an unknown API id', async () => {
    const service = restApisEdgeService(new Map());
    const response = await service.handle({ method: 'GET', url: new URL('http://127.0.0.1:4566/restapis/nope/prod/_user_request_/'), headers: {}, body: Buffer.alloc(0) });
    expect(response.status).toBe(404);
  });
});
