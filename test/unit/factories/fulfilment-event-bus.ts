import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '../../../lambdas/shared/events/contracts';

/** One event as a handler put it on the bus. */
export interface PublishedEvent {
  readonly source: string;
  readonly detailType: string;
  readonly bus: string;
  readonly detail: EventEnvelope<Record<string, unknown>>;
}

/**
 * Stands in for EventBridge behind every `EventBridgeClient`: records each PutEvents entry the handlers send, and
 * accepts them, unless the test asked for the next call's entries to be refused (`FailedEntryCount` > 0).
 */
export class FakeEventBus {
  readonly published: PublishedEvent[] = [];
  private refusals = 0;
  private readonly spy: jest.SpyInstance<Promise<unknown>, [{ input: unknown }]>;

  constructor() {
    this.spy = jest.spyOn(EventBridgeClient.prototype, 'send') as unknown as jest.SpyInstance<Promise<unknown>, [{ input: unknown }]>;
    this.spy.mockImplementation(async (command) => {
      const entries = (command.input as { Entries: PutEventsRequestEntry[] }).Entries;
      if (this.refusals > 0) {
        this.refusals -= 1;
        return {
          FailedEntryCount: entries.length,
          Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'refused by the test' })),
        };
      }
      for (const entry of entries) {
        this.published.push({
          source: String(entry.Source),
          detailType: String(entry.DetailType),
          bus: String(entry.EventBusName),
          detail: JSON.parse(String(entry.Detail)),
        });
      }
      return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `bus-event-${this.published.length + index}` })) };
    });
  }

  /** Refuse every entry of the next PutEvents call, as EventBridge reports a partial failure. */
  refuseNextPut(): this {
    this.refusals += 1;
    return this;
  }

  /** `detail-type vN` of each published event, in order: what a test usually asserts. */
  summary(): string[] {
    return this.published.map((event) => `${event.detailType} v${event.detail.version}`);
  }

  restore(): void {
    this.spy.mockRestore();
  }
}
