import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { headerPairs, type EdgeRequest, type EdgeResponse, type EdgeService } from '../edge/edge-server';
import { refuseForeignHost, type Refusal } from '../edge/request-guards';
import { safeDecode } from '../shared/safe-decode';
import { GatewayHttpResponse } from './gateway-http';
import { MAX_PAYLOAD_BYTES, RestApiGateway } from './rest-api-gateway';

/** The answer of a server that listens before its gateway exists. */
const STARTING: Refusal = {
  status: 503,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'The local runtime is still starting' }),
};

/**
 * One REST API on its own port: `http://127.0.0.1:{port}/{stage}/{path}`, the local stand-in for
 * `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}`. A request whose `Host` is not a loopback name
 * or address is refused with `403` before the gateway sees it (`request-guards.ts`). A server may listen before its
 * gateway exists (a runtime puts the API's URL into the functions the gateway needs), and answers 503 until it
 * is given one (`serve`).
 */
export class RestApiServer {
  private readonly server: Server;
  private address?: { readonly url: string; readonly port: number };
  private gateway: RestApiGateway | undefined;

  /** @param gateway the API it serves. @default - none yet: 503 until `serve()` */
  public constructor(gateway?: RestApiGateway) {
    this.gateway = gateway;
    this.server = createServer((req, res) => {
      void this.answer(req, res);
    });
    this.server.on('clientError', answerClientError);
  }

  /** Serves `gateway` from now on. */
  public serve(gateway: RestApiGateway): void {
    this.gateway = gateway;
  }

  /** Listens on `port` (0: a free one); resolves with the base URL, e.g. `http://127.0.0.1:3000`. */
  public async listen(port = 0, host = '127.0.0.1'): Promise<{ readonly url: string; readonly port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const bound = (this.server.address() as AddressInfo).port;
    this.address = { url: `http://${host}:${bound}`, port: bound };
    return this.address;
  }

  public get url(): string | undefined {
    return this.address?.url;
  }

  /** Stops listening and drops open connections (keep-alive ones included). */
  public async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const foreign = refuseForeignHost(req.headers.host);
    if (foreign !== undefined) {
      refuse(req, res, foreign);
      return;
    }
    const gateway = this.gateway;
    if (gateway === undefined) {
      refuse(req, res, STARTING);
      return;
    }
    try {
      const body = await readBody(req, MAX_PAYLOAD_BYTES + 1);
      const target = new URL(req.url ?? '/', 'http://local');
      const [, stage = '', ...rest] = target.pathname.split('/');
      const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
      const response = await gateway.handle({
        method: req.method ?? 'GET',
        stage: safeDecode(stage),
        path: rest.length === 0 ? '/' : `/${rest.join('/')}`,
        rawQuery,
        wirePath: target.pathname,
        headers: pairs(req.rawHeaders),
        body,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        protocol: `HTTP/${req.httpVersion}`,
      });
      writeResponse(res, response);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `local runtime error: ${error instanceof Error ? error.message : String(error)}` }));
    }
  }
}

/**
 * Serves the APIs on the edge port at the two paths LocalStack and compatible emulators use:
 * `{edgeUrl}/_aws/execute-api/{apiId}/{stage}/{path}` (where `AWS_ENDPOINT_URL` users send execute-api URLs, see
 * lambdas/shared/http/execute-api-url.ts) and `{edgeUrl}/restapis/{apiId}/{stage}/_user_request_/{path}`.
 * `gateways` are the APIs by id.
 */
export function restApisEdgeService(gateways: ReadonlyMap<string, RestApiGateway>): EdgeService {
  const pattern = /^\/(?:_aws\/execute-api\/([^/]+)\/([^/]+)|restapis\/([^/]+)\/([^/]+)\/_user_request_)(\/.*)?$/;
  return {
    name: 'apigateway-user-requests',
    matches: (req) => pattern.test(req.url.pathname),
    handle: async (req: EdgeRequest): Promise<EdgeResponse> => {
      const [, awsApiId, awsStage, apiId = awsApiId, stage = awsStage, path = '/'] = pattern.exec(req.url.pathname) ?? [];
      const gateway = gateways.get(apiId);
      if (!gateway) {
        return { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `No REST API with id ${apiId}` }) };
      }
      const response = await gateway.handle({
        method: req.method,
        stage: safeDecode(stage),
        path,
        rawQuery: req.url.search.replace(/^\?/, ''),
        wirePath: req.url.pathname,
        headers: headerPairs(req),
        body: req.body,
        sourceIp: '127.0.0.1',
        protocol: 'HTTP/1.1',
      });
      const flat: Record<string, string> = {};
      for (const [name, value] of response.headers) {
        const existing = Object.keys(flat).find((key) => key.toLowerCase() === name.toLowerCase());
        if (existing) flat[existing] = `${flat[existing]}, ${value}`;
        else flat[name] = value;
      }
      return { status: response.status, headers: flat, body: response.body };
    },
  };
}

/** Answers a request unread: the body of a request that is refused is thrown away. */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  req.resume();
  res.writeHead(refusal.status, { ...refusal.headers, 'content-length': String(Buffer.byteLength(refusal.body)) });
  res.end(refusal.body);
}

function writeResponse(res: ServerResponse, response: GatewayHttpResponse): void {
  const raw: string[] = [];
  for (const [name, value] of response.headers) {
    if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding') continue;
    raw.push(name, value);
  }
  raw.push('Content-Length', String(response.body.length));
  res.writeHead(response.status, raw);
  res.end(response.body);
}

function pairs(rawHeaders: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) result.push([rawHeaders[i], rawHeaders[i + 1]]);
  return result;
}

/** Reads the whole body, stopping at `limit` bytes (a larger body is cut there and rejected by the gateway). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size >= limit) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A request Node's HTTP parser refuses (a head over its 16 KiB, a method it does not know, a byte that is no URL
 * character) never reaches the gateway, whose responses need a method and path; it gets a problem document here,
 * like every other refusal, instead of Node's bare 400 or 431.
 */
function answerClientError(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, title] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const body = JSON.stringify({ type: 'about:blank', title, status, detail: `The request is not valid HTTP (${error.code ?? error.message}).` });
  // An answer to HEAD has no body, even when the rest of the request could not be read.
  const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`);
}
