import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { seedShop } from '../../../bin/seed';
import { LocalRuntime, startLocalRuntime } from '../../../local/runtime';

const REGION = 'us-east-1';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> & { errors?: { field: string; message: string }[] };
  readonly elapsedMs: number;
}

/** The whole shop on the local runtime, seeded, with clients for its APIs and tables. */
export class LocalShop {
  private constructor(
    public readonly runtime: LocalRuntime,
    public readonly publicUrl: string,
    public readonly internalUrl: string,
    public readonly tables: DynamoDBDocumentClient,
    public readonly logs: string[],
    public readonly sqs: SQSClient,
    public readonly eventBridge: EventBridgeClient,
    public readonly kinesis: KinesisClient,
  ) {}

  static async start(options: { timeScale?: number } = {}): Promise<LocalShop> {
    const logs: string[] = [];
    const runtime = await startLocalRuntime({
      assemblyDir: path.resolve(__dirname, '../../../cdk.out'),
      edgePort: 0,
      apiBasePort: 0,
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
      log: (line) => {
        logs.push(line);
        if (process.env.E2E_VERBOSE) process.stdout.write(`${line}\n`);
      },
    });
    const outputs = runtime.outputs;
    await seedShop({
      endpoint: runtime.edgeUrl,
      region: REGION,
      productsTableName: outputs.ProductsTableName,
      stockTableName: outputs.StockTableName,
      credentials: runtime.credentials,
    });
    const tables = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: REGION, endpoint: runtime.edgeUrl, credentials: runtime.credentials }),
    );
    const client = { region: REGION, endpoint: runtime.edgeUrl, credentials: runtime.credentials };
    return new LocalShop(
      runtime,
      outputs.PublicApiUrl,
      outputs.InternalApiUrl,
      tables,
      logs,
      new SQSClient(client),
      new EventBridgeClient(client),
      new KinesisClient(client),
    );
  }

  async stop(): Promise<void> {
    this.tables.destroy();
    this.sqs.destroy();
    this.eventBridge.destroy();
    this.kinesis.destroy();
    await this.runtime.stop();
  }

  /** A call to the public API; `route` is relative to the stage URL, e.g. `products/SKU-0001`. */
  async call(method: string, route: string, init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    return send(new URL(route, this.publicUrl), { method, headers, body });
  }

  /** POST /orders with a fresh Idempotency-Key unless one is given. */
  placeOrder(body: unknown, options: { key?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    return this.call('POST', 'orders', {
      body,
      headers: { 'idempotency-key': options.key ?? randomUUID(), ...(options.headers ?? {}) },
    });
  }

  /** A SigV4-signed call to the internal API, signed with the runtime's admin credentials (or unsigned). */
  async callInternal(method: string, route: string, options: { body?: unknown; signed?: boolean } = {}): Promise<HttpResult> {
    const url = new URL(route, this.internalUrl);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { host: url.host };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.signed === false) return send(url, { method, headers, body });
    const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: this.runtime.credentials, sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers,
        body,
      }),
    );
    return send(url, { method, headers: signed.headers as Record<string, string>, body });
  }

  /** One item of a table named by a stack output, read consistently; undefined when absent. */
  async item(tableOutput: string, key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const TableName = this.runtime.outputs[tableOutput];
    if (!TableName) throw new Error(`no stack output ${tableOutput}`);
    const out = await this.tables.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /** Every item of a table named by a stack output that matches `filter`. */
  async items(tableOutput: string, filter: (item: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>[]> {
    const TableName = this.runtime.outputs[tableOutput];
    if (!TableName) throw new Error(`no stack output ${tableOutput}`);
    const found: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.tables.send(new ScanCommand({ TableName, ExclusiveStartKey, ConsistentRead: true }));
      found.push(...(page.Items ?? []).filter(filter));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }

  /** Polls GET /orders/{id} until its status is one of `statuses`. */
  orderReaches(orderId: string, statuses: readonly string[], timeoutMs = 15_000): Promise<HttpResult> {
    return eventually(
      async () => {
        const res = await this.call('GET', `orders/${orderId}`);
        return statuses.includes(String(res.json.status)) ? res : undefined;
      },
      { timeoutMs, what: `order ${orderId} to reach ${statuses.join(' or ')}` },
    );
  }

  /** Messages waiting in a queue (visible and in flight), by logical id prefix or name. */
  async queueDepth(queue: string): Promise<number> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.runtime.queueUrl(queue),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  async stockOf(sku: string): Promise<number> {
    const out = await this.tables.send(new GetCommand({ TableName: this.runtime.outputs.StockTableName, Key: { sku }, ConsistentRead: true }));
    return Number(out.Item?.available);
  }

  async setStock(sku: string, available: number): Promise<void> {
    await this.tables.send(new PutCommand({ TableName: this.runtime.outputs.StockTableName, Item: { sku, available } }));
  }
}

async function send(url: URL, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpResult> {
  const started = performance.now();
  // fetch derives Host from the URL (the value that was signed) and refuses to be given one.
  const headers = Object.fromEntries(Object.entries(init.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  const response = await fetch(url, { method: init.method, headers, body: init.body });
  const body = await response.text();
  const elapsedMs = performance.now() - started;
  let json: HttpResult['json'];
  try {
    json = JSON.parse(body);
  } catch {
    json = {};
  }
  return { status: response.status, headers: response.headers, body, json, elapsedMs };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** Starts a seeded shop before the file's tests and stops it after; call at the top of a test file. */
export function useLocalShop(options: { timeScale?: number } = {}): () => LocalShop {
  let shop: LocalShop | undefined;
  beforeAll(async () => {
    shop = await LocalShop.start(options);
  }, 60_000);
  afterAll(async () => {
    await shop?.stop();
  });
  return () => {
    if (!shop) throw new Error('the local shop is not running: call useLocalShop() at the top of the test file');
    return shop;
  };
}
