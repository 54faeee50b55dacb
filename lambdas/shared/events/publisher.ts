import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { PLAIN_CLIENT_CONFIG } from '../aws/plain-client-config';
import { requireEnv } from '../env';
import { type ShopEvent, validateForPublish } from './contracts';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** One event EventBridge did not accept. */
export interface PublishFailure {
  readonly eventId: string;
  readonly detailType: string;
  /** EventBridge's `ErrorCode`, or `RequestFailed` when the whole call failed, `NoResultEntry` when it said nothing. */
  readonly errorCode: string;
  readonly errorMessage?: string;
}

/**
 * Some events were not published: the whole PutEvents call failed, or EventBridge refused entries
 * (`FailedEntryCount > 0`). Events of earlier chunks may have been published; publishing all of them again is safe,
 * their eventIds make the repeats duplicates.
 */
export class PublishError extends Error {
  readonly failures: readonly PublishFailure[];

  constructor(message: string, failures: readonly PublishFailure[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
    this.failures = failures;
  }
}

export interface EventPublisherOptions {
  readonly client: EventBridgeClient;
  /** The bus events go to (name or ARN). */
  readonly busName: string;
}

/** Publishes shop events to one EventBridge bus. */
export class EventPublisher {
  private readonly client: EventBridgeClient;
  private readonly busName: string;

  constructor(options: EventPublisherOptions) {
    this.client = options.client;
    this.busName = options.busName;
  }

  /**
   * Validate every event against its contract (an `InvalidEventError` publishes nothing), then PutEvents in chunks
   * of 10, in order. Throws `PublishError` when a call fails or EventBridge refuses any entry; never retries a
   * refused entry itself — the caller's retry (the client's, or the queue's redelivery) publishes again.
   */
  async publish(events: readonly ShopEvent[]): Promise<void> {
    const valid = events.map(validateForPublish);
    for (let start = 0; start < valid.length; start += PUT_EVENTS_MAX_ENTRIES) {
      await this.putChunk(valid.slice(start, start + PUT_EVENTS_MAX_ENTRIES));
    }
  }

  private async putChunk(chunk: readonly ShopEvent[]): Promise<void> {
    const entries: PutEventsRequestEntry[] = chunk.map((event) => ({
      EventBusName: this.busName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: new Date(event.detail.occurredAt),
    }));
    let results: readonly PutEventsResultEntry[];
    let failedEntryCount: number;
    try {
      const out = await this.client.send(new PutEventsCommand({ Entries: entries }));
      results = out.Entries ?? [];
      failedEntryCount = out.FailedEntryCount ?? 0;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new PublishError(
        `PutEvents failed for ${describe(chunk)}: ${reason}`,
        chunk.map((event) => failure(event, 'RequestFailed', reason)),
        { cause: error },
      );
    }
    const refused = chunk.flatMap((event, index): PublishFailure[] => {
      const result = results[index];
      if (result === undefined) return [failure(event, 'NoResultEntry', 'PutEvents returned no entry for this event')];
      return result.ErrorCode === undefined || result.ErrorCode === '' ? [] : [failure(event, result.ErrorCode, result.ErrorMessage)];
    });
    if (failedEntryCount === 0 && refused.length === 0) return;
    // A count without entries naming the refused events: every event of the chunk is in doubt.
    const failures = refused.length > 0 ? refused : chunk.map((event) => failure(event, 'FailedEntryCount', `FailedEntryCount ${failedEntryCount}`));
    const listed = failures.map((f) => `${f.detailType} ${f.eventId} ${f.errorCode}${f.errorMessage === undefined ? '' : ` (${f.errorMessage})`}`);
    throw new PublishError(
      `EventBridge refused ${Math.max(failedEntryCount, refused.length)} of ${chunk.length} events: ${listed.join('; ')}`,
      failures,
    );
  }
}

function failure(event: ShopEvent, errorCode: string, errorMessage: string | undefined): PublishFailure {
  return {
    eventId: event.detail.eventId,
    detailType: event.detailType,
    errorCode,
    ...(errorMessage === undefined ? {} : { errorMessage }),
  };
}

function describe(chunk: readonly ShopEvent[]): string {
  return chunk.map((event) => `${event.detailType} v${event.detail.version} of ${event.detail.orderId}`).join(', ');
}

let shared: EventPublisher | undefined;

/**
 * The execution environment's one publisher, to the bus named by `EVENT_BUS_NAME` (required: call it at module
 * scope so a missing variable fails the cold start). Region, credentials and `AWS_ENDPOINT_URL` come from the
 * standard environment variables.
 */
export function eventPublisher(): EventPublisher {
  shared ??= new EventPublisher({ client: new EventBridgeClient(PLAIN_CLIENT_CONFIG), busName: requireEnv('EVENT_BUS_NAME') });
  return shared;
}
