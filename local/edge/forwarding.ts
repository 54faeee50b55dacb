/**
 * Requests the edge hands on to an emulator as they came, and the emulator's answers as they came back (DynamoDB to
 * dynalite, Kinesis to kinesis-local): all but the headers of the connection, as each hop has its own.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { EmulatorRequest, EmulatorResponse } from '../shared/emulator-client';
import type { EdgeRequest, EdgeResponse } from './edge-server';

/** Connection-level headers: the hop to the emulator, and the one back to the client, have their own. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'expect', 'upgrade', 'http2-settings']);

/** The request as it goes on to an emulator: its method, path and query, headers and body. */
export function forwardedRequest(req: EdgeRequest): EmulatorRequest {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  return { method: req.method, path: `${req.url.pathname}${req.url.search}`, headers, body: req.body };
}

/** The emulator's answer as the edge gives it back: its status, headers and body. */
export function forwardedResponse(response: EmulatorResponse): EdgeResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: response.status, headers, body: response.body };
}
