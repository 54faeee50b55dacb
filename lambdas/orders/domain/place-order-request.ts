import * as z from 'zod/mini';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';
import { UNIQUE_SKUS_META, uniqueSkus } from '../../shared/unique-skus';

/** The most lines one order may hold. */
export const MAX_ORDER_LINES = 20;

/**
 * The body of POST /orders, strict (unknown fields are rejected by name), for a given per-line quantity limit. It
 * names no customer: the customer is the signed-in user (`customerIdOf`), and a `customerId` in the body is rejected
 * as an unknown field (400), so a client that still sends one learns at once that it is not honoured.
 */
export function placeOrderRequest(maxQuantity: number) {
  return z.strictObject({
    lines: z
      .array(
        z.strictObject({
          sku: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)),
          quantity: z.int().check(z.minimum(1), z.maximum(maxQuantity)),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_ORDER_LINES), uniqueSkus(), z.meta(UNIQUE_SKUS_META)),
  });
}

/** An order to place: the validated body, for the signed-in customer (the token's `sub`). */
export type PlaceOrderRequest = z.output<ReturnType<typeof placeOrderRequest>> & { readonly customerId: string };

/** `Idempotency-Key`: 1..255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
