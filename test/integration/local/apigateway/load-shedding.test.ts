import { RestApiGateway } from '../../../../local/apigateway/rest-api-gateway';
import { RestApiServer } from '../../../../local/apigateway/rest-api-server';
import { callerDirectory } from '../../../../local/iam/api-callers';
import { FunctionPool, type InvocationReport } from '../../../../local/lambda/function-pool';
import { SHED_RETRY_AFTER_SECONDS } from '../../../../lib/patterns/sync-api';
import { functionConfig } from '../../../unit/local/lambda/function-config-factory';
import { syncApiModel } from './sync-api-model';

/**
 * The shed end to end: a SyncApi as the stack synthesizes it (its gateway responses included), served by the local
 * gateway, in front of a function the machine runs one invocation of at a time.
 */
describe('a SyncApi whose function is at its concurrency', () => {
  let server: RestApiServer;
  let pool: FunctionPool;
  let url: string;
  const invocations: InvocationReport[] = [];

  beforeAll(async () => {
    const model = syncApiModel('Shed', 'shop-shed');

    pool = new FunctionPool(functionConfig({ handler: 'index.slowProxy' }), { maxEnvironments: 1, onInvocation: (r) => invocations.push(r) });
    await pool.invoke({ body: '{"sleepMs":0}' }); // warm: the one environment exists
    const gateway = new RestApiGateway({ model, callers: callerDirectory([]), region: 'us-east-1', accountId: '000000000000', invoker: { invoke: (_ref, event, options) => pool.invoke(event, options) } });
    server = new RestApiServer(gateway);
    url = (await server.listen(0)).url;
  });
  afterAll(async () => {
    await server?.close();
    await pool?.stop();
  });

  const order = (sleepMs: number) => fetch(`${url}/prod/orders`, { method: 'POST', body: JSON.stringify({ sleepMs }) });

  it('answers the requests it cannot run 503 with Retry-After at once, while the one it runs is still running', async () => {
    // Prepare: the only environment is busy for 2.5 s (within the function's 3 s timeout, which the others used to wait)
    const answered: string[] = [];
    const running = order(2_500).then(async (response) => {
      answered.push('running');
      return response;
    });
    await new Promise<void>((resolve) => {
      const check = () => (pool.busyCount === 1 ? resolve() : setImmediate(check));
      check();
    });

    // Act
    const shed = await Promise.all(
      [1, 2, 3].map(async () => {
        const response = await order(0);
        answered.push('shed');
        return { status: response.status, retryAfter: response.headers.get('retry-after'), type: response.headers.get('content-type'), body: await response.json() };
      }),
    );

    // Assess: all three were answered before the running one ended, as a problem the client may retry
    expect(answered).toEqual(['shed', 'shed', 'shed']);
    for (const response of shed) {
      expect(response).toEqual({
        status: 503,
        retryAfter: String(SHED_RETRY_AFTER_SECONDS),
        type: 'application/problem+json',
        body: expect.objectContaining({ title: 'Service Unavailable', status: 503, code: 'INTEGRATION_FAILURE' }),
      });
    }
    expect(invocations.filter((r) => r.outcome === 'throttled')).toHaveLength(3);
    expect((await running).status).toBe(201);
    expect(answered).toEqual(['shed', 'shed', 'shed', 'running']);
  });
});
