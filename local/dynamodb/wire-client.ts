/**
 * A minimal DynamoDB JSON-protocol client for the local emulator: it posts wire-format requests (attribute values
 * stay in their JSON form, `{ "S": "…" }`, never converted) and returns wire-format answers. The edge uses it to
 * forward SDK requests to dynalite untouched, and to run the single-item operations that emulate transactions.
 * A dynalite started by this process is called directly (see `in-process-dynalite.ts`); any other endpoint over
 * HTTP with keep-alive connections.
 */
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { isJsonObject, type JsonObject } from '../shared/json';
import { inProcessDynalite } from './in-process-dynalite';

/** An item or a key in wire format: attribute name → attribute value (`{ "N": "3" }`). */
export type AttributeMap = JsonObject;

const TARGET_PREFIX = 'DynamoDB_20120810';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
/** dynalite requires a SigV4-shaped `Authorization` header (it never checks the signature). */
const LOCAL_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local';

/** A DynamoDB error in AWS's shape: HTTP status and a JSON body with `__type` (`namespace#Name`) and a message. */
export class DynamoDbError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
  ) {
    super(DynamoDbError.messageOf(body));
    this.name = 'DynamoDbError';
  }

  /** The `__type` without its namespace: `ConditionalCheckFailedException`. */
  get errorType(): string {
    const type = typeof this.body.__type === 'string' ? this.body.__type : 'UnknownError';
    return type.slice(type.lastIndexOf('#') + 1);
  }

  static validation(message: string): DynamoDbError {
    return new DynamoDbError(400, { __type: 'com.amazon.coral.validate#ValidationException', message });
  }

  static serialization(message: string): DynamoDbError {
    return new DynamoDbError(400, { __type: 'com.amazon.coral.service#SerializationException', Message: message });
  }

  static internal(message: string): DynamoDbError {
    return new DynamoDbError(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message });
  }

  private static messageOf(body: JsonObject): string {
    const message = body.message ?? body.Message;
    return typeof message === 'string' ? message : String(body.__type ?? 'DynamoDB error');
  }
}

/** A raw HTTP exchange with the emulator. */
export interface RawResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** How a request reaches the emulator: over HTTP, or by a direct call into it. */
export type DynamoDbTransport = (method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer) => Promise<RawResponse>;

export interface DynamoDbWireClientOptions {
  /**
   * Call a dynalite this process started directly, without HTTP.
   *
   * @default true
   */
  readonly inProcess?: boolean;
}

export class DynamoDbWireClient {
  private readonly endpoint: URL;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly direct: DynamoDbTransport | undefined;

  constructor(endpoint: string, options: DynamoDbWireClientOptions = {}) {
    this.endpoint = new URL(endpoint);
    this.direct = options.inProcess === false ? undefined : inProcessDynalite(endpoint);
  }

  /** Whether requests go straight into a dynalite of this process (no HTTP). */
  get inProcess(): boolean {
    return this.direct !== undefined;
  }

  /** Calls one operation (`GetItem`, `PutItem`…) and returns the parsed answer; an error answer throws `DynamoDbError`. */
  async call(operation: string, input: JsonObject): Promise<JsonObject> {
    const response = await this.send('POST', '/', {
      'content-type': JSON_CONTENT_TYPE,
      'x-amz-target': `${TARGET_PREFIX}.${operation}`,
      'x-amz-date': '20000101T000000Z',
      authorization: LOCAL_AUTHORIZATION,
    }, Buffer.from(JSON.stringify(input)));
    const body = parseBody(response.body);
    if (response.status >= 300) throw new DynamoDbError(response.status, body);
    return body;
  }

  /** Sends a request as it came (an SDK request through the edge) and returns the answer as it is. */
  send(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<RawResponse> {
    if (this.direct) return this.direct(method, path, headers, body);
    return new Promise((resolvePromise, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          hostname: this.endpoint.hostname,
          port: this.endpoint.port,
          method,
          path,
          headers: { ...headers, 'content-length': body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolvePromise({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Closes the pooled connections to the emulator. */
  close(): void {
    this.agent.destroy();
  }
}

function parseBody(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // not JSON: dynalite answers a few protocol errors as XML; reported below
  }
  return { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: body.toString('utf8').trim() };
}
