/**
 * The console on a running runtime's edge: the page and its module, the server-sent events a page reads, and the
 * console's own routes (redrive, orders), on the hop fixture (a queue with a DLQ, a stream, three functions).
 */
import * as path from 'node:path';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalRuntime, type LocalRuntime } from '../../../../local/runtime';
import { eventually } from '../sqs/sqs-through-edge';

const ASSEMBLY = path.join(__dirname, '..', 'runtime', 'fixtures', 'hop-assembly');
const QUEUE = 'HopTest-WorkQueue7E8F9A0B';
const DLQ = 'HopTest-WorkDlq3A4B5C6D';

interface ServerSentEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Reads a server-sent event stream as it arrives, until `stop()`. */
function readEvents(url: string): { readonly received: ServerSentEvent[]; readonly status: Promise<{ status: number; type: string | null }>; stop(): void } {
  const received: ServerSentEvent[] = [];
  const abort = new AbortController();
  const status = fetch(url, { signal: abort.signal }).then(async (response) => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffered += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffered.indexOf('\n\n')) >= 0) {
            const frame = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event !== undefined && data !== undefined) received.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted
      }
    })();
    return { status: response.status, type: response.headers.get('content-type') };
  });
  return { received, status, stop: () => abort.abort() };
}

async function post(url: string, body: unknown): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
}

describe('the console on the edge', () => {
  let runtime: LocalRuntime;
  let sqs: SQSClient;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, log: () => undefined });
    sqs = new SQSClient({ endpoint: runtime.edgeUrl, region: 'us-east-1', credentials: runtime.credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    sqs.destroy();
    await runtime.stop();
  });

  it('serves the page, which loads its module and stylesheet from the console itself', async () => {
    // Act
    const page = await fetch(`${runtime.edgeUrl}/_local/console`);
    const html = await page.text();
    const module = await fetch(`${runtime.edgeUrl}/_local/console/console.js`);

    // Assess
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<script type="module" src="/_local/console/console.js">');
    expect(html).toContain('href="/_local/console/console.css"');
    expect(html).toContain('href="/_local/contracts/"');
    expect(module.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await module.text()).toContain("new EventSource(`${BASE}/events`)");
  });

  it('streams the facts, the orders so far, then a snapshot of the queues, streams and functions about once a second', async () => {
    // Act
    const stream = readEvents(`${runtime.edgeUrl}/_local/console/events`);
    const snapshots = await eventually(async () => {
      const found = stream.received.filter((e) => e.event === 'snapshot');
      return found.length >= 3 ? found : undefined;
    }, 10_000, 'three snapshots');
    stream.stop();

    // Assess
    expect(await stream.status).toEqual({ status: 200, type: 'text/event-stream' });
    expect(stream.received.slice(0, 2).map((e) => e.event)).toEqual(['hello', 'orders']);
    expect(stream.received[0].data).toEqual({ stackName: 'HopTest', edgeUrl: runtime.edgeUrl, timeScale: 1, apis: [], contractsPath: '/_local/contracts/' });
    const at = snapshots.map((s) => (s.data as { at: number }).at);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(900); // sampled, not pushed on every change
    const last = snapshots[2].data as { queues: { name: string; dlq: boolean; redrivesTo: string[] }[]; streams: { name: string }[]; functions: { label: string }[] };
    expect(last.queues.map(({ name, dlq, redrivesTo }) => ({ name, dlq, redrivesTo }))).toEqual(
      expect.arrayContaining([
        { name: DLQ, dlq: true, redrivesTo: [QUEUE] },
        { name: QUEUE, dlq: false, redrivesTo: [] },
      ]),
    );
    expect(last.streams.map((s) => s.name)).toEqual(['HopTest-EventLog6A7B8C9D']);
    expect(last.functions.map((f) => f.label).sort()).toEqual(['ProjectorFunction', 'ShipperFunction', 'WorkerFunction']);
  });

  it("redrives a DLQ's messages back to its source queue, where its consumer takes them", async () => {
    // Prepare
    const invocationsBefore = runtime.invocationCount('WorkerFunction');
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl(DLQ), MessageBody: 'parked' }));

    // Act
    const answer = await post(`${runtime.edgeUrl}/_local/console/redrive`, { queue: DLQ });

    // Assess
    expect(answer.body).toEqual({ queue: DLQ, taskHandle: expect.any(String) });
    await eventually(async () => (runtime.invocationCount('WorkerFunction') > invocationsBefore ? true : undefined), 10_000, 'the worker to take the redriven message');
    const { Attributes: attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: runtime.queueUrl(DLQ), AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attributes?.ApproximateNumberOfMessages).toBe('0');
  });

  it('answers problem+json for a queue that is no DLQ, and for orders on a stack without a public API', async () => {
    // Act
    const redrive = await post(`${runtime.edgeUrl}/_local/console/redrive`, { queue: QUEUE });
    const order = await post(`${runtime.edgeUrl}/_local/console/orders`, { mode: 'sync' });
    const badOrder = await post(`${runtime.edgeUrl}/_local/console/orders`, { mode: 'later' });

    // Assess
    expect(redrive).toEqual({
      status: 409,
      type: 'application/problem+json',
      body: { type: 'about:blank', title: `${QUEUE} cannot be redriven`, status: 409, detail: `No queue's RedrivePolicy names ${QUEUE}: its messages have no source queue to go back to` },
    });
    expect(order.status).toBe(501);
    expect(order.body.detail).toMatch(/^The stack has no output PublicApiUrl, UserPoolId, UserPoolClientId/);
    expect(badOrder).toMatchObject({ status: 400, type: 'application/problem+json', body: { detail: 'Send {"mode": "sync"} or {"mode": "async"}' } });
  });
});
