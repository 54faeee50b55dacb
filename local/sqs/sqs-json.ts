/**
 * SQS's JSON protocol (`X-Amz-Target: AmazonSQS.{Action}`, `application/x-amz-json-1.0`) as the edge speaks it:
 * the errors it answers, and a small client that posts wire-format requests to fauxqs.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { awsErrorOf, EmulatorClient, type JsonProtocol } from '../shared/emulator-client';
import type { JsonObject } from '../shared/json';

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

/** SQS's JSON protocol as fauxqs speaks it. */
const SQS_JSON: JsonProtocol = {
  targetPrefix: SQS_TARGET_PREFIX,
  contentType: SQS_JSON_CONTENT_TYPE,
  unreadableAnswer: (text) => ({ __type: 'com.amazonaws.sqs#InternalError', message: `fauxqs answered: ${text.slice(0, 200)}` }),
};

/** Posts JSON-protocol requests to fauxqs over pooled keep-alive connections. */
export class FauxqsWireClient {
  private readonly client: EmulatorClient;

  constructor(endpoint: string) {
    this.client = new EmulatorClient(endpoint, { protocol: SQS_JSON, maxSockets: 256 });
  }

  /**
   * Calls one operation. `authorization` is the client's SigV4 header, passed on because fauxqs reads the region of
   * a new queue from its credential scope. A long poll under way is abandoned (its connection dropped) once `signal`
   * fires.
   */
  async call(action: string, input: JsonObject, authorization?: string, signal?: AbortSignal): Promise<SqsAnswer> {
    const answer = await this.client.call(action, input, { ...(authorization ? { headers: { authorization } } : {}), ...(signal ? { signal } : {}) });
    if (answer.status < 300) return { ok: true, output: answer.body };
    return { ok: false, error: errorFrom(answer.status, answer.headers, answer.body) };
  }

  close(): void {
    this.client.close();
  }
}

function errorFrom(status: number, headers: IncomingHttpHeaders, body: JsonObject): SqsServiceError {
  const { type, message } = awsErrorOf(body, 'InternalError');
  const queryHeader = headers['x-amzn-query-error'];
  const queryCode = typeof queryHeader === 'string' && queryHeader.length > 0 ? queryHeader.split(';')[0] : type;
  return new SqsServiceError(status, type, queryCode, message);
}
