/**
 * The suite's own clean-up, which `npm run test:deployed` relies on against a real account: after a shop stops, every
 * table is as it was before the shop connected — records of the orders it placed gone, items it overwrote restored —
 * and what it did not create untouched. Checked on an in-process runtime, where every table can be read whole.
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { loadCloudAssembly } from '../../local/assembly/cloud-assembly';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { describeNeedsRuntime } from './support/local-shop';
import { inProcessTarget, Shop } from './support/shop';

const ASSEMBLY_DIR = path.resolve(__dirname, '../../cdk.out');

describeNeedsRuntime('cleaning up after the suite', () => {
  let runtime: LocalRuntime;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY_DIR, edgePort: 0, apiBasePort: 0, timeScale: 0.05, log: () => undefined });
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: runtime.edgeUrl, credentials: runtime.credentials }));
  }, 60_000);
  afterAll(async () => {
    documents?.destroy();
    await runtime?.stop();
  });

  /** Every item of every table of the stack, by table name (analytics left out: see created-records.ts). */
  async function everyTable(): Promise<Record<string, Record<string, unknown>[]>> {
    const { TableNames = [] } = await documents.send(new ListTablesCommand({}));
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const TableName of TableNames.filter((name) => !name.includes('AnalyticsTable')).sort()) {
      const out = await documents.send(new ScanCommand({ TableName, ConsistentRead: true }));
      tables[TableName] = (out.Items ?? []).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return tables;
  }

  it('leaves every table as it found it: its own orders gone, overwritten items restored, other records kept', async () => {
    // Prepare: someone else's order, a product the seed overwrites, a stock level the tests change, provider settings
    const { outputs } = runtime;
    const theirs = { orderId: randomUUID(), customerId: 'not-the-suite', status: 'CONFIRMED', version: 1 };
    await documents.send(new PutCommand({ TableName: outputs.OrdersTableName, Item: theirs }));
    await documents.send(new PutCommand({ TableName: outputs.ProductsTableName, Item: { sku: 'SKU-0001', name: 'Theirs', priceCents: 1, currency: 'EUR' } }));
    await documents.send(new PutCommand({ TableName: outputs.StockTableName, Item: { sku: 'SKU-0002', available: 7 } }));
    await documents.send(new PutCommand({ TableName: outputs.PaymentProviderTableName, Item: { provider: 'default', latencyMs: 0, failureRate: 0, down: false } }));
    const before = await everyTable();
    const [stack] = loadCloudAssembly(ASSEMBLY_DIR);

    // Act: a shop that places orders through every flow, then stops
    const shop = await Shop.connect(inProcessTarget(runtime, stack.stackName, 'us-east-1'));
    try {
      const shipped = await shop.placeOrder({ lines: [{ sku: 'SKU-0002', quantity: 2 }] });
      const cancelled = await shop.placeOrder({ lines: [{ sku: 'SKU-0003', quantity: 1 }] });
      const accepted = await shop.placeOrder({ lines: [{ sku: 'SKU-0004', quantity: 1 }] }, { headers: { prefer: 'respond-async' } });
      await shop.orderReaches(String(cancelled.json.orderId), ['SHIPPED']);
      await shop.call('POST', `orders/${String(cancelled.json.orderId)}/cancel`);
      await shop.callInternal('POST', 'reservations', { body: { orderId: randomUUID(), lines: [{ sku: 'SKU-0005', quantity: 1 }] } });
      await shop.setStock('SKU-0006', 0);
      await shop.orderReaches(String(shipped.json.orderId), ['SHIPPED']);
      await shop.orderReaches(String(accepted.json.orderId), ['SHIPPED']);
      await shop.orderReaches(String(cancelled.json.orderId), ['REFUNDED']);
      // A warm payment worker reads the provider's settings again within 1 s.
      await shop.put('PaymentProviderTableName', { provider: 'default', latencyMs: 0, failureRate: 1, down: false });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const declined = await shop.placeOrder({ lines: [{ sku: 'SKU-0007', quantity: 1 }] });
      await shop.orderReaches(String(declined.json.orderId), ['PAYMENT_FAILED']);
      const during = await everyTable();
      expect(Object.values(during).flat().length).toBeGreaterThan(Object.values(before).flat().length + 100);
    } finally {
      await shop.stop();
    }

    // Assess: once stop() resolves, not later
    expect(await everyTable()).toEqual(before);
  }, 90_000);
});
