/**
 * SQS's JSON protocol (`X-Amz-Target: AmazonSQS.{Action}`, `application/x-amz-json-1.0`) as the edge speaks it:
 * the errors it answers, and a small client that posts wire-format requests to fauxqs.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { isJsonObject, type JsonObject } from '../shared/json';

export const SQS_TARGET_PREFIX = 'AmazonSQS.';
export const SQS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * An SQS error as both protocols carry it: the JSON protocol's `__type` (`com.amazonaws.sqs#QueueDoesNotExist`) and
 * the query protocol's code (`AWS.SimpleQueueService.NonExistentQueue`, also sent to JSON clients in the
 * `x-amzn-query-error` header so SDKs in query-compatible mode name the error as before).
 */
export class SqsServiceError extends Error {
  constructor(
    readonly status: number,
    /** The JSON protocol's error name, without namespace: `QueueDoesNotExist`. */
    readonly errorType: string,
    /** The query protocol's error code: `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqsServiceError';
  }

  get senderFault(): boolean {
    return this.status < 500;
  }

  static invalidParameter(message: string): SqsServiceError {
    return new SqsServiceError(400, 'InvalidParameterValueException', 'InvalidParameterValue', message);
  }

  static missingParameter(name: string): SqsServiceError {
    return new SqsServiceError(400, 'MissingRequiredParameterException', 'MissingParameter', `The request must contain the parameter ${name}.`);
  }

  static queueDoesNotExist(name: string): SqsServiceError {
    return new SqsServiceError(400, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', `The specified queue does not exist: ${name}`);
  }

  static resourceNotFound(message: string): SqsServiceError {
    return new SqsServiceError(400, 'ResourceNotFoundException', 'ResourceNotFoundException', message);
  }

  static unsupportedOperation(message: string): SqsServiceError {
    return new SqsServiceError(400, 'UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', message);
  }

  static invalidAction(action: string): SqsServiceError {
    return new SqsServiceError(400, 'InvalidAction', 'InvalidAction', `The action ${action} is not valid for this endpoint.`);
  }

  static internal(message: string): SqsServiceError {
    return new SqsServiceError(500, 'InternalError', 'InternalError', message);
  }

  /** The JSON protocol's error body. */
  toJson(): JsonObject {
    return { __type: `com.amazonaws.sqs#${this.errorType}`, message: this.message };
  }
}

/** What fauxqs answered: the operation's output, or its error. */
export type SqsAnswer = { readonly ok: true; readonly output: JsonObject } | { readonly ok: false; readonly error: SqsServiceError };

/** Posts JSON-protocol requests to fauxqs over pooled keep-alive connections. */
export class FauxqsWireClient {
  private readonly endpoint: URL;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(endpoint: string) {
    this.endpoint = new URL(endpoint);
  }

  /**
   * Calls one operation. `authorization` is the client's SigV4 header, passed on because fauxqs reads the region of
   * a new queue from its credential scope.
   */
  async call(action: string, input: JsonObject, authorization?: string, signal?: AbortSignal): Promise<SqsAnswer> {
    const response = await this.post(action, JSON.stringify(input), authorization, signal);
    const body = parseBody(response.body);
    if (response.status < 300) return { ok: true, output: body };
    return { ok: false, error: errorFrom(response.status, response.headers, body) };
  }

  close(): void {
    this.agent.destroy();
  }

  private post(action: string, body: string, authorization: string | undefined, signal?: AbortSignal): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SqsRequestAbortedError(action));
        return;
      }
      const payload = Buffer.from(body);
      const outgoing = request(
        {
          agent: this.agent,
          hostname: this.endpoint.hostname,
          port: this.endpoint.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': SQS_JSON_CONTENT_TYPE,
            'x-amz-target': `${SQS_TARGET_PREFIX}${action}`,
            'content-length': payload.length,
            ...(authorization ? { authorization } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }));
        },
      );
      // A long poll under way is abandoned (its connection dropped) when the caller gives up on it.
      const abort = () => outgoing.destroy(new SqsRequestAbortedError(action));
      signal?.addEventListener('abort', abort, { once: true });
      outgoing.on('close', () => signal?.removeEventListener('abort', abort));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}

/** A call abandoned through its AbortSignal. */
export class SqsRequestAbortedError extends Error {
  constructor(action: string) {
    super(`${action} was aborted`);
    this.name = 'AbortError';
  }
}

function parseBody(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // reported as an internal error below
  }
  return { __type: 'com.amazonaws.sqs#InternalError', message: `fauxqs answered: ${body.toString('utf8').slice(0, 200)}` };
}

function errorFrom(status: number, headers: IncomingHttpHeaders, body: JsonObject): SqsServiceError {
  const type = typeof body.__type === 'string' ? body.__type.slice(body.__type.lastIndexOf('#') + 1) : 'InternalError';
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : type;
  const queryHeader = headers['x-amzn-query-error'];
  const queryCode = typeof queryHeader === 'string' && queryHeader.length > 0 ? queryHeader.split(';')[0] : type;
  return new SqsServiceError(status, type, queryCode, message);
}
