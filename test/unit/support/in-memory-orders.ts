import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from '../../../lambdas/orders/domain/idempotency';
import { type OrderRecord, publicOrder } from '../../../lambdas/orders/domain/order';
import type { OrderEvents, OrderRepository } from '../../../lambdas/orders/domain/order-repository';
import type { Inventory, OrderStore, Price, PriceList } from '../../../lambdas/orders/domain/place-order';
import type { ShopEvent } from '../../../lambdas/shared/events/contracts';

/** The idempotency table in memory, with the same conditions as the DynamoDB adapter's writes. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, IdempotencyRecord>();

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    return this.records.get(key);
  }

  async create(claim: IdempotencyClaim, nowMs: number): Promise<boolean> {
    const existing = this.records.get(claim.idempotencyKey);
    if (existing !== undefined && existing.expiresAt > Math.floor(nowMs / 1000)) return false;
    this.records.set(claim.idempotencyKey, { ...claim, status: 'IN_PROGRESS' });
    return true;
  }

  async reclaim(seen: IdempotencyRecord, claim: IdempotencyClaim): Promise<boolean> {
    const current = this.records.get(claim.idempotencyKey);
    if (
      current === undefined ||
      current.status !== seen.status ||
      current.lockExpiresAt !== seen.lockExpiresAt ||
      current.bodyHash !== claim.bodyHash
    ) {
      return false;
    }
    this.records.set(claim.idempotencyKey, { ...current, status: 'IN_PROGRESS', lockExpiresAt: claim.lockExpiresAt, expiresAt: claim.expiresAt });
    return true;
  }

  async markFailed(claim: IdempotencyClaim): Promise<void> {
    const current = this.records.get(claim.idempotencyKey);
    if (current?.status === 'IN_PROGRESS' && current.lockExpiresAt === claim.lockExpiresAt) {
      this.records.set(claim.idempotencyKey, { ...current, status: 'FAILED' });
    }
  }
}

/** The orders table in memory; completes the claim in the idempotency store like the transaction does. */
export class InMemoryOrderStore implements OrderStore {
  readonly orders = new Map<string, OrderRecord>();

  constructor(private readonly idempotency: InMemoryIdempotencyStore) {}

  async savePlaced(order: OrderRecord, claim: IdempotencyClaim): Promise<'saved' | 'claim-lost'> {
    const record = this.idempotency.records.get(claim.idempotencyKey);
    if (record?.status !== 'IN_PROGRESS' || record.lockExpiresAt !== claim.lockExpiresAt) return 'claim-lost';
    if (this.orders.has(order.orderId)) throw new Error(`order ${order.orderId} exists`);
    this.orders.set(order.orderId, order);
    this.idempotency.records.set(claim.idempotencyKey, {
      ...record,
      status: 'COMPLETED',
      response: publicOrder(order),
      correlationId: order.correlationId,
    });
    return 'saved';
  }

  async saveAccepted(order: OrderRecord, key: IdempotencyClaim, nowMs: number): Promise<'saved' | 'key-taken'> {
    const existing = this.idempotency.records.get(key.idempotencyKey);
    if (existing !== undefined && existing.expiresAt > Math.floor(nowMs / 1000)) return 'key-taken';
    if (this.orders.has(order.orderId)) throw new Error(`order ${order.orderId} exists`);
    this.orders.set(order.orderId, order);
    this.idempotency.records.set(key.idempotencyKey, { ...key, status: 'COMPLETED', response: publicOrder(order), correlationId: order.correlationId });
    return 'saved';
  }
}

/** The orders table in memory, replaced under the same condition as the DynamoDB adapter (version and applied versions). */
export class InMemoryOrderRepository implements OrderRepository {
  readonly orders = new Map<string, OrderRecord>();
  /** Writes that happened, in order. */
  readonly writes: OrderRecord[] = [];

  /** A write of another writer, made just before the next `replace` (see `changeBeforeNextReplace`). */
  private concurrentChange: ((current: OrderRecord) => OrderRecord) | undefined;

  constructor(...orders: OrderRecord[]) {
    for (const order of orders) this.orders.set(order.orderId, order);
  }

  /** Another writer changes the order between this code's read and its next write: `change` maps the stored order. */
  changeBeforeNextReplace(change: (current: OrderRecord) => OrderRecord): this {
    this.concurrentChange = change;
    return this;
  }

  async find(orderId: string): Promise<OrderRecord | undefined> {
    return this.orders.get(orderId);
  }

  async replace(next: OrderRecord, expected: OrderRecord): Promise<'saved' | 'changed'> {
    const change = this.concurrentChange;
    this.concurrentChange = undefined;
    const stored = this.orders.get(expected.orderId);
    if (change !== undefined && stored !== undefined) this.orders.set(stored.orderId, change(stored));
    const current = this.orders.get(expected.orderId);
    const same =
      current !== undefined &&
      current.version === expected.version &&
      (['shop.inventory', 'shop.payments', 'shop.shipping'] as const).every((source) => current.appliedVersions[source] === expected.appliedVersions[source]);
    if (!same) return 'changed';
    this.orders.set(next.orderId, next);
    this.writes.push(next);
    return 'saved';
  }
}

/** Records published events; fails the next `failures` publishes with `error` first. */
export class RecordingOrderEvents implements OrderEvents {
  readonly published: ShopEvent[] = [];
  private failures = 0;
  private error: Error = new Error('publish failed');

  failNext(error: Error, times = 1): this {
    this.error = error;
    this.failures = times;
    return this;
  }

  async publish(events: readonly ShopEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw this.error;
    }
    this.published.push(...events);
  }

  /** `detail-type vN` of each published event, in order. */
  summary(): string[] {
    return this.published.map((event) => `${event.detailType} v${event.detail.version}`);
  }
}

/** A catalog of fixed prices. */
export class FixedPriceList implements PriceList {
  constructor(private readonly table: Record<string, Price>) {}

  async prices(skus: readonly string[]): Promise<ReadonlyMap<string, Price>> {
    return new Map(skus.flatMap((sku) => (this.table[sku] === undefined ? [] : [[sku, this.table[sku]] as const])));
  }
}

/** Inventory that records reservations and answers as scripted (by default: reserved). */
export class FakeInventory implements Inventory {
  readonly reservations: { orderId: string; lines: readonly { sku: string; quantity: number }[] }[] = [];
  failWith: Error | undefined;
  /** Thrown by `ensureAvailable`, as a client whose breaker is open does. */
  unavailable: Error | undefined;

  ensureAvailable(): void {
    if (this.unavailable !== undefined) throw this.unavailable;
  }

  async reserve(orderId: string, lines: readonly { readonly sku: string; readonly quantity: number }[]): Promise<void> {
    this.reservations.push({ orderId, lines });
    if (this.failWith !== undefined) throw this.failWith;
  }
}
