import * as z from 'zod/mini';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';
import { uniqueSkus } from '../../shared/unique-skus';

/** The most lines one order may hold. */
export const MAX_ORDER_LINES = 20;

/** The body of POST /orders, strict (unknown fields are rejected by name), for a given per-line quantity limit. */
export function placeOrderRequest(maxQuantity: number) {
  return z.strictObject({
    customerId: z.string().check(z.minLength(1), z.maxLength(64)),
    lines: z
      .array(
        z.strictObject({
          sku: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)),
          quantity: z.int().check(z.minimum(1), z.maximum(maxQuantity)),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_ORDER_LINES), uniqueSkus()),
  });
}

export type PlaceOrderRequest = z.output<ReturnType<typeof placeOrderRequest>>;

/** `Idempotency-Key`: 1..255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
