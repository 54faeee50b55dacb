/**
 * The one HTTP client the runtime talks to its emulators with (dynalite, fauxqs, kinesis-local): pooled keep-alive
 * connections and no SDK in between. The edge forwards SDK requests through it as they came (`send`); the runtime's
 * own hot paths call operations of the emulators' AWS JSON protocols with it (`call`), which costs the runtime's one
 * event loop far less than an SDK client's middleware, signing and parsing. The emulators' protocols differ only in
 * what a `JsonProtocol` says.
 */
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { isJsonObject, type JsonObject } from './json';

export interface EmulatorRequest {
  readonly method: string;
  /** The path and the query. */
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
  /**
   * Abandons the request, dropping its connection (a long poll the caller gave up on).
   *
   * @default - the request runs until the emulator answers
   */
  readonly signal?: AbortSignal;
}

/** An emulator's answer as it came. */
export interface EmulatorResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** How a request reaches an emulator: over HTTP, or by a direct call into an emulator this process runs. */
export type EmulatorTransport = (request: EmulatorRequest) => Promise<EmulatorResponse>;

/** An AWS JSON protocol as one emulator speaks it. */
export interface JsonProtocol {
  /** The X-Amz-Target header before the operation's name: `DynamoDB_20120810.`, `Kinesis_20131202.`, `AmazonSQS.` */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.0` or `application/x-amz-json-1.1` */
  readonly contentType: string;
  /**
   * Headers every call carries, such as the SigV4-shaped `Authorization` an emulator requires but never checks.
   *
   * @default - none
   */
  readonly headers?: OutgoingHttpHeaders;
  /** What an answer whose body is not a JSON object stands for: the emulator's error, in the protocol's shape. */
  readonly unreadableAnswer: (text: string) => JsonObject;
}

/** A call's answer: its status and headers, and its body as a JSON object (`{}` for an empty one). */
export interface JsonAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: JsonObject;
}

export interface EmulatorClientOptions {
  readonly protocol: JsonProtocol;
  /** Most requests under way at once over HTTP; the others wait their turn. */
  readonly maxSockets: number;
  /**
   * How requests reach the emulator.
   *
   * @default - HTTP to the endpoint
   */
  readonly transport?: EmulatorTransport;
}

/** A request abandoned through its AbortSignal before the emulator answered. */
export class EmulatorRequestAbortedError extends Error {
  constructor() {
    super('The request was aborted before the emulator answered');
    this.name = 'AbortError';
  }
}

export class EmulatorClient {
  private readonly endpoint: URL;
  private readonly agent: Agent;
  private readonly transport: EmulatorTransport;

  constructor(
    endpoint: string,
    private readonly options: EmulatorClientOptions,
  ) {
    this.endpoint = new URL(endpoint);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
    this.transport = options.transport ?? ((outgoing) => this.overHttp(outgoing));
  }

  /** Sends a request as it is (an SDK request through the edge) and returns the answer as it is. */
  send(outgoing: EmulatorRequest): Promise<EmulatorResponse> {
    return this.transport(outgoing);
  }

  /** Calls one operation (`GetItem`, `ReceiveMessage`, `GetRecords`…) of the protocol; error answers are answers too. */
  async call(
    operation: string,
    input: Readonly<Record<string, unknown>>,
    options: { readonly headers?: OutgoingHttpHeaders; readonly signal?: AbortSignal } = {},
  ): Promise<JsonAnswer> {
    const { protocol } = this.options;
    const response = await this.send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': protocol.contentType, 'x-amz-target': `${protocol.targetPrefix}${operation}`, ...protocol.headers, ...options.headers },
      body: Buffer.from(JSON.stringify(input)),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { status: response.status, headers: response.headers, body: parseAnswer(response.body, protocol) };
  }

  /** Closes the pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  private overHttp(outgoing: EmulatorRequest): Promise<EmulatorResponse> {
    const { signal } = outgoing;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new EmulatorRequestAbortedError());
        return;
      }
      const exchange = request(
        {
          agent: this.agent,
          hostname: this.endpoint.hostname,
          port: this.endpoint.port,
          method: outgoing.method,
          path: outgoing.path,
          headers: { ...outgoing.headers, 'content-length': outgoing.body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }));
        },
      );
      if (signal) {
        const abort = () => exchange.destroy(new EmulatorRequestAbortedError());
        signal.addEventListener('abort', abort, { once: true });
        exchange.on('close', () => signal.removeEventListener('abort', abort));
      }
      exchange.on('error', reject);
      exchange.end(outgoing.body);
    });
  }
}

/** An AWS error body's type without its namespace (`ConditionalCheckFailedException`), and its message. */
export function awsErrorOf(body: JsonObject, fallbackType: string): { readonly type: string; readonly message: string } {
  const type = typeof body.__type === 'string' ? body.__type.slice(body.__type.lastIndexOf('#') + 1) : fallbackType;
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : type;
  return { type, message };
}

function parseAnswer(body: Buffer, protocol: JsonProtocol): JsonObject {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // not JSON: the protocol says what it stands for
  }
  return protocol.unreadableAnswer(text);
}
