import { SHOP_CURRENCY } from '../../shared/events/contracts';
import { ConflictError, type FieldError, UnprocessableError } from '../../shared/errors';
import {
  decideIdempotency,
  idempotencyRecordKey,
  IDEMPOTENCY_TTL_SECONDS,
  type IdempotencyClaim,
  type IdempotencyRecord,
  type IdempotencyStore,
} from './idempotency';
import { type Order, type OrderLine, type OrderRecord, publicOrder, statusOf } from './order';
import { placementEvents } from './order-events';
import type { OrderEvents } from './order-repository';
import type { PlaceOrderRequest } from './place-order-request';
import { requestHash } from './request-hash';

export interface Price {
  readonly priceCents: number;
  readonly currency: string;
}

/** Current catalog prices (read-only: orders snapshots them into the order). */
export interface PriceList {
  /** Prices of the skus the catalog knows; unknown skus are simply absent. */
  prices(skus: readonly string[]): Promise<ReadonlyMap<string, Price>>;
}

/**
 * Inventory's reservation API. Idempotent by orderId: reserving again with the same lines reserves nothing new.
 * Rejects with the problem to answer: out of stock (409 naming `lines[i].sku`), unknown to inventory (422),
 * unavailable (503).
 */
export interface Inventory {
  /** Reject at once (503) when inventory is known to be down, so a request sheds all its work, not only the call. */
  ensureAvailable(): void;
  reserve(orderId: string, lines: readonly { readonly sku: string; readonly quantity: number }[]): Promise<void>;
}

/** Where placed orders are written. */
export interface OrderStore {
  /**
   * Write `order` and complete `claim` with its public view as the response and its correlation id, atomically.
   * 'claim-lost' when the record is no longer this request's (its lock expired and another request took the key
   * over); then nothing was written.
   */
  savePlaced(order: OrderRecord, claim: IdempotencyClaim): Promise<'saved' | 'claim-lost'>;
  /**
   * Write `order` and a new COMPLETED record for `key` (its public view as the response), atomically, under the
   * condition `create` has: no record for the key, or only one that has expired by `nowMs`. 'key-taken' when the
   * key has a live record; then nothing was written.
   */
  saveAccepted(order: OrderRecord, key: IdempotencyClaim, nowMs: number): Promise<'saved' | 'key-taken'>;
}

export interface PlaceOrderDeps {
  readonly idempotency: IdempotencyStore;
  readonly prices: PriceList;
  readonly inventory: Inventory;
  readonly orders: OrderStore;
  readonly events: OrderEvents;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly newOrderId: () => string;
}

export interface PlaceOrderCommand {
  readonly idempotencyKey: string;
  readonly request: PlaceOrderRequest;
  /**
   * How long this request may hold the key. Set it to the time the invocation has left: once the function can no
   * longer be running, a retry may take the key over.
   */
  readonly lockTtlMs: number;
  /**
   * Place it asynchronously (`Prefer: respond-async`): price it, write it PENDING and publish OrderRequested;
   * inventory reserves the stock from its queue.
   */
  readonly respondAsync: boolean;
  /** Carried by every event about the order. */
  readonly correlationId: string;
}

export interface PlaceOrderResult {
  readonly order: Order;
  /** True when the order was placed by an earlier request with the same key and body. */
  readonly replayed: boolean;
  /** True when the order was accepted for asynchronous processing (PENDING): answered 202, not 201. */
  readonly accepted: boolean;
}

const keyField = (message: string): FieldError[] => [{ field: 'Idempotency-Key', message }];

/**
 * Place an order exactly once per `Idempotency-Key`.
 *
 * Synchronously, the key's record is claimed first (or its completed order replayed) while the order is priced; the
 * stock is reserved and the order written CONFIRMED together with the completed record. Any failure before the write
 * marks the record FAILED, keeping its orderId, so a retry with the same key and body reuses the orderId — and
 * inventory, idempotent by orderId, never reserves twice.
 *
 * Asynchronously there is nothing to hold the key for: no call to inventory between pricing and the write. The order
 * is priced, then written PENDING together with a new COMPLETED record, under the condition the claim would have had;
 * only a key already in use falls back to claiming (a replay, a conflict, or a failed attempt taken over).
 *
 * After the write the placement's event is published (OrderPlaced v1, or OrderRequested v1). The write and the
 * publish are two calls: when the publish fails the request fails, and the client's retry with the same key
 * replays the order, publishing the same event (same eventId) again first. Every replay publishes it again, since
 * the record does not tell whether the first publish succeeded: a second copy is a duplicate that consumers drop by
 * eventId, as they drop any redelivery, and a round trip to mark the record published is saved on every order.
 */
export async function placeOrder(deps: PlaceOrderDeps, placement: PlaceOrderCommand): Promise<PlaceOrderResult> {
  // From here on the key is the customer's own (see idempotencyRecordKey).
  const command = { ...placement, idempotencyKey: idempotencyRecordKey(placement.request.customerId, placement.idempotencyKey) };
  // Synchronous mode fails fast while the breaker is open: no table reads or writes for an order that cannot be
  // placed now. A replay of a completed order waits for recovery too; its client retries after Retry-After and
  // gets the same answer. Asynchronous mode does not call inventory, so the breaker does not concern it.
  if (!command.respondAsync) deps.inventory.ensureAvailable();
  const bodyHash = requestHash(command.request);
  if (command.respondAsync) return acceptOrder(deps, command, bodyHash);
  // The catalog read does not depend on the key, so it runs while the key is claimed: one round trip less on every
  // new order. Its outcome counts only for a claimed key; a replay or a refused claim drops it (caught, not unhandled).
  const pricing = settled(priceLines(deps.prices, command.request));
  const claimed = await claimKey(deps, command.idempotencyKey, bodyHash, command.lockTtlMs);
  if (claimed.kind === 'replay') return replay(deps, claimed);
  return completeClaimed(deps, command, claimed.claim, pricing);
}

/** The asynchronous placement: price, then write the order and its completed key at once (see `placeOrder`). */
async function acceptOrder(deps: PlaceOrderDeps, command: PlaceOrderCommand, bodyHash: string): Promise<PlaceOrderResult> {
  const pricing = settled(priceLines(deps.prices, command.request));
  const priced = await pricing;
  // A pricing failure (a sku unknown to the catalog…) counts only for a key that is free: a replay of an order whose
  // sku has left the catalog since still answers its order, and a key in use still answers its conflict.
  const now = deps.now();
  const fresh = claimFor(command.idempotencyKey, bodyHash, deps.newOrderId(), now, command.lockTtlMs);
  if (priced.ok) {
    const order = placedOrder(fresh, command, priced.value, now);
    if ((await deps.orders.saveAccepted(order, fresh, now)) === 'saved') {
      await deps.events.publish(placementEvents(publicOrder(order), command.correlationId));
      return { order: publicOrder(order), replayed: false, accepted: true };
    }
  } else if (decideIdempotency(await deps.idempotency.get(command.idempotencyKey), bodyHash, now).kind === 'create') {
    throw priced.error;
  }
  // The key is in use: claimed as the synchronous path claims it, reading it first.
  const claimed = await claimKey(deps, command.idempotencyKey, bodyHash, command.lockTtlMs, { skipFirstCreate: true });
  if (claimed.kind === 'replay') return replay(deps, claimed);
  return completeClaimed(deps, command, claimed.claim, pricing);
}

/** The order of a completed record again, its placement's event published again first (see `placeOrder`). */
async function replay(deps: PlaceOrderDeps, { order, record }: { readonly order: Order; readonly record: IdempotencyRecord }): Promise<PlaceOrderResult> {
  await deps.events.publish(placementEvents(order, record.correlationId ?? order.orderId));
  return { order, replayed: true, accepted: order.status === 'PENDING' };
}

/** With the key claimed: reserve (synchronously), write the order completing the claim, publish its event. */
async function completeClaimed(
  deps: PlaceOrderDeps,
  command: PlaceOrderCommand,
  claim: IdempotencyClaim,
  pricing: Promise<Settled<PricedLines>>,
): Promise<PlaceOrderResult> {
  let order: Order;
  try {
    const priced = await pricing;
    if (!priced.ok) throw priced.error;
    if (!command.respondAsync) {
      await deps.inventory.reserve(
        claim.orderId,
        command.request.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      );
    }
    const record = placedOrder(claim, command, priced.value, deps.now());
    if ((await deps.orders.savePlaced(record, claim)) === 'claim-lost') throw inProgress();
    order = publicOrder(record);
  } catch (error) {
    try {
      await deps.idempotency.markFailed(claim);
    } catch (markError) {
      throw new AggregateError([error, markError], 'placing the order failed, and so did marking its key FAILED');
    }
    throw error;
  }
  await deps.events.publish(placementEvents(order, command.correlationId));
  return { order, replayed: false, accepted: order.status === 'PENDING' };
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** `promise`'s outcome as a value: awaited later, or never, it is not an unhandled rejection. */
function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function claimFor(key: string, bodyHash: string, orderId: string, now: number, lockTtlMs: number): IdempotencyClaim {
  return {
    idempotencyKey: key,
    bodyHash,
    orderId,
    lockExpiresAt: now + lockTtlMs,
    expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}

type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: IdempotencyClaim }
  | { readonly kind: 'replay'; readonly order: Order; readonly record: IdempotencyRecord };

/**
 * Own the key, or learn that its order exists already. A new key is the common case, so the claim is tried first: its
 * condition (no record, or an expired one) is exactly when reading first would have decided to create, and a new
 * order then costs one call instead of a read and a write. Only a key already taken is read, and decided on; a second
 * pass runs only after losing a race. `skipFirstCreate`: the caller has just seen the key taken, so it is read first.
 */
async function claimKey(
  deps: PlaceOrderDeps,
  key: string,
  bodyHash: string,
  lockTtlMs: number,
  { skipFirstCreate = false } = {},
): Promise<ClaimResult> {
  const firstTry = deps.now();
  const fresh = claimFor(key, bodyHash, deps.newOrderId(), firstTry, lockTtlMs);
  if (!skipFirstCreate && (await deps.idempotency.create(fresh, firstTry))) return { kind: 'claimed', claim: fresh };
  for (let pass = 0; pass < 2; pass++) {
    const now = deps.now();
    const decision = decideIdempotency(await deps.idempotency.get(key), bodyHash, now);
    switch (decision.kind) {
      case 'mismatch':
        throw new UnprocessableError('This Idempotency-Key was used with a different request body.', {
          type: 'idempotency-key-reused',
          errors: keyField('was used with a different body; use a new key for a new order'),
        });
      case 'replay':
        return { kind: 'replay', order: decision.order, record: decision.record };
      case 'in-progress':
        throw inProgress();
      case 'create': {
        const claim = claimFor(key, bodyHash, fresh.orderId, now, lockTtlMs);
        if (await deps.idempotency.create(claim, now)) return { kind: 'claimed', claim };
        break;
      }
      case 'reclaim': {
        const claim = claimFor(key, bodyHash, decision.record.orderId, now, lockTtlMs);
        if (await deps.idempotency.reclaim(decision.record, claim)) return { kind: 'claimed', claim };
        break;
      }
    }
  }
  throw inProgress();
}

function inProgress(): ConflictError {
  return new ConflictError('A request with this Idempotency-Key is in progress; retry after it finishes.', {
    type: 'idempotency-key-in-progress',
    errors: keyField('is in use by a request in progress'),
  });
}

/** The priced order as written: CONFIRMED v1 when its stock is reserved (synchronously), PENDING v1 otherwise. */
function placedOrder(claim: IdempotencyClaim, command: PlaceOrderCommand, priced: PricedLines, now: number): OrderRecord {
  const createdAt = new Date(now).toISOString();
  const unstatused: Omit<OrderRecord, 'status'> = {
    orderId: claim.orderId,
    customerId: command.request.customerId,
    lines: priced.lines,
    totalCents: priced.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
    currency: SHOP_CURRENCY,
    createdAt,
    version: 1,
    correlationId: command.correlationId,
    appliedVersions: {},
    ...(command.respondAsync ? {} : { confirmedAt: createdAt }),
  };
  return { ...unstatused, status: statusOf(unstatused) };
}

interface PricedLines {
  readonly lines: OrderLine[];
}

/** Each line with its current catalog price; unknown skus → 422 naming `lines[i].sku`, so do prices not in EUR. */
async function priceLines(priceList: PriceList, request: PlaceOrderRequest): Promise<PricedLines> {
  const prices = await priceList.prices(request.lines.map((line) => line.sku));
  const unknown = request.lines.flatMap((line, index) =>
    prices.has(line.sku) ? [] : [{ field: `lines[${index}].sku`, message: 'no such product' }],
  );
  if (unknown.length > 0) {
    throw new UnprocessableError('Some skus are not in the catalog.', { type: 'unknown-sku', errors: unknown });
  }
  const lines = request.lines.map((line) => {
    const price = prices.get(line.sku) as Price;
    return { sku: line.sku, quantity: line.quantity, unitPriceCents: price.priceCents, currency: price.currency };
  });
  const currency = lines[0]?.currency ?? SHOP_CURRENCY;
  const foreign = lines.flatMap((line, index) =>
    line.currency === currency ? [] : [{ field: `lines[${index}].sku`, message: `is priced in ${line.currency}, not ${currency}` }],
  );
  if (foreign.length > 0) {
    throw new UnprocessableError('All lines of an order must be priced in one currency.', {
      type: 'mixed-currencies',
      errors: foreign,
    });
  }
  if (currency !== SHOP_CURRENCY) {
    throw new UnprocessableError(`The shop sells in ${SHOP_CURRENCY} only.`, {
      type: 'unsupported-currency',
      errors: lines.map((line, index) => ({ field: `lines[${index}].sku`, message: `is priced in ${line.currency}, not ${SHOP_CURRENCY}` })),
    });
  }
  return { lines: lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })) };
}
