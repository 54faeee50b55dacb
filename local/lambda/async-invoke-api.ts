/**
 * Lambda's Invoke API on the edge (`POST /2015-03-31/functions/{FunctionName}/invocations`), so the SDK and the CLI
 * can call the local functions, synchronously or asynchronously:
 *
 * - `X-Amz-Invocation-Type: RequestResponse` (the default): runs the function and answers 200 with its result, or
 *   200 with `X-Amz-Function-Error: Unhandled` and the error payload; 429 when it is throttled.
 * - `Event`: hands the payload to the asynchronous invoker (retries, destinations) and answers 202 at once.
 * - `DryRun`: checks the function exists and answers 204.
 *
 * `FunctionName` is a name, an ARN (a `Qualifier` or `:$LATEST` is accepted and ignored: only $LATEST runs locally)
 * or anything `LambdaService.pool` finds. `X-Amz-Log-Type: Tail` is not honoured (no `X-Amz-Log-Result`): the
 * function's log lines are in the runtime's output.
 */
import { randomUUID } from 'node:crypto';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../edge/edge-server';
import type { AsyncFunctions, AsyncInvoker } from './async-invoker';
import { TooManyRequestsError, UnknownFunctionError } from './lambda-errors';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];

/** What the Invoke API calls. */
export interface InvokeApiBackend {
  readonly functions: AsyncFunctions;
  readonly invoker: Pick<AsyncInvoker, 'invokeAsync'>;
}

export function lambdaInvokeEdgeService(backend: InvokeApiBackend): EdgeService {
  return {
    name: 'lambda-invoke',
    matches: (req) => req.method === 'POST' && INVOKE_PATH.test(req.url.pathname),
    handle: (req) => invoke(backend, req),
  };
}

async function invoke(backend: InvokeApiBackend, req: EdgeRequest): Promise<EdgeResponse> {
  const functionName = decodeURIComponent(INVOKE_PATH.exec(req.url.pathname)?.[1] ?? '');
  const typeHeader = req.headers['x-amz-invocation-type'];
  const invocationType = typeof typeHeader === 'string' && typeHeader !== '' ? typeHeader : 'RequestResponse';
  if (!INVOCATION_TYPES.includes(invocationType)) {
    return lambdaError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const text = req.body.toString('utf8');
  let payload: unknown = null;
  if (text.trim() !== '') {
    try {
      payload = JSON.parse(text);
    } catch (error) {
      return lambdaError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`);
    }
  }
  try {
    const fn = backend.functions.identify(functionName);
    if (invocationType === 'DryRun') return { status: 204, headers: { 'x-amzn-requestid': randomUUID() } };
    if (invocationType === 'Event') {
      const { requestId } = backend.invoker.invokeAsync(fn.arn, payload);
      return { status: 202, headers: { 'x-amzn-requestid': requestId } };
    }
    const result = await backend.functions.invoke(fn.arn, payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': result.requestId,
      'x-amz-executed-version': '$LATEST',
    };
    if (result.ok) return { status: 200, headers, body: result.payload };
    return { status: 200, headers: { ...headers, 'x-amz-function-error': 'Unhandled' }, body: JSON.stringify(result.error) };
  } catch (error) {
    if (error instanceof UnknownFunctionError) return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
    if (error instanceof TooManyRequestsError) {
      return lambdaError(429, 'TooManyRequestsException', error.message, { Reason: error.reason });
    }
    throw error;
  }
}

/** Lambda's REST-JSON error: the type in `x-amzn-ErrorType`, `{ Type, message }` in the body. */
function lambdaError(status: number, type: string, message: string, extra: Record<string, string> = {}): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message, ...extra }),
  };
}
