import { request } from 'node:http';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { RestApiGateway } from '../../../../local/apigateway/rest-api-gateway';
import { readRestApis } from '../../../../local/apigateway/rest-api-model';
import { RestApiServer } from '../../../../local/apigateway/rest-api-server';
import { callerDirectory } from '../../../../local/iam/api-callers';
import { ServiceFunction } from '../../../../lib/patterns/service-function';
import { SyncApi } from '../../../../lib/patterns/sync-api';
import { HELLO, unbundledStacks } from '../../../infra/support/apps';
import { CONTEXT } from '../../../unit/local/apigateway/shop-template';

/** A GET of `path` sent as written: fetch would percent-encode a `"`, a client on the wire may not. */
function getRaw(url: string, path: string): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request({ hostname: target.hostname, port: target.port, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * A SyncApi's gateway responses as the stack synthesizes them, served by the local gateway: what a client gets for a
 * route that does not exist is what API Gateway would answer from the same template.
 */
describe("a SyncApi's 404 for an unknown route on the local gateway", () => {
  let server: RestApiServer;
  let url: string;

  beforeAll(async () => {
    const stack = unbundledStacks('NotFound')();
    const fn = new ServiceFunction(stack, 'Orders', { entry: HELLO, serviceName: 'orders' });
    const api = new SyncApi(stack, 'Api', { apiName: 'shop-not-found' });
    api.addRoute('POST', '/orders', fn);
    const template = Template.fromStack(stack).toJSON() as CfnTemplate;
    const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
    const [model] = readRestApis(template, new IntrinsicResolver(template, CONTEXT, physical), physical);
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
    // Act
    const response = await getRaw(url, path);

    // Assess
    expect(response.status).toBe(404);
    expect(response.contentType).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches GET on this path (an IAM route also answers this to an unsigned request).',
      code: 'MISSING_AUTHENTICATION_TOKEN',
      errors: [{ field: 'path', message: 'no route for GET on this path' }],
    });
  });
});
