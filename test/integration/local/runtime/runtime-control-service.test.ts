import { EdgeServer } from '../../../../local/edge/edge-server';
import type { RuntimeCpuUsage } from '../../../../local/runtime/cpu-usage';
import { runtimeControlService, type RuntimeFacts } from '../../../../local/runtime/runtime-control-service';

describe('runtimeControlService', () => {
  let edge: EdgeServer;
  let url: string;
  let settled: Promise<void> = Promise.resolve();
  const cpu: RuntimeCpuUsage = { mainThreadMs: 1200.5, functionsMs: { OrdersPlaceOrderFunction: 340.25 }, dynamoDbMs: 150.5, sqsMs: 80, kinesisMs: 910 };
  const facts: RuntimeFacts = { stackName: 'HybridShop', region: 'us-east-1', timeScale: 0.05, edgeUrl: 'http://127.0.0.1:4566' };

  beforeAll(async () => {
    edge = new EdgeServer();
    edge.register(runtimeControlService({ facts, settled: () => settled, cpu: async () => cpu }));
    ({ url } = await edge.listen(0, '127.0.0.1'));
  });

  afterAll(() => edge.close());

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers the runtime’s facts', async () => {
    expect(await get('/_local/runtime')).toEqual({ status: 200, body: facts });
  });

  it('answers settled once the runtime has, and 504 when the timeout comes first', async () => {
    let finish!: () => void;
    settled = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const late = await get('/_local/settled?timeoutMs=50');
    const waiting = get('/_local/settled?timeoutMs=5000');
    setTimeout(finish, 50);
    expect(late).toEqual({ status: 504, body: { settled: false, message: 'still busy after 50 ms' } });
    expect(await waiting).toEqual({ status: 200, body: { settled: true } });
  });

  it('refuses a timeout it cannot honour', async () => {
    expect((await get('/_local/settled?timeoutMs=soon')).status).toBe(400);
  });

  it('answers the CPU each part of the runtime has used', async () => {
    expect(await get('/_local/cpu')).toEqual({ status: 200, body: cpu });
  });
});
