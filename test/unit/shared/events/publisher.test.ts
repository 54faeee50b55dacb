import '../../support/quiet-env';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { InvalidEventError, type ShopEvent } from '../../../../lambdas/shared/events/contracts';
import { EventPublisher, PublishError } from '../../../../lambdas/shared/events/publisher';
import { anEvent } from '../../factories/events';

type PutEventsInput = ConstructorParameters<typeof PutEventsCommand>[0];

/** An EventBridge client whose PutEvents answers as scripted; every request is recorded. */
function fakeEventBridge(answer: (input: PutEventsInput) => Partial<PutEventsCommandOutput> | Promise<never> = acceptAll) {
  const client = new EventBridgeClient({ region: 'us-east-1' });
  const requests: PutEventsInput[] = [];
  jest.spyOn(client, 'send').mockImplementation(async (command: unknown) => {
    if (!(command instanceof PutEventsCommand)) throw new Error('only PutEvents is expected');
    requests.push(command.input);
    return { $metadata: {}, ...(await answer(command.input)) };
  });
  return { client, requests };
}

function acceptAll(input: PutEventsInput): Partial<PutEventsCommandOutput> {
  return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_entry, index) => ({ EventId: `eb-${index}` })) };
}

const eventsOf = (count: number): ShopEvent[] =>
  Array.from({ length: count }, (_, index) => anEvent('OrderPlaced', { orderId: `order-${index + 1}` }));

afterEach(() => jest.restoreAllMocks());

describe('EventPublisher', () => {
  it('puts each event on the bus with its source, detail-type, envelope and time', async () => {
    // Prepare
    const { client, requests } = fakeEventBridge();
    const event = anEvent('OrderPlaced');

    // Act
    await new EventPublisher({ client, busName: 'shop-bus' }).publish([event]);

    // Assess
    expect(requests).toEqual([
      {
        Entries: [
          {
            EventBusName: 'shop-bus',
            Source: 'shop.orders',
            DetailType: 'OrderPlaced',
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.detail.occurredAt),
          },
        ],
      },
    ]);
  });

  it('puts 23 events in chunks of 10, 10 and 3, in order', async () => {
    const { client, requests } = fakeEventBridge();
    const events = eventsOf(23);

    await new EventPublisher({ client, busName: 'shop-bus' }).publish(events);

    expect(requests.map((request) => request.Entries?.length)).toEqual([10, 10, 3]);
    expect(requests.flatMap((request) => request.Entries ?? []).map((entry) => JSON.parse(entry.Detail ?? '{}').orderId)).toEqual(
      events.map((event) => event.detail.orderId),
    );
  });

  it('sends nothing for no events', async () => {
    const { client, requests } = fakeEventBridge();

    await new EventPublisher({ client, busName: 'shop-bus' }).publish([]);

    expect(requests).toEqual([]);
  });

  it('throws PublishError naming the refused event when FailedEntryCount > 0', async () => {
    // Prepare: EventBridge accepts the first entry and refuses the second
    const { client } = fakeEventBridge(() => ({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'eb-0' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    }));
    const events = eventsOf(2);

    // Act
    const outcome = await new EventPublisher({ client, busName: 'shop-bus' }).publish(events).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(PublishError);
    expect((outcome as PublishError).failures).toEqual([
      { eventId: events[1]?.detail.eventId, detailType: 'OrderPlaced', errorCode: 'InternalFailure', errorMessage: 'try again' },
    ]);
    expect((outcome as PublishError).message).toMatch(/refused 1 of 2 events/);
  });

  it('throws PublishError for every event of the chunk when FailedEntryCount > 0 and no entry says which', async () => {
    const { client } = fakeEventBridge(() => ({ FailedEntryCount: 2, Entries: [{ EventId: 'a' }, { EventId: 'b' }] }));

    const outcome = await new EventPublisher({ client, busName: 'shop-bus' }).publish(eventsOf(2)).catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(PublishError);
    expect((outcome as PublishError).failures.map((failure) => failure.errorCode)).toEqual(['FailedEntryCount', 'FailedEntryCount']);
  });

  it('throws PublishError when an entry has an ErrorCode even though FailedEntryCount says 0', async () => {
    const { client } = fakeEventBridge(() => ({ FailedEntryCount: 0, Entries: [{ ErrorCode: 'ThrottlingException' }] }));

    await expect(new EventPublisher({ client, busName: 'shop-bus' }).publish(eventsOf(1))).rejects.toBeInstanceOf(PublishError);
  });

  it('throws PublishError when EventBridge answers fewer entries than it was sent', async () => {
    const { client } = fakeEventBridge(() => ({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-0' }] }));

    const outcome = await new EventPublisher({ client, busName: 'shop-bus' }).publish(eventsOf(2)).catch((error: unknown) => error);

    expect((outcome as PublishError).failures.map((failure) => failure.errorCode)).toEqual(['NoResultEntry']);
  });

  it('wraps a failed call in PublishError, keeping the cause', async () => {
    const cause = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { client } = fakeEventBridge(() => Promise.reject(cause));

    const outcome = await new EventPublisher({ client, busName: 'shop-bus' }).publish(eventsOf(1)).catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(PublishError);
    expect((outcome as PublishError).cause).toBe(cause);
    expect((outcome as PublishError).failures).toEqual([expect.objectContaining({ errorCode: 'RequestFailed' })]);
  });

  it('stops at the first refused chunk: later chunks are not sent', async () => {
    const { client, requests } = fakeEventBridge(() => ({ FailedEntryCount: 10, Entries: [] }));

    await expect(new EventPublisher({ client, busName: 'shop-bus' }).publish(eventsOf(15))).rejects.toBeInstanceOf(PublishError);
    expect(requests).toHaveLength(1);
  });

  it('validates every event before publishing any: one invalid event publishes nothing', async () => {
    // Prepare: the 12th event breaks its contract
    const { client, requests } = fakeEventBridge();
    const events = [...eventsOf(11), anEvent('OrderPlaced', { data: { lines: [] } })];

    // Act
    const outcome = await new EventPublisher({ client, busName: 'shop-bus' }).publish(events).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(InvalidEventError);
    expect((outcome as InvalidEventError).field).toBe('detail.data.lines');
    expect(requests).toEqual([]);
  });
});

describe('eventPublisher', () => {
  it('fails at cold start when EVENT_BUS_NAME is not set', async () => {
    await jest.isolateModulesAsync(async () => {
      const saved = process.env.EVENT_BUS_NAME;
      delete process.env.EVENT_BUS_NAME;
      try {
        const { eventPublisher } = await import('../../../../lambdas/shared/events/publisher');
        expect(() => eventPublisher()).toThrow(/EVENT_BUS_NAME/);
      } finally {
        if (saved !== undefined) process.env.EVENT_BUS_NAME = saved;
      }
    });
  });

  it('is one publisher per execution environment', async () => {
    await jest.isolateModulesAsync(async () => {
      process.env.EVENT_BUS_NAME = 'shop-bus';
      const { eventPublisher, EventPublisher: Publisher } = await import('../../../../lambdas/shared/events/publisher');
      expect(eventPublisher()).toBeInstanceOf(Publisher);
      expect(eventPublisher()).toBe(eventPublisher());
    });
  });
});
