import type { APIGatewayProxyEvent } from 'aws-lambda';
import { headerValue } from './request';

const CORRELATION_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * The correlation id of a request: the client's `X-Correlation-Id` when it is 1..128 visible ASCII characters,
 * otherwise API Gateway's request id. Every event about the order carries it.
 */
export function correlationIdOf(event: Pick<APIGatewayProxyEvent, 'headers' | 'requestContext'>): string {
  const given = headerValue(event, 'x-correlation-id');
  return given !== undefined && CORRELATION_ID_PATTERN.test(given) ? given : event.requestContext.requestId;
}
