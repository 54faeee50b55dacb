/**
 * `npm run bench:acceptance`: how long one asynchronous order placement (`POST /orders` with
 * `Prefer: respond-async`, answered 202) takes on the local runtime when nothing else is sent meanwhile: orders
 * one at a time, `--gap-ms` apart, with the queue consumers running (what every earlier order set off still runs)
 * or paused (`--consumers paused`: the acceptance path alone, plus the Kinesis consumers, which cannot be paused).
 * Figures per block of 100 orders, so the first block's cold start and the later warm blocks can be told apart.
 *
 *   npm run bench:acceptance -- [--orders 300] [--gap-ms 100] [--consumers running|paused]
 */
import { BenchShop } from './support/bench-shop';
import { orderRequest } from './support/order-requests';
import { runScript, scriptFlags, ScriptUsageError } from './support/script-flags';
import { percentile } from './support/statistics';

const ROOT_ASSEMBLY = 'cdk.out';
const BLOCK = 100;
const USAGE =
  'usage: npm run bench:acceptance -- [--orders 300] [--gap-ms 100] [--consumers running|paused]\n' +
  '  --orders     how many asynchronous orders, one at a time\n' +
  '  --gap-ms     the pause between one answer and the next order\n' +
  '  --consumers  paused: the queue consumers do not run (the acceptance path alone)';

interface Options {
  readonly orders: number;
  readonly gapMs: number;
  readonly pauseConsumers: boolean;
}

function parse(argv: readonly string[]): Options {
  const { value } = scriptFlags(argv, ['--orders', '--gap-ms', '--consumers']);
  const orders = Number(value('--orders', '300'));
  const gapMs = Number(value('--gap-ms', '100'));
  const consumers = value('--consumers', 'running');
  if (!Number.isInteger(orders) || orders < 1) throw new ScriptUsageError(`--orders is '${value('--orders', '')}': give a whole number of orders, 1 or more`);
  if (!Number.isFinite(gapMs) || gapMs < 0) throw new ScriptUsageError(`--gap-ms is '${value('--gap-ms', '')}': give milliseconds, 0 or more`);
  if (consumers !== 'running' && consumers !== 'paused') throw new ScriptUsageError(`--consumers is '${consumers}': give running or paused`);
  return { orders, gapMs, pauseConsumers: consumers === 'paused' };
}

const fixed = (ms: number) => ms.toFixed(1).padStart(6);

async function main(argv: readonly string[]): Promise<void> {
  const options = parse(argv);
  console.log(`bench:acceptance: ${options.orders} asynchronous orders one at a time, ${options.gapMs} ms apart, queue consumers ${options.pauseConsumers ? 'paused' : 'running'}`);
  const shop = await BenchShop.start({ assemblyDir: ROOT_ASSEMBLY });
  try {
    if (options.pauseConsumers) {
      const resources = shop.template.Resources;
      const paused: string[] = [];
      for (const [logicalId, resource] of Object.entries(resources)) {
        if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
        // The mapping's EventSourceArn is `Fn::GetAtt [queue or stream, Arn]`: only SQS mappings can be paused.
        const [source] = (resource.Properties?.EventSourceArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'] ?? [];
        if (source === undefined || resources[source]?.Type !== 'AWS::SQS::Queue') continue;
        await shop.runtime.setMappingEnabled(logicalId, false);
        paused.push(logicalId);
      }
      if (paused.length === 0) throw new Error('the template has no SQS event source mapping to pause');
      console.log(`  paused ${paused.length} SQS event source mappings`);
    }
    const times: number[] = [];
    const { idToken } = await shop.customer('bench-acceptance');
    for (let i = 0; i < options.orders; i++) {
      const spec = orderRequest(shop.publicUrl, 'async', shop.skus[i % shop.skus.length], idToken);
      const started = performance.now();
      const response = await fetch(spec.url, { method: spec.method, headers: { ...spec.headers, 'Idempotency-Key': crypto.randomUUID() }, body: spec.body });
      const body = await response.text();
      times.push(performance.now() - started);
      if (response.status !== 202) throw new Error(`order ${i + 1} answered ${response.status}, not 202: ${body.slice(0, 200)}`);
      if ((i + 1) % BLOCK === 0) console.log(`  ${i + 1} orders placed`);
      await new Promise((resolve) => setTimeout(resolve, options.gapMs));
    }
    console.log('orders      |  p50 (ms) |  p90 (ms) |  p99 (ms) |  max (ms)');
    for (let from = 0; from < times.length; from += BLOCK) {
      const block = times.slice(from, from + BLOCK);
      const label = `${from + 1}-${from + block.length}`.padEnd(11);
      console.log(`${label} | ${fixed(percentile(block, 50))}    | ${fixed(percentile(block, 90))}    | ${fixed(percentile(block, 99))}    | ${fixed(Math.max(...block))}`);
    }
  } finally {
    await shop.stop();
  }
}

void runScript('bench:acceptance', USAGE, main);
