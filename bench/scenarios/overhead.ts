/**
 * Overhead family: what the local runtime adds to a request, and how many requests per second it serves.
 *
 * - Latency (closed loop, one request at a time, interleaved): `GET /products/{sku}` through HTTP → API port →
 *   gateway → Lambda worker → response, against the same handler (the CatalogGetProduct bundle from `cdk.out`)
 *   imported and called in the load-client thread with the function's environment, talking to the same edge; and a
 *   plain node:http server on the main thread answering a body of the same size, the floor of any HTTP round trip
 *   with this client. Overhead = the API path's p50 (p99) − the direct call's.
 * - Throughput (closed loop, N keep-alive connections for a few seconds each): requests per second and errors (any
 *   answer but 200, a 429 or 5xx included). Closed loop is the right tool here: it measures the most the runtime
 *   gets through, not a latency.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { loadCloudAssembly } from '../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../local/assembly/intrinsics';
import { lambdaEnvironment, readFunctionConfigs } from '../../local/lambda/function-config';
import { BenchShop } from '../support/bench-shop';
import { LoadClient } from '../support/load-client';
import type { RequestSpec } from '../support/load-client-protocol';
import type { OverheadResults, ThroughputRow } from '../support/results';
import { runInfo, runStart } from '../support/run-info';
import { problemsOf, type ScenarioContext } from '../support/scenario-context';
import { ecdf, summarize } from '../support/statistics';
import { startUsage } from '../support/usage';

const FUNCTION = 'CatalogGetProductFunction';
const SKU = 'SKU-0001';

export async function overheadFamily(context: ScenarioContext): Promise<OverheadResults> {
  const start = runStart();
  const iterations = context.quick ? 40 : 2000;
  const warmUp = context.quick ? 10 : 200;
  const connections = context.quick ? [1, 8] : [1, 4, 8];
  const throughputMs = context.quick ? 1000 : 5000;

  context.progress('overhead: starting the local runtime');
  const shop = await BenchShop.start({ assemblyDir: context.assemblyDir });
  const product = new URL(`products/${SKU}`, shop.publicUrl);
  const floor = await startFloorServer(await (await fetch(product)).text());
  const fn = handlerOf(context.assemblyDir, shop, FUNCTION);
  const client = LoadClient.start(fn.environment);
  try {
    const api: RequestSpec = { label: 'get', method: 'GET', url: product.href };
    context.progress(`overhead: ${iterations} × (direct call, API call, plain HTTP) one at a time, after ${warmUp} unmeasured`);
    const measured = await client.overhead({
      iterations,
      warmUp,
      api,
      floor: { label: 'floor', method: 'GET', url: floor.url },
      bundleFile: fn.bundleFile,
      exportName: fn.exportName,
      eventJson: JSON.stringify(proxyEvent(product)),
      functionName: fn.functionName,
      timeoutMs: fn.timeoutMs,
    });

    // Every connection count needs as many warm execution environments: start them before measuring.
    await client.closedLoop({ connections: Math.max(...connections), durationMs: context.quick ? 500 : 2000, request: api });
    const throughput: ThroughputRow[] = [];
    for (const n of connections) {
      const usage = startUsage();
      const r = await client.closedLoop({ connections: n, durationMs: throughputMs, request: api });
      const row = {
        connections: n,
        durationMs: r.elapsedMs,
        requests: r.count,
        perSecond: (r.count * 1000) / r.elapsedMs,
        errors: r.errors,
        statuses: r.statuses,
        latency: summarize(r.latenciesMs),
        usage: usage(),
      };
      throughput.push(row);
      context.progress(
        `overhead: ${n} connection(s): ${row.perSecond.toFixed(0)} requests/s, ${row.errors} errors, p50 ${row.latency.p50.toFixed(2)} ms; ` +
          `runtime main thread ${(row.usage.mainThreadBusy * 100).toFixed(0)} % busy, process ${row.usage.processCores.toFixed(2)} cores`,
      );
    }

    const direct = summarize(measured.directMs);
    const viaApi = summarize(measured.apiMs);
    context.progress(`overhead: direct p50 ${direct.p50.toFixed(2)} ms, API p50 ${viaApi.p50.toFixed(2)} ms → overhead ${(viaApi.p50 - direct.p50).toFixed(2)} ms`);
    return {
      family: 'overhead',
      run: runInfo(start, context.command, context.quick, context.root),
      iterations,
      route: `GET /products/${SKU}`,
      direct,
      api: viaApi,
      floor: summarize(measured.floorMs),
      cdf: { direct: ecdf(measured.directMs), api: ecdf(measured.apiMs), floor: ecdf(measured.floorMs) },
      errors: measured.errors,
      throughput,
      problems: problemsOf([shop]),
    };
  } finally {
    await client.stop();
    await new Promise((resolve) => floor.server.close(resolve));
    await shop.stop();
  }
}

/** The function's bundle and the environment the runtime gives its workers (with the admin credentials instead). */
function handlerOf(assemblyDir: string, shop: BenchShop, shortName: string) {
  const [stack] = loadCloudAssembly(path.resolve(assemblyDir));
  const region = 'us-east-1';
  const context = {
    region,
    accountId: '000000000000',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: stack.stackName,
    stackId: `arn:aws:cloudformation:${region}:000000000000:stack/${stack.stackName}/bench`,
  };
  const physical = assignPhysicalIds(stack.template, context, { edgeUrl: shop.runtime.edgeUrl });
  const { functions } = readFunctionConfigs({
    template: stack.template,
    resolver: new IntrinsicResolver(stack.template, context, physical),
    physical,
    codeDir: (logicalId) => stack.lambdaCodeDir(logicalId),
    region,
    accountId: context.accountId,
    partition: context.partition,
    endpointUrl: shop.runtime.edgeUrl,
    credentialsFor: () => ({ ...shop.runtime.credentials, sessionToken: '' }),
  });
  const config = functions.find((f) => f.shortName === shortName);
  if (!config) throw new Error(`no function ${shortName} in ${assemblyDir}: run \`npx cdk synth\``);
  if (config.environment.PRODUCTS_TABLE_NAME !== shop.runtime.outputs.ProductsTableName) {
    throw new Error(
      `${shortName}: PRODUCTS_TABLE_NAME resolved to ${config.environment.PRODUCTS_TABLE_NAME}, the runtime has ${shop.runtime.outputs.ProductsTableName}: ` +
        'the bench resolves names as the runtime does; update handlerOf in bench/scenarios/overhead.ts',
    );
  }
  const environment = lambdaEnvironment(config, 'bench/in-process');
  delete environment.AWS_SESSION_TOKEN;
  const dot = config.handler.lastIndexOf('.');
  const moduleName = config.handler.slice(0, dot);
  const file = readdirSync(config.codeDir).find((f) => f === `${moduleName}.mjs` || f === `${moduleName}.js`);
  if (!file) throw new Error(`${shortName}: no ${moduleName}.mjs or .js in ${config.codeDir}`);
  return {
    bundleFile: path.join(config.codeDir, file),
    exportName: config.handler.slice(dot + 1),
    environment,
    functionName: config.functionName,
    timeoutMs: config.timeoutSeconds * 1000,
  };
}

/** `GET /products/{sku}` as API Gateway's proxy integration hands it to the function. */
function proxyEvent(url: URL) {
  const sku = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  const headers = { Host: url.host, Connection: 'keep-alive', 'X-Forwarded-For': '127.0.0.1', 'X-Forwarded-Port': url.port, 'X-Forwarded-Proto': 'http' };
  return {
    resource: '/products/{sku}',
    path: `/products/${sku}`,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { sku },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      resourcePath: '/products/{sku}',
      httpMethod: 'GET',
      path: `/prod/products/${sku}`,
      stage: 'prod',
      protocol: 'HTTP/1.1',
      requestId: 'bench',
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: '127.0.0.1', userAgent: 'bench' },
    },
  };
}

/** A node:http server answering every request with `body`: what an HTTP round trip costs with nothing behind it. */
async function startFloorServer(body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
