/**
 * `npm run bench:authorizer`: what the public API's Cognito user-pool authorizer costs a request on the local
 * runtime. A customer signs in and places one order; then, after a warm-up, `--requests` sequential
 * `GET /orders/{id}` with their ID token (behind the COGNITO_USER_POOLS authorizer), interleaved one for one with
 * `GET /products/{sku}` (no authorizer: the baseline, measured in the same run, so machine noise hits both alike).
 *
 * The authorizer's time is the gateway's own measure of it, each request report's `authorizerMs` (read from the
 * gateway's diagnostics channel); whole-request times are the client's, from sending a request to its last byte,
 * over one keep-alive connection.
 *
 *   npm run bench:authorizer -- [--requests 2000] [--warm-up 200]
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { API_REQUEST_CHANNEL, type ApiRequestReport } from '../local/apigateway/rest-api-gateway';
import { authorizerFigures, percentiles, type Percentiles } from './support/authorizer-figures';
import { BenchShop } from './support/bench-shop';
import { HttpClient } from './support/http-client';
import { orderRequest } from './support/order-requests';
import { runScript, scriptFlags, ScriptUsageError } from './support/script-flags';

const ROOT_ASSEMBLY = 'cdk.out';
const PROGRESS_EVERY = 250;
const USAGE =
  'usage: npm run bench:authorizer -- [--requests 2000] [--warm-up 200]\n' +
  '  --requests  measured requests per route (with the authorizer, and the baseline without)\n' +
  '  --warm-up   unmeasured requests per route first';

interface Options {
  readonly requests: number;
  readonly warmUp: number;
}

function parse(argv: readonly string[]): Options {
  const { value } = scriptFlags(argv, ['--requests', '--warm-up']);
  const requests = Number(value('--requests', '2000'));
  const warmUp = Number(value('--warm-up', '200'));
  if (!Number.isInteger(requests) || requests < 1) throw new ScriptUsageError(`--requests is '${value('--requests', '')}': give a whole number of requests per route, 1 or more`);
  if (!Number.isInteger(warmUp) || warmUp < 0) throw new ScriptUsageError(`--warm-up is '${value('--warm-up', '')}': give a whole number of requests per route, 0 or more`);
  return { requests, warmUp };
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const row = (label: string, p: Percentiles) => `${label.padEnd(34)} ${String(p.n).padStart(6)}  ${ms(p.p50).padStart(10)}  ${ms(p.p99).padStart(10)}`;

async function main(argv: readonly string[]): Promise<void> {
  const options = parse(argv);
  console.log(`bench:authorizer: ${options.requests} GET /orders/{id} with an ID token and ${options.requests} GET /products/{sku} without, interleaved, one at a time, after ${options.warmUp} of each`);
  const shop = await BenchShop.start({ assemblyDir: ROOT_ASSEMBLY });
  const client = new HttpClient({ maxSockets: 1 });
  // The gateway publishes each request's report; the ones the bench's calls made are found by method and path.
  const reports: ApiRequestReport[] = [];
  const collect = (message: unknown) => reports.push(message as ApiRequestReport);
  subscribe(API_REQUEST_CHANNEL, collect);
  try {
    const { idToken } = await shop.customer('bench-authorizer');
    const placed = await client.send(orderRequestCall(shop.publicUrl, shop.skus[0], idToken));
    if (placed.status !== 201) throw new Error(`placing the order answered ${placed.status}, not 201: ${placed.body.slice(0, 200)}`);
    const orderId = String((JSON.parse(placed.body) as { orderId?: unknown }).orderId);
    // What the order set off (payment, shipping, projections) is done before anything is timed.
    await shop.runtime.eventsSettled();

    const stagePath = new URL(shop.publicUrl).pathname.replace(/\/$/, '');
    const order = { method: 'GET', url: new URL(`orders/${orderId}`, shop.publicUrl).href, headers: { authorization: idToken } };
    const product = { method: 'GET', url: new URL(`products/${shop.skus[0]}`, shop.publicUrl).href };
    const orderPath = `${stagePath}/orders/${orderId}`;

    /** One authorized request and one baseline request, timed; the authorized one's report gives the authorizer's time. */
    const pair = async () => {
      reports.length = 0;
      let started = performance.now();
      const authorized = await client.send(order);
      const authorizedMs = performance.now() - started;
      started = performance.now();
      const baseline = await client.send(product);
      const baselineMs = performance.now() - started;
      if (authorized.status !== 200) throw new Error(`GET /orders/{id} answered ${authorized.status}, not 200: ${authorized.body.slice(0, 200)}`);
      if (baseline.status !== 200) throw new Error(`GET /products/{sku} answered ${baseline.status}, not 200: ${baseline.body.slice(0, 200)}`);
      const report = reports.find((r) => r.method === 'GET' && r.path === orderPath);
      if (report?.authorizerMs === undefined) throw new Error(`no report with authorizerMs for GET ${orderPath}: is the route behind the user-pool authorizer?`);
      return { authorizerMs: report.authorizerMs, authorizedMs, baselineMs };
    };

    for (let i = 0; i < options.warmUp; i++) await pair();
    const authorizerMs: number[] = [];
    const authorizedMs: number[] = [];
    const baselineMs: number[] = [];
    for (let i = 1; i <= options.requests; i++) {
      const sample = await pair();
      authorizerMs.push(sample.authorizerMs);
      authorizedMs.push(sample.authorizedMs);
      baselineMs.push(sample.baselineMs);
      if (i % PROGRESS_EVERY === 0 || i === options.requests) {
        console.log(
          `  ${String(i).padStart(5)} / ${options.requests}: authorizer p50 ${ms(percentiles(authorizerMs).p50)}, ` +
            `GET /orders/{id} p50 ${ms(percentiles(authorizedMs).p50)}, GET /products/{sku} p50 ${ms(percentiles(baselineMs).p50)}`,
        );
      }
    }

    const figures = authorizerFigures({ authorizerMs, authorizedMs, baselineMs });
    console.log('');
    console.log(`${''.padEnd(34)} ${'n'.padStart(6)}  ${'p50'.padStart(10)}  ${'p99'.padStart(10)}`);
    console.log(row('authorizer (gateway, authorizerMs)', figures.authorizer));
    console.log(row('GET /orders/{id} (authorized)', figures.authorized));
    console.log(row('GET /products/{sku} (baseline)', figures.baseline));
    const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
    console.log(`authorizer / whole authorized request: ${percent(figures.share.p50)} at p50, ${percent(figures.share.p99)} at p99`);
  } finally {
    unsubscribe(API_REQUEST_CHANNEL, collect);
    client.close();
    await shop.stop();
  }
}

/** The bench's synchronous order, with a fresh Idempotency-Key, as an HttpClient call. */
function orderRequestCall(publicUrl: string, sku: string, idToken: string) {
  const spec = orderRequest(publicUrl, 'sync', sku, idToken);
  return { method: spec.method, url: spec.url, headers: { ...spec.headers, 'idempotency-key': crypto.randomUUID() }, body: spec.body };
}

void runScript('bench:authorizer', USAGE, main);
