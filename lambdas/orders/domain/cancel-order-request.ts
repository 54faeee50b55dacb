import * as z from 'zod/mini';

/** The optional body of POST /orders/{id}/cancel. Strict: unknown fields are rejected by name. */
export const cancelOrderRequest = z.strictObject({
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
});

export type CancelOrderRequest = z.output<typeof cancelOrderRequest>;

/** The reason recorded when the customer gives none. */
export const DEFAULT_CANCEL_REASON = 'cancelled by the customer';
