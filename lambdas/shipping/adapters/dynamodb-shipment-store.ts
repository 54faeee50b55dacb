import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../shared/aws/dynamodb-errors';
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
export class DynamoDbShipmentStore implements ShipmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(orderId: string): Promise<Shipment | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }));
    return out.Item === undefined ? undefined : toShipment(out.Item);
  }

  async create(shipment: Shipment): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...shipment }, ConditionExpression: 'attribute_not_exists(orderId)' }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async markCancelled(orderId: string, cancelledAt: string, cancelCorrelationId: string): Promise<'cancelled' | 'not-created'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at, cancelCorrelationId = :correlationId',
          ConditionExpression: '#status = :created',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':created': 'CREATED',
            ':at': cancelledAt,
            ':correlationId': cancelCorrelationId,
          },
        }),
      );
      return 'cancelled';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'not-created';
      throw error;
    }
  }
}
