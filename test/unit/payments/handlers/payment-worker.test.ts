import '../../support/quiet-env';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { paymentCommandFor } from '../../../../lambdas/payments/domain/request-payment';
import { paymentIdFor } from '../../../../lambdas/payments/domain/payment-provider';
import { eventIdFor } from '../../../../lambdas/shared/events/contracts';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, FIXTURE_CORRELATION_ID, FIXTURE_ORDER_ID } from '../../factories/events';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { InMemoryTables } from '../../factories/fulfilment-tables';
import { sqsEvent, sqsRecord } from '../../factories/sqs-event';
import { handlerUnderTest } from '../../support/handler-under-test';

const OTHER_ORDER_ID = '7a1c0000-aaaa-4bbb-8ccc-ddddeeeeffff';
const CANCEL_CORRELATION_ID = 'cancel-correlation-1';

/** A CHARGE as payment-intake enqueues it for OrderPlaced, as a FIFO record of the order's group. */
function chargeRecord(orderId = FIXTURE_ORDER_ID) {
  return sqsRecord(paymentCommandFor(anEvent('OrderPlaced', { orderId })), { messageGroupId: orderId });
}

/** A REFUND as payment-intake enqueues it for OrderCancelled. */
function refundRecord(orderId = FIXTURE_ORDER_ID) {
  return sqsRecord(paymentCommandFor(anEvent('OrderCancelled', { orderId, correlationId: CANCEL_CORRELATION_ID })), {
    messageGroupId: orderId,
  });
}

let tables: InMemoryTables;
let bus: FakeEventBus;
/** Epoch ms as the provider's settings cache sees it; each test starts a minute later, so no cache carries over. */
let clock = 1_714_564_800_000;

const invoke = (event: SQSEvent) => handler(event, lambdaContext());
const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((failure) => failure.itemIdentifier);
const setProvider = (settings: Record<string, unknown>) =>
  tables.seed('provider-table', { provider: 'default', latencyMs: 0, failureRate: 0, down: false, ...settings });
const payment = (orderId = FIXTURE_ORDER_ID) => tables.get('payments-table', { orderId });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/payments/handlers/payment-worker'),
  { PAYMENTS_TABLE_NAME: 'payments-table', PAYMENT_PROVIDER_TABLE_NAME: 'provider-table', EVENT_BUS_NAME: 'shop-bus' },
);

beforeEach(() => {
  clock += 60_000;
  jest.spyOn(Date, 'now').mockImplementation(() => clock);
  tables = new InMemoryTables(dynamo, { 'payments-table': ['orderId'], 'provider-table': ['provider'] });
  bus = new FakeEventBus();
  setProvider({});
});
afterEach(() => {
  bus.restore();
});

describe('payment-worker', () => {
  it('captures a charge: writes the CAPTURED record, then publishes PaymentCaptured v1', async () => {
    // Prepare
    const record = chargeRecord();

    // Act
    const response = await invoke(sqsEvent(record));

    // Assess
    expect(failedIds(response)).toEqual([]);
    expect(payment()).toMatchObject({
      orderId: FIXTURE_ORDER_ID,
      status: 'CAPTURED',
      paymentId: paymentIdFor(FIXTURE_ORDER_ID),
      amountCents: 5230,
      currency: 'EUR',
    });
    expect(bus.published).toEqual([
      {
        source: 'shop.payments',
        detailType: 'PaymentCaptured',
        bus: 'shop-bus',
        detail: expect.objectContaining({
          eventId: eventIdFor('shop.payments', 'PaymentCaptured', FIXTURE_ORDER_ID, 1),
          orderId: FIXTURE_ORDER_ID,
          version: 1,
          correlationId: FIXTURE_CORRELATION_ID,
          data: { customerId: 'customer-1', paymentId: paymentIdFor(FIXTURE_ORDER_ID), amountCents: 5230, currency: 'EUR' },
        }),
      },
    ]);
  });

  it('charges once when the same command arrives twice, publishing the same event (same eventId) again', async () => {
    await invoke(sqsEvent(chargeRecord()));

    const response = await invoke(sqsEvent(chargeRecord()));

    expect(failedIds(response)).toEqual([]);
    expect(dynamo.inputsOf('PutCommand')).toHaveLength(1);
    expect(bus.summary()).toEqual(['PaymentCaptured v1', 'PaymentCaptured v1']);
    expect(bus.published[1].detail).toEqual(bus.published[0].detail);
  });

  it('publishes PaymentFailed v1 when the provider declines the charge', async () => {
    setProvider({ failureRate: 1 });

    const response = await invoke(sqsEvent(chargeRecord()));

    expect(failedIds(response)).toEqual([]);
    expect(payment()).toMatchObject({ status: 'DECLINED', reason: 'CARD_DECLINED' });
    expect(bus.summary()).toEqual(['PaymentFailed v1']);
    expect(bus.published[0].detail.data).toEqual({ customerId: 'customer-1', reason: 'CARD_DECLINED' });
  });

  it('fails the record while the provider is down, and captures it once the provider is back', async () => {
    // Prepare
    setProvider({ down: true });
    const record = chargeRecord();

    // Act: down — the record fails, nothing is written or published
    const whileDown = await invoke(sqsEvent(record));
    // the provider comes back; its settings are re-read a second later
    setProvider({ down: false });
    clock += 1_000;
    const afterRecovery = await invoke(sqsEvent(record));

    // Assess
    expect(failedIds(whileDown)).toEqual([record.messageId]);
    expect(failedIds(afterRecovery)).toEqual([]);
    expect(payment()).toMatchObject({ status: 'CAPTURED' });
    expect(bus.summary()).toEqual(['PaymentCaptured v1']);
  });

  it('stops a message group at its first failure, keeping its order, while another group goes on', async () => {
    // Prepare: the first read of the batch (order A's charge) is throttled
    dynamo.once('GetCommand', () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    });
    const chargeA = chargeRecord();
    const refundA = refundRecord();
    const chargeB = chargeRecord(OTHER_ORDER_ID);

    // Act
    const response = await invoke(sqsEvent(chargeA, refundA, chargeB));

    // Assess: A's refund is not run before A's charge; B is charged
    expect(failedIds(response)).toEqual([chargeA.messageId, refundA.messageId]);
    expect(payment()).toBeUndefined();
    expect(payment(OTHER_ORDER_ID)).toMatchObject({ status: 'CAPTURED' });
    expect(bus.published.map((event) => event.detail.orderId)).toEqual([OTHER_ORDER_ID]);
  });

  it('refunds a captured charge: marks it REFUNDED and publishes PaymentRefunded v2', async () => {
    const response = await invoke(sqsEvent(chargeRecord(), refundRecord()));

    expect(failedIds(response)).toEqual([]);
    expect(payment()).toMatchObject({ status: 'REFUNDED', refundCorrelationId: CANCEL_CORRELATION_ID });
    expect(bus.summary()).toEqual(['PaymentCaptured v1', 'PaymentRefunded v2']);
    expect(bus.published[1].detail).toMatchObject({
      eventId: eventIdFor('shop.payments', 'PaymentRefunded', FIXTURE_ORDER_ID, 2),
      correlationId: CANCEL_CORRELATION_ID,
      data: { customerId: 'customer-1', paymentId: paymentIdFor(FIXTURE_ORDER_ID), amountCents: 5230, currency: 'EUR' },
    });
  });

  it('refunds once when the same refund arrives twice', async () => {
    await invoke(sqsEvent(chargeRecord(), refundRecord()));

    await invoke(sqsEvent(refundRecord()));

    expect(dynamo.inputsOf('UpdateCommand')).toHaveLength(1);
    expect(bus.summary()).toEqual(['PaymentCaptured v1', 'PaymentRefunded v2', 'PaymentRefunded v2']);
    expect(bus.published[2].detail).toEqual(bus.published[1].detail);
  });

  it('keeps a tombstone for a refund that arrives before its charge, and skips the late charge', async () => {
    // Act: the refund first
    const refund = await invoke(sqsEvent(refundRecord()));
    // then the charge, out of order
    const lateCharge = await invoke(sqsEvent(chargeRecord()));

    // Assess: nothing charged, nothing published, the provider never asked
    expect(failedIds(refund)).toEqual([]);
    expect(failedIds(lateCharge)).toEqual([]);
    expect(payment()).toMatchObject({ status: 'CANCELLED' });
    expect(bus.published).toEqual([]);
    expect(dynamo.inputsOf('GetCommand').filter((input) => input.TableName === 'provider-table')).toEqual([]);
  });

  it('fails the record when EventBridge refuses the event, and publishes it on the retry without charging again', async () => {
    bus.refuseNextPut();
    const record = chargeRecord();

    const refused = await invoke(sqsEvent(record));
    const retried = await invoke(sqsEvent(record));

    expect(failedIds(refused)).toEqual([record.messageId]);
    expect(failedIds(retried)).toEqual([]);
    expect(dynamo.inputsOf('PutCommand')).toHaveLength(1);
    expect(bus.summary()).toEqual(['PaymentCaptured v1']);
  });

  it('fails a message that is not a payment command, and only that one', async () => {
    const malformed = sqsRecord({ command: 'CHARGE', orderId: FIXTURE_ORDER_ID }, { messageGroupId: 'group-x' });
    const good = chargeRecord();

    const response = await invoke(sqsEvent(malformed, good));

    expect(failedIds(response)).toEqual([malformed.messageId]);
    expect(bus.summary()).toEqual(['PaymentCaptured v1']);
  });
});
