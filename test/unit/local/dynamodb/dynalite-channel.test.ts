import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { DynaliteChannel, DynaliteChannelClosedError, type ChannelAnswer, type ChannelRequest } from '../../../../local/dynamodb/dynalite-channel';
import type { EmulatorRequest } from '../../../../local/shared/emulator-client';

/** A request as the edge forwards one. */
function request(operation: string, body: object): EmulatorRequest {
  return { method: 'POST', path: '/', headers: { 'X-Amz-Target': `DynamoDB_20120810.${operation}` }, body: Buffer.from(JSON.stringify(body)) };
}

/** The worker's end, played here: collects the requests it is posted. */
function workerEnd(port: MessagePort): ChannelRequest[] {
  const received: ChannelRequest[] = [];
  port.on('message', (message: ChannelRequest) => received.push(message));
  return received;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('DynaliteChannel', () => {
  let here: MessagePort;
  let there: MessagePort;
  let channel: DynaliteChannel;
  beforeEach(() => {
    ({ port1: here, port2: there } = new MessageChannel());
    channel = new DynaliteChannel(here);
  });
  afterEach(() => {
    here.close();
    there.close();
  });

  it('posts the request as it is, and settles each call with the answer of its id, whatever their order', async () => {
    // Prepare
    const received = workerEnd(there);

    // Act
    const first = channel.send(request('GetItem', { TableName: 'products' }));
    const second = channel.send(request('PutItem', { TableName: 'orders' }));
    await until(() => received.length === 2);
    const [a, b] = received;
    there.postMessage({ id: b.id, status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode('{"__type":"x"}') } satisfies ChannelAnswer);
    there.postMessage({ id: a.id, status: 200, headers: { 'x-amz-crc32': '1' }, body: new TextEncoder().encode('{}') } satisfies ChannelAnswer);

    // Assess
    expect({ ...a, body: Buffer.from(a.body).toString('utf8') }).toEqual({
      id: a.id,
      method: 'POST',
      path: '/',
      headers: { 'X-Amz-Target': 'DynamoDB_20120810.GetItem' },
      body: '{"TableName":"products"}',
    });
    expect(a.id).not.toBe(b.id);
    const [one, two] = await Promise.all([first, second]);
    expect({ ...one, body: one.body.toString('utf8') }).toEqual({ status: 200, headers: { 'x-amz-crc32': '1' }, body: '{}' });
    expect({ ...two, body: two.body.toString('utf8') }).toEqual({ status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"__type":"x"}' });
    expect(Buffer.isBuffer(one.body)).toBe(true);
  });

  it('hands the worker a copy of the body, leaving the caller’s Buffer usable', async () => {
    // Prepare
    const received = workerEnd(there);
    const outgoing = request('GetItem', { TableName: 'products' });

    // Act
    void channel.send(outgoing).catch(() => undefined);
    await until(() => received.length === 1);

    // Assess
    expect(outgoing.body.toString('utf8')).toBe('{"TableName":"products"}');
    expect(received[0].body.byteLength).toBe(outgoing.body.length);
  });

  it('fails a call with what the request handler threw', async () => {
    // Prepare
    const received = workerEnd(there);
    const call = channel.send(request('GetItem', {}));
    await until(() => received.length === 1);

    // Act
    there.postMessage({ id: received[0].id, error: 'Cannot read properties of undefined' } satisfies ChannelAnswer);

    // Assess
    await expect(call).rejects.toThrow('Cannot read properties of undefined');
  });

  it('fails the calls under way and every later one when the worker’s end closes (its thread ended)', async () => {
    // Prepare
    const received = workerEnd(there);
    const underWay = channel.send(request('GetItem', {}));
    await until(() => received.length === 1);

    // Act
    there.close();

    // Assess
    await expect(underWay).rejects.toThrow(DynaliteChannelClosedError);
    await expect(underWay).rejects.toThrow("dynalite's worker thread closed its end of the line before it answered");
    await expect(channel.send(request('GetItem', {}))).rejects.toThrow(DynaliteChannelClosedError);
  });

  it('fails the calls under way with the reason it is closed with, once', async () => {
    // Prepare
    const underWay = channel.send(request('GetItem', {}));

    // Act
    channel.close("dynalite's worker thread exited (code 1) before it answered");
    channel.close('a second reason is ignored');

    // Assess
    await expect(underWay).rejects.toThrow("dynalite's worker thread exited (code 1) before it answered");
  });
});
