import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorClient, EmulatorRequestAbortedError, type JsonProtocol } from '../../../../local/shared/emulator-client';

const PROTOCOL: JsonProtocol = {
  targetPrefix: 'Example_20240101.',
  contentType: 'application/x-amz-json-1.1',
  headers: { authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/example/aws4_request' },
  unreadableAnswer: (text) => ({ __type: 'InternalFailure', message: `the emulator answered: ${text}` }),
};

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An emulator that answers what `answer` says, and remembers what it was sent. */
async function fakeEmulator(answer: (seen: Seen) => { status: number; body: string } | undefined): Promise<{ server: Server; endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const reply = answer(request);
      if (reply !== undefined) res.writeHead(reply.status, { 'x-amzn-requestid': 'r-1' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('EmulatorClient', () => {
  let emulator: Awaited<ReturnType<typeof fakeEmulator>>;
  let client: EmulatorClient;
  let reply: (seen: Seen) => { status: number; body: string } | undefined;

  beforeAll(async () => {
    emulator = await fakeEmulator((seen) => reply(seen));
    client = new EmulatorClient(emulator.endpoint, { protocol: PROTOCOL, maxSockets: 4 });
  });

  afterAll(async () => {
    client.close();
    emulator.server.closeAllConnections();
    await new Promise((resolve) => emulator.server.close(resolve));
  });

  beforeEach(() => {
    emulator.seen.length = 0;
  });

  it('calls an operation with the protocol’s target, content type and headers, and parses the answer', async () => {
    // Prepare
    reply = () => ({ status: 200, body: '{"Items":[1,2]}' });

    // Act
    const answer = await client.call('ListItems', { Limit: 2 }, { headers: { 'x-extra': 'yes' } });

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { Items: [1, 2] } });
    expect(answer.headers['x-amzn-requestid']).toBe('r-1');
    expect(emulator.seen[0]).toMatchObject({
      method: 'POST',
      url: '/',
      body: '{"Limit":2}',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Example_20240101.ListItems',
        authorization: PROTOCOL.headers?.authorization,
        'x-extra': 'yes',
        'content-length': '11',
      },
    });
  });

  it('answers an error answer as an answer, and a body that is not a JSON object as the protocol says', async () => {
    // Prepare
    reply = (seen) => (seen.headers['x-amz-target'] === 'Example_20240101.Missing' ? { status: 400, body: '{"__type":"x#NotFound","message":"no"}' } : { status: 500, body: '<Error/>' });

    // Act
    const notFound = await client.call('Missing', {});
    const unreadable = await client.call('Broken', {});

    // Assess
    expect(notFound).toMatchObject({ status: 400, body: { __type: 'x#NotFound', message: 'no' } });
    expect(unreadable).toMatchObject({ status: 500, body: { __type: 'InternalFailure', message: 'the emulator answered: <Error/>' } });
  });

  it('sends a request as it came and returns the answer as it is', async () => {
    // Prepare
    reply = () => ({ status: 202, body: 'as is' });

    // Act
    const response = await client.send({ method: 'PUT', path: '/queue?x=1', headers: { 'x-amz-target': 'Other.Thing' }, body: Buffer.from('raw') });

    // Assess
    expect({ status: response.status, body: response.body.toString('utf8') }).toEqual({ status: 202, body: 'as is' });
    expect(emulator.seen[0]).toMatchObject({ method: 'PUT', url: '/queue?x=1', body: 'raw', headers: { 'x-amz-target': 'Other.Thing' } });
  });

  it('gives up a request whose signal fires, before or while the emulator works on it', async () => {
    // Prepare: the emulator never answers
    reply = () => undefined;
    const giveUp = new AbortController();

    // Act
    const before = client.call('Poll', {}, { signal: AbortSignal.abort() });
    const during = client.call('Poll', {}, { signal: giveUp.signal });
    setTimeout(() => giveUp.abort(), 20);

    // Assess
    await expect(before).rejects.toThrow(EmulatorRequestAbortedError);
    await expect(during).rejects.toThrow(EmulatorRequestAbortedError);
  });

  it('goes through the transport it is given instead of HTTP', async () => {
    // Prepare
    const direct = new EmulatorClient('http://127.0.0.1:1', {
      protocol: PROTOCOL,
      maxSockets: 1,
      transport: async (request) => ({ status: 200, headers: {}, body: Buffer.from(JSON.stringify({ target: request.headers['x-amz-target'] })) }),
    });

    // Act
    const answer = await direct.call('Direct', {});

    // Assess
    expect(answer.body).toEqual({ target: 'Example_20240101.Direct' });
    direct.close();
  });
});
