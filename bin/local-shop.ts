/**
 * `npm start`: synthesizes the shop, runs it on the local runtime, seeds the catalog, the stock and the demo users,
 * and prints how to call it.
 *
 *   npm start                              # cdk synth, then edge on :4566 and the APIs from :3000
 *   npm start -- --no-synth                # reuse cdk.out as it is
 *   npm start -- --edge-port 4567 --api-port 3100
 *   npm start -- --no-synth --assembly /tmp/other.out   # run another cloud assembly
 *   npm start -- --time-scale 0.05         # SQS visibility timeouts, delays and retry backoffs 20 times shorter
 *   npm start -- --outputs-file out.json   # the stack's outputs elsewhere (default cdk-outputs.local.json)
 *   npm start -- --help
 *
 * Ports also come from LOCAL_EDGE_PORT and LOCAL_API_PORT, the time scale from LOCAL_TIME_SCALE (flags win). The time
 * scale multiplies the waits that exist only to let time pass: the template's SQS VisibilityTimeout, DelaySeconds and
 * ReceiveMessageWaitTimeSeconds (rounded to whole seconds, at least 1 s: fauxqs takes nothing finer), a message's
 * VisibilityTimeout and DelaySeconds through the edge (to the millisecond), and the EventBridge, Lambda async and
 * Kinesis retry backoffs; never function or API timeouts (`--help` has the details,
 * `local/runtime/start-local-runtime.ts` too). Ctrl-C stops everything and exits 0.
 *
 * Once running it writes the stack's outputs as `cdk deploy --outputs-file` does (cdk-outputs.local.json), and prints
 * the command that runs the e2e suite against it (`npm run test:deployed`) as against any deployment; Ctrl-C removes
 * the file again. The command line itself is the local runtime's (`local/cli/run-local-cli.ts`); what is the shop's
 * is here.
 */
import * as path from 'node:path';
import { runLocalCli, type LocalApp } from '../local/cli/run-local-cli';
import type { LocalRuntime } from '../local/runtime';
import type { DemoUser } from './seed';

/** The seeding code, with the SDK clients it loads: loaded once the runtime starts, not before the emulators do. */
const seeding = () => import('./seed');

/**
 * The SKU of the first product `GET /products?limit=1` lists (a Scan with Limit 1), to make the example curl lines
 * real: read from the table itself, so that printing the banner starts no function.
 */
async function firstSku(runtime: LocalRuntime, region: string): Promise<string> {
  const table = runtime.outputs.ProductsTableName;
  if (table === undefined) return 'SKU-0001';
  const { DynamoDBClient, ScanCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({ endpoint: runtime.edgeUrl, region, credentials: runtime.credentials });
  try {
    const { Items: items = [] } = await client.send(new ScanCommand({ TableName: table, Limit: 1, ProjectionExpression: 'sku' }));
    return items[0]?.sku?.S ?? 'SKU-0001';
  } catch {
    return 'SKU-0001';
  } finally {
    client.destroy();
  }
}

const shop: LocalApp<DemoUser[]> = {
  name: 'Hybrid Shop',
  root: path.resolve(__dirname, '..'),

  async seed(runtime, { region, log }) {
    const { seedDemoUsers, seedShop } = await seeding();
    const { outputs } = runtime;
    // The catalog and the users go into different emulators: seeded at once, reported in this order.
    const [catalog, users] = await Promise.all([
      outputs.ProductsTableName && outputs.StockTableName
        ? seedShop({
            endpoint: runtime.edgeUrl,
            region,
            productsTableName: outputs.ProductsTableName,
            stockTableName: outputs.StockTableName,
            credentials: runtime.credentials,
          })
        : undefined,
      outputs.UserPoolId && outputs.UserPoolClientId
        ? seedDemoUsers({ endpoint: runtime.edgeUrl, region, userPoolId: outputs.UserPoolId, clientId: outputs.UserPoolClientId, credentials: runtime.credentials })
        : undefined,
    ]);
    if (catalog) log(`✓ seeded ${catalog.products} products and ${catalog.stock} stock levels`);
    else log('! no ProductsTableName/StockTableName outputs: nothing seeded');
    if (!users) return [];
    log(`✓ seeded the demo users ${users.map((user) => user.username).join(', ')} in user pool ${outputs.UserPoolId}`);
    return users;
  },

  async banner(runtime, seeded) {
    const { signInCommand } = await seeding();
    const { outputs } = runtime;
    const users = seeded ?? [];
    const publicUrl = outputs.PublicApiUrl ?? runtime.apis[0]?.url ?? '';
    const internalUrl = outputs.InternalApiUrl ?? runtime.apis[1]?.url ?? '';
    const sku = await firstSku(runtime, process.env.AWS_REGION ?? 'us-east-1');
    const order = JSON.stringify({ lines: [{ sku, quantity: 1 }] });
    const alice = users.find((user) => user.username === 'alice');
    const staff = users.find((user) => user.username === 'staff');
    const signIn = (user: DemoUser) => signInCommand(`${runtime.edgeUrl}/`, outputs.UserPoolClientId, user);
    return {
      apis: [
        `  public API    ${publicUrl}`,
        `  internal API  ${internalUrl}   (IAM auth: SigV4 with the admin pair test/test, or a function's role)`,
        `  contracts     ${runtime.edgeUrl}/_local/contracts/   (OpenAPI 3.1 of both APIs, JSON Schema of every event: npm run contracts)`,
      ],
      tryIt: [
        ...(users.length > 0
          ? [
              'Demo users (passwords are new on every start):',
              ...users.map((user) => `  ${user.username.padEnd(6)} ${user.password}${user.groups.length > 0 ? `   (groups: ${user.groups.join(', ')}: may read GET /analytics/sales)` : ''}`),
              '',
            ]
          : []),
        'Try (the catalog is public; orders need a signed-in customer\'s ID token in Authorization):',
        `  curl -s '${publicUrl}products?limit=3'`,
        `  curl -s '${publicUrl}products/${sku}'`,
        ...(alice && outputs.UserPoolClientId
          ? [
              `  ${signIn(alice)}`,
              `  curl -si -X POST '${publicUrl}orders' -H "Authorization: $TOKEN" -H 'content-type: application/json' -H "Idempotency-Key: $(date +%s%N)" -d '${order}'`,
            ]
          : []),
        ...(staff && outputs.UserPoolClientId
          ? [`  ${signIn(staff).replace('TOKEN=', 'STAFF_TOKEN=')}`, `  curl -s '${publicUrl}analytics/sales' -H "Authorization: $STAFF_TOKEN"`]
          : []),
        '',
      ],
    };
  },
};

runLocalCli(shop);
