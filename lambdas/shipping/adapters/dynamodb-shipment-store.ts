import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OrderRecordTable } from '../../shared/aws/order-record-table';
import type { Shipment } from '../domain/shipment';
import type { ShipmentStore } from '../domain/shipment-store';

/** Only the record's own fields, by status, whatever else the item holds. */
function toShipment(item: Record<string, unknown>): Shipment {
  const orderId = String(item.orderId);
  const customerId = String(item.customerId);
  switch (item.status) {
    case 'CREATED':
    case 'CANCELLED': {
      const created = {
        orderId,
        customerId,
        shipmentId: String(item.shipmentId),
        correlationId: String(item.correlationId),
        createdAt: String(item.createdAt),
      };
      return item.status === 'CREATED'
        ? { ...created, status: 'CREATED' }
        : {
            ...created,
            status: 'CANCELLED',
            cancelledAt: String(item.cancelledAt),
            cancelCorrelationId: String(item.cancelCorrelationId),
          };
    }
    case 'TOMBSTONE':
      return {
        status: 'TOMBSTONE',
        orderId,
        customerId,
        cancelledAt: String(item.cancelledAt),
        cancelCorrelationId: String(item.cancelCorrelationId),
      };
    default:
      throw new Error(`shipment record ${orderId} has an unknown status ${String(item.status)}`);
  }
}

/** Shipment records in the shipments table (key `orderId`). */
export class DynamoDbShipmentStore extends OrderRecordTable<Shipment> implements ShipmentStore {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName, toShipment);
  }

  async markCancelled(orderId: string, cancelledAt: string, cancelCorrelationId: string): Promise<'cancelled' | 'not-created'> {
    return (await this.move(orderId, 'CREATED', 'CANCELLED', { cancelledAt, cancelCorrelationId })) ? 'cancelled' : 'not-created';
  }
}
