/**
 * The bench's HTTP client: node:http over keep-alive connections, one call per request with a deadline, and every
 * outcome turned into a value (a status, or status 0 with the error) so a run records every request.
 *
 * node:http rather than fetch: fewer layers between the clock and the socket, and the number of connections is
 * exactly the agent's (`maxSockets`), which closed-loop throughput needs.
 */
import { Agent, request as httpRequest } from 'node:http';

export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpOutcome {
  /** The HTTP status; 0 when no answer came (connection error or deadline). */
  readonly status: number;
  readonly body: string;
  /** The `Retry-After` header, when the answer has one. */
  readonly retryAfter?: string;
  /** Why no answer came (status 0). */
  readonly error?: string;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  /** `maxSockets`: connections to one host at most (requests beyond it wait for a free one). */
  constructor(options: { readonly maxSockets?: number; readonly timeoutMs?: number } = {}) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? Infinity, maxFreeSockets: 1024 });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  send(call: HttpCall): Promise<HttpOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const body = call.body === undefined ? undefined : Buffer.from(call.body);
      const req = httpRequest(call.url, {
        method: call.method,
        agent: this.agent,
        headers: { ...(call.headers ?? {}), ...(body ? { 'content-length': String(body.length) } : {}) },
      });
      const timer = setTimeout(() => {
        settle({ status: 0, body: '', error: `no answer within ${this.timeoutMs} ms` });
        req.destroy();
      }, this.timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        const retryAfter = res.headers['retry-after'];
        res.on('end', () => settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ...(retryAfter !== undefined ? { retryAfter } : {}) }));
        res.on('error', (error) => settle({ status: 0, body: '', error: error.message }));
      });
      req.on('error', (error) => settle({ status: 0, body: '', error: error.message }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
