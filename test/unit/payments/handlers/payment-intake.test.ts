import '../../support/quiet-env';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { InvalidEventError } from '../../../../lambdas/shared/events/contracts';
import { UnexpectedEventError } from '../../../../lambdas/shared/events/unexpected-event-error';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, eventBridgeDelivery, FIXTURE_CORRELATION_ID, FIXTURE_ORDER_ID } from '../../factories/events';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/payments.fifo';

let handler: (event: unknown, context: Context) => Promise<void>;
let sent: Record<string, unknown>[];
let sqsSpy: jest.SpyInstance<Promise<unknown>, [{ input: unknown }]>;

beforeAll(async () => {
  process.env.PAYMENTS_QUEUE_URL = QUEUE_URL;
  ({ handler } = await import('../../../../lambdas/payments/handlers/payment-intake'));
});
beforeEach(() => {
  sent = [];
  sqsSpy = jest.spyOn(SQSClient.prototype, 'send') as unknown as jest.SpyInstance<Promise<unknown>, [{ input: unknown }]>;
  sqsSpy.mockImplementation(async (command) => {
    sent.push(command.input as Record<string, unknown>);
    return { MessageId: 'message-1' };
  });
});
afterEach(() => jest.restoreAllMocks());

describe('payment-intake', () => {
  it('sends a CHARGE of the order total for OrderPlaced, grouped by orderId and deduplicated by eventId', async () => {
    // Prepare
    const placed = anEvent('OrderPlaced');

    // Act
    await handler(eventBridgeDelivery(placed), lambdaContext());

    // Assess
    expect(sent).toHaveLength(1);
    const [message] = sent;
    expect(message).toMatchObject({
      QueueUrl: QUEUE_URL,
      MessageGroupId: FIXTURE_ORDER_ID,
      MessageDeduplicationId: placed.detail.eventId,
    });
    expect(JSON.parse(String(message.MessageBody))).toEqual({
      command: 'CHARGE',
      orderId: FIXTURE_ORDER_ID,
      customerId: 'customer-1',
      amountCents: 5230,
      currency: 'EUR',
      correlationId: FIXTURE_CORRELATION_ID,
      causationEventId: placed.detail.eventId,
    });
  });

  it('sends a REFUND for OrderCancelled, in the same message group as the charge', async () => {
    const cancelled = anEvent('OrderCancelled', { data: { totalCents: 990 } });

    await handler(eventBridgeDelivery(cancelled), lambdaContext());

    const [message] = sent;
    expect(message).toMatchObject({ MessageGroupId: FIXTURE_ORDER_ID, MessageDeduplicationId: cancelled.detail.eventId });
    expect(JSON.parse(String(message.MessageBody))).toMatchObject({ command: 'REFUND', amountCents: 990 });
  });

  it('sends the same deduplication id for a repeated delivery of one event, so SQS drops the repeat', async () => {
    const placed = anEvent('OrderPlaced');

    await handler(eventBridgeDelivery(placed), lambdaContext());
    await handler(eventBridgeDelivery(placed), lambdaContext());

    expect(sent.map((message) => message.MessageDeduplicationId)).toEqual([placed.detail.eventId, placed.detail.eventId]);
  });

  it('rejects an event that breaks its contract, sending nothing', async () => {
    const delivery = eventBridgeDelivery(anEvent('OrderPlaced'), { detail: { schemaVersion: 1 } });

    await expect(handler(delivery, lambdaContext())).rejects.toBeInstanceOf(InvalidEventError);
    expect(sent).toEqual([]);
  });

  it('rejects an event it is not subscribed to, sending nothing', async () => {
    await expect(handler(eventBridgeDelivery(anEvent('PaymentCaptured')), lambdaContext())).rejects.toBeInstanceOf(
      UnexpectedEventError,
    );
    expect(sent).toEqual([]);
  });

  it('throws when SQS refuses the message, so Lambda retries the invocation', async () => {
    sqsSpy.mockRejectedValueOnce(Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }));

    await expect(handler(eventBridgeDelivery(anEvent('OrderPlaced')), lambdaContext())).rejects.toThrow('service unavailable');
  });
});
