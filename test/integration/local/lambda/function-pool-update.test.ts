import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LambdaFunctionConfig } from '../../../../local/lambda/function-config';
import { FunctionPool, type InvocationResult } from '../../../../local/lambda/function-pool';

/** Two versions of one function's bundle, in a temp folder: version 1 waits `event.waitMs` before it answers. */
let bundles: string;
beforeAll(() => {
  bundles = mkdtempSync(path.join(tmpdir(), 'function-pool-update-'));
  const write = (version: string, source: string) => {
    mkdirSync(path.join(bundles, version));
    writeFileSync(path.join(bundles, version, 'index.mjs'), source);
  };
  write('v1', 'export const handler = async (event) => { await new Promise((resolve) => setTimeout(resolve, event.waitMs ?? 0)); return { version: 1 }; };\n');
  write('v2', 'export const handler = async () => ({ version: 2 });\n');
});
afterAll(() => rmSync(bundles, { recursive: true, force: true }));

const pools: FunctionPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
});

function config(version: 'v1' | 'v2', overrides: Partial<LambdaFunctionConfig> = {}): LambdaFunctionConfig {
  return {
    logicalId: 'OrdersPlaceOrderFunction1A2B3C4D',
    shortName: 'OrdersPlaceOrderFunction',
    functionName: 'HybridShop-OrdersPlaceOrderFunction1A2B3C4D',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-OrdersPlaceOrderFunction1A2B3C4D',
    codeDir: path.join(bundles, version),
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    timeoutSeconds: 5,
    memorySizeMb: 128,
    environment: {},
    region: 'us-east-1',
    endpointUrl: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'LOCALABCDEF0123456', secretAccessKey: 'secret', sessionToken: 'token' },
    tracingActive: false,
    logGroupName: '/aws/lambda/HybridShop-OrdersPlaceOrderFunction1A2B3C4D',
    logFormat: 'Text',
    ...overrides,
  };
}

function poolOf(initial: LambdaFunctionConfig): FunctionPool {
  const pool = new FunctionPool(initial);
  pools.push(pool);
  return pool;
}

function versionOf(result: InvocationResult): unknown {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return (JSON.parse(result.payload) as { version: unknown }).version;
}

async function untilBusy(pool: FunctionPool): Promise<void> {
  while (pool.busyCount === 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('FunctionPool.update', () => {
  it('lets an invocation in flight finish on the version it started on, and runs the next ones on the new one', async () => {
    // Prepare
    const pool = poolOf(config('v1'));
    expect(versionOf(await pool.invoke({}))).toBe(1);
    const inFlight = pool.invoke({ waitMs: 1_000 });
    await untilBusy(pool);

    // Act
    pool.update(config('v2'));
    const next = await pool.invoke({});

    // Assess
    expect(versionOf(next)).toBe(2);
    expect(next.initDurationMs).toBeDefined();
    expect(versionOf(await inFlight)).toBe(1);
    expect(pool.environmentCount).toBe(1);
    const warm = await pool.invoke({});
    expect(versionOf(warm)).toBe(2);
    expect(warm.initDurationMs).toBeUndefined();
  });

  it('ends the idle environments of the old version, so no invocation runs it again', async () => {
    // Prepare
    const pool = poolOf(config('v1'));
    await pool.invoke({});
    expect(pool.environmentCount).toBe(1);

    // Act
    pool.update(config('v2'));

    // Assess
    expect(pool.environmentCount).toBe(0);
    expect(versionOf(await pool.invoke({}))).toBe(2);
  });

  it('keeps the invocation count and the fault, and takes the new reserved concurrency', async () => {
    // Prepare
    const pool = poolOf(config('v1'));
    await pool.invoke({});
    pool.setFault({ delayMs: 1 });

    // Act
    pool.update(config('v2', { reservedConcurrency: 2 }));

    // Assess
    expect(pool.invocationCount).toBe(1);
    expect(pool.fault).toEqual({ delayMs: 1 });
    expect(pool.throttleLimit).toBe(2);
    expect(pool.config.codeDir).toBe(path.join(bundles, 'v2'));
  });
});
