/**
 * Test support: one standard SQS queue in memory, behind the JSON-protocol `call` the SQS pollers use. A receive takes
 * the visible messages at once (no timer, no I/O), so everything a poller does with them happens within the same turn
 * of the event loop: a test that lets one turn pass (`nextTurn`) has seen every poller that could have started. An
 * empty queue long-polls until a message is sent, the wait ends or the poller aborts.
 */
import type { JsonObject } from '../../../../local/shared/json';
import type { SqsAnswer } from '../../../../local/sqs/sqs-json';

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receipt?: string;
}

export class InMemoryQueue {
  private readonly messages: StoredMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private receipts = 0;
  /** ReceiveMessage calls that returned at least one message. */
  receivesWithMessages = 0;
  /** Messages deleted, by body, in the order they were deleted. */
  readonly deleted: string[] = [];

  /** Sends `bodies`, one message each. */
  send(...bodies: string[]): void {
    for (const body of bodies) this.messages.push({ messageId: `m-${this.messages.length + this.deleted.length}`, body, sentAt: Date.now() });
    for (const wake of [...this.waiters]) wake();
  }

  /** Messages neither received nor deleted. */
  get visible(): number {
    return this.messages.filter((message) => message.receipt === undefined).length;
  }

  async call(action: string, input: JsonObject, _authorization?: string, signal?: AbortSignal): Promise<SqsAnswer> {
    if (action === 'GetQueueAttributes') return { ok: true, output: { Attributes: { VisibilityTimeout: '30' } } };
    if (action === 'DeleteMessageBatch') return { ok: true, output: this.deleteBatch(input) };
    if (action !== 'ReceiveMessage') throw new Error(`InMemoryQueue: no ${action}`);
    const max = Number(input.MaxNumberOfMessages ?? 1);
    if (this.visible === 0 && !signal?.aborted) await this.waitForMessage(Number(input.WaitTimeSeconds ?? 0) * 1000, signal);
    const taken = this.messages.filter((message) => message.receipt === undefined).slice(0, max);
    for (const message of taken) message.receipt = `r-${++this.receipts}`;
    if (taken.length > 0) this.receivesWithMessages++;
    return {
      ok: true,
      output: {
        Messages: taken.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receipt ?? '',
          Body: message.body,
          Attributes: { SentTimestamp: String(message.sentAt), ApproximateReceiveCount: '1' },
        })),
      },
    };
  }

  close(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private deleteBatch(input: JsonObject): JsonObject {
    const entries = Array.isArray(input.Entries) ? input.Entries : [];
    for (const entry of entries) {
      const receipt = (entry as JsonObject).ReceiptHandle;
      const index = this.messages.findIndex((message) => message.receipt === receipt);
      if (index >= 0) this.deleted.push(...this.messages.splice(index, 1).map((message) => message.body));
    }
    return { Successful: [], Failed: [] };
  }

  private waitForMessage(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}

/** Lets one turn of the event loop pass: every promise already settled has run its callbacks. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
