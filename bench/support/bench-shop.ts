/**
 * The shop as the bench drives it: the local runtime started on free ports from `cdk.out`, seeded with the sample
 * catalog, stock high enough that no bench order is refused for stock, and a payment provider that answers at once
 * and never declines (its simulated latency is not what the bench measures). Around it, what the scenarios read:
 * the depth of every queue of the template, the orders' statuses, the functions the runtime throttled, and
 * inventory's faults.
 */
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, PutCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { PoolUsers, type SignedInUser } from '../../bin/pool-users';
import { seedShop } from '../../bin/seed';
import { sampleStock } from '../../lambdas/catalog/domain/sample-products';
import { loadCloudAssembly, type CfnTemplate } from '../../local/assembly/cloud-assembly';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';

const REGION = 'us-east-1';
const BENCH_STOCK = 10_000_000;
const BATCH_GET_LIMIT = 100;

/** Statuses an order leaves no more on its own (a CANCELLED order could still become REFUNDED only through a refund). */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED', 'REFUNDED']);

/** The inventory functions a fault takes down or slows: the synchronous API and the asynchronous worker. */
export const INVENTORY_FUNCTIONS = ['InventoryCreateReservationFunction', 'InventoryReservationWorkerFunction'] as const;

/** An order's fields the bench reads back. */
export interface OrderState {
  readonly orderId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly confirmedAt?: string;
  readonly rejectedAt?: string;
  /** The last change: for an order in a final state, when it got there. */
  readonly updatedAt?: string;
}

/** An alarm's state change, from the runtime's `⏰` trace lines. */
export interface AlarmChange {
  /** Epoch ms when the bench saw it. */
  readonly at: number;
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

export interface BenchShopOptions {
  readonly assemblyDir: string;
  /**
   * CloudWatch's time scale alone (`alarmTimeScale` of the runtime): below 1, alarm periods and the ages they read run
   * faster, while the queues' visibility timeouts and retry backoffs stay real.
   *
   * @default 1
   */
  readonly alarmTimeScale?: number;
  /**
   * Receives every line the runtime logs (invocations, requests, alarm changes), e.g. to keep them in a file.
   *
   * @default - lines are only counted
   */
  readonly onLog?: (line: string) => void;
  /** Function environment overrides, as `startLocalRuntime` takes them. */
  readonly environmentOverrides?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

type ProblemCounts = Map<string, { throttled: number; timedOut: number; failed: number }>;

/** Cold starts (invocations that started a new execution environment) so far, by function short name. */
type ColdStartCounts = Map<string, number>;

export class BenchShop {
  private constructor(
    /** Invocations the runtime reported as throttled, timed out or failed, by function short name. */
    readonly invocationProblems: ProblemCounts,
    private readonly coldStartCounts: ColdStartCounts,
    /** Every alarm state change since the runtime started (each alarm's first INSUFFICIENT_DATA → OK aside). */
    readonly alarmChanges: readonly AlarmChange[],
    readonly runtime: LocalRuntime,
    readonly template: CfnTemplate,
    readonly tables: DynamoDBDocumentClient,
    private readonly sqs: SQSClient,
  ) {}

  static async start(options: BenchShopOptions): Promise<BenchShop> {
    const [stack] = loadCloudAssembly(path.resolve(options.assemblyDir));
    const problems: ProblemCounts = new Map();
    const coldStarts: ColdStartCounts = new Map();
    const alarmChanges: AlarmChange[] = [];
    const runtime = await startLocalRuntime({
      assemblyDir: options.assemblyDir,
      edgePort: 0,
      apiBasePort: 0,
      log: (line) => {
        countProblem(problems, line);
        countColdStart(coldStarts, line);
        const change = alarmChangeOf(line);
        if (change) alarmChanges.push(change);
        options.onLog?.(line);
      },
      ...(options.alarmTimeScale !== undefined ? { alarmTimeScale: options.alarmTimeScale } : {}),
      ...(options.environmentOverrides ? { environmentOverrides: options.environmentOverrides } : {}),
    });
    const client = { region: REGION, endpoint: runtime.edgeUrl, credentials: runtime.credentials };
    const shop = new BenchShop(problems, coldStarts, alarmChanges, runtime, stack.template, DynamoDBDocumentClient.from(new DynamoDBClient(client)), new SQSClient(client));
    try {
      const outputs = runtime.outputs;
      await seedShop({ ...client, productsTableName: outputs.ProductsTableName, stockTableName: outputs.StockTableName });
      await Promise.all(
        sampleStock().map(({ sku }) => shop.tables.send(new PutCommand({ TableName: outputs.StockTableName, Item: { sku, available: BENCH_STOCK } }))),
      );
      await shop.tables.send(
        new PutCommand({ TableName: outputs.PaymentProviderTableName, Item: { provider: 'default', latencyMs: 0, failureRate: 0, down: false } }),
      );
      return shop;
    } catch (error) {
      await shop.stop();
      throw error;
    }
  }

  /**
   * A new customer of the stack's user pool, signed in: the bench's orders are theirs (`ordersOf(customer.sub)`). Its
   * ID token lasts an hour (the app client's validity), longer than any bench run.
   */
  async customer(label: string): Promise<SignedInUser> {
    const outputs = this.runtime.outputs;
    const users = new PoolUsers({
      region: REGION,
      endpoint: this.runtime.edgeUrl,
      credentials: this.runtime.credentials,
      userPoolId: outputs.UserPoolId,
      clientId: outputs.UserPoolClientId,
    });
    try {
      return await users.create(label);
    } finally {
      users.destroy();
    }
  }

  /** Cold starts of the function `shortName` so far (`λ … (cold start, init … ms)` lines of the runtime). */
  coldStarts(shortName: string): number {
    return this.coldStartCounts.get(shortName) ?? 0;
  }

  get publicUrl(): string {
    return this.runtime.outputs.PublicApiUrl;
  }

  /** The SKUs every bench order cycles through (all stocked at BENCH_STOCK). */
  get skus(): string[] {
    return sampleStock().map((s) => s.sku);
  }

  /** Logical ids of the template's queues, in template order. */
  get queueIds(): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
      .map(([logicalId]) => logicalId);
  }

  /** Messages in each queue of the template (visible, in flight and delayed), by logical id. */
  async queueDepths(): Promise<Map<string, number>> {
    const depths = await Promise.all(
      this.queueIds.map(async (logicalId) => {
        const out = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: this.runtime.queueUrl(logicalId),
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
        );
        const a = out.Attributes ?? {};
        return [logicalId, Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0)] as const;
      }),
    );
    return new Map(depths);
  }

  /** The orders of `orderIds` as the orders table holds them (consistent reads); absent ones are left out. */
  async orders(orderIds: readonly string[]): Promise<OrderState[]> {
    const TableName = this.runtime.outputs.OrdersTableName;
    const found: OrderState[] = [];
    for (let start = 0; start < orderIds.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] | undefined = orderIds.slice(start, start + BATCH_GET_LIMIT).map((orderId) => ({ orderId }));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const out: BatchGetCommandOutput = await this.tables.send(
          new BatchGetCommand({
            RequestItems: {
              [TableName]: {
                Keys: keys,
                ConsistentRead: true,
                ProjectionExpression: ORDER_STATE_PROJECTION,
                ExpressionAttributeNames: { '#status': 'status' },
              },
            },
          }),
        );
        for (const item of out.Responses?.[TableName] ?? []) found.push(orderStateOf(item));
        keys = out.UnprocessedKeys?.[TableName]?.Keys;
      }
    }
    return found;
  }

  /** Every order of the orders table placed for `customerId` (a consistent scan: for the load's 12,000 orders, seconds). */
  async ordersOf(customerId: string): Promise<OrderState[]> {
    const found: OrderState[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await this.tables.send(
        new ScanCommand({
          TableName: this.runtime.outputs.OrdersTableName,
          ConsistentRead: true,
          FilterExpression: 'customerId = :customer',
          ProjectionExpression: ORDER_STATE_PROJECTION,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':customer': customerId },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) found.push(orderStateOf(item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }

  /** Slows inventory (both functions) by `delayMs` per invocation; 0 clears it. */
  inventoryLatency(delayMs: number): void {
    for (const fn of INVENTORY_FUNCTIONS) this.runtime.setFault(fn, delayMs > 0 ? { delayMs } : undefined);
  }

  /** Makes every inventory invocation fail (FIS's invocation-error), or clears that. */
  inventoryDown(down: boolean): void {
    for (const fn of INVENTORY_FUNCTIONS) this.runtime.setFault(fn, down ? { error: true } : undefined);
  }

  async stop(): Promise<void> {
    this.tables.destroy();
    this.sqs.destroy();
    await this.runtime.stop();
  }
}

const ORDER_STATE_PROJECTION = 'orderId, #status, createdAt, confirmedAt, rejection, updatedAt';

function orderStateOf(item: Record<string, unknown>): OrderState {
  const rejection = item.rejection as { rejectedAt?: string } | undefined;
  return {
    orderId: String(item.orderId),
    status: String(item.status),
    createdAt: String(item.createdAt),
    ...(item.confirmedAt ? { confirmedAt: String(item.confirmedAt) } : {}),
    ...(rejection?.rejectedAt ? { rejectedAt: rejection.rejectedAt } : {}),
    ...(item.updatedAt ? { updatedAt: String(item.updatedAt) } : {}),
  };
}

/** `⏰ ALARM  HybridShop-…-AgeOfOldestMessage  OK → ALARM: Threshold Crossed: …` as a change. */
function alarmChangeOf(line: string): AlarmChange | undefined {
  const match = /^⏰ \S+\s+(?:composite )?(\S+)\s+(\S+) → (\S+):/.exec(line);
  return match ? { at: Date.now(), name: match[1], from: match[2], to: match[3] } : undefined;
}

/** Counts the runtime's `λ Function  ok  … (cold start, init … ms)` lines, by function. */
function countColdStart(coldStarts: ColdStartCounts, line: string): void {
  const match = /^λ (\S+)\s.*\(cold start/.exec(line);
  if (match) coldStarts.set(match[1], (coldStarts.get(match[1]) ?? 0) + 1);
}

/** Counts the runtime's `λ Function  THROTTLED…` / `TIMED OUT` / `error …` / `crashed …` lines. */
function countProblem(problems: ProblemCounts, line: string): void {
  const match = /^λ (\S+)\s+(THROTTLED|TIMED OUT|error|crashed)/.exec(line);
  if (!match) return;
  const counts = problems.get(match[1]) ?? { throttled: 0, timedOut: 0, failed: 0 };
  if (match[2] === 'THROTTLED') counts.throttled++;
  else if (match[2] === 'TIMED OUT') counts.timedOut++;
  else counts.failed++;
  problems.set(match[1], counts);
}
