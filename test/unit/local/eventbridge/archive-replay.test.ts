import type { PutEventsRequestEntry } from '../../../../local/eventbridge/event-envelope';
import { LocalEventBridge } from '../../../../local/eventbridge/local-event-bridge';
import { ARN, bridgeOnTemplate } from './bus-template';
import { FakeTargetPorts } from './fake-target-ports';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const bridges: LocalEventBridge[] = [];
afterEach(() => {
  for (const bridge of bridges.splice(0)) bridge.stop();
});

/** A bridge whose clock the test moves. */
function bridgeAt(ports: FakeTargetPorts, clock: { now: number }, log: string[] = []): LocalEventBridge {
  const bridge = bridgeOnTemplate({ ports, now: () => clock.now, log: (line) => log.push(line) });
  bridges.push(bridge);
  return bridge;
}

function entry(detailType: string, orderId: string, source = 'shop.orders'): PutEventsRequestEntry {
  return { Source: source, DetailType: detailType, Detail: JSON.stringify({ orderId }), EventBusName: 'HybridShop-bus' };
}

/** Puts three order events a minute apart, and one event the archive's pattern leaves out. */
async function putHistory(bridge: LocalEventBridge, clock: { now: number }): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, orderId] of ['o-1', 'o-2', 'o-3'].entries()) {
    clock.now = T0 + index * 60_000;
    ids.push(bridge.putEvents({ Entries: [entry('OrderPlaced', orderId)] }).Entries[0].EventId ?? '');
  }
  bridge.putEvents({ Entries: [entry('Heartbeat', 'none', 'monitoring')] });
  clock.now = T0 + 3_600_000;
  await bridge.settled();
  return ids;
}

/** Polls DescribeReplay until the replay completes, with a deadline. */
async function completed(bridge: LocalEventBridge, name: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (bridge.describeReplay({ ReplayName: name }).State !== 'COMPLETED') {
    if (Date.now() > deadline) throw new Error(`replay ${name} did not complete: ${bridge.describeReplay({ ReplayName: name }).State}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await bridge.settled();
}

describe('archives', () => {
  it('keep every event of their bus that matches their pattern', async () => {
    // Prepare
    const clock = { now: T0 };
    const bridge = bridgeAt(new FakeTargetPorts(), clock);

    // Act
    await putHistory(bridge, clock);

    // Assess
    const archive = bridge.describeArchive({ ArchiveName: 'HybridShop-bus-archive' });
    expect(archive).toMatchObject({ ArchiveArn: ARN.archive, EventSourceArn: ARN.bus, State: 'ENABLED', RetentionDays: 7, EventCount: 3 });
    expect(archive.SizeBytes).toBeGreaterThan(0);
    expect(bridge.listArchives({ EventSourceArn: ARN.bus }).Archives).toEqual([expect.objectContaining({ ArchiveName: 'HybridShop-bus-archive', EventCount: 3 })]);
  });

  it('drop events older than their retention', async () => {
    // Prepare
    const clock = { now: T0 };
    const bridge = bridgeAt(new FakeTargetPorts(), clock);
    await putHistory(bridge, clock);

    // Act
    clock.now = T0 + 8 * 86_400_000;

    // Assess
    expect(bridge.describeArchive({ ArchiveName: 'HybridShop-bus-archive' }).EventCount).toBe(0);
  });

  it('answer ResourceNotFoundException for an unknown archive', () => {
    expect(() => bridgeAt(new FakeTargetPorts(), { now: T0 }).describeArchive({ ArchiveName: 'nope' })).toThrow('Archive nope does not exist.');
  });
});

describe('replays', () => {
  it('re-send the archived events of the time range to the bus\'s rules, with replay-name set', async () => {
    // Prepare
    const clock = { now: T0 };
    const ports = new FakeTargetPorts();
    const log: string[] = [];
    const bridge = bridgeAt(ports, clock, log);
    const ids = await putHistory(bridge, clock);
    const before = ports.messagesTo(ARN.notificationsQueue).length;

    // Act: the first two minutes only.
    const started = bridge.startReplay({
      ReplayName: 'first-two',
      EventSourceArn: ARN.archive,
      EventStartTime: new Date(T0),
      EventEndTime: new Date(T0 + 120_000),
      Destination: { Arn: ARN.bus },
    });
    await completed(bridge, 'first-two');

    // Assess
    expect(started.State).toBe('STARTING');
    const replayed = ports.messagesTo(ARN.notificationsQueue).slice(before).map((m) => JSON.parse(m.body));
    expect(replayed.map((e) => [e.id, e.detail.orderId, e['replay-name']])).toEqual([
      [ids[0], 'o-1', 'first-two'],
      [ids[1], 'o-2', 'first-two'],
    ]);
    expect(bridge.describeReplay({ ReplayName: 'first-two' })).toMatchObject({
      State: 'COMPLETED',
      EventSourceArn: ARN.archive,
      Destination: { Arn: ARN.bus },
      EventLastReplayedTime: new Date(T0 + 60_000),
    });
    expect(log).toContainEqual(expect.stringMatching(/^⇄ events {2}Replay first-two shop\.orders OrderPlaced ×2 on HybridShop-bus → 6 rules/));
  });

  it('never archive replayed events again', async () => {
    // Prepare
    const clock = { now: T0 };
    const bridge = bridgeAt(new FakeTargetPorts(), clock);
    await putHistory(bridge, clock);

    // Act
    bridge.startReplay({ ReplayName: 'all', EventSourceArn: ARN.archive, EventStartTime: new Date(T0), EventEndTime: new Date(clock.now), Destination: { Arn: ARN.bus } });
    await completed(bridge, 'all');

    // Assess
    expect(bridge.describeArchive({ ArchiveName: 'HybridShop-bus-archive' }).EventCount).toBe(3);
  });

  it('send only to the rules in FilterArns when given', async () => {
    // Prepare
    const clock = { now: T0 };
    const ports = new FakeTargetPorts();
    const bridge = bridgeAt(ports, clock);
    await putHistory(bridge, clock);
    const logRule = bridge.describeRule({ Name: 'HybridShop-LogRule', EventBusName: 'HybridShop-bus' }).Arn;
    const messages = ports.messages.length;
    const records = ports.records.length;

    // Act
    bridge.startReplay({
      ReplayName: 'log-only',
      EventSourceArn: ARN.archive,
      EventStartTime: new Date(T0),
      EventEndTime: new Date(clock.now),
      Destination: { Arn: ARN.bus, FilterArns: [logRule] },
    });
    await completed(bridge, 'log-only');

    // Assess
    expect(ports.messages.length).toBe(messages);
    expect(ports.records.length).toBe(records + 3);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown archive', { EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/nope' }, 'Archive arn:aws:events:us-east-1:000000000000:archive/nope does not exist.'],
    ['a start after the end', { EventStartTime: new Date(T0 + 1000), EventEndTime: new Date(T0) }, 'EventStartTime must be before EventEndTime.'],
    ['an end in the future', { EventEndTime: new Date(T0 + 86_400_000) }, 'EventEndTime must not be in the future.'],
    ['another bus', { Destination: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' } }, 'Cross event bus replay is not permitted.'],
  ])('reject %s', (_what, overrides, message) => {
    // Prepare
    const bridge = bridgeAt(new FakeTargetPorts(), { now: T0 + 3_600_000 });
    const input = { ReplayName: 'r', EventSourceArn: ARN.archive, EventStartTime: new Date(T0), EventEndTime: new Date(T0 + 60_000), Destination: { Arn: ARN.bus }, ...overrides };

    // Act / Assess
    expect(() => bridge.startReplay(input)).toThrow(message);
  });

  it('reject a name already used', async () => {
    // Prepare
    const clock = { now: T0 + 3_600_000 };
    const bridge = bridgeAt(new FakeTargetPorts(), clock);
    const input = { ReplayName: 'twice', EventSourceArn: ARN.archive, EventStartTime: new Date(T0), EventEndTime: new Date(T0 + 60_000), Destination: { Arn: ARN.bus } };
    bridge.startReplay(input);

    // Act / Assess
    expect(() => bridge.startReplay(input)).toThrow('Replay twice already exists.');
    await completed(bridge, 'twice');
  });
});
