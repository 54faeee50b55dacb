import { request } from 'node:http';
import * as path from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../../../local/runtime';
import { descendantPids, listeningSockets, type ListeningSocket } from '../listening-sockets';

const ASSEMBLY = path.join(__dirname, 'fixtures', 'loopback-assembly');
const FUNCTION = 'PingFunction';

interface Answer {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
}

/** One HTTP/1.1 exchange with the Host header given (fetch derives Host from the URL and refuses to be given one). */
function send(url: string, options: { readonly host?: string; readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: { ...(options.host === undefined ? {} : { host: options.host }), ...options.headers, 'content-length': String(Buffer.byteLength(options.body ?? '')) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body ?? '');
  });
}

const key = (socket: ListeningSocket) => `${socket.address} ${socket.port}`;

describe('the local runtime on loopback', () => {
  let runtime: LocalRuntime;
  let ownBefore: Set<string>;
  let childrenBefore: Set<number>;
  const lines: string[] = [];

  beforeAll(async () => {
    ownBefore = new Set(listeningSockets(process.pid).map(key));
    childrenBefore = new Set(descendantPids(process.pid));
    // kinesis-local, a process of its own, so that its listeners are checked too; the default starts none (below).
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, kinesis: 'kinesis-local', log: (line) => lines.push(line) });
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  const edgePort = () => new URL(runtime.edgeUrl).port;
  const apiUrl = () => runtime.apis[0].url;
  const apiPort = () => new URL(apiUrl()).port;
  const fault = async () => JSON.parse((await send(`${runtime.edgeUrl}/_local/faults/${FUNCTION}`)).body) as { fault: unknown };

  it("listens on 127.0.0.1 only: the edge, every API port, dynalite, fauxqs's thread and kinesis-local's process", () => {
    // Act: every listening TCP socket this process and the processes it started opened since the runtime started
    const own = listeningSockets(process.pid).filter((socket) => !ownBefore.has(key(socket)));
    const children = descendantPids(process.pid)
      .filter((pid) => !childrenBefore.has(pid))
      .flatMap((pid) => listeningSockets(pid).map((socket) => ({ ...socket, pid })));

    // Assess: the runtime's own servers (the edge, one port per API, dynalite, fauxqs), kinesis-local's two ports (TLS and plain)
    const emulators = /DynamoDB \(dynalite\) on (\S+) .*SQS \(fauxqs\) on (\S+) .*Kinesis \(kinesis-local\) on (\S+) /.exec(lines.join('\n'));
    const [dynamodb, sqs, kinesis] = (emulators ?? []).slice(1).map((endpoint) => Number(new URL(endpoint).port));
    expect(own.map((socket) => socket.port).sort()).toEqual([Number(edgePort()), ...runtime.apis.map((api) => Number(new URL(api.url).port)), dynamodb, sqs].sort());
    expect(children).toHaveLength(2);
    expect(children.map((socket) => socket.port)).toContain(kinesis);
    expect([...own, ...children].filter((socket) => socket.address !== '127.0.0.1')).toEqual([]);
  });

  it.each(['evil.example.com', '192.168.1.5'])('refuses Host %s on the edge, on the API port and on the control API with 403', async (host) => {
    // Act
    const edge = await send(`${runtime.edgeUrl}/_local/runtime`, { host });
    const api = await send(`${apiUrl()}ping`, { host });
    const control = await send(`${runtime.edgeUrl}/_local/faults/${FUNCTION}`, {
      host,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"error":true}',
    });

    // Assess
    for (const answer of [edge, api, control]) {
      expect(answer).toMatchObject({ status: 403, contentType: 'application/problem+json' });
      expect(JSON.parse(answer.body)).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringContaining(`Host '${host}'`) });
    }
    expect(await fault()).toEqual({ function: expect.any(String), fault: null });
  });

  it.each(['127.0.0.1:{port}', 'localhost:{port}', '[::1]'])('answers Host %s on the edge and on the API port', async (host) => {
    // Act
    const edge = await send(`${runtime.edgeUrl}/_local/runtime`, { host: host.replace('{port}', edgePort()) });
    const api = await send(`${apiUrl()}ping`, { host: host.replace('{port}', apiPort()) });

    // Assess
    expect(edge.status).toBe(200);
    expect(JSON.parse(edge.body)).toMatchObject({ stackName: 'LoopbackTest' });
    expect(api).toMatchObject({ status: 200, body: 'pong' });
  });

  it('refuses a form POST to the control API with 415 and sets no fault; the same fault as JSON is set', async () => {
    // Act: what a cross-origin HTML form can send without a preflight, then what the runtime takes
    const form = await send(`${runtime.edgeUrl}/_local/faults/${FUNCTION}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"error":true}',
    });
    const afterForm = await fault();
    const json = await send(`${runtime.edgeUrl}/_local/faults/${FUNCTION}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"error":true}' });
    const afterJson = await fault();
    const deleted = await send(`${runtime.edgeUrl}/_local/faults/${FUNCTION}`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });

    // Assess
    expect(form).toMatchObject({ status: 415, contentType: 'application/problem+json' });
    expect(JSON.parse(form.body)).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
    expect(afterForm.fault).toBeNull();
    expect(json.status).toBe(200);
    expect(afterJson.fault).toEqual({ error: true });
    expect(deleted.status).toBe(200);
  });

  it('refuses a DELETE of a fault without content-type with 415, and keeps the fault', async () => {
    // Prepare
    runtime.setFault(FUNCTION, { delayMs: 10 });

    // Act
    const deleted = await send(`${runtime.edgeUrl}/_local/faults/${FUNCTION}`, { method: 'DELETE' });
    const after = await fault();
    runtime.setFault(FUNCTION, undefined);

    // Assess
    expect(deleted.status).toBe(415);
    expect(after.fault).toEqual({ delayMs: 10 });
  });
});

describe('the local runtime with its default Kinesis, the in-process shard log', () => {
  it('starts no process, and listens on 127.0.0.1 only', async () => {
    // Arrange
    const ownBefore = new Set(listeningSockets(process.pid).map(key));
    const childrenBefore = new Set(descendantPids(process.pid));
    const lines: string[] = [];

    // Act
    const runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, log: (line) => lines.push(line) });
    try {
      const own = listeningSockets(process.pid).filter((socket) => !ownBefore.has(key(socket)));
      const children = descendantPids(process.pid).filter((pid) => !childrenBefore.has(pid));

      // Assess
      expect(lines.join('\n')).toContain('Kinesis (in-process shard log)');
      expect(children).toEqual([]);
      expect(own.length).toBeGreaterThan(0);
      expect(own.filter((socket) => socket.address !== '127.0.0.1')).toEqual([]);
    } finally {
      await runtime.stop();
    }
  }, 60_000);
});
