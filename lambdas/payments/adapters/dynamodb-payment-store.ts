import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../shared/aws/dynamodb-errors';
import { SHOP_CURRENCY } from '../../shared/events/contracts';
import type { Payment } from '../domain/payment';
import type { PaymentStore } from '../domain/payment-store';

/** Only the record's own fields, by status, whatever else the item holds. */
function toPayment(item: Record<string, unknown>): Payment {
  if (item.currency !== SHOP_CURRENCY) throw new Error(`payment record ${String(item.orderId)} has currency ${String(item.currency)}`);
  const base: Pick<Payment, 'orderId' | 'customerId' | 'amountCents' | 'currency' | 'correlationId'> = {
    orderId: String(item.orderId),
    customerId: String(item.customerId),
    amountCents: Number(item.amountCents),
    currency: SHOP_CURRENCY,
    correlationId: String(item.correlationId),
  };
  switch (item.status) {
    case 'CAPTURED':
      return { ...base, status: 'CAPTURED', paymentId: String(item.paymentId), chargedAt: String(item.chargedAt) };
    case 'DECLINED':
      return { ...base, status: 'DECLINED', reason: String(item.reason), chargedAt: String(item.chargedAt) };
    case 'REFUNDED':
      return {
        ...base,
        status: 'REFUNDED',
        paymentId: String(item.paymentId),
        chargedAt: String(item.chargedAt),
        refundedAt: String(item.refundedAt),
        refundCorrelationId: String(item.refundCorrelationId),
      };
    case 'CANCELLED':
      return { ...base, status: 'CANCELLED', cancelledAt: String(item.cancelledAt) };
    default:
      throw new Error(`payment record ${base.orderId} has an unknown status ${String(item.status)}`);
  }
}

/** Payment records in the payments table (key `orderId`). */
export class DynamoDbPaymentStore implements PaymentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(orderId: string): Promise<Payment | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }));
    return out.Item === undefined ? undefined : toPayment(out.Item);
  }

  async create(payment: Payment): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...payment }, ConditionExpression: 'attribute_not_exists(orderId)' }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async markRefunded(orderId: string, refundedAt: string, refundCorrelationId: string): Promise<'refunded' | 'not-captured'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: 'SET #status = :refunded, refundedAt = :at, refundCorrelationId = :correlationId',
          ConditionExpression: '#status = :captured',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':refunded': 'REFUNDED',
            ':captured': 'CAPTURED',
            ':at': refundedAt,
            ':correlationId': refundCorrelationId,
          },
        }),
      );
      return 'refunded';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'not-captured';
      throw error;
    }
  }
}
