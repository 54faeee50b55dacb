/**
 * The edge: one HTTP port that speaks the AWS wire protocols, so `AWS_ENDPOINT_URL` points every SDK client of the
 * local runtime at one place. Each AWS service is an `EdgeService` that recognises its requests (a target header,
 * a path…) and answers them; the first registered service that matches a request handles it.
 *
 * The edge accepts SigV4-signed requests as they are: signatures are not verified.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export { dynamoDbService } from './dynamodb-service';

export interface EdgeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface EdgeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface EdgeService {
  readonly name: string;
  matches(req: EdgeRequest): boolean;
  handle(req: EdgeRequest): Promise<EdgeResponse>;
  /** Releases what the service holds (pooled connections…); called by `EdgeServer.close()`. */
  close?(): Promise<void>;
}

/** `listen()` called on a server that is already listening. */
export class EdgeServerStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdgeServerStateError';
  }
}

function awsJsonError(status: number, type: string, message: string): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: type, message }),
  };
}

export class EdgeServer {
  private readonly services: EdgeService[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  /** Adds a service; the first registered service that matches a request handles it. */
  register(service: EdgeService): void {
    this.services.push(service);
  }

  /**
   * Starts listening.
   * @param port the port to listen on. @default 0 - a free port chosen by the system
   * @param host the interface to listen on. @default '127.0.0.1'
   */
  listen(port = 0, host = '127.0.0.1'): Promise<{ readonly url: string; readonly port: number }> {
    if (this.server !== undefined) throw new EdgeServerStateError('The edge server is already listening');
    const server = createServer((req, res) => void this.dispatch(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
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
      server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
      await closed;
    }
    for (const service of this.services) await service.close?.();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: EdgeResponse;
    try {
      const request = await this.read(req);
      const service = this.services.find((candidate) => candidate.matches(request));
      response =
        service === undefined
          ? awsJsonError(400, 'UnknownOperationException', `No local service handles ${request.method} ${request.url.pathname}`)
          : await service.handle(request);
    } catch (error) {
      response = awsJsonError(500, 'InternalFailure', `The local edge failed: ${(error as Error).message}`);
    }
    this.write(res, response);
  }

  private read(req: IncomingMessage): Promise<EdgeRequest> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', reject);
      req.on('end', () =>
        resolve({
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
          headers: req.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
  }

  private write(res: ServerResponse, response: EdgeResponse): void {
    if (res.destroyed) return;
    const body = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
    try {
      res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
      res.end(body);
    } catch (error) {
      // A service answered what HTTP cannot carry (an invalid header value…): the client sees the connection drop.
      console.error(`[edge] cannot write the answer: ${(error as Error).message}`);
      res.destroy();
    }
  }
}
