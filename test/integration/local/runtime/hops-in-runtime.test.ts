import * as path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalRuntime, type Hop, type LocalRuntime } from '../../../../local/runtime';
import { eventually } from '../sqs/sqs-through-edge';

const ASSEMBLY = path.join(__dirname, 'fixtures', 'hop-assembly');
const QUEUE = 'HopTest-WorkQueue7E8F9A0B';
const STREAM = 'HopTest-EventLog6A7B8C9D';

describe('LocalRuntime.onHop', () => {
  let runtime: LocalRuntime;
  let sqs: SQSClient;
  let events: EventBridgeClient;
  const hops: Hop[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, log: (line) => lines.push(line) });
    runtime.onHop((hop) => hops.push(hop));
    const config = { endpoint: runtime.edgeUrl, region: 'us-east-1', credentials: runtime.credentials, maxAttempts: 1 };
    sqs = new SQSClient(config);
    events = new EventBridgeClient(config);
  });

  afterAll(async () => {
    sqs.destroy();
    events.destroy();
    await runtime.stop();
  });

  async function putEvent(orderId: string): Promise<string> {
    const { Entries: entries = [] } = await events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: runtime.outputs.BusName, Source: 'hop.test', DetailType: 'Hopped', Detail: JSON.stringify({ orderId }) }] }),
    );
    return entries[0]?.EventId ?? '';
  }

  const consumesOf = (eventId: string) => hops.filter((hop) => hop.kind === 'consume' && hop.eventId === eventId);

  it('reports the publish, the three deliveries and the three consumes of an event, each consume with the time since PutEvents', async () => {
    // Act
    const eventId = await putEvent('o-1');
    const consumes = await eventually(async () => (consumesOf(eventId).length >= 3 ? consumesOf(eventId) : undefined), 10_000, 'the three consumes');

    // Assess
    const ofEvent = hops.filter((hop) => hop.eventId === eventId);
    expect(ofEvent.filter((hop) => hop.kind === 'publish')).toEqual([
      {
        kind: 'publish',
        from: 'hop.test',
        to: 'HopTest-bus',
        via: 'events',
        eventId,
        detailType: 'Hopped',
        detail: { orderId: 'o-1' },
        latencyMs: expect.any(Number),
        at: expect.any(Number),
      },
    ]);
    expect(ofEvent.filter((hop) => hop.kind === 'delivery').map(({ from, to, via }) => ({ from, to, via }))).toEqual(
      expect.arrayContaining([
        { from: 'HopTest-bus', to: QUEUE, via: 'sqs' },
        { from: 'HopTest-bus', to: STREAM, via: 'kinesis' },
        { from: 'HopTest-bus', to: 'ShipperFunction', via: 'lambda' },
      ]),
    );
    expect(consumes.map(({ from, to, via, detailType }) => ({ from, to, via, detailType }))).toEqual(
      expect.arrayContaining([
        { from: QUEUE, to: 'WorkerFunction', via: 'sqs', detailType: 'Hopped' },
        { from: `${STREAM}/shard-0`, to: 'ProjectorFunction', via: 'kinesis', detailType: 'Hopped' },
        { from: 'async', to: 'ShipperFunction', via: 'lambda', detailType: 'Hopped' },
      ]),
    );
    for (const consume of consumes) expect(consume.sincePutEventsMs).toBeGreaterThanOrEqual(0); // consumed after the put
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^⇢ sqs {2}${QUEUE} → WorkerFunction {2}1 msg {2}\\d+ ms after send, \\d+ ms after PutEvents, handler \\d+ ms$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^⇢ kinesis {2}${STREAM}/shard-0 → ProjectorFunction {2}1 rec {2}\\d+ ms after put, \\d+ ms after PutEvents, handler \\d+ ms$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^⇢ lambda {2}async → ShipperFunction {2}1 event {2}\d+ ms after invoke, \d+ ms after PutEvents, handler \d+ ms$/));
  });

  it('gives a message that carries no EventBridge event a consume hop without an event id or a time since PutEvents', async () => {
    // Prepare
    const before = hops.length;

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl('WorkQueue'), MessageBody: 'plain' }));
    const [consume] = await eventually(async () => {
      const found = hops.slice(before).filter((hop) => hop.kind === 'consume');
      return found.length > 0 ? found : undefined;
    });

    // Assess
    expect(consume).toEqual({ kind: 'consume', from: QUEUE, to: 'WorkerFunction', via: 'sqs', latencyMs: expect.any(Number), at: expect.any(Number) });
  });

  it('stops calling a listener once it unsubscribes', async () => {
    // Prepare
    const seen: Hop[] = [];
    const unsubscribe = runtime.onHop((hop) => seen.push(hop));
    unsubscribe();

    // Act
    const eventId = await putEvent('o-2');
    await eventually(async () => (consumesOf(eventId).length >= 3 ? true : undefined), 10_000, 'the three consumes');

    // Assess
    expect(seen).toEqual([]);
  });

  it('says where the CPU went: the main thread, each function’s environments, dynalite, fauxqs and kinesis-local', async () => {
    // Prepare
    const before = await runtime.cpuUsage();

    // Act: one event reaches the three targets and their consumers
    const eventId = await putEvent('o-cpu');
    await eventually(async () => (consumesOf(eventId).length >= 3 ? true : undefined), 10_000, 'the three consumes');
    const after = await runtime.cpuUsage();

    // Assess: every part is counted, and only grows
    expect(Object.keys(after.functionsMs).sort()).toEqual(Object.keys(before.functionsMs).sort());
    for (const fn of ['WorkerFunction', 'ShipperFunction']) expect(after.functionsMs[fn]).toBeGreaterThan(before.functionsMs[fn] ?? 0);
    expect(after.mainThreadMs).toBeGreaterThan(before.mainThreadMs as number);
    expect(before.dynamoDbMs).toBeGreaterThan(0);
    expect(after.dynamoDbMs).toBeGreaterThanOrEqual(before.dynamoDbMs);
    expect(after.sqsMs).toBeGreaterThan(before.sqsMs);
    expect(after.kinesisMs).toBeGreaterThan(before.kinesisMs as number);
  });
});
