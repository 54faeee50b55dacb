#!/usr/bin/env node
/**
 * Seeds the catalog and stock tables with the sample products.
 *
 *   npx cdk deploy --outputs-file cdk-outputs.json
 *   npm run seed -- --outputs cdk-outputs.json            # a deployed stack (uses your AWS credentials; the file's only stack, or --stack NAME)
 *   npm run seed -- --products-table T1 --stock-table T2  # explicit table names
 *
 * `npm start` calls `seedShop` itself against the local runtime. Re-running resets stock to the sample levels.
 * With AWS_ENDPOINT_URL set (an emulator), DynamoDB goes there, and the curl it prints calls the public API at the
 * endpoint's `/_aws/execute-api/…` path rather than the AWS host the stack's output names.
 */
import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { sampleProducts, sampleStock } from '../lambdas/catalog/domain/sample-products';
import { resolveExecuteApiUrl } from '../lambdas/shared/http/execute-api-url';
import { parseStackOutputs } from './stack-outputs';

export interface SeedShopOptions {
  /** DynamoDB endpoint; omit for AWS (or set AWS_ENDPOINT_URL). */
  readonly endpoint?: string;
  readonly region: string;
  readonly productsTableName: string;
  readonly stockTableName: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const BATCH_SIZE = 25; // BatchWriteItem's limit
const MAX_ATTEMPTS = 8;

export async function seedShop(options: SeedShopOptions): Promise<{ products: number; stock: number }> {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  try {
    const products = sampleProducts();
    const stock = sampleStock();
    await writeAll(client, options.productsTableName, products.map((p) => marshall(p, { removeUndefinedValues: true })));
    await writeAll(client, options.stockTableName, stock.map((s) => marshall(s)));
    return { products: products.length, stock: stock.length };
  } finally {
    client.destroy();
  }
}

async function writeAll(client: DynamoDBClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    let pending: WriteRequest[] = items
      .slice(start, start + BATCH_SIZE)
      .map((Item) => ({ PutRequest: { Item: Item as NonNullable<WriteRequest['PutRequest']>['Item'] } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new Error(`seeding ${table}: ${pending.length} items still unprocessed after ${MAX_ATTEMPTS} attempts`);
      }
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
      if (pending.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      }
    }
  }
}

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`unexpected argument '${key}'; see the usage at the top of bin/seed.ts`);
    }
    args.set(key.slice(2), argv[++i]);
  }
  return args;
}

/** The tables to seed, and the public API's URL when an outputs file names it. */
export function seedTargetFrom(args: ReadonlyMap<string, string>, readFile: (file: string) => string = (file) => readFileSync(file, 'utf8')): {
  productsTableName: string;
  stockTableName: string;
  publicApiUrl?: string;
} {
  const outputsFile = args.get('outputs');
  if (outputsFile) {
    const { stackName, outputs } = parseStackOutputs(readFile(outputsFile), outputsFile, args.get('stack'), '--stack');
    if (!outputs.ProductsTableName || !outputs.StockTableName) {
      throw new Error(`${outputsFile} has no ProductsTableName/StockTableName outputs for stack ${stackName}`);
    }
    return {
      productsTableName: outputs.ProductsTableName,
      stockTableName: outputs.StockTableName,
      ...(outputs.PublicApiUrl ? { publicApiUrl: outputs.PublicApiUrl } : {}),
    };
  }
  const productsTableName = args.get('products-table');
  const stockTableName = args.get('stock-table');
  if (!productsTableName || !stockTableName) {
    throw new Error('give --outputs <cdk-outputs.json> or both --products-table and --stock-table');
  }
  return { productsTableName, stockTableName };
}

if (require.main === module) {
  (async () => {
    const args = parseArgs(process.argv.slice(2));
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('set AWS_REGION to the region the stack is deployed in');
    const { publicApiUrl, ...names } = seedTargetFrom(args);
    const result = await seedShop({ region, ...names });
    console.log(`seeded ${result.products} products into ${names.productsTableName} and ${result.stock} stock levels into ${names.stockTableName}`);
    if (publicApiUrl) console.log(`try: curl -s '${new URL('products?limit=3', resolveExecuteApiUrl(publicApiUrl)).href}'`);
  })().catch((error: unknown) => {
    console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
