/**
 * SQS on the edge. Both wire protocols are accepted: JSON (`X-Amz-Target: AmazonSQS.*`, what current SDKs and the
 * AWS CLI speak) and query (`Action=SendMessage&…` form posts or GET parameters with SQS's action names, answered
 * in XML, what older SDKs speak); a query request to a queue URL (`POST /{account}/{queue}`) addresses that queue.
 *
 * Requests go to fauxqs, except what fauxqs lacks, which the edge serves itself: StartMessageMoveTask,
 * ListMessageMoveTasks, CancelMessageMoveTask (`message-move-tasks.ts`) and ListDeadLetterSourceQueues. Queue URLs
 * in answers become the edge's (`${edgeUrl}/${account}/${name}`), and ARNs the stack's account (`QueueAddressing`).
 * With a time scale, a message's VisibilityTimeout (ChangeMessageVisibility, ChangeMessageVisibilityBatch,
 * ReceiveMessage) and DelaySeconds (SendMessage, SendMessageBatch) are scaled on their way to fauxqs.
 */
import { randomUUID } from 'node:crypto';
import { type EdgeRequest, type EdgeResponse, type EdgeService, queryParams, targetOf } from '../edge/edge-server';
import { TimeScale } from '../shared/time-scale';
import { fauxqsClient, fauxqsQueueUrl } from './fauxqs-client';
import { deadLetterSources, MessageMoveTasks } from './message-move-tasks';
import { QueueAddressing, queueNameOf } from './queue-addressing';
import { isJsonObject, type JsonObject, type JsonValue } from '../shared/json';
import { FauxqsWireClient, SQS_JSON_CONTENT_TYPE, SQS_TARGET_PREFIX, SqsServiceError } from './sqs-json';
import { parseQueryRequest, renderQueryError, renderQueryResponse, SQS_ACTIONS, SQS_API_VERSION } from './sqs-query-protocol';

export interface SqsServiceOptions {
  /** fauxqs's endpoint (`LocalSqs.endpoint`). */
  readonly fauxqsEndpoint: string;
  /** The edge's URL, the origin of every queue URL clients see. */
  readonly edgeUrl: string;
  readonly accountId: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  /**
   * Scales the VisibilityTimeout and DelaySeconds of messages (see `time-scale.ts`).
   *
   * @default TimeScale.REAL_TIME
   */
  readonly timeScale?: TimeScale;
}

/** The SQS edge service, with its message move tasks (the runtime closes them with the edge). */
export interface SqsEdgeService extends EdgeService {
  readonly moveTasks: MessageMoveTasks;
}

/** Attribute values that hold queue ARNs (the rest are numbers and flags). */
const ARN_ATTRIBUTES = ['QueueArn', 'RedrivePolicy', 'RedriveAllowPolicy', 'Policy'];

function isQueryRequest(req: EdgeRequest): boolean {
  if (targetOf(req) !== '') return false;
  const params = queryParams(req);
  const version = params.get('Version');
  return SQS_ACTIONS.has(params.get('Action') ?? '') && (version === null || version === SQS_API_VERSION);
}

export function sqsService(options: SqsServiceOptions): SqsEdgeService {
  const addressing = new QueueAddressing({ edgeUrl: options.edgeUrl, accountId: options.accountId, partition: options.partition ?? 'aws' });
  const wire = new FauxqsWireClient(options.fauxqsEndpoint);
  const sdk = fauxqsClient(options.fauxqsEndpoint, options.region);
  const moveTasks = new MessageMoveTasks({ sqs: sdk, fauxqsEndpoint: options.fauxqsEndpoint });
  const timeScale = options.timeScale ?? TimeScale.REAL_TIME;

  /** ListDeadLetterSourceQueues: `{ QueueUrl }` → `{ queueUrls }` (the JSON protocol's member is lower case). */
  const listDeadLetterSourceQueues = async (input: JsonObject): Promise<JsonObject> => {
    const queueUrl = input.QueueUrl;
    if (typeof queueUrl !== 'string' || queueUrl === '') throw SqsServiceError.missingParameter('QueueUrl');
    const name = queueNameOf(queueUrl);
    const exists = await wire.call('GetQueueAttributes', { QueueUrl: fauxqsQueueUrl(options.fauxqsEndpoint, name), AttributeNames: ['QueueArn'] });
    if (!exists.ok) throw exists.error;
    const sources = await deadLetterSources(sdk, options.fauxqsEndpoint, name);
    return { queueUrls: sources.map((source) => addressing.queueUrl(source)) };
  };

  /** Runs one operation, whichever protocol it came in; SqsServiceError for an SQS error. */
  const execute = async (action: string, input: JsonObject, authorization: string | undefined): Promise<JsonObject> => {
    switch (action) {
      case 'StartMessageMoveTask':
        return moveTasks.start(input);
      case 'ListMessageMoveTasks':
        return moveTasks.list(input);
      case 'CancelMessageMoveTask':
        return moveTasks.cancel(input);
      case 'ListDeadLetterSourceQueues':
        return listDeadLetterSourceQueues(input);
      default: {
        const answer = await wire.call(action, scaleWaits(action, toFauxqs(input, addressing), timeScale), authorization);
        if (!answer.ok) throw answer.error;
        return toClient(answer.output, addressing);
      }
    }
  };

  const run = async (action: string, input: JsonObject, authorization: string | undefined): Promise<{ output: JsonObject } | { error: SqsServiceError }> => {
    try {
      return { output: await execute(action, input, authorization) };
    } catch (error) {
      return { error: error instanceof SqsServiceError ? error : SqsServiceError.internal((error as Error).message) };
    }
  };

  const handleJson = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const action = targetOf(req).slice(SQS_TARGET_PREFIX.length);
    let input: unknown;
    try {
      input = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
    } catch {
      input = undefined;
    }
    const result = isJsonObject(input)
      ? await run(action, input, authorizationOf(req))
      : { error: new SqsServiceError(400, 'SerializationException', 'SerializationException', 'The request body is not a JSON object') };
    const requestId = randomUUID();
    if ('output' in result) return { status: 200, headers: { 'content-type': SQS_JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(result.output) };
    return {
      status: result.error.status,
      headers: {
        'content-type': SQS_JSON_CONTENT_TYPE,
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${result.error.queryCode};${result.error.senderFault ? 'Sender' : 'Receiver'}`,
      },
      body: JSON.stringify(result.error.toJson()),
    };
  };

  const handleQuery = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const { action, input } = parseQueryRequest(queryParams(req));
    const queuePath = /^\/[^/]+\/[^/]+$/.exec(req.url.pathname);
    if (input.QueueUrl === undefined && queuePath !== null) input.QueueUrl = `${options.edgeUrl.replace(/\/+$/, '')}${req.url.pathname}`;
    const result = await run(action, input, authorizationOf(req));
    const requestId = randomUUID();
    const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
    if ('output' in result) return { status: 200, headers, body: renderQueryResponse(action, result.output, requestId) };
    return { status: result.error.status, headers, body: renderQueryError(result.error.queryCode, result.error.message, result.error.senderFault, requestId) };
  };

  return {
    name: 'sqs',
    moveTasks,
    matches: (req) => targetOf(req).startsWith(SQS_TARGET_PREFIX) || isQueryRequest(req),
    handle: (req) => (targetOf(req).startsWith(SQS_TARGET_PREFIX) ? handleJson(req) : handleQuery(req)),
    close: async () => {
      await moveTasks.close();
      sdk.destroy();
      wire.close();
    },
  };
}

function authorizationOf(req: EdgeRequest): string | undefined {
  const value = req.headers.authorization;
  return typeof value === 'string' ? value : undefined;
}

/** A request on its way to fauxqs: queue ARNs in attributes move to fauxqs's account. */
function toFauxqs(input: JsonObject, addressing: QueueAddressing): JsonObject {
  if (!isJsonObject(input.Attributes)) return input;
  const attributes: JsonObject = {};
  for (const [name, value] of Object.entries(input.Attributes)) attributes[name] = typeof value === 'string' ? addressing.fauxqsArns(value) : value;
  return { ...input, Attributes: attributes };
}

/** The parameters of each operation that wait only to let time pass (per entry for the batch operations). */
const MESSAGE_WAITS: Readonly<Record<string, { readonly parameter: 'VisibilityTimeout' | 'DelaySeconds'; readonly batch: boolean }>> = {
  ChangeMessageVisibility: { parameter: 'VisibilityTimeout', batch: false },
  ChangeMessageVisibilityBatch: { parameter: 'VisibilityTimeout', batch: true },
  ReceiveMessage: { parameter: 'VisibilityTimeout', batch: false },
  SendMessage: { parameter: 'DelaySeconds', batch: false },
  SendMessageBatch: { parameter: 'DelaySeconds', batch: true },
};

/** A request on its way to fauxqs with its message visibility / delay time-scaled. */
export function scaleWaits(action: string, input: JsonObject, timeScale: TimeScale): JsonObject {
  const wait = MESSAGE_WAITS[action];
  if (wait === undefined || timeScale.isRealTime) return input;
  const scale = (target: JsonObject): JsonObject => {
    const value = target[wait.parameter];
    return typeof value === 'number' ? { ...target, [wait.parameter]: timeScale.messageSeconds(wait.parameter, value) } : target;
  };
  if (!wait.batch) return scale(input);
  return Array.isArray(input.Entries) ? { ...input, Entries: input.Entries.map((entry) => (isJsonObject(entry) ? scale(entry) : entry)) } : input;
}

/** An answer on its way to the client: queue URLs on the edge, queue ARNs in the stack's account. */
function toClient(output: JsonObject, addressing: QueueAddressing): JsonObject {
  const result: JsonObject = { ...output };
  if (typeof output.QueueUrl === 'string') result.QueueUrl = addressing.clientUrl(output.QueueUrl);
  if (Array.isArray(output.QueueUrls)) result.QueueUrls = output.QueueUrls.map((url: JsonValue) => (typeof url === 'string' ? addressing.clientUrl(url) : url));
  if (isJsonObject(output.Attributes) && !Array.isArray(output.Messages)) {
    const attributes: JsonObject = { ...output.Attributes };
    for (const name of ARN_ATTRIBUTES) {
      const value = attributes[name];
      if (typeof value === 'string') attributes[name] = addressing.clientArns(value);
    }
    result.Attributes = attributes;
  }
  return result;
}
