import { SHOP_CURRENCY } from '../../shared/events/contracts';
import { ConflictError, type FieldError, UnprocessableError } from '../../shared/errors';
import {
  decideIdempotency,
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
   * Write `order` and complete `claim` with its public view as the response, `published: false` and its
   * correlation id, atomically. 'claim-lost' when the record is no longer this request's (its lock expired and
   * another request took the key over); then nothing was written.
   */
  savePlaced(order: OrderRecord, claim: IdempotencyClaim): Promise<'saved' | 'claim-lost'>;
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
 * The key's record is claimed first (or its completed order replayed). Synchronously, the order is priced, its
 * stock reserved and the order written CONFIRMED together with the completed record; asynchronously it is priced
 * and written PENDING, and inventory reserves later. Any failure before the write marks the record FAILED, keeping
 * its orderId, so a retry with the same key and body reuses the orderId — and inventory, idempotent by orderId,
 * never reserves twice.
 *
 * After the write the placement's event is published (OrderPlaced v1, or OrderRequested v1), then the record marked
 * published. The write and the publish are two calls: when the publish fails the request fails, the record stays
 * COMPLETED but unpublished, and the client's retry with the same key publishes the same event again (same
 * eventId) before it replays the order.
 */
export async function placeOrder(deps: PlaceOrderDeps, command: PlaceOrderCommand): Promise<PlaceOrderResult> {
  // Synchronous mode fails fast while the breaker is open: no table reads or writes for an order that cannot be
  // placed now. A replay of a completed order waits for recovery too; its client retries after Retry-After and
  // gets the same answer. Asynchronous mode does not call inventory, so the breaker does not concern it.
  if (!command.respondAsync) deps.inventory.ensureAvailable();
  const bodyHash = requestHash(command.request);
  // The catalog read does not depend on the key, so it runs while the key is claimed: one round trip less on every
  // new order. Its outcome counts only for a claimed key; a replay or a refused claim drops it (caught, not unhandled).
  const pricing = priceLines(deps.prices, command.request).then(
    (priced) => ({ ok: true as const, priced }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const claimed = await claimKey(deps, command.idempotencyKey, bodyHash, command.lockTtlMs);
  if (claimed.kind === 'replay') {
    const { order, record } = claimed;
    if (record.published === false) {
      await publishPlacement(deps, record.idempotencyKey, order, record.correlationId ?? order.orderId);
    }
    return { order, replayed: true, accepted: order.status === 'PENDING' };
  }
  const { claim } = claimed;
  let order: Order;
  try {
    const pricedOrFailed = await pricing;
    if (!pricedOrFailed.ok) throw pricedOrFailed.error;
    const { priced } = pricedOrFailed;
    if (!command.respondAsync) {
      await deps.inventory.reserve(
        claim.orderId,
        command.request.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      );
    }
    order = await save(deps, claim, command, priced);
  } catch (error) {
    try {
      await deps.idempotency.markFailed(claim);
    } catch (markError) {
      throw new AggregateError([error, markError], 'placing the order failed, and so did marking its key FAILED');
    }
    throw error;
  }
  await publishPlacement(deps, claim.idempotencyKey, order, command.correlationId);
  return { order, replayed: false, accepted: order.status === 'PENDING' };
}

async function publishPlacement(deps: PlaceOrderDeps, key: string, order: Order, correlationId: string): Promise<void> {
  await deps.events.publish(placementEvents(order, correlationId));
  await deps.idempotency.markPublished(key);
}

type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: IdempotencyClaim }
  | { readonly kind: 'replay'; readonly order: Order; readonly record: IdempotencyRecord };

/**
 * Own the key, or learn that its order exists already. A new key is the common case, so the claim is tried first: its
 * condition (no record, or an expired one) is exactly when reading first would have decided to create, and a new
 * order then costs one call instead of a read and a write. Only a key already taken is read, and decided on; a second
 * pass runs only after losing a race.
 */
async function claimKey(deps: PlaceOrderDeps, key: string, bodyHash: string, lockTtlMs: number): Promise<ClaimResult> {
  const claimFor = (orderId: string, now: number): IdempotencyClaim => ({
    idempotencyKey: key,
    bodyHash,
    orderId,
    lockExpiresAt: now + lockTtlMs,
    expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
  });
  const firstTry = deps.now();
  const fresh = claimFor(deps.newOrderId(), firstTry);
  if (await deps.idempotency.create(fresh, firstTry)) return { kind: 'claimed', claim: fresh };
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
        const claim = claimFor(fresh.orderId, now);
        if (await deps.idempotency.create(claim, now)) return { kind: 'claimed', claim };
        break;
      }
      case 'reclaim': {
        const claim = claimFor(decision.record.orderId, now);
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

/** Write the priced order (CONFIRMED v1 when its stock is reserved, PENDING v1 otherwise), completing the key. */
async function save(deps: PlaceOrderDeps, claim: IdempotencyClaim, command: PlaceOrderCommand, priced: PricedLines): Promise<Order> {
  const createdAt = new Date(deps.now()).toISOString();
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
  const record: OrderRecord = { ...unstatused, status: statusOf(unstatused) };
  if ((await deps.orders.savePlaced(record, claim)) === 'claim-lost') throw inProgress();
  return publicOrder(record);
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
