/**
 * The edge: one HTTP port that speaks the AWS wire protocols, so `AWS_ENDPOINT_URL` points every SDK client of the
 * local runtime at one place. Each AWS service is an `EdgeService` that recognises its requests (a target header,
 * a path…) and answers them. Services are asked in the edge's routing order, given once when it is created (where
 * two services could claim the same request, the order says which one has it); the first that matches handles it.
 * A runtime that must bind the edge's port before its services exist (their configuration holds the edge's URL)
 * creates it closed: it answers 503 until `open()`.
 *
 * The edge itself accepts SigV4-signed requests as they are; a service may verify them (the REST APIs' `AWS_IAM`
 * methods, and EventBridge for a PutEvents signed with a function's key). Before any service sees a request,
 * the runtime's guards may refuse it (`request-guards.ts`): a `Host` that is not loopback, or a control call
 * (`/_local/`) that may change state without `content-type: application/json`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Duplex, Readable } from 'node:stream';
import { refuseControlWithoutJson, refuseForeignHost } from './request-guards';

export interface EdgeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface EdgeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /**
   * The body; a `Readable` is streamed as it produces (server-sent events), without a content-length, and destroyed
   * when the client goes away.
   */
  readonly body?: string | Buffer | Readable;
}

export interface EdgeService {
  readonly name: string;
  matches(req: EdgeRequest): boolean;
  handle(req: EdgeRequest): Promise<EdgeResponse>;
  /** Releases what the service holds (pooled connections…); called by `EdgeServer.close()`. */
  close?(): Promise<void>;
}

/** The request's headers as `[name, value]` pairs, one per value (what SigV4 and API Gateway's events read). */
export function headerPairs(req: Pick<EdgeRequest, 'headers'>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v]);
  }
  return pairs;
}

/**
 * The request's `X-Amz-Target` (`DynamoDB_20120810.GetItem`…), which names the service and the operation in the AWS
 * JSON protocols; '' when it has none.
 */
export function targetOf(req: Pick<EdgeRequest, 'headers'>): string {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' ? target : '';
}

/**
 * The parameters of a query-protocol request (`Action=…&Version=…`): its URL's and, for a form post, its body's.
 * @param body the body as text. @default - the body read as UTF-8
 */
export function queryParams(req: EdgeRequest, body: () => string = () => req.body.toString('utf8')): URLSearchParams {
  const params = new URLSearchParams(req.url.search);
  const contentType = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && contentType.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body())) params.append(key, value);
  }
  return params;
}

/** A JSON answer of the runtime's own `/_local/` control API. */
export function jsonResponse(status: number, body: unknown): EdgeResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** `listen()` called on a server that is already listening, or a service registered that has no place in the routing order. */
export class EdgeServerStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdgeServerStateError';
  }
}

/** A duplex stream over `socket` whose readable side starts with `first`, the bytes already read from it. */
function replaying(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk: Buffer, _encoding, callback) => {
      socket.write(chunk, callback);
    },
    final: (callback) => {
      socket.end();
      callback();
    },
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  return stream;
}

/** The client connection preface of HTTP/2 (RFC 9113, section 3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

const EMPTY = Buffer.alloc(0);

function awsJsonError(status: number, type: string, message: string): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: type, message }),
  };
}

/**
 * An HTTP/2 request carries its method, path and authority as pseudo-headers (":authority"…); services see
 * HTTP/1.1-style headers only, so they can forward them as they are.
 */
function http1Headers(http2Headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(http2Headers)) if (!name.startsWith(':')) headers[name] = value;
  headers.host ??= http2Headers[':authority'] as string | undefined;
  return headers;
}

export interface EdgeServerOptions {
  /**
   * The names of the services in the order the edge asks them whether a request is theirs; every service
   * registered must have its place here.
   *
   * @default - the order in which the services are registered
   */
  readonly routingOrder?: readonly string[];
  /**
   * Answer every request with 503 ServiceUnavailable until `open()` is called.
   *
   * @default false - requests are routed as soon as the edge listens
   */
  readonly closedUntilOpened?: boolean;
}

export class EdgeServer {
  private readonly services: EdgeService[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly routingOrder: readonly string[] | undefined;
  private server: Server | undefined;
  private opened: boolean;

  constructor(options: EdgeServerOptions = {}) {
    this.routingOrder = options.routingOrder;
    this.opened = options.closedUntilOpened !== true;
  }

  /**
   * Adds a service, in its place in the routing order.
   * @throws EdgeServerStateError when the routing order has no place for the service's name
   */
  register(service: EdgeService): void {
    const order = this.routingOrder;
    if (order === undefined) {
      this.services.push(service);
      return;
    }
    const rank = (name: string) => order.indexOf(name);
    if (rank(service.name) < 0) {
      throw new EdgeServerStateError(`The edge's routing order (${order.join(', ')}) has no place for the service ${service.name}`);
    }
    const before = this.services.findIndex((registered) => rank(registered.name) > rank(service.name));
    this.services.splice(before < 0 ? this.services.length : before, 0, service);
  }

  /** The names of the registered services, in the order they are asked. */
  get serviceNames(): string[] {
    return this.services.map((service) => service.name);
  }

  /** Starts routing requests to the services (an edge created `closedUntilOpened` answers 503 until then). */
  open(): void {
    this.opened = true;
  }

  /**
   * Starts listening.
   * @param port the port to listen on. @default 0 - a free port chosen by the system
   * @param host the interface to listen on. @default '127.0.0.1'
   */
  listen(port = 0, host = '127.0.0.1'): Promise<{ readonly url: string; readonly port: number }> {
    if (this.server !== undefined) throw new EdgeServerStateError('The edge server is already listening');
    // HTTP/1.1, and HTTP/2 without TLS (h2c with prior knowledge), which the SDK v3 clients that default to
    // HTTP/2 (Kinesis among them) speak to an http:// endpoint. A connection's first bytes tell them apart: the
    // bytes are put back on the socket and the socket handed to the server that speaks its protocol.
    const http1 = createServer((req, res) => void this.dispatch(req, res));
    const http2 = createHttp2Server((req, res) => void this.dispatch(req, res));
    const server = createNetServer({ noDelay: true }, (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.once('data', (first: Buffer) => {
        const head = first.subarray(0, HTTP2_PREFACE.length);
        if (head.equals(HTTP2_PREFACE.subarray(0, head.length))) {
          // The HTTP/2 session reads a net.Socket natively, past anything put back on it: give it a stream instead.
          http2.emit('connection', replaying(socket, first));
          return;
        }
        socket.pause();
        socket.unshift(first);
        http1.emit('connection', socket);
        socket.resume();
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', fail);
      server.listen(port, host, () => {
        server.off('error', fail);
        const address = server.address();
        const boundPort = typeof address === 'object' && address !== null ? address.port : port;
        const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
        resolve({ url: `http://${urlHost}:${boundPort}`, port: boundPort });
      });
    });
  }

  /** Stops listening, destroys open connections (so shutdown never waits for keep-alive clients) and closes the services. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
      await closed;
    }
    for (const service of this.services) await service.close?.();
  }

  private async dispatch(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): Promise<void> {
    const foreign = refuseForeignHost(this.headersOf(req).host);
    if (foreign !== undefined) {
      // Answered unread: the body of a request that is refused is thrown away.
      req.resume();
      this.write(res, foreign);
      return;
    }
    let response: EdgeResponse;
    try {
      const request = await this.read(req);
      response = refuseControlWithoutJson(request.method, request.url.pathname, request.headers['content-type']) ?? (await this.answer(request));
    } catch (error) {
      response = awsJsonError(500, 'InternalFailure', `The local edge failed: ${(error as Error).message}`);
    }
    this.write(res, response);
  }

  /** The answer of the first service, in the routing order, that matches the request. */
  private async answer(request: EdgeRequest): Promise<EdgeResponse> {
    if (!this.opened) return awsJsonError(503, 'ServiceUnavailable', 'The local runtime is still starting');
    const service = this.services.find((candidate) => candidate.matches(request));
    if (service === undefined) return awsJsonError(400, 'UnknownOperationException', `No local service handles ${request.method} ${request.url.pathname}`);
    return service.handle(request);
  }

  private read(req: IncomingMessage | Http2ServerRequest): Promise<EdgeRequest> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', reject);
      req.on('end', () => {
        const headers = this.headersOf(req);
        resolve({
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${headers.host ?? '127.0.0.1'}`),
          headers,
          body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
        });
      });
    });
  }

  /** The request's headers as services see them: HTTP/1.1-style, with `host` from `:authority` under HTTP/2. */
  private headersOf(req: IncomingMessage | Http2ServerRequest): IncomingHttpHeaders {
    return 'stream' in req ? http1Headers(req.headers) : req.headers;
  }

  private write(res: ServerResponse | Http2ServerResponse, response: EdgeResponse): void {
    if ('stream' in res ? res.stream.destroyed : res.destroyed) {
      if (response.body instanceof Readable) response.body.destroy();
      return;
    }
    if (response.body instanceof Readable) {
      this.stream(res, response.status, response.headers ?? {}, response.body);
      return;
    }
    const body = response.body === undefined ? EMPTY : typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    const headers: Record<string, string> = { ...response.headers, 'content-length': String(body.length) };
    if ('stream' in res) {
      // HTTP/2 forbids connection-specific headers (RFC 9113, section 8.2.2) that a proxied HTTP/1.1 answer may carry.
      for (const name of Object.keys(headers)) if (HOP_BY_HOP.has(name.toLowerCase())) delete headers[name];
    }
    try {
      if ('stream' in res) res.writeHead(response.status, headers).end(body);
      else res.writeHead(response.status, headers).end(body);
    } catch (error) {
      // A service answered what HTTP cannot carry (an invalid header value…): the client sees the connection drop.
      console.error(`[edge] cannot write the answer: ${(error as Error).message}`);
      if ('stream' in res) res.stream.destroy();
      else res.destroy();
    }
  }

  /** Streams `body` to the client as it produces; the client going away (or the edge closing) destroys it. */
  private stream(res: ServerResponse | Http2ServerResponse, status: number, headers: Record<string, string>, body: Readable): void {
    res.on('close', () => body.destroy());
    if ('stream' in res) {
      res.writeHead(status, headers);
      body.pipe(res);
    } else {
      // Sent now, not with the first chunk: a client waits for the headers before it reads what follows.
      res.writeHead(status, headers).flushHeaders();
      body.pipe(res);
    }
  }
}
