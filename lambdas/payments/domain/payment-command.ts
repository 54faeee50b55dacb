import * as z from 'zod/mini';
import type { FieldError } from '../../shared/errors';
import { SHOP_CURRENCY } from '../../shared/events/contracts';
import { fieldErrors } from '../../shared/validation';

/**
 * A message on the payments FIFO queue, written by payment-intake and read by payment-worker: charge an order
 * (from OrderPlaced) or refund it (from OrderCancelled). Strict: a field nobody reads is a mistake, not an extension.
 */
export const paymentCommand = z.strictObject({
  command: z.enum(['CHARGE', 'REFUND']),
  orderId: z.string().check(z.minLength(1), z.maxLength(128)),
  customerId: z.string().check(z.minLength(1), z.maxLength(64)),
  amountCents: z.int().check(z.minimum(0)),
  currency: z.literal(SHOP_CURRENCY),
  correlationId: z.string().check(z.minLength(1)),
  /** The eventId of the event that asked for this command. */
  causationEventId: z.string().check(z.minLength(1)),
});

export type PaymentCommand = z.output<typeof paymentCommand>;

/** A queue message that is not a payment command. Not transient: retrying cannot fix it, so it ends in the DLQ. */
export class InvalidPaymentCommandError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(`invalid payment command: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'InvalidPaymentCommandError';
  }
}

/** A queue message body (JSON) as a payment command; throws `InvalidPaymentCommandError` naming each bad field. */
export function parsePaymentCommand(body: string): PaymentCommand {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidPaymentCommandError([{ field: 'body', message: 'is not valid JSON' }]);
  }
  const result = paymentCommand.safeParse(json, { reportInput: true });
  if (!result.success) throw new InvalidPaymentCommandError(fieldErrors(result.error.issues, 'body'));
  return result.data;
}
