import { CircuitBreaker } from '../../../../lambdas/orders/domain/circuit-breaker';
import { InventoryClient, InventoryContractError, type InventoryClientOptions } from '../../../../lambdas/orders/adapters/inventory-client';
import { ConflictError, ServiceUnavailableError, UnprocessableError } from '../../../../lambdas/shared/errors';

const ORDER_ID = '3f1c2a9e-5b7d-4c8e-9f00-112233445566';
const LINES = [
  { sku: 'SKU-0001', quantity: 2 },
  { sku: 'SKU-0004', quantity: 5 },
];

type FetchCall = { url: string; init: RequestInit };
type Reply = (init: RequestInit) => Promise<Response>;

/** A fetch that records each call and answers with the next scripted reply (the last one repeats). */
function fakeFetch(...replies: Reply[]) {
  const calls: FetchCall[] = [];
  const fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    if (reply === undefined) throw new Error('fakeFetch: no reply scripted');
    return reply(init ?? {});
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
/** Never answers; rejects when the request's signal aborts (the timeout), as fetch does. */
const hang = async (init: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
  });
const networkError = async (): Promise<Response> => {
  throw new TypeError('fetch failed');
};

const reserved = json(201, { orderId: ORDER_ID, lines: LINES, status: 'RESERVED', createdAt: '2024-05-01T12:00:00.000Z' });

function clientWith(fetch: typeof globalThis.fetch, overrides: Partial<InventoryClientOptions> = {}) {
  const breaker = overrides.breaker ?? new CircuitBreaker({ failureThreshold: 5, windowMs: 10_000, openMs: 5_000 });
  const waits: number[] = [];
  const client = new InventoryClient({
    baseUrl: new URL('https://abc123.execute-api.us-east-1.amazonaws.com/prod/'),
    region: 'us-east-1',
    timeoutMs: 30,
    breaker,
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' }),
    fetch,
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
    traceHeader: () => 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    ...overrides,
  });
  return { client, breaker, waits };
}

const headersOf = (call: FetchCall | undefined) => (call?.init.headers ?? {}) as Record<string, string>;

afterEach(() => jest.restoreAllMocks());

describe('InventoryClient.reserve', () => {
  it('POSTs the reservation to {base}reservations, SigV4-signed for execute-api, with the trace header', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch(reserved);
    const { client } = clientWith(fetch);

    // Act
    await client.reserve(ORDER_ID, LINES);

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://abc123.execute-api.us-east-1.amazonaws.com/prod/reservations');
    expect(calls[0]?.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ orderId: ORDER_ID, lines: LINES });
    const headers = headersOf(calls[0]);
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/);
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-amz-security-token']).toBe('session-token');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-amzn-trace-id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    expect(headers.host).toBeUndefined();
  });

  it('accepts 200, the stored reservation of a replay', async () => {
    const { fetch } = fakeFetch(json(200, { orderId: ORDER_ID, lines: LINES, status: 'RESERVED' }));

    await expect(clientWith(fetch).client.reserve(ORDER_ID, LINES)).resolves.toBeUndefined();
  });

  it('passes on a 409 out-of-stock as a conflict naming the short line, without retrying', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch(
      json(409, {
        type: 'https://hybrid-shop.example/problems/out-of-stock',
        status: 409,
        errors: [{ field: 'lines[1].sku', message: 'only 1 available', available: 1 }],
      }),
    );

    // Act
    const outcome = clientWith(fetch).client.reserve(ORDER_ID, LINES);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ConflictError);
    await expect(outcome).rejects.toMatchObject({
      type: 'out-of-stock',
      errors: [{ field: 'lines[1].sku', message: 'only 1 available', available: 1 }],
    });
    expect(calls).toHaveLength(1);
  });

  it('passes on a 422 unknown sku naming the line', async () => {
    const { fetch } = fakeFetch(json(422, { status: 422, errors: [{ field: 'lines[0].sku', message: 'is not stocked' }] }));

    await expect(clientWith(fetch).client.reserve(ORDER_ID, LINES)).rejects.toEqual(
      expect.objectContaining({ constructor: UnprocessableError, errors: [{ field: 'lines[0].sku', message: 'is not stocked' }] }),
    );
  });

  it.each([400, 403, 404])('does not retry a %i and treats it as a contract error, not an outage', async (status) => {
    const { fetch, calls } = fakeFetch(json(status, { status }));
    const { client, breaker } = clientWith(fetch, {
      breaker: new CircuitBreaker({ failureThreshold: 1, windowMs: 10_000, openMs: 5_000 }),
    });

    await expect(client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(InventoryContractError);
    expect(calls).toHaveLength(1);
    expect(breaker.state).toBe('CLOSED');
  });

  it('treats a 409 that names the orderId as a contract error', async () => {
    const { fetch } = fakeFetch(json(409, { status: 409, errors: [{ field: 'orderId', message: 'reserved with other lines' }] }));

    await expect(clientWith(fetch).client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(InventoryContractError);
  });

  it('times out an attempt after timeoutMs, retries once after a jittered wait, then answers 503 with Retry-After', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch(hang);
    const { client, waits } = clientWith(fetch);
    const timeouts = jest.spyOn(AbortSignal, 'timeout');

    // Act
    const outcome = await client.reserve(ORDER_ID, LINES).catch((error: unknown) => error);

    // Assess: each attempt carried a signal that aborts after timeoutMs (30), and was given up when it fired
    expect(calls).toHaveLength(2);
    expect(timeouts.mock.calls).toEqual([[30], [30]]);
    expect(calls.map((call) => call.init.signal)).toEqual(timeouts.mock.results.map((result) => result.value));
    expect(calls.map((call) => (call.init.signal?.reason as Error | undefined)?.name)).toEqual(['TimeoutError', 'TimeoutError']);
    expect(waits).toEqual([50]);
    expect(outcome).toBeInstanceOf(ServiceUnavailableError);
    expect(outcome).toMatchObject({ type: 'inventory-unavailable', retryAfterSeconds: 1 });
  });

  it('retries once after a timeout and succeeds when the retry is answered', async () => {
    const { fetch, calls } = fakeFetch(hang, reserved);

    await expect(clientWith(fetch).client.reserve(ORDER_ID, LINES)).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['a network error', networkError],
    ['a 500', json(500, { message: 'Internal server error' })],
    ['a 502', json(502, { message: 'Bad gateway' })],
    ['a 429', json(429, { message: 'Too many requests' })],
  ])('retries %s once, then answers 503', async (_case, reply) => {
    const { fetch, calls } = fakeFetch(reply);

    await expect(clientWith(fetch).client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(calls).toHaveLength(2);
  });

  it('counts a call with its retry as one failure of the breaker', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch(json(503, {}));
    const { client, breaker } = clientWith(fetch, {
      breaker: new CircuitBreaker({ failureThreshold: 2, windowMs: 10_000, openMs: 5_000 }),
    });

    // Act + Assess: two calls, four attempts, then the breaker is open
    await expect(client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(breaker.state).toBe('CLOSED');
    await expect(client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(breaker.state).toBe('OPEN');
    expect(calls).toHaveLength(4);
  });

  it('does not count out-of-stock answers against the breaker', async () => {
    const { fetch } = fakeFetch(json(409, { errors: [{ field: 'lines[0].sku', message: 'only 0 available', available: 0 }] }));
    const { client, breaker } = clientWith(fetch, {
      breaker: new CircuitBreaker({ failureThreshold: 1, windowMs: 10_000, openMs: 5_000 }),
    });

    await expect(client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(ConflictError);
    expect(breaker.state).toBe('CLOSED');
  });

  it('answers 503 circuit-open without calling inventory while the breaker is open', async () => {
    // Prepare
    const { fetch, calls } = fakeFetch(networkError);
    const { client } = clientWith(fetch, {
      breaker: new CircuitBreaker({ failureThreshold: 1, windowMs: 10_000, openMs: 4_200 }),
    });
    await expect(client.reserve(ORDER_ID, LINES)).rejects.toBeInstanceOf(ServiceUnavailableError);
    const callsBefore = calls.length;

    // Act
    const outcome = await client.reserve(ORDER_ID, LINES).catch((error: unknown) => error);

    // Assess
    expect(calls).toHaveLength(callsBefore);
    expect(outcome).toBeInstanceOf(ServiceUnavailableError);
    expect(outcome).toMatchObject({ type: 'circuit-open', retryAfterSeconds: 5 });
  });
});
