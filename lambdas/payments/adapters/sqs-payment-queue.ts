import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PaymentCommand } from '../domain/payment-command';
import type { PaymentQueue } from '../domain/request-payment';

/** The payments FIFO queue in SQS; the body is the command as JSON. */
export class SqsPaymentQueue implements PaymentQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(command: PaymentCommand, message: { readonly groupId: string; readonly deduplicationId: string }): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(command),
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
    );
  }
}
