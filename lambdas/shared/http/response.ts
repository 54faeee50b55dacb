import type { APIGatewayProxyResult } from 'aws-lambda';

/** A proxy-integration response with a JSON body. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A proxy-integration response without a body (204). */
export function emptyResponse(statusCode: number): APIGatewayProxyResult {
  return { statusCode, headers: {}, body: '' };
}
