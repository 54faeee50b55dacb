import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OrderRecordTable } from '../../shared/aws/order-record-table';
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
export class DynamoDbPaymentStore extends OrderRecordTable<Payment> implements PaymentStore {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName, toPayment);
  }

  async markRefunded(orderId: string, refundedAt: string, refundCorrelationId: string): Promise<'refunded' | 'not-captured'> {
    return (await this.move(orderId, 'CAPTURED', 'REFUNDED', { refundedAt, refundCorrelationId })) ? 'refunded' : 'not-captured';
  }
}
