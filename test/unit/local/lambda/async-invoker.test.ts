import type { AsyncInvokeConfig } from '../../../../local/lambda/async-invoke-config';
import { AsyncInvoker, type AsyncDestinations, type AsyncFunctions, type AsyncReport, type InvocationRecord } from '../../../../local/lambda/async-invoker';
import { formatAsyncReport } from '../../../../local/lambda/async-trace-lines';
import type { InvocationResult } from '../../../../local/lambda/function-pool';
import { TooManyRequestsError, UnknownFunctionError } from '../../../../local/lambda/lambda-errors';

const SHIPPING_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-ShipmentHandler';
const AUDIT_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-Audit';
const FAILURES_QUEUE = 'arn:aws:sqs:us-east-1:000000000000:HybridShop-ShippingFailures';
const SUCCESS_QUEUE = 'arn:aws:sqs:us-east-1:000000000000:HybridShop-ShippingDone';
const BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/HybridShop-bus';

type Outcome = 'ok' | 'error' | 'throttle';

/** Functions whose invocations follow a script (`ok`, `error`, `throttle`), then succeed. */
class ScriptedFunctions implements AsyncFunctions {
  public readonly calls: { ref: string; event: unknown; requestId?: string }[] = [];
  private readonly scripts = new Map<string, Outcome[]>();

  public script(arn: string, ...outcomes: Outcome[]): this {
    this.scripts.set(arn, outcomes);
    return this;
  }

  public identify(ref: string) {
    const name = ref.split(':')[6];
    if (!name) throw new UnknownFunctionError(ref, []);
    return { logicalId: `${name}Fn`, shortName: name.replace('HybridShop-', ''), functionName: name, arn: ref, concurrencyLimit: 2 };
  }

  public async invoke(ref: string, event: unknown, options: { requestId?: string } = {}): Promise<InvocationResult> {
    const outcome = this.scripts.get(ref)?.shift() ?? 'ok';
    if (outcome === 'throttle') throw new TooManyRequestsError(ref, 2);
    this.calls.push({ ref, event, ...(options.requestId ? { requestId: options.requestId } : {}) });
    const requestId = options.requestId ?? 'r';
    if (outcome === 'ok') return { ok: true, requestId, payload: JSON.stringify({ shipped: true }), durationMs: 1 };
    return { ok: false, requestId, error: { errorType: 'ShippingError', errorMessage: 'carrier down', trace: ['at ship'] }, durationMs: 1 };
  }
}

class RecordingDestinations implements AsyncDestinations {
  public readonly messages: { queueArn: string; body: string; attributes?: Readonly<Record<string, string>> }[] = [];
  public readonly events: { busArn: string; entry: { Source: string; DetailType: string; Detail: string; Resources: string[] } }[] = [];

  public async sendMessage(queueArn: string, body: string, attributes?: Readonly<Record<string, string>>): Promise<void> {
    this.messages.push({ queueArn, body, ...(attributes ? { attributes } : {}) });
  }

  public async putEvent(busArn: string, entry: { Source: string; DetailType: string; Detail: string; Resources: string[] }): Promise<void> {
    this.events.push({ busArn, entry });
  }
}

const invokers: AsyncInvoker[] = [];
afterEach(() => {
  for (const invoker of invokers.splice(0)) invoker.stop();
});

function invokerWith(functions: ScriptedFunctions, destinations: RecordingDestinations, config?: AsyncInvokeConfig, extra: { now?: () => number; reports?: AsyncReport[] } = {}) {
  const invoker = new AsyncInvoker({
    functions,
    destinations,
    configs: new Map(config ? [['HybridShop-ShipmentHandlerFn', config]] : []),
    timing: { retryBaseDelayMs: 1, throttleBaseDelayMs: 1, throttleMaxDelayMs: 2 },
    ...(extra.reports ? { onReport: (report: AsyncReport) => extra.reports?.push(report) } : {}),
    ...(extra.now ? { now: extra.now } : {}),
  });
  invokers.push(invoker);
  return invoker;
}

describe('AsyncInvoker', () => {
  it('accepts the event at once and invokes the function later', async () => {
    // Prepare
    const functions = new ScriptedFunctions();
    const invoker = invokerWith(functions, new RecordingDestinations());

    // Act
    const { requestId } = invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-1' });
    const before = functions.calls.length;
    await invoker.settled();

    // Assess
    expect(before).toBe(0);
    expect(functions.calls).toEqual([{ ref: SHIPPING_ARN, event: { orderId: 'o-1' }, requestId }]);
  });

  it('throws UnknownFunctionError for a function the runtime does not have', () => {
    expect(() => invokerWith(new ScriptedFunctions(), new RecordingDestinations()).invokeAsync('nope', {})).toThrow(UnknownFunctionError);
  });

  it('retries a function error twice by default, with the same request id', async () => {
    // Prepare
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'error', 'error', 'error', 'error');
    const reports: AsyncReport[] = [];
    const invoker = invokerWith(functions, new RecordingDestinations(), undefined, { reports });

    // Act
    const { requestId } = invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-1' });
    await invoker.settled();

    // Assess
    expect(functions.calls).toHaveLength(3);
    expect(new Set(functions.calls.map((c) => c.requestId))).toEqual(new Set([requestId]));
    expect(reports.map((r) => r.kind)).toEqual(['invoked', 'retry', 'invoked', 'retry', 'invoked', 'dropped']);
    expect(formatAsyncReport(reports[1])).toBe('↻ lambda  ShipmentHandler  async attempt 1 failed (ShippingError); retry 1 of 2 in 1 ms');
    expect(formatAsyncReport(reports[5])).toBe(
      '✗ lambda  ShipmentHandler  async event dropped: RetriesExhausted after 3 attempts (no on-failure destination or dead-letter queue)',
    );
  });

  it('reports each invocation that ran: its attempt, outcome, handler time, wait since acceptance and payload', async () => {
    // Prepare
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'error');
    const reports: AsyncReport[] = [];
    const invoker = invokerWith(functions, new RecordingDestinations(), undefined, { reports });

    // Act
    const { requestId } = invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-2' });
    await invoker.settled();

    // Assess
    const invoked = reports.filter((r) => r.kind === 'invoked');
    expect(invoked).toEqual([
      expect.objectContaining({ requestId, attempts: 1, errorType: 'ShippingError', handlerMs: 1, payload: { orderId: 'o-2' } }),
      expect.objectContaining({ requestId, attempts: 2, handlerMs: 1, payload: { orderId: 'o-2' } }),
    ]);
    expect(invoked[1]).not.toHaveProperty('errorType');
    expect(invoked[0].kind === 'invoked' && invoked[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(formatAsyncReport({ ...invoked[1], latencyMs: 1.4 } as AsyncReport, 6.6)).toBe(
      '⇢ lambda  async → ShipmentHandler  1 event  1 ms after invoke, 7 ms after PutEvents, handler 1 ms  (attempt 2)',
    );
    expect(formatAsyncReport({ ...invoked[0], latencyMs: 0.2 } as AsyncReport)).toBe('⇢ lambda  async → ShipmentHandler  1 event  0 ms after invoke, handler 1 ms  [error ShippingError]');
  });

  it('sends AWS\'s invocation record to the on-failure SQS destination once retries are exhausted', async () => {
    // Prepare
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'error', 'error');
    const destinations = new RecordingDestinations();
    const invoker = invokerWith(functions, destinations, { maximumRetryAttempts: 1, maximumEventAgeSeconds: 3600, onFailure: FAILURES_QUEUE });

    // Act
    const { requestId } = invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-1' });
    await invoker.settled();

    // Assess
    expect(functions.calls).toHaveLength(2);
    expect(destinations.messages).toHaveLength(1);
    expect(destinations.messages[0].queueArn).toBe(FAILURES_QUEUE);
    const record = JSON.parse(destinations.messages[0].body) as InvocationRecord;
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      requestContext: { requestId, functionArn: `${SHIPPING_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { orderId: 'o-1' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'ShippingError', errorMessage: 'carrier down', trace: ['at ship'] },
    });
  });

  it('sends the record of a success to the on-success destination', async () => {
    // Prepare
    const destinations = new RecordingDestinations();
    const invoker = invokerWith(new ScriptedFunctions(), destinations, { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600, onSuccess: SUCCESS_QUEUE });

    // Act
    invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-2' });
    await invoker.settled();

    // Assess
    const record = JSON.parse(destinations.messages[0].body) as InvocationRecord;
    expect(record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record.responsePayload).toEqual({ shipped: true });
  });

  it('invokes a function destination asynchronously with the record', async () => {
    // Prepare
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'error');
    const invoker = invokerWith(functions, new RecordingDestinations(), { maximumRetryAttempts: 0, maximumEventAgeSeconds: 3600, onFailure: AUDIT_ARN });

    // Act
    invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-3' });
    await invoker.settled();

    // Assess
    const audit = functions.calls.find((c) => c.ref === AUDIT_ARN);
    expect((audit?.event as InvocationRecord).requestContext.condition).toBe('RetriesExhausted');
  });

  it('puts the record on an event bus destination as a Lambda result event', async () => {
    // Prepare
    const destinations = new RecordingDestinations();
    const invoker = invokerWith(new ScriptedFunctions().script(SHIPPING_ARN, 'error'), destinations, {
      maximumRetryAttempts: 0,
      maximumEventAgeSeconds: 3600,
      onFailure: BUS,
    });

    // Act
    invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-4' });
    await invoker.settled();

    // Assess
    expect(destinations.events[0]).toMatchObject({
      busArn: BUS,
      entry: { Source: 'lambda', DetailType: 'Lambda Function Invocation Result - Failure', Resources: [BUS, `${SHIPPING_ARN}:$LATEST`] },
    });
  });

  it('sends the event to the function\'s dead-letter queue when there is no on-failure destination', async () => {
    // Prepare
    const destinations = new RecordingDestinations();
    const invoker = invokerWith(new ScriptedFunctions().script(SHIPPING_ARN, 'error'), destinations, {
      maximumRetryAttempts: 0,
      maximumEventAgeSeconds: 3600,
      deadLetterArn: FAILURES_QUEUE,
    });

    // Act
    const { requestId } = invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-5' });
    await invoker.settled();

    // Assess
    expect(destinations.messages).toEqual([
      { queueArn: FAILURES_QUEUE, body: '{"orderId":"o-5"}', attributes: { RequestID: requestId, ErrorCode: '200', ErrorMessage: 'carrier down' } },
    ]);
  });

  it('retries a throttled invocation without counting it as a function error', async () => {
    // Prepare
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'throttle', 'throttle', 'throttle', 'error');
    const destinations = new RecordingDestinations();
    const reports: AsyncReport[] = [];
    const invoker = invokerWith(functions, destinations, { maximumRetryAttempts: 1, maximumEventAgeSeconds: 3600, onSuccess: SUCCESS_QUEUE }, { reports });

    // Act
    invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-6' });
    await invoker.settled();

    // Assess: three throttles, one error, then a success on the one retry the config allows.
    expect(reports.map((r) => r.kind)).toEqual(['throttled', 'throttled', 'throttled', 'invoked', 'retry', 'invoked', 'destination']);
    const record = JSON.parse(destinations.messages[0].body) as InvocationRecord;
    expect(record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 2 });
    expect(formatAsyncReport(reports[0])).toBe('↻ lambda  ShipmentHandler  async throttled (TooManyRequestsException); back in the queue for 1 ms');
  });

  it('gives up with EventAgeExceeded once the event is older than MaximumEventAgeInSeconds', async () => {
    // Prepare
    let now = 1_000_000;
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'error', 'error');
    const destinations = new RecordingDestinations();
    const invoker = invokerWith(functions, destinations, { maximumRetryAttempts: 2, maximumEventAgeSeconds: 60, onFailure: FAILURES_QUEUE }, { now: () => now });

    // Act
    invoker.invokeAsync(SHIPPING_ARN, { orderId: 'o-7' });
    now += 61_000;
    await invoker.settled();

    // Assess
    const record = JSON.parse(destinations.messages[0].body) as InvocationRecord;
    expect(record.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 0 });
    expect(record.responseContext).toBeUndefined();
    expect(functions.calls).toHaveLength(0);
  });

  it('runs at most the function\'s concurrency at a time', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const functions = new ScriptedFunctions();
    const invoke = functions.invoke.bind(functions);
    functions.invoke = async (ref, event, options) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return invoke(ref, event, options);
    };
    const invoker = invokerWith(functions, new RecordingDestinations());

    // Act
    for (let i = 0; i < 6; i++) invoker.invokeAsync(SHIPPING_ARN, { i });
    await invoker.settled();

    // Assess
    expect(functions.calls).toHaveLength(6);
    expect(peak).toBe(2);
  });

  it('drops waiting events and timers on stop()', async () => {
    // Prepare
    const functions = new ScriptedFunctions().script(SHIPPING_ARN, 'error', 'error', 'error');
    const invoker = invokerWith(functions, new RecordingDestinations());
    invoker.invokeAsync(SHIPPING_ARN, {});

    // Act
    invoker.stop();
    await invoker.settled();

    // Assess
    expect(invoker.pendingCount).toBe(0);
    expect(functions.calls).toHaveLength(0);
  });
});
