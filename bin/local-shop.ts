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
import { type DemoUser, seedDemoUsers, seedShop, signInCommand } from './seed';

/** The SKU of the first product, to make the example curl lines real. */
async function firstSku(publicUrl: string): Promise<string> {
  try {
    const res = await fetch(new URL('products?limit=1', publicUrl));
    const body = (await res.json()) as { items?: { sku?: string }[] };
    return body.items?.[0]?.sku ?? 'SKU-0001';
  } catch {
    return 'SKU-0001';
  }
}

const shop: LocalApp<DemoUser[]> = {
  name: 'Hybrid Shop',
  root: path.resolve(__dirname, '..'),

  async seed(runtime, { region, log }) {
    const { outputs } = runtime;
    if (outputs.ProductsTableName && outputs.StockTableName) {
      const seeded = await seedShop({
        endpoint: runtime.edgeUrl,
        region,
        productsTableName: outputs.ProductsTableName,
        stockTableName: outputs.StockTableName,
        credentials: runtime.credentials,
      });
      log(`✓ seeded ${seeded.products} products and ${seeded.stock} stock levels`);
    } else {
      log('! no ProductsTableName/StockTableName outputs: nothing seeded');
    }
    if (!outputs.UserPoolId || !outputs.UserPoolClientId) return [];
    const users = await seedDemoUsers({ endpoint: runtime.edgeUrl, region, userPoolId: outputs.UserPoolId, clientId: outputs.UserPoolClientId, credentials: runtime.credentials });
    log(`✓ seeded the demo users ${users.map((user) => user.username).join(', ')} in user pool ${outputs.UserPoolId}`);
    return users;
  },

  async banner(runtime, seeded) {
    const { outputs } = runtime;
    const users = seeded ?? [];
    const publicUrl = outputs.PublicApiUrl ?? runtime.apis[0]?.url ?? '';
    const internalUrl = outputs.InternalApiUrl ?? runtime.apis[1]?.url ?? '';
    const sku = publicUrl ? await firstSku(publicUrl) : 'SKU-0001';
    const order = JSON.stringify({ lines: [{ sku, quantity: 1 }] });
    const alice = users.find((user) => user.username === 'alice');
    const staff = users.find((user) => user.username === 'staff');
    const signIn = (user: DemoUser) => signInCommand(`${runtime.edgeUrl}/`, outputs.UserPoolClientId, user);
    return {
      apis: [`  public API    ${publicUrl}`, `  internal API  ${internalUrl}   (IAM auth: SigV4 with the admin pair test/test, or a function's role)`],
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
