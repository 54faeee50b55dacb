import { request, type IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { RestApiGateway } from '../../../../local/apigateway/rest-api-gateway';
import { RestApiServer } from '../../../../local/apigateway/rest-api-server';
import { callerDirectory } from '../../../../local/iam/api-callers';
import { syncApiModel } from './sync-api-model';

/**
 * A SyncApi's gateway responses as the stack synthesizes them, served by the local gateway: what a client gets for a
 * route that does not exist is what API Gateway would answer from the same template.
 */
describe("a SyncApi's 404 for an unknown route on the local gateway", () => {
  let server: RestApiServer;
  let url: string;

  beforeAll(async () => {
    const model = syncApiModel('NotFound', 'shop-not-found');
    const invoker = { invoke: () => Promise.reject(new Error('no route of this test reaches a function')) };
    server = new RestApiServer(new RestApiGateway({ model, callers: callerDirectory([]), region: 'us-east-1', accountId: '000000000000', invoker }));
    url = (await server.listen(0)).url;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['a path holding a raw double quote and backslash', '/prod/orders/a"b\\c'],
    ['a path holding them percent-encoded', '/prod/orders/a%22b%5Cc'],
    ['a plain unknown path', '/prod/nowhere'],
  ])('answers %s with a 404 problem document that parses as JSON', async (_case, path) => {
    // Act: the path sent as written (fetch would percent-encode a `"`; a client on the wire may not)
    const target = new URL(url);
    const response = await new Promise<IncomingMessage>((resolve, reject) => request({ hostname: target.hostname, port: target.port, path }, resolve).on('error', reject).end());
    const body = await text(response);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(body)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches GET on this path (an IAM route also answers this to an unsigned request).',
      code: 'MISSING_AUTHENTICATION_TOKEN',
      errors: [{ field: 'path', message: 'no route for GET on this path' }],
    });
  });
});
