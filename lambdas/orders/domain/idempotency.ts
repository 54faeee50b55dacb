import type { Order } from './order';

/** How long a key is remembered (and replays its order): 24 hours. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export type IdempotencyStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/**
 * The idempotency table's key for a customer's `Idempotency-Key`: keys are the client's to choose, so each
 * customer has their own. Two customers who pick the same key place two orders; neither can replay, block or learn
 * of the other's.
 */
export function idempotencyRecordKey(customerId: string, idempotencyKey: string): string {
  return `${customerId}/${idempotencyKey}`;
}

/** One `Idempotency-Key` of one customer as the idempotency table stores it (`idempotencyRecordKey`). */
export interface IdempotencyRecord {
  readonly idempotencyKey: string;
  /** sha256 (hex) of the canonical request body the key was first used with. */
  readonly bodyHash: string;
  /** The order this key creates; kept across failed attempts so a retry reuses it (and its reservation). */
  readonly orderId: string;
  readonly status: IdempotencyStatus;
  /** Epoch **milliseconds** until which an IN_PROGRESS record belongs to the request that claimed it. */
  readonly lockExpiresAt: number;
  /** Epoch **seconds** after which the record is dead: the table's TTL attribute. */
  readonly expiresAt: number;
  /** The order answered, on COMPLETED records. */
  readonly response?: Order;
  /** The correlation id the placement's event carries, on COMPLETED records. @default - the orderId */
  readonly correlationId?: string;
}

/** The part of a record a request holds while it owns the key: enough to complete or fail it conditionally. */
export interface IdempotencyClaim {
  readonly idempotencyKey: string;
  readonly bodyHash: string;
  readonly orderId: string;
  readonly lockExpiresAt: number;
  readonly expiresAt: number;
}

/** Idempotency records, written only under conditions so two requests never own one key at once. */
export interface IdempotencyStore {
  /** The record for `key`, read consistently (it may have expired and not yet been deleted by TTL). */
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Create an IN_PROGRESS record unless a live one exists (false then). */
  create(claim: IdempotencyClaim, nowMs: number): Promise<boolean>;
  /** Take over `seen` (FAILED, or IN_PROGRESS with an expired lock) unless it changed since it was read (false then). */
  reclaim(seen: IdempotencyRecord, claim: IdempotencyClaim): Promise<boolean>;
  /** Mark the claimed record FAILED, keeping orderId and bodyHash; a no-op when the claim was lost meanwhile. */
  markFailed(claim: IdempotencyClaim): Promise<void>;
}

export type IdempotencyDecision =
  /** No live record: create one with a new orderId. */
  | { readonly kind: 'create' }
  /** A failed or abandoned attempt with this body: take it over, keeping its orderId. */
  | { readonly kind: 'reclaim'; readonly record: IdempotencyRecord }
  /** Completed with this body: answer its order again (publishing its event again first). */
  | { readonly kind: 'replay'; readonly order: Order; readonly record: IdempotencyRecord }
  /** Another request holds the key right now. */
  | { readonly kind: 'in-progress' }
  /** The key was used with another body. */
  | { readonly kind: 'mismatch' };

/** What a request with `bodyHash` may do with the key's `record`, at `nowMs`. */
export function decideIdempotency(
  record: IdempotencyRecord | undefined,
  bodyHash: string,
  nowMs: number,
): IdempotencyDecision {
  if (record === undefined || record.expiresAt * 1000 <= nowMs) return { kind: 'create' };
  if (record.bodyHash !== bodyHash) return { kind: 'mismatch' };
  if (record.status === 'COMPLETED') {
    if (record.response === undefined) {
      throw new Error(`idempotency record ${record.idempotencyKey} is COMPLETED without a response`);
    }
    return { kind: 'replay', order: record.response, record };
  }
  if (record.status === 'IN_PROGRESS' && record.lockExpiresAt > nowMs) return { kind: 'in-progress' };
  return { kind: 'reclaim', record };
}
