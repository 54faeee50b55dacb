import { TargetDeliveryError } from '../../../../local/eventbridge/eventbridge-errors';
import type { SendMessageOptions, TargetPorts } from '../../../../local/eventbridge/target-delivery';

export interface SentMessage {
  readonly queueArn: string;
  readonly body: string;
  readonly options?: SendMessageOptions;
}

export interface PutRecord {
  readonly streamArn: string;
  readonly data: string;
  readonly partitionKey: string;
}

export interface AsyncInvoke {
  readonly functionArn: string;
  readonly payload: string;
}

/** Delivery ports that record what they are given; `failing` makes calls to an ARN fail. */
export class FakeTargetPorts implements TargetPorts {
  public readonly messages: SentMessage[] = [];
  public readonly records: PutRecord[] = [];
  public readonly invocations: AsyncInvoke[] = [];
  /** ARN → the error its calls throw (how many times: `times`, else always). */
  private readonly failures = new Map<string, { error: Error; times: number | undefined }>();
  /** Attempts per ARN, failed ones included. */
  public readonly attempts = new Map<string, number>();

  public failing(arn: string, error: Error = new Error('connect ECONNREFUSED 127.0.0.1:4566'), times?: number): this {
    this.failures.set(arn, { error, times });
    return this;
  }

  public notFound(arn: string): this {
    return this.failing(arn, new TargetDeliveryError('RESOURCE_NOT_FOUND', `Function not found: ${arn}`, false));
  }

  public messagesTo(queueArn: string): SentMessage[] {
    return this.messages.filter((m) => m.queueArn === queueArn);
  }

  public async sendMessage(queueArn: string, body: string, options?: SendMessageOptions): Promise<void> {
    this.attempt(queueArn);
    this.messages.push({ queueArn, body, ...(options ? { options } : {}) });
  }

  public async putRecord(streamArn: string, data: string, partitionKey: string): Promise<void> {
    this.attempt(streamArn);
    this.records.push({ streamArn, data, partitionKey });
  }

  public async invokeAsync(functionArn: string, payload: string): Promise<void> {
    this.attempt(functionArn);
    this.invocations.push({ functionArn, payload });
  }

  private attempt(arn: string): void {
    this.attempts.set(arn, (this.attempts.get(arn) ?? 0) + 1);
    const failure = this.failures.get(arn);
    if (!failure) return;
    if (failure.times !== undefined) {
      if (failure.times <= 0) return;
      failure.times--;
    }
    throw failure.error;
  }
}
