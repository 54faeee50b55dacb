import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  type ProblemError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';

/** Problem types are `${PROBLEM_TYPE_BASE}<slug>`; `.example` is reserved, so the URIs identify and never resolve. */
export const PROBLEM_TYPE_BASE = 'https://hybrid-shop.example/problems/';

/** An RFC 9457 problem details document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

/**
 * `Problem` as a schema: what the API documents say every 4xx and 5xx carries (`npm run contracts`). Open: API
 * Gateway's own problems add `code`. A function, so a bundle carries none of it.
 */
export function problemSchema(): z.ZodMiniType<Problem> {
  return z.object({
    type: z.string(),
    title: z.string(),
    status: z.int().check(z.minimum(400), z.maximum(599)),
    detail: z.string(),
    errors: z.optional(
      z.array(z.object({ field: z.string(), message: z.string(), available: z.optional(z.int().check(z.minimum(0))) })),
    ),
  });
}

/** The one place where errors become status codes. */
function statusOf(error: ProblemError): { status: number; title: string } {
  if (error instanceof ValidationError) return { status: 400, title: 'Bad Request' };
  if (error instanceof UnauthorizedError) return { status: 401, title: 'Unauthorized' };
  if (error instanceof ForbiddenError) return { status: 403, title: 'Forbidden' };
  if (error instanceof NotFoundError) return { status: 404, title: 'Not Found' };
  if (error instanceof ConflictError) return { status: 409, title: 'Conflict' };
  if (error instanceof PayloadTooLargeError) return { status: 413, title: 'Content Too Large' };
  if (error instanceof UnsupportedMediaTypeError) return { status: 415, title: 'Unsupported Media Type' };
  if (error instanceof UnprocessableError) return { status: 422, title: 'Unprocessable Content' };
  if (error instanceof ServiceUnavailableError) return { status: 503, title: 'Service Unavailable' };
  // A ProblemError subclass nobody mapped is our bug, not the client's.
  return { status: 500, title: 'Internal Server Error' };
}

const PROBLEM_HEADERS = { 'content-type': 'application/problem+json' };

/** Answer a known error as `application/problem+json`, with `Retry-After` on 503. */
export function problemResponse(error: ProblemError): APIGatewayProxyResult {
  const { status, title } = statusOf(error);
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${error.type}`,
    title,
    status,
    detail: error.message,
    ...(error.errors === undefined ? {} : { errors: error.errors }),
  };
  const headers: Record<string, string> =
    error instanceof ServiceUnavailableError
      ? { ...PROBLEM_HEADERS, 'retry-after': String(error.retryAfterSeconds) }
      : error instanceof UnauthorizedError
        ? // RFC 9110 §11.6.1: a 401 names the scheme to answer with, here a token in Authorization.
          { ...PROBLEM_HEADERS, 'www-authenticate': 'Bearer' }
        : PROBLEM_HEADERS;
  return { statusCode: status, headers, body: JSON.stringify(problem) };
}

/** Answer an unexpected error: a generic 500 that reveals nothing about the fault. */
export function internalErrorResponse(): APIGatewayProxyResult {
  const problem: Problem = {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The server could not complete the request.',
  };
  return { statusCode: 500, headers: PROBLEM_HEADERS, body: JSON.stringify(problem) };
}
