/**
 * EventBridge on the edge: the JSON 1.1 API (`X-Amz-Target: AWSEvents.<Operation>`) the SDKs and the CLI speak, and
 * the runtime's fault hook for PutEvents:
 *
 * - `GET /_local/eventbridge/faults`: the active PutEvents fault
 * - `POST /_local/eventbridge/faults` with `{"failEntries": 1}` (also `detailType`, `requests`, `errorCode`): set it
 * - `DELETE /_local/eventbridge/faults`: clear it
 *
 * Timestamps travel as epoch seconds, as JSON 1.1 has them.
 *
 * With `authorization`, a PutEvents signed with a function's own access key is checked as EventBridge checks it: the
 * signature verified, then the function's role policies evaluated for `events:PutEvents` on each bus, with the
 * `events:source` and `events:detail-type` condition keys (see `put-events-authorization.ts`). Other operations, and
 * PutEvents from the admin pair, are served unchecked.
 */
import { randomUUID } from 'node:crypto';
import { type EdgeRequest, type EdgeResponse, type EdgeService, targetOf } from '../edge/edge-server';
import { EventBridgeApiError, InvalidPutEventsFaultError } from './eventbridge-errors';
import type { LocalEventBridge, StartReplayInput } from './local-event-bridge';
import { authorizePutEvents, type PutEventsAuthorizationOptions } from './put-events-authorization';
import { parsePutEventsFault } from './put-events-fault';

const TARGET_PREFIX = 'AWSEvents.';
const FAULTS_PATH = '/_local/eventbridge/faults';

type Operation = (bridge: LocalEventBridge, input: Record<string, unknown>) => unknown;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  PutEvents: (bridge, input) => bridge.putEvents(input),
  TestEventPattern: (bridge, input) => bridge.testEventPattern(input),
  DescribeEventBus: (bridge, input) => bridge.describeEventBus(input),
  ListEventBuses: (bridge, input) => bridge.listEventBuses(input),
  ListRules: (bridge, input) => bridge.listRules(input),
  DescribeRule: (bridge, input) => bridge.describeRule(input),
  ListTargetsByRule: (bridge, input) => bridge.listTargetsByRule(input),
  DescribeArchive: (bridge, input) => bridge.describeArchive(input),
  ListArchives: (bridge, input) => bridge.listArchives(input),
  StartReplay: (bridge, input) => bridge.startReplay(startReplayInput(input)),
  DescribeReplay: (bridge, input) => bridge.describeReplay(input),
  ListReplays: (bridge, input) => bridge.listReplays(input),
};

/**
 * Matches `X-Amz-Target: AWSEvents.*` and `/_local/eventbridge/…`.
 *
 * @param authorization how PutEvents is authorized. @default - not at all: every PutEvents is served
 */
export function eventBridgeEdgeService(bridge: LocalEventBridge, authorization?: PutEventsAuthorizationOptions): EdgeService {
  return {
    name: 'eventbridge',
    matches: (req) => targetOf(req).startsWith(TARGET_PREFIX) || req.url.pathname.startsWith('/_local/eventbridge'),
    handle: async (req) => (req.url.pathname.startsWith('/_local/eventbridge') ? handleFaults(bridge, req) : handleApi(bridge, req, authorization)),
  };
}

async function handleApi(bridge: LocalEventBridge, req: EdgeRequest, authorization: PutEventsAuthorizationOptions | undefined): Promise<EdgeResponse> {
  const operationName = targetOf(req).slice(TARGET_PREFIX.length);
  const operation = OPERATIONS[operationName];
  if (!operation) {
    return awsError(
      400,
      'UnknownOperationException',
      `The local runtime does not serve EventBridge ${operationName}: buses, rules, targets and archives come from the template`,
    );
  }
  let input: Record<string, unknown>;
  try {
    const text = req.body.toString('utf8').trim();
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    input = parsed as Record<string, unknown>;
  } catch {
    return awsError(400, 'SerializationException', 'The request body is not a JSON object');
  }
  try {
    if (operationName === 'PutEvents' && authorization) await authorizePutEvents(req, input, authorization);
    return json(200, operation(bridge, input));
  } catch (error) {
    if (error instanceof EventBridgeApiError) return awsError(error.status, error.errorType, error.message);
    return awsError(500, 'InternalException', `The local EventBridge failed: ${(error as Error).message}`);
  }
}

function handleFaults(bridge: LocalEventBridge, req: EdgeRequest): EdgeResponse {
  if (req.url.pathname.replace(/\/+$/, '') !== FAULTS_PATH) {
    return plainJson(404, { message: `No route ${req.method} ${req.url.pathname}. Try GET|POST|DELETE ${FAULTS_PATH}.` });
  }
  try {
    if (req.method === 'GET') return plainJson(200, { fault: bridge.putEventsFault ?? null });
    if (req.method === 'DELETE') {
      bridge.setPutEventsFault(undefined);
      return plainJson(200, { fault: null });
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      const text = req.body.toString('utf8').trim();
      let body: unknown;
      try {
        body = JSON.parse(text === '' ? '{}' : text);
      } catch {
        throw new InvalidPutEventsFaultError([`the body is not JSON: ${text.slice(0, 80)}`]);
      }
      bridge.setPutEventsFault(parsePutEventsFault(body));
      return plainJson(200, { fault: bridge.putEventsFault });
    }
    return plainJson(405, { message: `${req.method} is not allowed on ${FAULTS_PATH}: use GET, POST or DELETE` });
  } catch (error) {
    if (error instanceof InvalidPutEventsFaultError) return plainJson(400, { message: error.message, problems: error.problems });
    throw error;
  }
}

function startReplayInput(input: Record<string, unknown>): StartReplayInput {
  const destination = input.Destination as { Arn?: string; FilterArns?: string[] } | undefined;
  return {
    ...(typeof input.ReplayName === 'string' ? { ReplayName: input.ReplayName } : {}),
    ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
    ...(typeof input.EventSourceArn === 'string' ? { EventSourceArn: input.EventSourceArn } : {}),
    ...(input.EventStartTime !== undefined ? { EventStartTime: timestamp(input.EventStartTime) } : {}),
    ...(input.EventEndTime !== undefined ? { EventEndTime: timestamp(input.EventEndTime) } : {}),
    ...(destination ? { Destination: destination } : {}),
  };
}

/** JSON 1.1 timestamps are epoch seconds; ISO text is accepted too. */
function timestamp(value: unknown): Date {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') return /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return new Date(Number.NaN);
}

/** Dates become epoch seconds, as JSON 1.1 writes timestamps. */
function wire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(wire);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
  return value;
}

function json(status: number, body: unknown): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(wire(body)),
  };
}

function awsError(status: number, type: string, message: string): EdgeResponse {
  return json(status, { __type: type, message });
}

function plainJson(status: number, body: unknown): EdgeResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
