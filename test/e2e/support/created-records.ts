/**
 * Everything the suite writes into a stack, so that it can take it out again: against a real account leftovers cost
 * money and confuse whoever looks at the tables next.
 *
 * Tracked: the orders the suite placed (by the order ids the API answered, and by the Idempotency-Keys it sent, whose
 * records name the order even when the placement failed half-way), and every item it overwrote (the catalog and stock
 * it seeded, a stock level it set, the payment provider's settings), with the item as it was before. Clean-up deletes
 * each tracked order's records wherever the flows wrote them (orders, idempotency, reservations, payments, shipments,
 * timeline, sent e-mails) and puts every overwritten item back as it was (or deletes it when there was none). Nothing
 * else is touched: records of orders the suite did not place stay.
 *
 * Not cleaned, because they cannot be or must not be: analytics' per-minute counts (other orders share the same
 * minute), the event archive, the order-event log's records (they expire), Lambda and API logs, metrics.
 */
import { BatchGetCommand, type BatchGetCommandOutput, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** The tables an order's records live in: where the stack's flows write them. */
export interface OrderTables {
  readonly orders: string;
  readonly idempotency: string;
  readonly reservations: string;
  readonly payments: string;
  readonly shipments: string;
  readonly timeline: string;
  readonly sentNotifications: string;
}

export interface SweepResult {
  /** Records of tracked orders deleted. */
  readonly deleted: number;
  /** Overwritten items put back, or deleted where there was none before. */
  readonly restored: number;
}

interface Snapshot {
  readonly table: string;
  readonly key: Record<string, unknown>;
  /** The item before the suite's first write; undefined: there was none. */
  readonly original: Record<string, unknown> | undefined;
}

const CONCURRENCY = 8;

export class CreatedRecords {
  private readonly orderIds = new Set<string>();
  private readonly idempotencyKeys = new Set<string>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly extraCleanups: (() => Promise<number>)[] = [];

  public constructor(
    private readonly documents: DynamoDBDocumentClient,
    /** Resolved when first needed: some tables are found by listing. */
    private readonly tables: () => Promise<OrderTables>,
  ) {}

  /** How much is tracked, for the clean-up's report. */
  public get size(): { readonly orders: number; readonly keys: number; readonly items: number } {
    return { orders: this.orderIds.size, keys: this.idempotencyKeys.size, items: this.snapshots.size };
  }

  public order(orderId: string): void {
    this.orderIds.add(orderId);
  }

  public idempotencyKey(key: string): void {
    this.idempotencyKeys.add(key);
  }

  /** Clean-up work of a test's own (e.g. records it put on a queue); resolves to how many records it removed. */
  public onCleanup(cleanup: () => Promise<number>): void {
    this.extraCleanups.push(cleanup);
  }

  /** Remembers the item at `key` before the suite's first write to it (later writes keep the first snapshot). */
  public async beforeWrite(table: string, key: Record<string, unknown>): Promise<void> {
    const id = snapshotId(table, key);
    if (this.snapshots.has(id)) return;
    const out = await this.documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!this.snapshots.has(id)) this.snapshots.set(id, { table, key, original: out.Item });
  }

  /** `beforeWrite` for many keys of one table at once (BatchGetItem), e.g. before seeding. */
  public async beforeWriteAll(table: string, keys: readonly Record<string, unknown>[]): Promise<void> {
    const fresh = keys.filter((key) => !this.snapshots.has(snapshotId(table, key)));
    const found = new Map<string, Record<string, unknown>>();
    const keyNames = Object.keys(fresh[0] ?? {});
    for (let start = 0; start < fresh.length; start += 100) {
      let pending: Record<string, unknown>[] | undefined = fresh.slice(start, start + 100);
      for (let attempt = 1; pending && pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`reading ${table} before writing it: keys still unprocessed after 8 attempts`);
        const out: BatchGetCommandOutput = await this.documents.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of out.Responses?.[table] ?? []) found.set(snapshotId(table, pick(item, keyNames)), item);
        pending = out.UnprocessedKeys?.[table]?.Keys;
        if (pending?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    for (const key of fresh) {
      const id = snapshotId(table, key);
      if (!this.snapshots.has(id)) this.snapshots.set(id, { table, key, original: found.get(id) });
    }
  }

  /**
   * Deletes every tracked order's records and restores every overwritten item. Safe to repeat: a second sweep after
   * the asynchronous flows settle catches records that arrived late (and restores stock a late release changed).
   */
  public async sweep(): Promise<SweepResult> {
    const tables = await this.tables();
    let deleted = 0;
    const remove = async (table: string, key: Record<string, unknown>) => {
      const out = await this.documents.send(new DeleteCommand({ TableName: table, Key: key, ReturnValues: 'ALL_OLD' }));
      if (out.Attributes) deleted++;
    };

    // The keys' records name the orders they created, including ones whose placement failed after reserving stock.
    await eachLimited([...this.idempotencyKeys], async (idempotencyKey) => {
      const out = await this.documents.send(new GetCommand({ TableName: tables.idempotency, Key: { idempotencyKey }, ConsistentRead: true }));
      if (typeof out.Item?.orderId === 'string') this.orderIds.add(out.Item.orderId);
      if (out.Item) await remove(tables.idempotency, { idempotencyKey });
    });
    const orderIds = [...this.orderIds];
    await eachLimited(orderIds, async (orderId) => {
      for (const table of [tables.orders, tables.reservations, tables.payments, tables.shipments]) await remove(table, { orderId });
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.documents.send(
          new QueryCommand({ TableName: tables.timeline, KeyConditionExpression: 'orderId = :orderId', ExpressionAttributeValues: { ':orderId': orderId }, ExclusiveStartKey }),
        );
        for (const entry of page.Items ?? []) await remove(tables.timeline, { orderId, entryKey: entry.entryKey });
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    });
    if (orderIds.length > 0) {
      // Sent e-mails are keyed by event id: one scan finds every tracked order's.
      const wanted = new Set(orderIds);
      const sent: unknown[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.documents.send(
          new ScanCommand({ TableName: tables.sentNotifications, ProjectionExpression: 'eventId, orderId', ConsistentRead: true, ExclusiveStartKey }),
        );
        for (const item of page.Items ?? []) if (wanted.has(String(item.orderId))) sent.push(item.eventId);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      await eachLimited(sent, (eventId) => remove(tables.sentNotifications, { eventId }));
    }

    for (const cleanup of this.extraCleanups) deleted += await cleanup();

    await eachLimited([...this.snapshots.values()], async ({ table, key, original }) => {
      if (original) await this.documents.send(new PutCommand({ TableName: table, Item: original }));
      else await this.documents.send(new DeleteCommand({ TableName: table, Key: key }));
    });
    return { deleted, restored: this.snapshots.size };
  }
}

function snapshotId(table: string, key: Record<string, unknown>): string {
  return `${table}\u0000${JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]))}`;
}

function pick(item: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

/** Runs `work` on every item, at most CONCURRENCY at a time. */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
