/**
 * `npm run bench:flows`: how long the asynchronous paths take on the local runtime, measured in one run.
 *
 * - End to end: from `POST /orders` answering 201 until the order's OrderPlaced e-mail, its shipment and its
 *   analytics entry all exist (each polled every 2 ms), p50 and p95 over BENCH_ORDERS orders (default 100), placed
 *   one after another after a warm-up.
 * - Hops: from the PutEvents call to the consumer's handler start, p50 per kind of target: SQS consumer (an
 *   event source mapping), Kinesis consumer (ordered, per shard), Lambda target (asynchronous invoke).
 * - Baseline, same run: one DynamoDB GetItem through the edge, the floor of any local call.
 *
 * Targets (issue 3): each hop p50 ≤ 25 ms; end to end p50 ≤ 250 ms.
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PoolUsers } from '../bin/pool-users';
import { seedShop } from '../bin/seed';
import { eventIdFor } from '../lambdas/shared/events/contracts';
import { synthesizeUnlessUpToDate } from '../local/cli/synth-unless-up-to-date';
import { type Hop, startLocalRuntime } from '../local/runtime';
import { runScript, scriptFlags } from './support/script-flags';

const ROOT = path.resolve(__dirname, '..');
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100);
const USAGE = 'usage: [BENCH_ORDERS=100] npm run bench:flows\n  BENCH_ORDERS  how many orders are followed, one after another, after the warm-up';
const WARM_UP = 5;
const HOP_TARGET_MS = 25;
const END_TO_END_TARGET_MS = 250;
const POLL_MS = 2;
const DEADLINE_MS = 15_000;

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(argv: readonly string[]): Promise<void> {
  scriptFlags(argv, []);
  await synthesizeUnlessUpToDate({ root: ROOT, assemblyDir: path.join(ROOT, 'cdk.out'), label: 'bench:flows' });
  const runtime = await startLocalRuntime({ assemblyDir: path.join(ROOT, 'cdk.out'), edgePort: 0, apiBasePort: 0, log: () => undefined });
  const outputs = runtime.outputs;
  const region = 'us-east-1';
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region, endpoint: runtime.edgeUrl, credentials: runtime.credentials }));
  try {
    await seedShop({ endpoint: runtime.edgeUrl, region, productsTableName: outputs.ProductsTableName, stockTableName: outputs.StockTableName, credentials: runtime.credentials });
    // Plenty of stock for every order; a provider that answers at once (its simulated latency is not ours).
    await db.send(new PutCommand({ TableName: outputs.StockTableName, Item: { sku: 'SKU-0050', available: 1_000_000 } }));
    await db.send(new PutCommand({ TableName: outputs.PaymentProviderTableName, Item: { provider: 'default', latencyMs: 0, failureRate: 0, down: false } }));
    const users = new PoolUsers({ region, endpoint: runtime.edgeUrl, credentials: runtime.credentials, userPoolId: outputs.UserPoolId, clientId: outputs.UserPoolClientId });
    const { idToken } = await users.create('bench-flows').finally(() => users.destroy());

    const hops: Hop[] = [];
    let measuring = false;
    runtime.onHop((hop) => {
      if (measuring && hop.sincePutEventsMs !== undefined) hops.push(hop);
    });

    const exists = async (TableName: string, Key: Record<string, string>) =>
      (await db.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item !== undefined;

    const placeAndFollow = async (): Promise<number> => {
      const response = await fetch(new URL('orders', outputs.PublicApiUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: idToken },
        body: JSON.stringify({ lines: [{ sku: 'SKU-0050', quantity: 1 }] }),
      });
      const answered = performance.now();
      const order = (await response.json()) as { orderId: string };
      if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(order)}`);
      const { orderId } = order;
      const placedEventId = eventIdFor('shop.orders', 'OrderPlaced', orderId, 1);
      const pending = new Map<string, () => Promise<boolean>>([
        ['e-mail', () => exists(outputs.SentNotificationsTableName, { eventId: placedEventId })],
        ['shipment', () => exists(outputs.ShipmentsTableName, { orderId })],
        ['analytics', () => exists(analyticsTable, { pk: `EVENT#${placedEventId}`, sk: '-' })],
      ]);
      while (pending.size > 0) {
        if (performance.now() - answered > DEADLINE_MS) throw new Error(`order ${orderId}: still waiting for ${[...pending.keys()].join(', ')} after ${DEADLINE_MS} ms`);
        for (const [what, probe] of pending) if (await probe()) pending.delete(what);
        if (pending.size > 0) await sleep(POLL_MS);
      }
      return performance.now() - answered;
    };
    const analyticsTable = outputs.AnalyticsTableName;

    process.stdout.write(`bench:flows: warming up with ${WARM_UP} orders…\n`);
    for (let i = 0; i < WARM_UP; i++) await placeAndFollow();

    const baseline: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await exists(outputs.ProductsTableName, { sku: 'SKU-0001' });
      baseline.push(performance.now() - started);
    }

    measuring = true;
    const endToEnd: number[] = [];
    for (let i = 1; i <= ORDERS; i++) {
      endToEnd.push(await placeAndFollow());
      if (i % 10 === 0 || i === ORDERS) {
        process.stdout.write(`  ${i}/${ORDERS} orders, end to end p50 so far ${percentile(endToEnd, 50).toFixed(1)} ms\n`);
      }
    }
    measuring = false;

    const byVia = (via: Hop['via']) => hops.filter((h) => h.via === via && h.kind === 'consume').map((h) => h.sincePutEventsMs as number);
    const rows: [string, number[], number | undefined][] = [
      ['end to end: 201 → e-mail + shipment + analytics', endToEnd, END_TO_END_TARGET_MS],
      ['hop: PutEvents → SQS consumer', byVia('sqs'), HOP_TARGET_MS],
      ['hop: PutEvents → Kinesis consumer', byVia('kinesis'), HOP_TARGET_MS],
      ['hop: PutEvents → Lambda target', byVia('lambda'), HOP_TARGET_MS],
      ['baseline: one DynamoDB GetItem through the edge', baseline, undefined],
    ];
    console.log('');
    console.log(`| measure | n | p50 (ms) | p95 (ms) | target p50 | verdict |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | --- |`);
    let ok = true;
    for (const [name, values, target] of rows) {
      const p50 = percentile(values, 50);
      const pass = target === undefined ? undefined : p50 <= target;
      if (pass === false || (target !== undefined && values.length === 0)) ok = false;
      console.log(`| ${name} | ${values.length} | ${p50.toFixed(1)} | ${percentile(values, 95).toFixed(1)} | ${target === undefined ? '—' : `≤ ${target}`} | ${pass === undefined ? '' : pass ? 'ok' : 'OVER'} |`);
    }
    console.log('');
    console.log(`targets ${ok ? 'all met' : 'NOT all met'} (Node ${process.version}, ${ORDERS} orders, local runtime)`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    db.destroy();
    await runtime.stop();
  }
}

void runScript('bench:flows', USAGE, main);
