/**
 * `npm run bench:kinesis-local`: what kinesis-local (the Kinesis emulator the local runtime runs) costs in CPU, per
 * call and per record, as its stream grows. The load bench finds it one of the largest parts of an order's CPU; this
 * measures the emulator alone, with nothing else running, so the figure is the emulator's and not the runtime's.
 *
 * For each step: 100 PutRecords of one record (the cost of a call), then 10 PutRecords of 100 records (the cost of a
 * record in a batch, which grows the stream by 1,000), then 100 GetRecords of up to 10 records from the stream's start.
 * CPU is kinesis-local's process time from /proc (Linux only); wall time is the client's. Record data: 600 bytes,
 * about one event of the shop. Options: `--steps N` (default 5).
 */
import { startKinesis, type LocalKinesis } from '../local/kinesis/kinesis-local';
import { KinesisWireClient } from '../local/kinesis/kinesis-wire-client';

const STREAM = 'kinesis-local-cost';
const RECORD = Buffer.from(JSON.stringify({ detail: 'x'.repeat(580) })).toString('base64');

interface Cost {
  readonly cpuMs: number;
  readonly wallMs: number;
}

async function measure(kinesis: LocalKinesis, work: () => Promise<void>): Promise<Cost> {
  const cpu = kinesis.cpuMs();
  if (cpu === undefined) throw new Error('kinesis-local’s CPU time cannot be read here (it is read from /proc, on Linux)');
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  // The emulator may finish work after answering (its own garbage collection): let it settle before reading.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { cpuMs: (kinesis.cpuMs() as number) - cpu, wallMs };
}

const puts = (client: KinesisWireClient, calls: number, records: number, tag: string) => async () => {
  for (let i = 0; i < calls; i++) {
    await client.call('PutRecords', {
      StreamName: STREAM,
      Records: Array.from({ length: records }, (_, j) => ({ Data: RECORD, PartitionKey: `${tag}-${i}-${j}` })),
    });
  }
};

async function main(): Promise<void> {
  const steps = Number(process.argv[process.argv.indexOf('--steps') + 1] ?? 5) || 5;
  const kinesis = await startKinesis({ region: 'us-east-1' });
  const client = new KinesisWireClient(kinesis.endpoint);
  try {
    await client.call('CreateStream', { StreamName: STREAM, ShardCount: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { ShardIterator: start } = (await client.call('GetShardIterator', {
      StreamName: STREAM,
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    })) as { ShardIterator: string };
    console.log(`kinesis-local alone, one shard, 600-byte records, ${steps} steps (CPU from /proc, wall from the client)`);
    console.log('records in the stream | PutRecords of 1: CPU ms/call (wall) | PutRecords of 100: CPU ms/record (wall ms/call) | GetRecords of 10: CPU ms/call (wall)');
    let inStream = 0;
    for (let step = 0; step < steps; step++) {
      const single = await measure(kinesis, puts(client, 100, 1, `single-${step}`));
      const batched = await measure(kinesis, puts(client, 10, 100, `batch-${step}`));
      inStream += 100 + 1_000;
      const reads = await measure(kinesis, async () => {
        let iterator = start;
        for (let i = 0; i < 100; i++) {
          const answer = (await client.call('GetRecords', { ShardIterator: iterator, Limit: 10 })) as { NextShardIterator: string };
          iterator = answer.NextShardIterator;
        }
      });
      console.log(
        `${inStream.toLocaleString('en-US').padStart(21)} | ${(single.cpuMs / 100).toFixed(1).padStart(9)} (${(single.wallMs / 100).toFixed(1)})` +
          ` | ${(batched.cpuMs / 1_000).toFixed(2).padStart(9)} (${(batched.wallMs / 10).toFixed(0)})` +
          ` | ${(reads.cpuMs / 100).toFixed(1).padStart(9)} (${(reads.wallMs / 100).toFixed(1)})`,
      );
    }
  } finally {
    client.close();
    await kinesis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:kinesis-local failed: ${(error as Error).message}`);
  process.exit(1);
});
