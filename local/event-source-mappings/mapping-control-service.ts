/**
 * Pausing a consumer from outside, on the edge: what `aws lambda update-event-source-mapping --no-enabled` does.
 *
 * - `GET /_local/event-source-mappings`: every running mapping, and whether it polls
 * - `POST /_local/event-source-mappings/{mapping}` with `{"enabled": false}` (or `true`): stop or resume polling
 *
 * `{mapping}` is the mapping's logical id, its function's short name or its queue's name. Only SQS mappings can be
 * paused (a paused Kinesis consumer would need its checkpoint kept).
 */
import { type EdgeRequest, type EdgeResponse, type EdgeService, jsonResponse } from '../edge/edge-server';
import { MappingControlError, type RunningEventSourceMappings } from './event-source-mappings';

const PREFIX = '/_local/event-source-mappings';

export function mappingControlService(mappings: RunningEventSourceMappings): EdgeService {
  return {
    name: 'event-source-mapping-control',
    matches: (req) => req.url.pathname === PREFIX || req.url.pathname.startsWith(`${PREFIX}/`),
    handle: async (req) => {
      try {
        return await handle(mappings, req);
      } catch (error) {
        if (error instanceof MappingControlError) return jsonResponse(404, { message: error.message });
        throw error;
      }
    },
  };
}

async function handle(running: RunningEventSourceMappings, req: EdgeRequest): Promise<EdgeResponse> {
  const ref = decodeURIComponent(req.url.pathname.slice(PREFIX.length + 1));
  if (ref === '' && req.method === 'GET') {
    return jsonResponse(200, {
      mappings: running.sources.map(({ config }) => ({
        logicalId: config.logicalId,
        source: config.kind === 'sqs' ? config.queueName : config.streamName,
        enabled: running.isEnabled(config.logicalId),
      })),
    });
  }
  if (ref !== '' && (req.method === 'POST' || req.method === 'PUT')) {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      body = undefined;
    }
    const enabled = (body as { enabled?: unknown } | undefined)?.enabled;
    if (typeof enabled !== 'boolean') return jsonResponse(400, { message: 'Send {"enabled": false} to pause the mapping, {"enabled": true} to resume it.' });
    await running.setEnabled(ref, enabled);
    return jsonResponse(200, { mapping: ref, enabled: running.isEnabled(ref) });
  }
  return jsonResponse(404, { message: `No route ${req.method} ${req.url.pathname}. Try GET ${PREFIX}, POST ${PREFIX}/{mapping} {"enabled": false}.` });
}
