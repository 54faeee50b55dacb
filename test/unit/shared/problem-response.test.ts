import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../lambdas/shared/errors';
import { internalErrorResponse, PROBLEM_TYPE_BASE, problemResponse } from '../../../lambdas/shared/http/problem-response';
import { problemOf } from '../factories/api-gateway-event';

describe('problemResponse', () => {
  it.each([
    [new ValidationError('bad'), 400, 'validation-error'],
    [new UnauthorizedError('who'), 401, 'unauthorized'],
    [new ForbiddenError('not you'), 403, 'forbidden'],
    [new NotFoundError('none'), 404, 'not-found'],
    [new ConflictError('taken'), 409, 'conflict'],
    [new PayloadTooLargeError('big'), 413, 'payload-too-large'],
    [new UnsupportedMediaTypeError('xml'), 415, 'unsupported-media-type'],
    [new UnprocessableError('unknown'), 422, 'unprocessable'],
    [new ServiceUnavailableError('down', { retryAfterSeconds: 1 }), 503, 'service-unavailable'],
  ])('answers %p with status %i and its problem type', (error, status, slug) => {
    // Act
    const response = problemResponse(error);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(problemOf(response)).toMatchObject({ type: `${PROBLEM_TYPE_BASE}${slug}`, status, detail: error.message });
  });

  it('names the scheme to answer a 401 with (WWW-Authenticate), and only on a 401', () => {
    expect(problemResponse(new UnauthorizedError('who')).headers).toMatchObject({ 'www-authenticate': 'Bearer' });
    expect(problemResponse(new ForbiddenError('not you')).headers).not.toHaveProperty('www-authenticate');
  });

  it('carries the named fields and a custom problem type', () => {
    const error = new ConflictError('no stock', {
      type: 'out-of-stock',
      errors: [{ field: 'lines[1].sku', message: 'only 1 available', available: 1 }],
    });

    expect(problemOf(problemResponse(error))).toEqual({
      type: `${PROBLEM_TYPE_BASE}out-of-stock`,
      title: 'Conflict',
      status: 409,
      detail: 'no stock',
      errors: [{ field: 'lines[1].sku', message: 'only 1 available', available: 1 }],
    });
  });

  it('sends Retry-After in whole seconds, at least one, on 503', () => {
    expect(problemResponse(new ServiceUnavailableError('down', { retryAfterSeconds: 2.2 })).headers?.['retry-after']).toBe('3');
    expect(problemResponse(new ServiceUnavailableError('down', { retryAfterSeconds: 0.01 })).headers?.['retry-after']).toBe('1');
  });
});

describe('internalErrorResponse', () => {
  it('answers 500 with a generic problem that reveals nothing', () => {
    const response = internalErrorResponse();

    expect(response.statusCode).toBe(500);
    expect(problemOf(response)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The server could not complete the request.',
    });
  });
});
