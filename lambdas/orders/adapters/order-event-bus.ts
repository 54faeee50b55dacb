import { ServiceUnavailableError } from '../../shared/errors';
import type { ShopEvent } from '../../shared/events/contracts';
import { type EventPublisher, PublishError } from '../../shared/events/publisher';
import type { OrderEvents } from '../domain/order-repository';

/**
 * Order events for the HTTP handlers: a failed publish (`PublishError`, a partial FailedEntryCount included)
 * becomes a 503 `event-publish-failed` problem with Retry-After. The change is saved; the client's retry (same
 * Idempotency-Key, or the same cancel) publishes the same events again.
 */
export class OrderEventBus implements OrderEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async publish(events: readonly ShopEvent[]): Promise<void> {
    try {
      await this.publisher.publish(events);
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      throw new ServiceUnavailableError('The order was saved, but its event could not be published; retry the same request.', {
        type: 'event-publish-failed',
        retryAfterSeconds: 1,
        cause: error,
      });
    }
  }
}
