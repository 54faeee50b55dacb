import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../../shared/aws/dynamodb-errors';
import type { Notification } from '../domain/notification';
import type { NotificationLog } from '../domain/send-notification';

/** Sent e-mails in the sent-notifications table (key `eventId`). */
export class DynamoDbNotificationLog implements NotificationLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(notification: Notification, sentAt: string): Promise<'recorded' | 'duplicate'> {
    const recorded = await conditionalWrite(
      this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...notification, sentAt }, ConditionExpression: 'attribute_not_exists(eventId)' })),
    );
    return recorded ? 'recorded' : 'duplicate';
  }
}
