import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ProblemError, ServiceUnavailableError } from '../errors';
import { logger } from '../logger';
import { internalErrorResponse, problemResponse } from './problem-response';

/**
 * Answers every error a handler throws: a `ProblemError` as its problem document, anything else as a generic 500 —
 * logged with its stack, never shown to the client.
 */
export function problemResponses(): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    name: 'problemResponses',
    onError: (request) => {
      const { error } = request;
      if (error instanceof ProblemError) {
        if (error instanceof ServiceUnavailableError) {
          logger.warn('dependency unavailable', { detail: error.message, cause: describe(error.cause) });
        }
        request.response = problemResponse(error);
        return;
      }
      logger.error('unhandled error', error instanceof Error ? error : new Error(String(error)));
      request.response = internalErrorResponse();
    },
  };
}

function describe(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
