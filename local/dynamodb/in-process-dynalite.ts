/**
 * A direct line to a dynalite this process started: the edge hands a DynamoDB request to dynalite's own request
 * handler as a function call, instead of a second HTTP exchange over loopback. That exchange (client and server
 * framing, two socket writes and reads) cost about seven times dynalite's own work for a GetItem; at a thousand
 * requests a second it was the largest single cost of the edge.
 *
 * dynalite still listens on its port (SDK clients may call it there); `startDynamoDb` registers its endpoint here,
 * and `DynamoDbWireClient` uses the direct line (an `EmulatorTransport`) for an endpoint that is registered. dynalite sees the same request
 * (method, path, headers, body) and answers the same response (status, headers, body) as over HTTP.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, RequestListener, Server } from 'node:http';
import type { EmulatorResponse, EmulatorTransport } from '../shared/emulator-client';

const registered = new Map<string, EmulatorTransport>();

/** Makes `endpoint` (as `startDynamoDb` reports it) reachable by a direct call into `server`'s request handler. */
export function registerInProcessDynalite(endpoint: string, server: Server): void {
  registered.set(endpoint, dynaliteTransport(server));
}

/** Forgets `endpoint` (dynalite stopped). */
export function unregisterInProcessDynalite(endpoint: string): void {
  registered.delete(endpoint);
}

/** The direct line to the dynalite at `endpoint`, when this process started it. */
export function inProcessDynalite(endpoint: string): EmulatorTransport | undefined {
  return registered.get(endpoint);
}

/** The parts of Node's request object dynalite's handler uses: an emitter of `data` and `end`. */
class HandlerRequest extends EventEmitter {
  public constructor(
    public readonly method: string,
    public readonly url: string,
    public readonly headers: IncomingHttpHeaders,
  ) {
    super();
  }
}

/** The parts of Node's response object dynalite's handler uses; `end` settles the exchange. */
class HandlerResponse {
  public statusCode = 200;
  private readonly headers: IncomingHttpHeaders = {};

  public constructor(private readonly settle: (response: EmulatorResponse) => void) {}

  public setHeader(name: string, value: number | string): void {
    this.headers[name.toLowerCase()] = String(value);
  }

  public end(chunk?: string | Buffer): void {
    const body = chunk === undefined ? Buffer.alloc(0) : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.settle({ status: this.statusCode, headers: this.headers, body });
  }
}

type DynaliteHandler = (req: HandlerRequest, res: HandlerResponse) => void;

/** Calls dynalite's request handler with in-memory request and response objects (methods, not per-call closures). */
export function dynaliteTransport(server: Server): EmulatorTransport {
  const handler = server.listeners('request')[0] as RequestListener | undefined;
  if (handler === undefined) throw new Error('dynalite server has no request handler: create it with dynalite()');
  const handle = handler as unknown as DynaliteHandler;
  return ({ method, path, headers, body }) =>
    new Promise<EmulatorResponse>((resolve, reject) => {
      const request = new HandlerRequest(method, path, lowerCaseHeaders(headers));
      try {
        handle(request, new HandlerResponse(resolve));
        if (body.length > 0) request.emit('data', body);
        request.emit('end');
      } catch (error) {
        // Over HTTP this would have been an uncaught exception in dynalite; here the edge answers InternalFailure.
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
}

function lowerCaseHeaders(headers: OutgoingHttpHeaders): IncomingHttpHeaders {
  const lower: IncomingHttpHeaders = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) lower[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return lower;
}
