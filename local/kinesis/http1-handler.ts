/**
 * An HTTP/1.1 request handler for SDK v3 clients. The Kinesis client's default handler speaks HTTP/2, which
 * kinesis-local (and the edge) answer with protocol errors; give it this one instead:
 * `new KinesisClient({ endpoint, requestHandler: new Http1Handler() })`.
 */
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/protocol-http';

/** The request was aborted (its abort signal fired) before the answer arrived. */
export class RequestAbortedError extends Error {
  constructor() {
    super('Request aborted');
    this.name = 'AbortError';
  }
}

export class Http1Handler implements HttpHandler {
  public readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly agent: Agent;

  /**
   * @param options.maxSockets most concurrent connections per host. @default 64
   */
  public constructor(options: { readonly maxSockets?: number } = {}) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  }

  public handle(request: HttpRequest, options: { abortSignal?: AbortSignal | { aborted: boolean }; requestTimeout?: number } = {}): Promise<{ response: HttpResponse }> {
    return new Promise((resolve, reject) => {
      const signal = options.abortSignal as AbortSignal | undefined;
      if (signal?.aborted) {
        reject(new RequestAbortedError());
        return;
      }
      const query = Object.entries(request.query ?? {})
        .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).filter((v) => v !== null).map((v) => `${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`))
        .join('&');
      const secure = request.protocol === 'https:';
      const outgoing = (secure ? httpsRequest : httpRequest)(
        {
          ...(secure ? {} : { agent: this.agent }),
          protocol: request.protocol,
          hostname: request.hostname,
          port: request.port,
          method: request.method,
          path: `${request.path}${query ? `?${query}` : ''}`,
          headers: request.headers,
          ...(options.requestTimeout ? { timeout: options.requestTimeout } : {}),
        },
        (incoming) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ response: new HttpResponse({ statusCode: incoming.statusCode ?? 500, reason: incoming.statusMessage, headers, body: incoming }) });
        },
      );
      const onAbort = () => {
        outgoing.destroy(new RequestAbortedError());
      };
      signal?.addEventListener?.('abort', onAbort, { once: true });
      outgoing.on('close', () => signal?.removeEventListener?.('abort', onAbort));
      outgoing.on('timeout', () => outgoing.destroy(new Error(`Request timed out after ${options.requestTimeout} ms`)));
      outgoing.on('error', reject);
      const body: unknown = request.body;
      if (body === undefined || body === null) outgoing.end();
      else if (typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
      else if (typeof (body as NodeJS.ReadableStream).pipe === 'function') (body as NodeJS.ReadableStream).pipe(outgoing);
      else outgoing.end(String(body));
    });
  }

  public updateHttpClientConfig(): void {
    // nothing to configure
  }

  public httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  public destroy(): void {
    this.agent.destroy();
  }
}
