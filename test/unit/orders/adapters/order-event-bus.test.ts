import { OrderEventBus } from '../../../../lambdas/orders/adapters/order-event-bus';
import { ServiceUnavailableError } from '../../../../lambdas/shared/errors';
import { type EventPublisher, PublishError } from '../../../../lambdas/shared/events/publisher';
import { anEvent } from '../../factories/events';

/** A publisher that answers every publish with `outcome`. */
const publisherThat = (outcome: () => Promise<void>) => ({ publish: jest.fn(outcome) });

describe('OrderEventBus.publish', () => {
  it('publishes the events as they are', async () => {
    // Prepare
    const publisher = publisherThat(async () => undefined);
    const events = [anEvent('OrderPlaced')];

    // Act
    await new OrderEventBus(publisher as unknown as EventPublisher).publish(events);

    // Assess
    expect(publisher.publish).toHaveBeenCalledWith(events);
  });

  it('answers a refused publish with a 503 event-publish-failed problem, Retry-After 1 s, keeping the cause', async () => {
    // Prepare
    const refused = new PublishError('refused', []);
    const bus = new OrderEventBus(
      publisherThat(async () => {
        throw refused;
      }) as unknown as EventPublisher,
    );

    // Act
    const outcome = await bus.publish([anEvent('OrderPlaced')]).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(ServiceUnavailableError);
    expect(outcome).toMatchObject({ type: 'event-publish-failed', retryAfterSeconds: 1, cause: refused });
  });

  it('passes on any other error as it is', async () => {
    const bug = new TypeError('not a publish failure');
    const bus = new OrderEventBus(
      publisherThat(async () => {
        throw bug;
      }) as unknown as EventPublisher,
    );

    await expect(bus.publish([anEvent('OrderPlaced')])).rejects.toBe(bug);
  });
});
