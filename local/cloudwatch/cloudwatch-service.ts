/**
 * CloudWatch on the edge, in both wire protocols its clients speak:
 * - AWS JSON 1.0, query-compatible (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`), what the AWS SDK for
 *   JavaScript v3 and recent botocore (AWS CLI v1.4x) speak: timestamps as epoch seconds; errors carry `__type` and
 *   the `x-amzn-query-error` header (`InvalidParameterValue;Sender`) the SDK reads for query compatibility. Bodies may
 *   be gzip-compressed (the SDK compresses large PutMetricData calls).
 * - query (`Action=…&Version=2010-08-01` form posts, XML answers), what the AWS CLI v2 of Debian 12 and older SDKs
 *   speak. Only requests that name CloudWatch's API version are taken, so SQS's query requests (`Version=2012-11-05`,
 *   or none) pass by.
 *
 * A client that chooses Smithy RPC v2 CBOR (`POST /service/GraniteServiceVersion20100801/operation/<Op>`) gets a 400
 * that says which protocols work: the local CloudWatch does not speak CBOR.
 *
 * Operations: see `CloudWatchApi`.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { type EdgeRequest, type EdgeResponse, type EdgeService, queryParams, targetOf } from '../edge/edge-server';
import type { AlarmEvaluator } from './alarm-evaluator';
import { CloudWatchApi, type ApiInput } from './cloudwatch-api';
import { CloudWatchApiError } from './cloudwatch-errors';
import { CLOUDWATCH_API_VERSION, parseQueryRequest, renderQueryError, renderQueryResponse } from './cloudwatch-query-protocol';
import type { MetricStore } from './metric-store';

export interface CloudWatchServiceOptions {
  readonly store: MetricStore;
  /** The alarms. @default - no alarms */
  readonly evaluator?: AlarmEvaluator;
  /** The edge's region and account, as the other services take them; the alarms' ARNs already hold them (`readAlarms`). */
  readonly region: string;
  readonly accountId: string;
  /** Epoch milliseconds now. @default Date.now */
  readonly clock?: () => number;
}

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const CBOR_PATH_PREFIX = '/service/GraniteServiceVersion20100801/operation/';

/** The request body, un-gzipped when the client compressed it. */
function bodyText(req: EdgeRequest): string {
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  return (encoding.includes('gzip') ? gunzipSync(req.body) : req.body).toString('utf8');
}

function isQueryRequest(req: EdgeRequest): boolean {
  if (targetOf(req) !== '') return false;
  const params = queryParams(req, () => bodyText(req));
  return params.get('Version') === CLOUDWATCH_API_VERSION && params.has('Action');
}

/** Timestamps as JSON 1.0 writes them (epoch seconds), maps as objects. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [k, toJson(v)]));
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

export function cloudWatchService(options: CloudWatchServiceOptions): EdgeService {
  const api = new CloudWatchApi({ store: options.store, ...(options.evaluator !== undefined ? { evaluator: options.evaluator } : {}), ...(options.clock ? { clock: options.clock } : {}) });

  const jsonError = (error: CloudWatchApiError, requestId: string): EdgeResponse => ({
    status: error.status,
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${error.code};${error.senderFault ? 'Sender' : 'Receiver'}`,
    },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  });

  const handleJson = (req: EdgeRequest): EdgeResponse => {
    const requestId = randomUUID();
    const operation = targetOf(req).slice(TARGET_PREFIX.length);
    let input: unknown;
    try {
      const text = bodyText(req).trim();
      input = JSON.parse(text === '' ? '{}' : text);
    } catch {
      input = undefined;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return jsonError(new CloudWatchApiError(400, 'SerializationException', 'SerializationException', 'The request body is not a JSON object'), requestId);
    }
    try {
      const output = api.call(operation, input as ApiInput);
      return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(toJson(output)) };
    } catch (error) {
      return jsonError(error instanceof CloudWatchApiError ? error : CloudWatchApiError.internal((error as Error).message), requestId);
    }
  };

  const handleQuery = (req: EdgeRequest): EdgeResponse => {
    const requestId = randomUUID();
    const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
    const { action, input } = parseQueryRequest(queryParams(req, () => bodyText(req)));
    try {
      return { status: 200, headers, body: renderQueryResponse(action, api.call(action, input), requestId) };
    } catch (error) {
      const failure = error instanceof CloudWatchApiError ? error : CloudWatchApiError.internal((error as Error).message);
      return { status: failure.status, headers, body: renderQueryError(failure.code, failure.message, failure.senderFault, requestId) };
    }
  };

  const refuseCbor = (req: EdgeRequest): EdgeResponse => ({
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-amzn-query-error': 'InvalidAction;Sender' },
    body:
      `The local CloudWatch does not speak Smithy RPC v2 CBOR (${req.url.pathname.slice(CBOR_PATH_PREFIX.length)}): ` +
      'configure the client for AWS JSON 1.0 (the AWS SDK for JavaScript v3, botocore) or the query protocol (AWS CLI v2).',
  });

  return {
    name: 'cloudwatch',
    matches: (req) => targetOf(req).startsWith(TARGET_PREFIX) || req.url.pathname.startsWith(CBOR_PATH_PREFIX) || isQueryRequest(req),
    handle: async (req) => {
      if (targetOf(req).startsWith(TARGET_PREFIX)) return handleJson(req);
      if (req.url.pathname.startsWith(CBOR_PATH_PREFIX)) return refuseCbor(req);
      return handleQuery(req);
    },
  };
}
