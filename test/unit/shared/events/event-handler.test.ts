import type { Context } from 'aws-lambda';
import type { ShopEvent } from '../../../../lambdas/shared/events/contracts';
import { InvalidEventError } from '../../../../lambdas/shared/events/contracts';
import { UnexpectedEventError } from '../../../../lambdas/shared/events/unexpected-event-error';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, eventBridgeDelivery, FIXTURE_CORRELATION_ID, FIXTURE_ORDER_ID } from '../../factories/events';
import { kinesisEvent, kinesisRecord, kinesisRecordOf } from '../../factories/kinesis-event';
import { sqsEvent, sqsRecord, sqsRecordOf } from '../../factories/sqs-event';

type EventHandlerModule = typeof import('../../../../lambdas/shared/events/event-handler');
type LoggerModule = typeof import('../../../../lambdas/shared/logger');

let wrappers: EventHandlerModule;
let logger: LoggerModule['logger'];
/** The JSON lines the function's logger wrote during the test. */
let lines: Record<string, unknown>[];

beforeAll(async () => {
  // The logger reads its level when it is created: these tests read what it writes, so it must write.
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_SERVICE_NAME: 'unit-test' });
  wrappers = await import('../../../../lambdas/shared/events/event-handler');
  ({ logger } = await import('../../../../lambdas/shared/logger'));
});
beforeEach(() => {
  lines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(JSON.parse(String(chunk)));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

const linesSaying = (message: string) => lines.filter((line) => line.message === message);

/** A route that logs `handled` (and nothing about the event) for each event, records it, and fails the orders in `failing`. */
function routeFailing(...failing: string[]) {
  const handled: ShopEvent[] = [];
  const route = async (event: ShopEvent) => {
    handled.push(event);
    logger.info('handled');
    if (failing.includes(event.detail.orderId)) throw new Error(`cannot handle ${event.detail.orderId}`);
  };
  return { handled, route };
}

const ORDER_A = '0e9e1a57-1111-4222-8333-44445555aaaa';
const ORDER_B = '0e9e1a57-1111-4222-8333-44445555bbbb';

describe('sqsEventHandler', () => {
  it('hands the route each parsed event and answers an empty partial batch response', async () => {
    // Prepare
    const { handled, route } = routeFailing();
    const handler = wrappers.sqsEventHandler({ accepts: ['StockReserved'] }, route);
    const event = anEvent('StockReserved');

    // Act
    const response = await handler(sqsEvent(sqsRecordOf(event)), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual([event]);
  });

  it('adds the Lambda context to the lines of the invocation', async () => {
    const handler = wrappers.sqsEventHandler({ accepts: ['StockReserved'] }, routeFailing().route);

    await handler(sqsEvent(sqsRecordOf(anEvent('StockReserved'))), lambdaContext());

    expect(linesSaying('handled')[0]).toMatchObject({ function_name: 'unit-test-function', function_request_id: 'd00dfeed-0000-4000-8000-000000000002' });
  });

  it('fails a record that is not an event, without calling the route, and handles the others', async () => {
    // Prepare
    const { handled, route } = routeFailing();
    const handler = wrappers.sqsEventHandler({ accepts: ['StockReserved'] }, route);
    const broken = sqsRecord('{not json');

    // Act
    const response = await handler(sqsEvent(broken, sqsRecordOf(anEvent('StockReserved'))), lambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: broken.messageId }]);
    expect(handled).toHaveLength(1);
    expect(linesSaying('record failed')[0]).toMatchObject({ messageId: broken.messageId, error: { name: 'InvalidEventError' } });
  });

  it('fails an event of a type it does not accept with an UnexpectedEventError, without calling the route', async () => {
    // Prepare
    const { handled, route } = routeFailing();
    const handler = wrappers.sqsEventHandler({ accepts: ['PaymentFailed', 'OrderCancelled'] }, route);
    const unexpected = sqsRecordOf(anEvent('OrderPlaced'));

    // Act
    const response = await handler(sqsEvent(unexpected), lambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: unexpected.messageId }]);
    expect(handled).toEqual([]);
    expect(linesSaying('record failed')[0]).toMatchObject({
      error: { name: 'UnexpectedEventError', message: expect.stringContaining('PaymentFailed, OrderCancelled, not OrderPlaced') },
    });
  });

  it('fails only the record whose route throws', async () => {
    const { handled, route } = routeFailing(ORDER_A);
    const handler = wrappers.sqsEventHandler({ accepts: ['StockReserved'] }, route);
    const failing = sqsRecordOf(anEvent('StockReserved', { orderId: ORDER_A }));

    const response = await handler(sqsEvent(failing, sqsRecordOf(anEvent('StockReserved', { orderId: ORDER_B }))), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(handled.map((event) => event.detail.orderId)).toEqual([ORDER_A, ORDER_B]);
  });

  it("puts each record's ids on its lines, its failure's included, and on no other record's", async () => {
    // Prepare: A fails in the route, the broken record carries no event, B succeeds
    const { route } = routeFailing(ORDER_A);
    const handler = wrappers.sqsEventHandler({ accepts: ['StockReserved'] }, route);
    const eventA = anEvent('StockReserved', { orderId: ORDER_A, correlationId: 'corr-a' });
    const failing = sqsRecordOf(eventA);
    const broken = sqsRecord('{not json');
    const good = sqsRecordOf(anEvent('StockReserved', { orderId: ORDER_B, correlationId: 'corr-b' }));

    // Act
    await handler(sqsEvent(failing, broken, good), lambdaContext());
    logger.info('after the batch');

    // Assess
    const [failedA, failedBroken] = linesSaying('record failed');
    expect(linesSaying('handled').map((line) => [line.orderId, line.correlationId])).toEqual([[ORDER_A, 'corr-a'], [ORDER_B, 'corr-b']]);
    expect(failedA).toMatchObject({
      messageId: failing.messageId,
      correlationId: 'corr-a',
      orderId: ORDER_A,
      eventId: eventA.detail.eventId,
      detailType: 'StockReserved',
    });
    expect(failedBroken).toMatchObject({ messageId: broken.messageId });
    expect(failedBroken).not.toHaveProperty('correlationId');
    expect(failedBroken).not.toHaveProperty('orderId');
    expect(linesSaying('after the batch')[0]).not.toHaveProperty('correlationId');
  });

  it('lets a slow route run until Lambda ends the invocation: no early timeout of its own', async () => {
    const handler = wrappers.sqsEventHandler({ accepts: ['StockReserved'] }, () => new Promise((resolve) => setTimeout(resolve, 50)));

    const response = await handler(sqsEvent(sqsRecordOf(anEvent('StockReserved'))), lambdaContext(10));

    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('sqsMessageHandler', () => {
  const parse = (record: { body: string }) => JSON.parse(record.body) as { id: string; correlationId: string };

  it('with fifo, fails the later records of a failed message group unhandled, and keeps other groups flowing', async () => {
    // Prepare: group A fails on a1
    const handled: string[] = [];
    const handler = wrappers.sqsMessageHandler({ parse, correlationIdOf: (message) => message.correlationId, fifo: true }, async (message) => {
      handled.push(message.id);
      if (message.id === 'a1') throw new Error('provider unavailable');
    });
    const records = [
      sqsRecord({ id: 'a1', correlationId: 'c-a1' }, { messageGroupId: 'A' }),
      sqsRecord({ id: 'b1', correlationId: 'c-b1' }, { messageGroupId: 'B' }),
      sqsRecord({ id: 'a2', correlationId: 'c-a2' }, { messageGroupId: 'A' }),
    ];

    // Act
    const response = await handler(sqsEvent(...records), lambdaContext());

    // Assess
    expect(handled).toEqual(['a1', 'b1']);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([records[0]?.messageId, records[2]?.messageId]);
    expect(linesSaying('record failed')[0]).toMatchObject({ messageGroupId: 'A', correlationId: 'c-a1' });
    expect(linesSaying('record not handled: an earlier record of its message group failed')[0]).not.toHaveProperty('correlationId');
  });

  it('fails a record its parse rejects, without handling it', async () => {
    const handled: string[] = [];
    const handler = wrappers.sqsMessageHandler({ parse, correlationIdOf: (message) => message.correlationId }, async (message) => {
      handled.push(message.id);
    });
    const broken = sqsRecord('{not json');

    const response = await handler(sqsEvent(broken), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: broken.messageId }]);
    expect(handled).toEqual([]);
  });
});

describe('kinesisEventHandler', () => {
  it('stops at the first failure and reports only its sequence number, so nothing behind it is handled first', async () => {
    // Prepare
    const { handled, route } = routeFailing(ORDER_A);
    const handler = wrappers.kinesisEventHandler({ accepts: ['OrderPlaced'] }, route);
    const records = [ORDER_B, ORDER_A, ORDER_B].map((orderId) => kinesisRecordOf(anEvent('OrderPlaced', { orderId })));

    // Act
    const response = await handler(kinesisEvent(...records), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }] });
    expect(handled.map((event) => event.detail.orderId)).toEqual([ORDER_B, ORDER_A]);
    expect(linesSaying('record failed; the batch stops here')[0]).toMatchObject({ correlationId: FIXTURE_CORRELATION_ID, notProcessed: 2 });
  });

  it('stops at a record that is not an event, and at an event of a type it does not accept', async () => {
    // Prepare
    const { handled, route } = routeFailing();
    const handler = wrappers.kinesisEventHandler({ accepts: ['OrderPlaced'] }, route);
    const good = kinesisRecordOf(anEvent('OrderPlaced', { correlationId: 'corr-good' }));
    const broken = kinesisRecord('\u0000garbage');
    const unexpected = kinesisRecordOf(anEvent('OrderCancelled'));

    // Act
    const first = await handler(kinesisEvent(good, broken), lambdaContext());
    const second = await handler(kinesisEvent(unexpected), lambdaContext());

    // Assess: the broken record's line does not carry the good one's correlation id
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: broken.kinesis.sequenceNumber }]);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: unexpected.kinesis.sequenceNumber }]);
    expect(handled).toHaveLength(1);
    const [brokenLine, unexpectedLine] = linesSaying('record failed; the batch stops here');
    expect(brokenLine).toMatchObject({ error: { name: 'InvalidEventError' } });
    expect(brokenLine).not.toHaveProperty('correlationId');
    expect(unexpectedLine).toMatchObject({ error: { name: 'UnexpectedEventError' } });
  });

  it("puts each record's correlation id on its lines", async () => {
    const handler = wrappers.kinesisEventHandler({ accepts: ['OrderPlaced'] }, routeFailing().route);
    const records = ['corr-1', 'corr-2'].map((correlationId) => kinesisRecordOf(anEvent('OrderPlaced', { correlationId })));

    await handler(kinesisEvent(...records), lambdaContext());

    expect(linesSaying('handled').map((line) => line.correlationId)).toEqual(['corr-1', 'corr-2']);
  });
});

describe('eventBridgeHandler', () => {
  const invoke = (handler: (event: unknown, context: Context) => Promise<void>, event: unknown) => handler(event, lambdaContext());

  it('hands the route the parsed event, with its correlation id and the Lambda context on the lines', async () => {
    // Prepare
    const { handled, route } = routeFailing();
    const handler = wrappers.eventBridgeHandler({ accepts: ['PaymentCaptured'] }, route);
    const event = anEvent('PaymentCaptured');

    // Act
    await invoke(handler, eventBridgeDelivery(event));
    logger.info('after the invocation');

    // Assess
    expect(handled).toEqual([event]);
    expect(linesSaying('handled')[0]).toMatchObject({ correlationId: FIXTURE_CORRELATION_ID, function_name: 'unit-test-function' });
    expect(linesSaying('after the invocation')[0]).not.toHaveProperty('correlationId');
  });

  it("throws the route's error, so Lambda retries the invocation, after logging it with the event's ids", async () => {
    // Prepare
    const { route } = routeFailing(FIXTURE_ORDER_ID);
    const handler = wrappers.eventBridgeHandler({ accepts: ['PaymentCaptured'] }, route);
    const event = anEvent('PaymentCaptured');

    // Act
    const invocation = invoke(handler, eventBridgeDelivery(event));

    // Assess
    await expect(invocation).rejects.toThrow(`cannot handle ${FIXTURE_ORDER_ID}`);
    expect(linesSaying('event failed')[0]).toMatchObject({
      level: 'ERROR',
      orderId: FIXTURE_ORDER_ID,
      eventId: event.detail.eventId,
      detailType: 'PaymentCaptured',
      correlationId: FIXTURE_CORRELATION_ID,
      error: { message: `cannot handle ${FIXTURE_ORDER_ID}`, stack: expect.any(String) },
    });
  });

  it('throws an InvalidEventError for an event that breaks its contract, without calling the route', async () => {
    const { handled, route } = routeFailing();
    const handler = wrappers.eventBridgeHandler({ accepts: ['PaymentCaptured'] }, route);

    await expect(invoke(handler, eventBridgeDelivery(anEvent('PaymentCaptured'), { detail: { schemaVersion: 1 } }))).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    expect(handled).toEqual([]);
    expect(linesSaying('event failed')[0]).toMatchObject({ error: { name: 'InvalidEventError' } });
  });

  it('throws an UnexpectedEventError for an event of a type it does not accept, without calling the route', async () => {
    const { handled, route } = routeFailing();
    const handler = wrappers.eventBridgeHandler({ accepts: ['PaymentCaptured', 'OrderCancelled'] }, route);

    const invocation = invoke(handler, eventBridgeDelivery(anEvent('OrderPlaced')));

    await expect(invocation).rejects.toBeInstanceOf(UnexpectedEventError);
    await expect(invocation).rejects.toMatchObject({ detailType: 'OrderPlaced', expected: ['PaymentCaptured', 'OrderCancelled'] });
    expect(handled).toEqual([]);
    expect(linesSaying('event failed')[0]).toMatchObject({ detailType: 'OrderPlaced', correlationId: FIXTURE_CORRELATION_ID });
  });
});
