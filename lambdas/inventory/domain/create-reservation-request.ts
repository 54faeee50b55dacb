import * as z from 'zod/mini';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../../shared/sku';
import { UNIQUE_SKUS_META, uniqueSkus } from '../../shared/unique-skus';
import { MAX_RESERVATION_LINES, ORDER_ID_FORMAT_MESSAGE, ORDER_ID_PATTERN } from './reservation';

/** The body of POST /reservations. Strict: unknown fields are rejected by name. */
export const createReservationRequest = z.strictObject({
  orderId: z.string().check(z.regex(ORDER_ID_PATTERN, ORDER_ID_FORMAT_MESSAGE)),
  lines: z
    .array(
      z.strictObject({
        sku: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)),
        quantity: z.int().check(z.minimum(1)),
      }),
    )
    // A transaction may touch an item only once, so a sku appears on one line.
    .check(z.minLength(1), z.maxLength(MAX_RESERVATION_LINES), uniqueSkus(), z.meta(UNIQUE_SKUS_META)),
});

export type CreateReservationRequest = z.output<typeof createReservationRequest>;
