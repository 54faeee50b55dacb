import '../support/quiet-env';
import { ConflictError } from '../../../lambdas/shared/errors';
import { apiHandler, jsonApiHandler } from '../../../lambdas/shared/http/api-handler';
import { jsonResponse } from '../../../lambdas/shared/http/response';
import { logger } from '../../../lambdas/shared/logger';
import { apiGatewayEvent, bodyOf, fieldsOf, jsonRequestEvent, lambdaContext, problemOf } from '../factories/api-gateway-event';

const echo = jsonApiHandler({ maxBodyBytes: 64 }, async (event) => jsonResponse(200, { received: event.body }));

afterEach(() => jest.restoreAllMocks());

describe('jsonApiHandler', () => {
  it('hands the route the parsed JSON body', async () => {
    const response = await echo(jsonRequestEvent('POST', '/echo', { a: 1 }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ received: { a: 1 } });
  });

  it('accepts a JSON media type with parameters, a +json suffix and a base64-encoded body', async () => {
    const event = {
      ...jsonRequestEvent('POST', '/echo', '', { 'Content-Type': 'application/merge-patch+json; charset=utf-8' }),
      body: Buffer.from('{"b":2}').toString('base64'),
      isBase64Encoded: true,
    };

    const response = await echo(event, lambdaContext());

    expect(bodyOf(response)).toEqual({ received: { b: 2 } });
  });

  it('rejects a request without a body with 400 naming body', async () => {
    const response = await echo(apiGatewayEvent({ httpMethod: 'POST', body: null }), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['body']);
  });

  it('rejects a body over the limit with 413 naming body, counting bytes not characters', async () => {
    // Prepare: 40 two-byte characters are 80 bytes, over the 64-byte limit
    const event = jsonRequestEvent('POST', '/echo', { text: 'é'.repeat(40) });

    // Act
    const response = await echo(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(413);
    expect(fieldsOf(response)).toEqual(['body']);
  });

  it('rejects a body that is not JSON with 415 naming Content-Type', async () => {
    const response = await echo(jsonRequestEvent('POST', '/echo', '<a/>', { 'content-type': 'application/xml' }), lambdaContext());

    expect(response.statusCode).toBe(415);
    expect(fieldsOf(response)).toEqual(['Content-Type']);
  });

  it('rejects malformed JSON with 400 naming body', async () => {
    const response = await echo(jsonRequestEvent('POST', '/echo', '{"customerId": '), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
  });
});

describe('jsonApiHandler with optionalBody', () => {
  const optional = jsonApiHandler({ maxBodyBytes: 64, optionalBody: true }, async (event) =>
    jsonResponse(200, { bodyGiven: event.body !== undefined, received: event.body ?? null }),
  );

  it.each([null, ''])('hands the route no body for a request whose body is %p, checking nothing', async (body) => {
    const response = await optional(apiGatewayEvent({ httpMethod: 'POST', body, headers: {} }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ bodyGiven: false, received: null });
  });

  it('parses and checks a body that is there', async () => {
    const parsed = await optional(jsonRequestEvent('POST', '/echo', { reason: 'r' }), lambdaContext());
    const notJson = await optional(jsonRequestEvent('POST', '/echo', '<a/>', { 'content-type': 'application/xml' }), lambdaContext());

    expect(bodyOf(parsed)).toEqual({ bodyGiven: true, received: { reason: 'r' } });
    expect(notJson.statusCode).toBe(415);
  });
});

describe('apiHandler', () => {
  it('answers a thrown ProblemError as its problem document', async () => {
    const handler = apiHandler(async () => {
      throw new ConflictError('taken', { errors: [{ field: 'orderId', message: 'taken' }] });
    });

    const response = await handler(apiGatewayEvent(), lambdaContext());

    expect(response.statusCode).toBe(409);
    expect(fieldsOf(response)).toEqual(['orderId']);
  });

  it('answers an unexpected error with a generic 500 and logs it with its stack', async () => {
    // Prepare
    const logged = jest.spyOn(logger, 'error');
    const handler = apiHandler(async () => {
      throw new TypeError('cannot read properties of undefined (secret internals)');
    });

    // Act
    const response = await handler(apiGatewayEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(problemOf(response).detail).toBe('The server could not complete the request.');
    expect(logged).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ stack: expect.stringContaining('secret internals') }));
  });

  it('adds the Lambda context to the logs of the invocation', async () => {
    const addContext = jest.spyOn(logger, 'addContext');
    const context = lambdaContext();

    await apiHandler(async () => jsonResponse(200, {}))(apiGatewayEvent(), context);

    expect(addContext).toHaveBeenCalledWith(context);
  });
});
