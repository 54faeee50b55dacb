import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlApiError, httpControls } from '../../../e2e/support/shop-controls';

interface Call {
  readonly method: string;
  readonly url: string;
  readonly contentType?: string;
  readonly body: string;
}

/** A fake of the local runtime's control API (`/_local/`), recording every call; `functions` is what it lists. */
async function controlApi(functions: () => { logicalId: string; busy: number; invocations: number }[]): Promise<{ url: string; calls: Call[]; server: Server }> {
  const calls: Call[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls.push({ method: String(req.method), url: String(req.url), contentType: req.headers['content-type'], body });
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url === '/_local/functions') return json(200, { functions: functions() });
      if (req.url === '/_local/faults') return json(200, { faults: {} });
      if (req.url === '/_local/faults/Unknown') return json(404, { message: 'No function Unknown' });
      if (req.url?.startsWith('/_local/faults/')) return json(200, { function: 'InventoryCreateReservationFunction409ADCE1', fault: null });
      if (req.url === '/_local/eventbridge/faults') return json(200, { fault: null });
      return json(404, { message: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/_local`, calls, server };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('httpControls', () => {
  it('sets and clears function and PutEvents faults through the control API, every call as JSON', async () => {
    const api = await controlApi(() => []);
    server = api.server;
    const controls = httpControls(api.url);

    await controls.setFault('InventoryCreateReservation', { delayMs: 1500 });
    await controls.setFault('InventoryCreateReservation', undefined);
    await controls.putEventsFault({ failEntries: 1, requests: 1 });
    await controls.putEventsFault(undefined);

    expect(api.calls).toEqual([
      { method: 'POST', url: '/_local/faults/InventoryCreateReservation', contentType: 'application/json', body: '{"delayMs":1500}' },
      { method: 'DELETE', url: '/_local/faults/InventoryCreateReservation', contentType: 'application/json', body: '' },
      { method: 'POST', url: '/_local/eventbridge/faults', contentType: 'application/json', body: '{"failEntries":1,"requests":1}' },
      { method: 'DELETE', url: '/_local/eventbridge/faults', contentType: 'application/json', body: '' },
    ]);
  });

  it("counts a function's invocations by the logical id the runtime resolves its reference to", async () => {
    const api = await controlApi(() => [
      { logicalId: 'OrdersPlaceOrderFunctionCAB73BD9', busy: 0, invocations: 9 },
      { logicalId: 'InventoryCreateReservationFunction409ADCE1', busy: 0, invocations: 4 },
    ]);
    server = api.server;

    await expect(httpControls(api.url).invocationCount('InventoryCreateReservation')).resolves.toBe(4);
  });

  it('passes on what the control API refuses, with its answer', async () => {
    const api = await controlApi(() => []);
    server = api.server;

    await expect(httpControls(api.url).setFault('Unknown', { error: true })).rejects.toThrow(/POST .*\/_local\/faults\/Unknown answered 404: .*No function Unknown/);
  });

  it('settles once no function is busy and no invocation arrives for the quiet period', async () => {
    let polls = 0;
    const api = await controlApi(() => {
      polls++;
      return [{ logicalId: 'F', busy: polls < 3 ? 1 : 0, invocations: Math.min(polls, 4) }];
    });
    server = api.server;

    await httpControls(api.url, { quietMs: 300 }).eventsSettled();

    expect(polls).toBeGreaterThanOrEqual(5);
  });

  it('says the control API does not answer, naming its URL, when nothing listens', async () => {
    const api = await controlApi(() => []);
    await new Promise<void>((resolve) => api.server.close(() => resolve()));

    const check = httpControls(api.url).check();

    await expect(check).rejects.toThrow(ControlApiError);
    await expect(check).rejects.toThrow(/control API at http:\/\/127.0.0.1:\d+\/_local\/faults does not answer \(ECONNREFUSED\): is `npm start` running/);
  });
});
