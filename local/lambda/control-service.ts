import { type EdgeRequest, type EdgeResponse, type EdgeService, jsonResponse } from '../edge/edge-server';
import { parseFault } from './function-fault';
import { InvalidFaultError, UnknownFunctionError } from './lambda-errors';
import { LambdaService } from './lambda-service';

const PREFIX = '/_local/';

/**
 * The runtime's own control API on the edge port, under `/_local/`:
 *
 * - `GET /_local/faults`: active faults by function logical id
 * - `POST /_local/faults/{function}` with `{"delayMs": 1500}`, `{"error": true}`, `{"percentage": 50, …}`: set a fault
 * - `DELETE /_local/faults/{function}`: clear it
 * - `GET /_local/functions`: every function with its pool (environments, busy, invocations, fault)
 *
 * `{function}` is a logical id, function name, short name (logical id without hash) or ARN. It answers any other
 * path under `/_local/` with 404, so the edge asks it after the services with paths of their own there. The edge
 * hands this service a POST, PUT or DELETE only with `content-type: application/json` (`request-guards.ts`).
 */
export function localControlService(lambda: LambdaService): EdgeService {
  return {
    name: 'local-control',
    matches: (req) => req.url.pathname.startsWith(PREFIX),
    handle: async (req) => handleControl(lambda, req),
  };
}

function handleControl(lambda: LambdaService, req: EdgeRequest): EdgeResponse {
  const segments = req.url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const [collection, ref, ...rest] = segments;
  try {
    if (collection === 'functions' && ref === undefined && req.method === 'GET') {
      return jsonResponse(200, { functions: lambda.summaries() });
    }
    if (collection === 'faults' && ref === undefined && req.method === 'GET') {
      return jsonResponse(200, { faults: lambda.faults() });
    }
    if (collection === 'faults' && ref !== undefined && rest.length === 0) {
      const logicalId = lambda.pool(ref).config.logicalId;
      if (req.method === 'POST' || req.method === 'PUT') {
        lambda.setFault(logicalId, parseFault(parseBody(req.body)));
        return jsonResponse(200, { function: logicalId, fault: lambda.faults()[logicalId] });
      }
      if (req.method === 'DELETE') {
        lambda.setFault(logicalId, undefined);
        return jsonResponse(200, { function: logicalId, fault: null });
      }
      if (req.method === 'GET') {
        return jsonResponse(200, { function: logicalId, fault: lambda.faults()[logicalId] ?? null });
      }
    }
    return jsonResponse(404, {
      message: `No route ${req.method} ${req.url.pathname}. Try GET /_local/faults, POST|DELETE /_local/faults/{function}, GET /_local/functions.`,
    });
  } catch (error) {
    if (error instanceof UnknownFunctionError) return jsonResponse(404, { message: error.message });
    if (error instanceof InvalidFaultError) return jsonResponse(400, { message: error.message, problems: error.problems });
    throw error;
  }
}

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new InvalidFaultError([`the body is not JSON: ${text.slice(0, 80)}`]);
  }
}
