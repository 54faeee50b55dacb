/**
 * The orders the bench places: `POST /orders` with a fresh Idempotency-Key each, one line of one unit, the SKU
 * cycling through the catalog so no single stock item is the hot spot; synchronous, or asynchronous with
 * `Prefer: respond-async`, as a signed-in customer (their ID token in `Authorization`, as the public API's user-pool
 * authorizer takes it). Mixes interleave the two kinds evenly, so machine noise hits both alike.
 */
import type { RequestSpec } from './load-client-protocol';

export type OrderKind = 'sync' | 'async';

/** The status each kind answers when the order is taken. */
export const EXPECTED_STATUS: Readonly<Record<string, number>> = { sync: 201, async: 202, get: 200 };

export function orderRequest(publicUrl: string, kind: OrderKind, sku: string, idToken: string): RequestSpec {
  return {
    label: kind,
    method: 'POST',
    url: new URL('orders', publicUrl).href,
    headers: { 'content-type': 'application/json', authorization: idToken, ...(kind === 'async' ? { prefer: 'respond-async' } : {}) },
    body: JSON.stringify({ lines: [{ sku, quantity: 1 }] }),
    idempotencyKey: true,
  };
}

/**
 * `length` orders, `syncShare` of them synchronous and spread evenly (request i is sync when ⌊(i+1)·share⌋ passes
 * ⌊i·share⌋), SKUs in turn.
 */
export function orderMix(publicUrl: string, options: { syncShare: number; skus: readonly string[]; idToken: string; length?: number }): RequestSpec[] {
  const length = options.length ?? options.skus.length * 20;
  return Array.from({ length }, (_, i) => {
    const sync = Math.floor((i + 1) * options.syncShare + 1e-9) > Math.floor(i * options.syncShare + 1e-9);
    return orderRequest(publicUrl, sync ? 'sync' : 'async', options.skus[i % options.skus.length], options.idToken);
  });
}
