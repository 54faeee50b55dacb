/**
 * The shop as the e2e suite sees it: the public and internal APIs, the tables, queues, bus and stream the stack's
 * outputs name (and the ones found by name, `stack-resources.ts`), and the local runtime's controls when the target
 * has them. Whatever the target, only that: see `shop-target.ts`.
 *
 * A Shop seeds the catalog and stock it needs, tracks what it writes, and takes it out again on `stop()`
 * (`created-records.ts`): orders placed, items overwritten, faults left on.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { seedShop } from '../../../bin/seed';
import { sampleProducts, sampleStock } from '../../../lambdas/catalog/domain/sample-products';
import { idempotencyRecordKey } from '../../../lambdas/orders/domain/idempotency';
import { STAFF_GROUP } from '../../../lambdas/shared/http/caller';
import { loadCloudAssembly } from '../../../local/assembly/cloud-assembly';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime';
import { CreatedRecords, type OrderTables } from './created-records';
import { type Customer, TestCustomers } from './customers';
import { eventually } from './eventually';
import { runtimeControls, type FunctionFault, type PutEventsFault, type ShopControls } from './shop-controls';
import { apiUrlOf, IN_PROCESS_DEADLINES, refuseAwsHost, type ShopTarget } from './shop-target';
import { parseStackOutputs, requireOutput } from '../../../bin/stack-outputs';
import { StackResources } from './stack-resources';

export interface HttpResult {
  /** The URL that was called: what a `Location` it answered is relative to. */
  readonly url: URL;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** The body parsed as JSON (empty when it is not JSON). */
  readonly json: Record<string, unknown> & { errors?: { field: string; message: string }[] };
  readonly elapsedMs: number;
}

/** Who a call is made as: a signed-in user (their ID token in `Authorization`), or nobody. */
export type Caller = Customer | 'anonymous';

export interface CallInit {
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** @default the shop's own customer (`shop.customer`); an `authorization` header given in `headers` wins */
  readonly as?: Caller;
}

export interface ShopOptions {
  /** Where progress lines go (seeding, clean-up). @default - nowhere in-process, stdout on a deployed target */
  readonly log?: (line: string) => void;
}

const ASSEMBLY_DIR = path.resolve(__dirname, '../../../cdk.out');

/** The target of an in-process runtime: its outputs, edge, admin credentials and the runtime object as controls. */
export function inProcessTarget(runtime: LocalRuntime, stackName: string, region: string): ShopTarget {
  return {
    kind: 'in-process',
    description: `stack ${stackName} on an in-process local runtime at ${runtime.edgeUrl}`,
    // Through the outputs file's reader, like every other target.
    stack: parseStackOutputs(JSON.stringify({ [stackName]: runtime.outputs }), 'the in-process runtime', stackName),
    region,
    endpoint: runtime.edgeUrl,
    credentials: runtime.credentials,
    controls: runtimeControls(runtime),
    timeScale: runtime.timeScale,
    deadlines: IN_PROCESS_DEADLINES,
  };
}

/** The outputs the suite reads: a stack without one of them is not the current app. */
export const REQUIRED_OUTPUTS = [
  'PublicApiUrl',
  'InternalApiUrl',
  'EventBusName',
  'ProductsTableName',
  'StockTableName',
  'OrdersTableName',
  'PaymentsTableName',
  'PaymentProviderTableName',
  'ShipmentsTableName',
  'SentNotificationsTableName',
  'OrderEventLogStreamName',
  'UserPoolId',
  'UserPoolClientId',
] as const;

/** Fails with one clear message unless the target has every output, its public API answers, and its controls too. */
export async function checkTarget(target: ShopTarget): Promise<void> {
  for (const name of REQUIRED_OUTPUTS) requireOutput(target.stack, name);
  const publicUrl = apiUrlOf(target, 'PublicApiUrl');
  apiUrlOf(target, 'InternalApiUrl');
  try {
    await fetch(new URL('products?limit=1', publicUrl), { signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new Error(
      `the public API at ${publicUrl} (output PublicApiUrl of ${target.description}) does not answer (${causeOf(error)}): ` +
        'is the stack deployed (or `npm start` running), and is the outputs file current?',
    );
  }
  await target.controls?.check?.();
}

export class Shop {
  /** The public API's stage URL on this target (see `apiUrlOf`). */
  public readonly publicUrl: URL;
  /** The internal API's stage URL on this target. */
  public readonly internalUrl: URL;
  public readonly dynamodb: DynamoDBClient;
  public readonly tables: DynamoDBDocumentClient;
  public readonly sqs: SQSClient;
  public readonly eventBridge: EventBridgeClient;
  public readonly kinesis: KinesisClient;
  /** Makes signed-in users in the stack's user pool, the same way on every target, and deletes them on `stop()`. */
  public readonly customers: TestCustomers;
  /** The in-process runtime's log lines (empty on other targets). */
  public readonly logs: string[];
  private readonly resources: StackResources;
  private readonly records: CreatedRecords;
  private readonly keySchemas = new Map<string, Promise<string[]>>();
  private readonly faulted = new Set<string>();
  private putEventsFaulted = false;
  private readonly log: (line: string) => void;
  private ownCustomer?: Customer;
  private staffMember?: Promise<Customer>;

  private constructor(
    public readonly target: ShopTarget,
    private readonly ownRuntime: LocalRuntime | undefined,
    logs: string[],
    options: ShopOptions,
  ) {
    this.logs = logs;
    this.log = options.log ?? (target.kind === 'deployed' ? (line) => process.stdout.write(`${line}\n`) : () => undefined);
    this.publicUrl = apiUrlOf(target, 'PublicApiUrl');
    this.internalUrl = apiUrlOf(target, 'InternalApiUrl');
    const config = {
      region: target.region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.credentials ? { credentials: target.credentials } : {}),
    };
    this.dynamodb = new DynamoDBClient(config);
    this.tables = DynamoDBDocumentClient.from(this.dynamodb);
    this.sqs = new SQSClient(config);
    this.eventBridge = new EventBridgeClient(config);
    this.kinesis = new KinesisClient(config);
    this.customers = new TestCustomers(target);
    this.resources = new StackResources(target.stack.stackName, this.sqs, this.dynamodb);
    this.records = new CreatedRecords(this.tables, () => this.orderTables());
  }

  /** Starts an in-process local runtime on free ports and connects to it. */
  static async start(options: { timeScale?: number } & ShopOptions = {}): Promise<Shop> {
    const [stack] = loadCloudAssembly(ASSEMBLY_DIR);
    const logs: string[] = [];
    const runtime = await startLocalRuntime({
      assemblyDir: ASSEMBLY_DIR,
      edgePort: 0,
      apiBasePort: 0,
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
      log: (line) => {
        logs.push(line);
        if (process.env.E2E_VERBOSE) process.stdout.write(`${line}\n`);
      },
    });
    try {
      return await Shop.open(inProcessTarget(runtime, stack.stackName, stack.region ?? 'us-east-1'), runtime, logs, options);
    } catch (error) {
      await runtime.stop();
      throw error;
    }
  }

  /** Connects to a target (a deployed stack, or a runtime someone else started), checks it answers, and seeds it. */
  static connect(target: ShopTarget, options: ShopOptions = {}): Promise<Shop> {
    return Shop.open(target, undefined, [], options);
  }

  private static async open(target: ShopTarget, runtime: LocalRuntime | undefined, logs: string[], options: ShopOptions): Promise<Shop> {
    await checkTarget(target);
    const shop = new Shop(target, runtime, logs, options);
    try {
      // Every table clean-up needs is found before anything is written: what cannot be cleaned is not created.
      await shop.orderTables();
      await shop.seed();
      shop.ownCustomer = await shop.customers.create({ label: 'shop' });
      return shop;
    } catch (error) {
      shop.destroyClients();
      throw error;
    }
  }

  /** The customer every call is made as unless it says otherwise: signed in when the shop opened. */
  get customer(): Customer {
    if (!this.ownCustomer) throw new Error('the shop has no customer yet: it is made when the shop opens');
    return this.ownCustomer;
  }

  /** A member of the `staff` group (who may read the sales figures), made on first use. */
  staff(): Promise<Customer> {
    this.staffMember ??= this.customers.create({ label: 'staff', groups: [STAFF_GROUP] });
    return this.staffMember;
  }

  /** The stack's outputs (on the in-process runtime, resolved to local values). */
  get outputs(): Readonly<Record<string, string>> {
    return this.target.stack.outputs;
  }

  /** The in-process LocalRuntime; only `npm test` has one (wrap such tests in `describeNeedsRuntime`). */
  get runtime(): LocalRuntime {
    if (!this.ownRuntime) {
      throw new Error(`this test reads the in-process local runtime, and the target is ${this.target.description}: wrap it in describeNeedsRuntime(…)`);
    }
    return this.ownRuntime;
  }

  /** The local runtime's controls (wrap tests that use them in `itNeedsControls`); faults set are cleared on `stop()`. */
  get controls(): ShopControls {
    const controls = this.target.controls;
    if (!controls) throw new Error(`the target (${this.target.description}) has no controls: ${this.target.noControls ?? ''}; wrap this test in itNeedsControls(…)`);
    return {
      description: controls.description,
      setFault: async (fn, fault: FunctionFault | undefined) => {
        if (fault) this.faulted.add(fn);
        await controls.setFault(fn, fault);
        if (!fault) this.faulted.delete(fn);
      },
      putEventsFault: async (fault: PutEventsFault | undefined) => {
        this.putEventsFaulted = fault !== undefined;
        await controls.putEventsFault(fault);
      },
      invocationCount: (fn) => controls.invocationCount(fn),
      eventsSettled: () => controls.eventsSettled(),
    };
  }

  /** Lets asynchronous work finish: the controls' word where there are controls, else SHOP_SETTLE_MS of waiting. */
  async settle(): Promise<void> {
    if (this.target.controls) await this.target.controls.eventsSettled();
    else await new Promise((resolve) => setTimeout(resolve, this.target.deadlines.settleMs));
  }

  /** Cleans up what the suite wrote, then closes the clients (and stops the in-process runtime). */
  async stop(): Promise<void> {
    try {
      await this.cleanUp();
    } finally {
      this.destroyClients();
      await this.ownRuntime?.stop();
    }
  }

  /**
   * A call to the public API; `route` is relative to the stage URL, e.g. `products/SKU-0001`. It is made as the shop's
   * customer (their ID token in `Authorization`) unless `init.as` names someone else or `'anonymous'`.
   */
  async call(method: string, route: string, init: CallInit = {}): Promise<HttpResult> {
    const caller = init.as ?? this.customer;
    const headers: Record<string, string> = { ...this.authorization(caller), ...(init.headers ?? {}) };
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const placing = method.toUpperCase() === 'POST' && /^\/?orders\/?$/.test(route.split('?')[0]);
    if (placing) {
      const key = Object.entries(headers).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
      // The table keeps each customer's keys apart (idempotencyRecordKey); an anonymous call writes none.
      if (key && caller !== 'anonymous') this.records.idempotencyKey(idempotencyRecordKey(caller.sub, key));
    }
    const result = await this.send(new URL(route, this.publicUrl), { method, headers, body });
    if (placing && typeof result.json.orderId === 'string') this.records.order(result.json.orderId);
    return result;
  }

  /** POST /orders with a fresh Idempotency-Key unless one is given, as the shop's customer unless `options.as` says. */
  placeOrder(body: unknown, options: { key?: string; headers?: Record<string, string>; as?: Caller } = {}): Promise<HttpResult> {
    return this.call('POST', 'orders', {
      body,
      headers: { 'idempotency-key': options.key ?? randomUUID(), ...(options.headers ?? {}) },
      ...(options.as === undefined ? {} : { as: options.as }),
    });
  }

  /** A SigV4-signed call to the internal API (the target's credentials: the default chain on AWS), or unsigned. */
  async callInternal(method: string, route: string, options: { body?: unknown; signed?: boolean } = {}): Promise<HttpResult> {
    const url = new URL(route, this.internalUrl);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const orderId = (options.body as { orderId?: unknown } | undefined)?.orderId;
    if (method.toUpperCase() === 'POST' && typeof orderId === 'string') this.records.order(orderId);
    const headers: Record<string, string> = { host: url.host };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.signed === false) return this.send(url, { method, headers, body });
    const signer = new SignatureV4({ service: 'execute-api', region: this.target.region, credentials: this.target.credentials ?? this.sqs.config.credentials, sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        headers,
        body,
      }),
    );
    return this.send(url, { method, headers: signed.headers as Record<string, string>, body });
  }

  /**
   * Follows the `Location` an answer carries, as a client does: resolved against the URL that answered, then GET, as
   * the shop's customer unless `as` says otherwise. Fails when there is none.
   */
  async follow(result: HttpResult, as: Caller = this.customer): Promise<HttpResult> {
    const location = result.headers.get('location');
    if (location === null) throw new Error(`${result.url} answered ${result.status} without a Location to follow`);
    return this.send(new URL(location, result.url), { method: 'GET', headers: this.authorization(as) });
  }

  /** The `Authorization` header of `caller`: their ID token, as the user-pool authorizer takes it; none for anonymous. */
  private authorization(caller: Caller): Record<string, string> {
    return caller === 'anonymous' ? {} : { authorization: caller.idToken };
  }

  private send(url: URL, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpResult> {
    refuseAwsHost(this.target, url, `${init.method} ${url.pathname}`);
    return send(url, init);
  }

  /** A table's name: a stack output (`PaymentsTableName`) or a logical id prefix (`OrdersIdempotencyTable`). */
  async tableName(ref: string): Promise<string> {
    return this.outputs[ref] ?? this.resources.tableName(ref);
  }

  /** A queue's URL by logical id prefix, e.g. `PaymentsCommandsDeadLetterQueue`. */
  queueUrl(logicalIdPrefix: string): Promise<string> {
    return this.resources.queueUrl(logicalIdPrefix);
  }

  /** One item of a table (output name or logical id prefix), read consistently; undefined when absent. */
  async item(table: string, key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const out = await this.tables.send(new GetCommand({ TableName: await this.tableName(table), Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /** Every item of a table (output name or logical id prefix) that matches `filter`. */
  async items(table: string, filter: (item: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>[]> {
    const TableName = await this.tableName(table);
    const found: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.tables.send(new ScanCommand({ TableName, ExclusiveStartKey, ConsistentRead: true }));
      found.push(...(page.Items ?? []).filter(filter));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }

  /** Writes an item, remembering what it replaced so that `stop()` puts that back. */
  async put(table: string, item: Record<string, unknown>): Promise<void> {
    const TableName = await this.tableName(table);
    const keyNames = await this.keySchema(TableName);
    await this.records.beforeWrite(TableName, Object.fromEntries(keyNames.map((name) => [name, item[name]])));
    await this.tables.send(new PutCommand({ TableName, Item: item }));
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

  /** Messages waiting in a queue (visible and in flight), by logical id prefix. */
  async queueDepth(queue: string): Promise<number> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await this.queueUrl(queue),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  async stockOf(sku: string): Promise<number> {
    return Number((await this.item('StockTableName', { sku }))?.available);
  }

  async setStock(sku: string, available: number): Promise<void> {
    await this.put('StockTableName', { sku, available });
  }

  /**
   * Puts a record on the order-event log; on `stop()`, the on-failure records naming it are taken off
   * `failureQueues` (logical id prefixes) — and only those.
   */
  async putLogRecord(data: string, partitionKey: string, failureQueues: readonly string[]): Promise<void> {
    const out = await this.kinesis.send(
      new PutRecordCommand({ StreamName: requireOutput(this.target.stack, 'OrderEventLogStreamName'), PartitionKey: partitionKey, Data: Buffer.from(data) }),
    );
    const shardId = String(out.ShardId);
    const sequence = BigInt(String(out.SequenceNumber));
    this.records.onCleanup(async () => {
      let removed = 0;
      for (const queue of failureQueues) {
        removed += await this.removeMessages(await this.queueUrl(queue), (body) => {
          const info = (body as { KinesisBatchInfo?: { shardId?: string; startSequenceNumber?: string; endSequenceNumber?: string } }).KinesisBatchInfo;
          if (info?.shardId !== shardId || !info.startSequenceNumber || !info.endSequenceNumber) return false;
          return BigInt(info.startSequenceNumber) <= sequence && sequence <= BigInt(info.endSequenceNumber);
        });
      }
      return removed;
    });
  }

  /** Deletes the messages of a queue that `mine` accepts; the others are made visible again at once. */
  private async removeMessages(QueueUrl: string, mine: (body: unknown) => boolean): Promise<number> {
    const seen = new Set<string>();
    let removed = 0;
    for (let round = 0; round < 20; round++) {
      const out = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0 || messages.every((m) => seen.has(String(m.MessageId)))) {
        for (const m of messages) await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
        break;
      }
      for (const m of messages) {
        seen.add(String(m.MessageId));
        let body: unknown;
        try {
          body = JSON.parse(String(m.Body));
        } catch {
          body = undefined;
        }
        if (mine(body)) {
          await this.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
          removed++;
        } else {
          await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
        }
      }
    }
    return removed;
  }

  /** The sample catalog and stock, as `npm run seed` writes them, remembering what was there before. */
  private async seed(): Promise<void> {
    const productsTableName = requireOutput(this.target.stack, 'ProductsTableName');
    const stockTableName = requireOutput(this.target.stack, 'StockTableName');
    await this.records.beforeWriteAll(productsTableName, sampleProducts().map(({ sku }) => ({ sku })));
    await this.records.beforeWriteAll(stockTableName, sampleStock().map(({ sku }) => ({ sku })));
    const seeded = await seedShop({
      region: this.target.region,
      productsTableName,
      stockTableName,
      ...(this.target.endpoint ? { endpoint: this.target.endpoint } : {}),
      ...(this.target.credentials ? { credentials: this.target.credentials } : {}),
    });
    this.log(`e2e: seeded ${seeded.products} products and ${seeded.stock} stock levels into ${this.target.description}`);
  }

  /**
   * Clears faults left on, then deletes what the suite created and restores what it overwrote — again after the
   * asynchronous flows had time to settle, until a sweep finds nothing new (three at most).
   */
  private async cleanUp(): Promise<void> {
    const controls = this.target.controls;
    if (controls) {
      for (const fn of this.faulted) await controls.setFault(fn, undefined);
      if (this.putEventsFaulted) await controls.putEventsFault(undefined);
    }
    const tracked = this.records.size;
    let late = 0;
    await this.settle();
    const first = await this.records.sweep();
    for (let pass = 2; pass <= 3; pass++) {
      await this.settle();
      const again = await this.records.sweep();
      if (again.deleted === 0) break;
      late += again.deleted;
      if (pass === 3) this.log(`e2e cleanup: records of tracked orders kept arriving (${again.deleted} in the last sweep): check ${this.target.description}`);
    }
    const lateNote = late > 0 ? ` (${late} of them arrived late)` : '';
    await this.customers.deleteAll();
    this.log(
      `e2e cleanup: deleted ${first.deleted + late} records of ${tracked.orders} orders placed and ${tracked.keys} Idempotency-Keys sent${lateNote}; ` +
        `restored ${first.restored} items the suite overwrote`,
    );
  }

  private async orderTables(): Promise<OrderTables> {
    return {
      orders: requireOutput(this.target.stack, 'OrdersTableName'),
      payments: requireOutput(this.target.stack, 'PaymentsTableName'),
      shipments: requireOutput(this.target.stack, 'ShipmentsTableName'),
      sentNotifications: requireOutput(this.target.stack, 'SentNotificationsTableName'),
      idempotency: await this.tableName('OrdersIdempotencyTable'),
      reservations: await this.tableName('InventoryReservationsTable'),
      timeline: await this.tableName('OrdersTimelineTable'),
    };
  }

  private keySchema(TableName: string): Promise<string[]> {
    let names = this.keySchemas.get(TableName);
    if (!names) {
      names = this.dynamodb.send(new DescribeTableCommand({ TableName })).then((out) => (out.Table?.KeySchema ?? []).map((k) => String(k.AttributeName)));
      this.keySchemas.set(TableName, names);
    }
    return names;
  }

  private destroyClients(): void {
    this.customers.destroy();
    this.tables.destroy();
    this.dynamodb.destroy();
    this.sqs.destroy();
    this.eventBridge.destroy();
    this.kinesis.destroy();
  }
}

async function send(url: URL, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpResult> {
  const started = performance.now();
  // fetch derives Host from the URL (the value that was signed) and refuses to be given one.
  const headers = Object.fromEntries(Object.entries(init.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  let response: Response;
  try {
    response = await fetch(url, { method: init.method, headers, body: init.body });
  } catch (error) {
    throw new Error(`${init.method} ${url} did not answer (${causeOf(error)})`);
  }
  const body = await response.text();
  const elapsedMs = performance.now() - started;
  let json: HttpResult['json'];
  try {
    json = JSON.parse(body);
  } catch {
    json = {};
  }
  return { url, status: response.status, headers: response.headers, body, json, elapsedMs };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
