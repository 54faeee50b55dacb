/**
 * `npm run bench:kinesis`: the Kinesis backends the local runtime could run, side by side in one run, on the shop's
 * pattern, so their CPU figures share the machine's state of the moment:
 * - `kinesis-local`: the kinesis-local package in a child process, spoken to over keep-alive HTTP, as the runtime ran
 *   it until the shard log (`--kinesis kinesis-local`);
 * - `kinesalite`: the kinesalite package (LevelDB on memdown) in this process, its request handler called directly (no
 *   socket), as dynalite's worker thread calls dynalite;
 * - `in-process`: the runtime's own shard log (`local/kinesis/shard-log.ts`), called as the runtime calls it.
 * And a baseline of the same run: an empty request round trip over loopback HTTP, both ends in this process.
 *
 * Each backend gets one stream of one shard (the order-event log's), then for each step (`--steps`, default 3):
 * - the stream grows by `--grow` records (default 5,000; PutRecords of 500, within the shard's 1,000 records/s);
 * - puts: 200 PutRecords of one ~1 KB event → CPU per record put;
 * - reads: 200 GetRecords of 5 records from the middle of the stream → CPU per GetRecords;
 * - orders: `--seconds` (default 10) of 10 orders/s, 5 events an order, put through the runtime's Kinesis put path
 *   (EventBridge's `KinesisPutBatcher`) and read by two event source mappings (the shop's timeline and sales
 *   projectors: the runtime's shard consumers, sharing their reads, with a function that returns at once), until both
 *   have been handed every record → CPU per order, with the GetRecords calls it took;
 * - idle: 5 s of the same mappings with nothing put → CPU per second.
 * CPU is this process's (every thread: `process.cpuUsage`) plus, for kinesis-local, its process's (from /proc, Linux
 * only); each phase ends with 200 ms for work left after the last answer (garbage collection). "Of which the backend"
 * is kinesis-local's process, or the time of the shard log's calls; the rest of an order's CPU is the runtime's own
 * Kinesis work (the put batcher, the consumers, building the functions' events, timers), the same for every backend
 * but for how many GetRecords it takes. Options: `--steps`, `--grow`, `--seconds`,
 * `--backends kinesis-local,kinesalite,in-process`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import kinesalite from 'kinesalite';
import { handlerExchange } from '../local/dynamodb/handler-exchange.mjs';
import { KinesisEventSource } from '../local/event-source-mappings/kinesis-event-source';
import type { KinesisMappingConfig } from '../local/event-source-mappings/mapping-config';
import type { MappingInvoker } from '../local/event-source-mappings/mapping-invoker';
import { SharedShardReads } from '../local/event-source-mappings/shared-shard-reads';
import { KinesisPutBatcher } from '../local/eventbridge/kinesis-put-batcher';
import { InProcessKinesis } from '../local/kinesis/in-process-kinesis';
import { startKinesis } from '../local/kinesis/kinesis-local';
import { KINESIS_JSON, type KinesisCaller, KinesisWireClient } from '../local/kinesis/kinesis-wire-client';
import { StreamActivity } from '../local/kinesis/stream-activity';
import { EmulatorClient } from '../local/shared/emulator-client';
import { runScript, scriptFlags, ScriptUsageError } from './support/script-flags';

const STREAM = 'bench-order-event-log';
const SHARD = 'shardId-000000000000';
const REGION = 'us-east-1';
const ORDERS_PER_SECOND = 10;
const EVENTS_PER_ORDER = 5;
const CALLS = 200;
const IDLE_SECONDS = 5;
const SETTLE_MS = 200;
const BACKENDS = ['kinesis-local', 'kinesalite', 'in-process'] as const;
type BackendName = (typeof BACKENDS)[number];

/** A backend as the bench drives it. */
interface Backend {
  readonly name: BackendName;
  readonly caller: KinesisCaller;
  /** Told of every put by the bench, as EventBridge's Kinesis targets tell the runtime's. */
  readonly activity: StreamActivity;
  /**
   * CPU (ms) of the backend's own work: kinesis-local's process (/proc), the shard log's calls (their time on this
   * thread); NaN where it cannot be told apart from the rest of this process (kinesalite answers asynchronously).
   */
  ownCpuMs(): number;
  /** Whether `ownCpuMs` is a process of its own (counted on top of this process's CPU). */
  readonly ownProcess: boolean;
  stop(): Promise<void>;
}

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One event of an order, about 1 KB of JSON as EventBridge delivers it to the log. */
function orderEvent(orderId: string, type: string): Buffer {
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source: 'hybrid-shop.orders',
    account: '000000000000',
    time: new Date().toISOString(),
    region: REGION,
    resources: [],
    detail: {
      orderId,
      customerId: `customer-${orderId.slice(-4)}`,
      items: Array.from({ length: 3 }, (_, i) => ({ sku: `SKU-${1000 + i}`, quantity: 1 + i, unitPriceCents: 1999 + i * 500, name: `Product number ${i} of the catalog` })),
      totalCents: 9_993,
      currency: 'EUR',
      shippingAddress: { name: 'Jane Doe', line1: '1 Example Street', city: 'Springfield', postcode: '12345', country: 'DE' },
    },
  };
  const text = JSON.stringify(event);
  return Buffer.from(text.length < 1000 ? JSON.stringify({ ...event, padding: 'x'.repeat(1000 - text.length - 14) }) : text);
}

async function startBackend(name: BackendName): Promise<Backend> {
  const activity = new StreamActivity();
  if (name === 'kinesis-local') {
    const local = await startKinesis({ region: REGION });
    // The runtime's wire client on kinesis-local: one request at a time (see kinesis-wire-client.ts).
    const caller = new EmulatorClient(local.endpoint, { protocol: KINESIS_JSON, maxSockets: 1 });
    return { name, caller, activity, ownCpuMs: () => local.cpuMs() ?? Number.NaN, ownProcess: true, stop: async () => (caller.close(), local.stop()) };
  }
  if (name === 'kinesalite') {
    const server: Server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
    const caller = new EmulatorClient('http://127.0.0.1:1', { protocol: KINESIS_JSON, maxSockets: 1, transport: handlerExchange(server) });
    return { name, caller, activity, ownCpuMs: () => Number.NaN, ownProcess: false, stop: () => new Promise((resolve) => server.close(() => resolve())) };
  }
  const kinesis = new InProcessKinesis({ accountId: '000000000000', region: REGION });
  return { name, caller: kinesis, activity, ownCpuMs: () => kinesis.cpuMs(), ownProcess: false, stop: async () => undefined };
}

/** Counts the operations a caller sends. */
class CountingCaller implements KinesisCaller {
  readonly counts = new Map<string, number>();
  constructor(private readonly inner: KinesisCaller) {}
  call(...args: Parameters<KinesisCaller['call']>): ReturnType<KinesisCaller['call']> {
    this.counts.set(args[0], (this.counts.get(args[0]) ?? 0) + 1);
    return this.inner.call(...args);
  }
  close(): void {
    this.inner.close();
  }
}

interface Cost {
  /** This process and, for kinesis-local, its process. */
  readonly cpuMs: number;
  /** The backend's own part (see `Backend.ownCpuMs`). */
  readonly ownMs: number;
  readonly wallMs: number;
}

async function measure(backend: Backend, work: () => Promise<void>): Promise<Cost> {
  const [process0, own0, started] = [processCpuMs(), backend.ownCpuMs(), performance.now()];
  await work();
  const wallMs = performance.now() - started;
  await sleep(SETTLE_MS);
  const ownMs = backend.ownCpuMs() - own0;
  return { cpuMs: processCpuMs() - process0 + (backend.ownProcess ? ownMs : 0), ownMs, wallMs };
}

async function createStream(client: KinesisWireClient): Promise<void> {
  await client.call('CreateStream', { StreamName: STREAM, ShardCount: 1 });
  for (let tries = 0; ; tries++) {
    const { StreamDescriptionSummary: summary } = (await client.call('DescribeStreamSummary', { StreamName: STREAM })) as { StreamDescriptionSummary?: { StreamStatus?: string } };
    if (summary?.StreamStatus === 'ACTIVE') return;
    if (tries > 200) throw new Error(`${STREAM} did not become ACTIVE`);
    await sleep(25);
  }
}

/** Grows the stream by `count` records, within the shard's 1,000 records a second (refused records are put again). */
async function grow(client: KinesisWireClient, count: number, tag: string): Promise<void> {
  const data = orderEvent(`grow-${tag}`, 'OrderPlaced').toString('base64');
  const waiting = Array.from({ length: count }, (_, i) => ({ Data: data, PartitionKey: `order-${tag}-${i}` }));
  for (let calls = 0; waiting.length > 0; calls++) {
    if (calls > 10 * (count / 500 + 1)) throw new Error(`growing the stream: ${waiting.length} records still refused after ${calls} calls`);
    const started = performance.now();
    const batch = waiting.splice(0, 500);
    const answer = await client.call('PutRecords', { StreamName: STREAM, Records: batch });
    const results = Array.isArray(answer.Records) ? (answer.Records as { ErrorCode?: unknown }[]) : [];
    waiting.unshift(...batch.filter((_, i) => typeof results[i]?.ErrorCode === 'string'));
    await sleep(Math.max(0, 510 - (performance.now() - started)));
  }
  await sleep(1_000);
}

/** Functions that return at once, for the mappings, counting the records each was handed. */
class NothingToDo implements MappingInvoker {
  readonly delivered = new Map<string, number>();

  describe(ref: string) {
    return { shortName: ref, arn: `arn:aws:lambda:${REGION}:000000000000:function:${ref}`, concurrencyLimit: 10 };
  }

  async invoke(ref: string, event: unknown) {
    this.delivered.set(ref, (this.delivered.get(ref) ?? 0) + (event as { Records: unknown[] }).Records.length);
    return { ok: true as const, requestId: randomUUID(), payload: 'null', durationMs: 0 };
  }

  /** Resolves once every function has been handed `count` records in all. */
  async allDelivered(refs: readonly string[], count: number): Promise<void> {
    const deadline = performance.now() + 120_000;
    while (refs.some((ref) => (this.delivered.get(ref) ?? 0) < count)) {
      if (performance.now() > deadline) throw new Error(`the mappings were handed ${refs.map((ref) => this.delivered.get(ref) ?? 0).join(' and ')} records, not ${count} each`);
      await sleep(5);
    }
  }
}

const FUNCTIONS = ['OrdersTimelineProjector', 'AnalyticsSalesProjector'];

function mapping(functionRef: string): KinesisMappingConfig {
  return {
    kind: 'kinesis',
    logicalId: `${functionRef}KinesisEventSource`,
    uuid: randomUUID(),
    functionRef,
    streamArn: `arn:aws:kinesis:${REGION}:000000000000:stream/${STREAM}`,
    streamName: STREAM,
    region: REGION,
    batchSize: 100,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    enabled: true,
    // The bench's mappings start caught up, as the shop's are in a steady state.
    startingPosition: 'LATEST',
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: -1,
    maximumRecordAgeSeconds: -1,
    invokeIdentityArn: `arn:aws:iam::000000000000:role/${functionRef}Role`,
  };
}

interface StepFigures {
  readonly inStream: number;
  readonly perPutMs: number;
  readonly perGetMs: number;
  readonly perOrderMs: number;
  readonly perOrderOwnMs: number;
  readonly getsPerOrder: number;
  readonly idleMsPerSecond: number;
}

async function runBackend(name: BackendName, options: { steps: number; grow: number; seconds: number }): Promise<StepFigures[]> {
  const backend = await startBackend(name);
  const counting = new CountingCaller(backend.caller);
  const client = new KinesisWireClient(counting);
  const figures: StepFigures[] = [];
  try {
    await createStream(client);
    let inStream = 0;
    for (let step = 0; step < options.steps; step++) {
      if (step > 0) {
        await grow(client, options.grow, String(step));
        inStream += options.grow;
      }
      const puts = await measure(backend, async () => {
        for (let i = 0; i < CALLS; i++) {
          await client.call('PutRecords', { StreamName: STREAM, Records: [{ Data: orderEvent(`o-${step}-${i}`, 'OrderPlaced').toString('base64'), PartitionKey: `o-${step}-${i}` }] });
        }
      });
      inStream += CALLS;
      const middle = await client.getShardIterator(STREAM, SHARD, { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() - 60_000) });
      const reads = await measure(backend, async () => {
        let iterator = middle;
        for (let i = 0; i < CALLS && iterator !== undefined; i++) iterator = (await client.getRecords(iterator, 5)).nextShardIterator;
      });

      const sharedReads = new SharedShardReads();
      const functions = new NothingToDo();
      const warnings: string[] = [];
      const sources = FUNCTIONS.map(
        (fn) =>
          new KinesisEventSource({
            config: mapping(fn),
            kinesis: client,
            invoker: functions,
            sendFailureRecord: async () => undefined,
            activity: backend.activity,
            sharedReads,
            onWarning: (message) => warnings.push(message),
          }),
      );
      await Promise.all(sources.map((source) => source.start()));
      const batcher = new KinesisPutBatcher(client);
      const orders = ORDERS_PER_SECOND * options.seconds;
      const getsBefore = counting.counts.get('GetRecords') ?? 0;
      const mixed = await measure(backend, async () => {
        const started = performance.now();
        const deliveries: Promise<void>[] = [];
        for (let event = 0; event < orders * EVENTS_PER_ORDER; event++) {
          await sleep(Math.max(0, started + (event * 1000) / (ORDERS_PER_SECOND * EVENTS_PER_ORDER) - performance.now()));
          const orderId = `order-${step}-${Math.floor(event / EVENTS_PER_ORDER)}`;
          deliveries.push(
            batcher.put(STREAM, orderEvent(orderId, `Order${event % EVENTS_PER_ORDER}`), orderId).then(() => backend.activity.recordsPut(STREAM)),
          );
        }
        await Promise.all(deliveries);
        await functions.allDelivered(FUNCTIONS, orders * EVENTS_PER_ORDER);
      });
      inStream += orders * EVENTS_PER_ORDER;
      const gets = (counting.counts.get('GetRecords') ?? 0) - getsBefore;
      const idle = await measure(backend, () => sleep(IDLE_SECONDS * 1000));
      if (warnings.length > 0) console.warn(`${name}: the mappings warned: ${[...new Set(warnings)].join('; ')}`);
      await Promise.all(sources.map((source) => source.stop()));

      figures.push({
        inStream,
        perPutMs: puts.cpuMs / CALLS,
        perGetMs: reads.cpuMs / CALLS,
        perOrderMs: mixed.cpuMs / orders,
        perOrderOwnMs: mixed.ownMs / orders,
        getsPerOrder: gets / orders,
        idleMsPerSecond: idle.cpuMs / (idle.wallMs / 1000),
      });
    }
  } finally {
    client.close();
    await backend.stop();
  }
  return figures;
}

/** CPU (ms) of one empty JSON request and answer over loopback HTTP, both ends in this process. */
async function loopbackRoundTripMs(): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const client = new EmulatorClient(`http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`, { protocol: KINESIS_JSON, maxSockets: 1 });
  try {
    for (let i = 0; i < 200; i++) await client.call('ListStreams', {});
    const before = processCpuMs();
    for (let i = 0; i < 2_000; i++) await client.call('ListStreams', {});
    return (processCpuMs() - before) / 2_000;
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

const USAGE =
  'usage: npm run bench:kinesis -- [--steps 3] [--grow 5000] [--seconds 10] [--backends kinesis-local,kinesalite,in-process]\n' +
  '  --steps     how many times the stream grows, each step measured\n' +
  '  --grow      records added to the stream before each step\n' +
  '  --seconds   seconds of 10 orders/s a step\n' +
  '  --backends  which backends to measure, comma-separated';

function parse(argv: readonly string[]): { steps: number; grow: number; seconds: number; backends: BackendName[] } {
  const { value } = scriptFlags(argv, ['--steps', '--grow', '--seconds', '--backends']);
  const number = (name: string, fallback: number, least: number): number => {
    const text = value(name, String(fallback));
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < least) throw new ScriptUsageError(`${name} is '${text}': give a whole number, ${least} or more`);
    return n;
  };
  const backends = value('--backends', BACKENDS.join(',')).split(',').map((name) => {
    const found = BACKENDS.find((backend) => backend === name);
    if (found === undefined) throw new ScriptUsageError(`--backends takes ${BACKENDS.join(',')}, not '${name}'`);
    return found;
  });
  return { steps: number('--steps', 3, 1), grow: number('--grow', 5_000, 0), seconds: number('--seconds', 10, 1), backends };
}

async function main(argv: readonly string[]): Promise<void> {
  const { backends: names, ...options } = parse(argv);
  console.log(
    `Kinesis backends side by side: one shard; ${options.steps} steps growing the stream by ${options.grow.toLocaleString('en-US')} records; ` +
      `${ORDERS_PER_SECOND} orders/s x ${EVENTS_PER_ORDER} events for ${options.seconds} s a step, read by 2 mappings. CPU: this process + kinesis-local's (/proc).`,
  );
  const baseline = await loopbackRoundTripMs();
  console.log(`baseline: an empty JSON request round trip over loopback HTTP costs ${baseline.toFixed(3)} ms CPU (both ends)`);
  console.log('');
  console.log('| backend | records in stream | CPU ms / record put | CPU ms / GetRecords | CPU ms / order | of which the backend | GetRecords / order | idle CPU ms / s | order ÷ baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const summary: { name: string; perOrderMs: number }[] = [];
  for (const name of names) {
    const figures = await runBackend(name, options);
    for (const f of figures) {
      const own = Number.isNaN(f.perOrderOwnMs) ? 'n/a' : f.perOrderOwnMs.toFixed(2);
      console.log(
        `| ${name} | ${f.inStream.toLocaleString('en-US')} | ${f.perPutMs.toFixed(3)} | ${f.perGetMs.toFixed(3)} | ${f.perOrderMs.toFixed(2)} | ${own} | ${f.getsPerOrder.toFixed(1)} | ` +
          `${f.idleMsPerSecond.toFixed(1)} | ${(f.perOrderMs / baseline).toFixed(1)} |`,
      );
    }
    summary.push({ name, perOrderMs: figures[figures.length - 1].perOrderMs });
  }
  const cheapest = summary.reduce((best, next) => (next.perOrderMs < best.perOrderMs ? next : best));
  console.log('');
  console.log(
    `at the largest stream: ${summary.map((s) => `${s.name} ${s.perOrderMs.toFixed(2)} ms/order`).join(', ')}; cheapest: ${cheapest.name}` +
      `${summary.length > 1 ? ` (${summary.filter((s) => s !== cheapest).map((s) => `${(s.perOrderMs / cheapest.perOrderMs).toFixed(0)}x less than ${s.name}`).join(', ')})` : ''}`,
  );
}

void runScript('bench:kinesis', USAGE, main);
