import { Agent, request } from 'node:http';
import { connect } from 'node:http2';
import { Readable } from 'node:stream';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { EdgeServer, EdgeServerStateError, type EdgeRequest, type EdgeService } from '../../../../local/edge/edge-server';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP exchange with the edge. */
interface Exchange {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly agent?: Agent;
}

function send(url: string, options: Exchange = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path ?? '/', url);
    const outgoing = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'POST',
        headers: options.headers,
        agent: options.agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body ?? '');
  });
}

/** `answer` is an application/problem+json answer: `problem`, its detail starting with the given one. */
function expectProblem(answer: Answer, problem: { type: string; title: string; status: number; detail: string }): void {
  expect(answer.status).toBe(problem.status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(answer.body)).toEqual({ ...problem, detail: expect.stringContaining(problem.detail) });
}

/** A service that answers every request whose path starts with `prefix`, and records what it saw. */
function serviceFor(name: string, prefix: string): EdgeService & { readonly seen: EdgeRequest[]; closed: boolean } {
  const seen: EdgeRequest[] = [];
  return {
    name,
    seen,
    closed: false,
    matches: (req) => req.url.pathname.startsWith(prefix),
    async handle(req) {
      seen.push(req);
      return { status: 200, headers: { 'content-type': 'text/plain', 'x-service': name }, body: `${name} ${req.body.toString('utf8')}` };
    },
    async close() {
      this.closed = true;
    },
  };
}

describe('EdgeServer', () => {
  let edge: EdgeServer;
  let url: string;

  beforeEach(async () => {
    edge = new EdgeServer();
    edge.register(serviceFor('queues', '/queues'));
    edge.register(serviceFor('everything-q', '/q'));
    ({ url } = await edge.listen());
  });

  afterEach(async () => {
    await edge.close();
  });

  it('listens on a random port of 127.0.0.1 by default', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives a request to the first registered service that matches it, without a routing order', async () => {
    // Act
    const answer = await send(url, { path: '/queues/1', body: 'hello' });

    // Assess
    expect(answer).toMatchObject({ status: 200, body: 'queues hello', headers: { 'x-service': 'queues', 'content-length': '12' } });
  });

  it('hands the service the method, URL, headers and body as they came', async () => {
    // Prepare
    const service = serviceFor('recorder', '/');
    const recording = new EdgeServer();
    recording.register(service);
    const { url: recordingUrl } = await recording.listen();

    // Act
    await send(recordingUrl, {
      method: 'PUT',
      path: '/a/b?x=1',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc' },
      body: '{"k":1}',
    });
    await recording.close();

    // Assess
    const [seen] = service.seen;
    expect(seen.method).toBe('PUT');
    expect(seen.url.pathname).toBe('/a/b');
    expect(seen.url.searchParams.get('x')).toBe('1');
    expect(seen.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(seen.body.toString('utf8')).toBe('{"k":1}');
    expect(service.closed).toBe(true);
  });

  it('answers a request no service matches with an AWS-style 400 UnknownOperationException', async () => {
    // Act
    const answer = await send(url, { path: '/nothing' });

    // Assess
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ __type: 'UnknownOperationException', message: 'No local service handles POST /nothing' });
  });

  it('answers 500 when a service fails', async () => {
    // Prepare
    const failing = new EdgeServer();
    failing.register({ name: 'broken', matches: () => true, handle: async () => Promise.reject(new Error('disk full')) });
    const { url: failingUrl } = await failing.listen();

    // Act
    const answer = await send(failingUrl);
    await failing.close();

    // Assess
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'InternalFailure', message: expect.stringContaining('disk full') });
  });

  it('closes promptly while a client keeps a connection alive', async () => {
    // Prepare
    const agent = new Agent({ keepAlive: true });
    const closing = new EdgeServer();
    closing.register(serviceFor('any', '/'));
    const { url: closingUrl } = await closing.listen();
    await send(closingUrl, { agent });
    const [kept] = Object.values(agent.freeSockets).flat();
    const closedByEdge = new Promise((resolve) => kept?.once('close', resolve));

    // Act: the client never lets go of its connection, so close() ends only if the edge closes it
    await closing.close();
    await closedByEdge;

    // Assess
    expect(kept?.destroyed).toBe(true);
    agent.destroy();
  });

  it('rejects a port already in use, and can listen elsewhere afterwards', async () => {
    // Prepare
    const taken = Number(new URL(url).port);
    const second = new EdgeServer();

    // Act & Assess
    await expect(second.listen(taken)).rejects.toThrow(/EADDRINUSE/);
    await expect(second.listen()).resolves.toMatchObject({ port: expect.any(Number) });
    await second.close();
  });

  it('serves HTTP/2 without TLS, as SDK v3 clients that default to HTTP/2 speak to an http:// endpoint', async () => {
    // Prepare: an HTTP/1.1 answer with connection headers that HTTP/2 must not carry
    edge.register({
      name: 'kinesis',
      matches: (req) => String(req.headers['x-amz-target']).startsWith('Kinesis_20131202.'),
      handle: async (req) => {
        seen.push(req);
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', connection: 'keep-alive' }, body: '{"StreamNames":["log"],"HasMoreStreams":false}' };
      },
    });
    const seen: EdgeRequest[] = [];
    const client = new KinesisClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    // Act
    const answer = await client.send(new ListStreamsCommand({}));
    client.destroy();

    // Assess: the answer, and a request the service can forward over HTTP/1.1 (no pseudo-headers, a Host)
    expect(answer.StreamNames).toEqual(['log']);
    expect(Object.keys(seen[0].headers).filter((name) => name.startsWith(':'))).toEqual([]);
    expect(seen[0].headers.host).toBe(new URL(url).host);
  });

  it('rejects listening twice', () => {
    expect(() => edge.listen()).toThrow(EdgeServerStateError);
  });
});

describe("EdgeServer's routing order", () => {
  let edge: EdgeServer | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('asks the services in its routing order, whatever the order they were registered in', async () => {
    // Prepare: the catch-all registers first
    edge = new EdgeServer({ routingOrder: ['queues', 'everything-q'] });
    edge.register(serviceFor('everything-q', '/q'));
    edge.register(serviceFor('queues', '/queues'));
    const { url } = await edge.listen();

    // Act
    const specific = await send(url, { path: '/queues/1' });
    const general = await send(url, { path: '/quit' });

    // Assess
    expect(edge.serviceNames).toEqual(['queues', 'everything-q']);
    expect(specific.headers['x-service']).toBe('queues');
    expect(general.headers['x-service']).toBe('everything-q');
  });

  it('refuses a service that has no place in its routing order', () => {
    // Prepare
    const ordered = new EdgeServer({ routingOrder: ['queues'] });

    // Act
    const registering = () => ordered.register(serviceFor('streams', '/streams'));

    // Assess
    expect(registering).toThrow(EdgeServerStateError);
    expect(registering).toThrow("The edge's routing order (queues) has no place for the service streams");
  });

  it('answers 503 ServiceUnavailable to every request until it is opened, when created closed', async () => {
    // Prepare
    edge = new EdgeServer({ closedUntilOpened: true });
    const service = serviceFor('queues', '/queues');
    edge.register(service);
    const { url } = await edge.listen();

    // Act
    const whileClosed = await send(url, { path: '/queues/1' });
    edge.open();
    const onceOpen = await send(url, { path: '/queues/1' });

    // Assess
    expect(whileClosed.status).toBe(503);
    expect(JSON.parse(whileClosed.body)).toEqual({ __type: 'ServiceUnavailable', message: 'The local runtime is still starting' });
    expect(service.seen).toHaveLength(1);
    expect(onceOpen.headers['x-service']).toBe('queues');
  });
});

describe("EdgeServer's guards", () => {
  let edge: EdgeServer;
  let url: string;
  let service: ReturnType<typeof serviceFor>;

  beforeEach(async () => {
    edge = new EdgeServer();
    service = serviceFor('everything', '/');
    edge.register(service);
    ({ url } = await edge.listen());
  });

  afterEach(async () => {
    await edge.close();
  });

  const port = () => new URL(url).port;

  it.each(['evil.example.com', '192.168.1.5', 'evil.example.com:4566', 'localhost.evil.example.com', '0.0.0.0'])(
    'refuses a request for Host %s with a 403 problem naming the Host, before any service sees it',
    async (host) => {
      // Act
      const answer = await send(url, { path: '/queues', headers: { host }, body: 'Action=ListQueues' });

      // Assess
      expectProblem(answer, { type: 'https://hybrid-shop.example/problems/host-not-loopback', title: 'Forbidden', status: 403, detail: `Host '${host}' is not a loopback name or address` });
      expect(service.seen).toEqual([]);
    },
  );

  it.each(['127.0.0.1:{port}', 'localhost:{port}', '[::1]', '[::1]:{port}', 'api.localhost', '127.8.9.10'])(
    'answers a request for the loopback Host %s',
    async (host) => {
      // Act
      const answer = await send(url, { path: '/queues', headers: { host: host.replace('{port}', port()) }, body: 'hello' });

      // Assess
      expect(answer).toMatchObject({ status: 200, body: 'everything hello' });
    },
  );

  it('refuses an HTTP/2 request whose :authority is not loopback', async () => {
    // Prepare
    const session = connect(url);

    // Act
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/queues', ':authority': 'evil.example.com' });
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      stream.on('error', reject);
      stream.end('{}');
    });
    session.close();

    // Assess
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 403, detail: expect.stringContaining("Host 'evil.example.com'") });
    expect(service.seen).toEqual([]);
  });

  it.each([
    ['POST', 'application/x-www-form-urlencoded'],
    ['POST', 'text/plain;charset=UTF-8'],
    ['POST', 'multipart/form-data; boundary=x'],
    ['POST', undefined],
    ['PUT', 'text/plain'],
    ['PATCH', 'text/plain'],
    ['DELETE', undefined],
  ])('refuses a %s to the control API with content-type %s: 415, and the control service never sees it', async (method, contentType) => {
    // Act
    const answer = await send(url, {
      method,
      path: '/_local/faults/SomeFunction',
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      body: method === 'DELETE' ? '' : 'delayMs=1500',
    });

    // Assess
    expectProblem(answer, {
      type: 'https://hybrid-shop.example/problems/unsupported-media-type',
      title: 'Unsupported Media Type',
      status: 415,
      detail: `${method} /_local/faults/SomeFunction has ${contentType === undefined ? 'no content-type' : `content-type '${contentType}'`}`,
    });
    expect(service.seen).toEqual([]);
  });

  it.each([
    ['POST', 'application/json'],
    ['POST', 'Application/JSON; charset=utf-8'],
    ['DELETE', 'application/json'],
  ])('hands a %s to the control API with content-type %s to its service', async (method, contentType) => {
    // Act
    const answer = await send(url, { method, path: '/_local/faults/SomeFunction', headers: { 'content-type': contentType }, body: method === 'DELETE' ? '' : '{}' });

    // Assess
    expect(answer.status).toBe(200);
    expect(service.seen.map((req) => req.method)).toEqual([method]);
  });

  it('hands a GET to the control API to its service whatever its content type', async () => {
    // Act
    const answer = await send(url, { method: 'GET', path: '/_local/faults', headers: { 'content-type': 'text/plain' } });

    // Assess
    expect(answer.status).toBe(200);
  });

  it('leaves requests outside the control API to their services whatever their content type (the AWS protocols have their own)', async () => {
    // Act
    const answer = await send(url, { method: 'POST', path: '/queues', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListQueues' });

    // Assess
    expect(answer).toMatchObject({ status: 200, body: 'everything Action=ListQueues' });
  });
});

describe("EdgeServer's streamed answers", () => {
  it('streams a Readable body as it produces, without a content-length, and destroys it when the client goes away', async () => {
    // Prepare
    const body = new Readable({ read: () => undefined });
    const streaming = new EdgeServer();
    streaming.register({ name: 'events', matches: () => true, handle: async () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body }) });
    const { url: streamingUrl } = await streaming.listen(0, '127.0.0.1');
    const abort = new AbortController();
    try {
      // Act
      const response = await fetch(`${streamingUrl}/events`, { signal: abort.signal });
      const reader = response.body!.getReader();
      body.push('first\n');
      const first = await reader.read();
      body.push('second\n');
      const second = await reader.read();
      abort.abort();
      const destroyed = await new Promise<boolean>((resolve) => {
        if (body.destroyed) resolve(true);
        body.once('close', () => resolve(body.destroyed));
      });

      // Assess
      expect(response.headers.get('content-length')).toBeNull();
      expect(new TextDecoder().decode(first.value)).toBe('first\n');
      expect(new TextDecoder().decode(second.value)).toBe('second\n');
      expect(destroyed).toBe(true);
    } finally {
      await streaming.close();
    }
  });
});
