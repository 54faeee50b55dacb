/**
 * A minimal DynamoDB JSON-protocol client for the local emulator: it posts wire-format requests (attribute values
 * stay in their JSON form, `{ "S": "…" }`, never converted) and returns wire-format answers. The edge uses it to
 * forward SDK requests to dynalite untouched, and to run the single-item operations that emulate transactions.
 * The dynalite this process runs is called over its worker thread's message port (see `dynalite-channel.ts`); any
 * other endpoint over HTTP with keep-alive connections.
 */
import { awsErrorOf, EmulatorClient, type EmulatorRequest, type EmulatorResponse, type JsonProtocol } from '../shared/emulator-client';
import type { JsonObject } from '../shared/json';
import { dynaliteChannel } from './dynalite-channel';

/** An item or a key in wire format: attribute name → attribute value (`{ "N": "3" }`). */
export type AttributeMap = JsonObject;

/** DynamoDB's JSON protocol as dynalite speaks it. */
const DYNAMODB_JSON: JsonProtocol = {
  targetPrefix: 'DynamoDB_20120810.',
  contentType: 'application/x-amz-json-1.0',
  // dynalite requires a SigV4-shaped `Authorization` header (it never checks the signature).
  headers: {
    'x-amz-date': '20000101T000000Z',
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
  },
  // dynalite answers a few protocol errors in XML.
  unreadableAnswer: (text) => ({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: text.trim() }),
};

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
    return awsErrorOf(this.body, 'UnknownError').type;
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

export interface DynamoDbWireClientOptions {
  /**
   * Call the dynalite this process runs over its worker thread's message port, without HTTP.
   *
   * @default true
   */
  readonly direct?: boolean;
}

export class DynamoDbWireClient {
  /** Whether requests go over the message port of a dynalite this process runs (no HTTP). */
  readonly direct: boolean;
  private readonly client: EmulatorClient;

  constructor(endpoint: string, options: DynamoDbWireClientOptions = {}) {
    const channel = options.direct === false ? undefined : dynaliteChannel(endpoint);
    this.direct = channel !== undefined;
    this.client = new EmulatorClient(endpoint, { protocol: DYNAMODB_JSON, maxSockets: 64, ...(channel ? { transport: channel } : {}) });
  }

  /** Calls one operation (`GetItem`, `PutItem`…) and returns the parsed answer; an error answer throws `DynamoDbError`. */
  async call(operation: string, input: JsonObject): Promise<JsonObject> {
    const answer = await this.client.call(operation, input);
    if (answer.status >= 300) throw new DynamoDbError(answer.status, answer.body);
    return answer.body;
  }

  /** Sends a request as it came (an SDK request through the edge) and returns the answer as it is. */
  send(request: EmulatorRequest): Promise<EmulatorResponse> {
    return this.client.send(request);
  }

  /** Closes the pooled connections to the emulator. */
  close(): void {
    this.client.close();
  }
}
