import { newEvent, type ShopEvent } from '../../shared/events/contracts';
import type { CapturedPayment, Payment, RefundedPayment } from './payment';
import type { PaymentCommand } from './payment-command';
import type { PaymentProvider } from './payment-provider';
import type { PaymentStore } from './payment-store';

/** Where payment events are published (the event bus). Throws when any event was not accepted. */
export interface PaymentEvents {
  publish(events: readonly ShopEvent[]): Promise<void>;
}

export interface ProcessPaymentDeps {
  readonly store: PaymentStore;
  readonly provider: PaymentProvider;
  readonly events: PaymentEvents;
  readonly now: () => Date;
}

/** What one command came to; every outcome but a thrown error means the message is done. */
export type PaymentOutcome =
  /** The provider captured the charge; PaymentCaptured v1 published. */
  | 'captured'
  /** The provider declined the charge; PaymentFailed v1 published. */
  | 'declined'
  /** The captured charge was refunded; PaymentRefunded v2 published. */
  | 'refunded'
  /** The command was done before (a redelivery): its event published again, same eventId. */
  | 'replayed'
  /** A charge after the order's refund arrived first: skipped, the provider is never called. */
  | 'skipped-cancelled'
  /** A refund before any charge: a CANCELLED tombstone written so a late charge is skipped. */
  | 'tombstoned'
  /** A refund of a declined charge, or a second refund before any charge: there is nothing to give back. */
  | 'nothing-to-refund';

/**
 * Charge or refund an order, exactly once however often the command arrives.
 *
 * The record is written before its event is published: when publishing fails the command fails, and its retry
 * finds the record and publishes the same event again (same eventId, so consumers drop the duplicate). The
 * provider throws `ProviderUnavailableError` while it is down; that propagates, and the command waits in its queue.
 */
export async function processPayment(deps: ProcessPaymentDeps, command: PaymentCommand): Promise<PaymentOutcome> {
  // A second pass runs only when a conditional write lost to a concurrent one; it then sees that write.
  for (let pass = 0; pass < 2; pass++) {
    const outcome = command.command === 'CHARGE' ? await charge(deps, command) : await refund(deps, command);
    if (outcome !== 'conflict') return outcome;
  }
  throw new Error(`the payment record of order ${command.orderId} changed twice while processing ${command.command}`);
}

async function charge(deps: ProcessPaymentDeps, command: PaymentCommand): Promise<PaymentOutcome | 'conflict'> {
  const existing = await deps.store.find(command.orderId);
  if (existing !== undefined) {
    if (existing.status === 'CANCELLED') return 'skipped-cancelled';
    await deps.events.publish([chargeEvent(existing)]);
    return 'replayed';
  }
  const result = await deps.provider.charge(command);
  const base = {
    orderId: command.orderId,
    customerId: command.customerId,
    amountCents: command.amountCents,
    currency: command.currency,
    correlationId: command.correlationId,
    chargedAt: deps.now().toISOString(),
  };
  const payment: Payment =
    result.outcome === 'CAPTURED'
      ? { ...base, status: 'CAPTURED', paymentId: result.paymentId }
      : { ...base, status: 'DECLINED', reason: result.reason };
  // An order's commands run one at a time (its FIFO message group), so losing this write is rare; the next pass
  // then acts on the winner's record, and the provider, idempotent by order, charged nothing twice.
  if ((await deps.store.create(payment)) === 'exists') return 'conflict';
  await deps.events.publish([chargeEvent(payment)]);
  return payment.status === 'CAPTURED' ? 'captured' : 'declined';
}

async function refund(deps: ProcessPaymentDeps, command: PaymentCommand): Promise<PaymentOutcome | 'conflict'> {
  const existing = await deps.store.find(command.orderId);
  if (existing === undefined) {
    const created = await deps.store.create({
      status: 'CANCELLED',
      orderId: command.orderId,
      customerId: command.customerId,
      amountCents: command.amountCents,
      currency: command.currency,
      correlationId: command.correlationId,
      cancelledAt: deps.now().toISOString(),
    });
    return created === 'created' ? 'tombstoned' : 'conflict';
  }
  switch (existing.status) {
    case 'CAPTURED':
      return refundCaptured(deps, existing, command);
    case 'REFUNDED':
      await deps.events.publish([refundEvent(existing)]);
      return 'replayed';
    case 'DECLINED':
    case 'CANCELLED':
      return 'nothing-to-refund';
  }
}

async function refundCaptured(
  deps: ProcessPaymentDeps,
  payment: CapturedPayment,
  command: PaymentCommand,
): Promise<PaymentOutcome | 'conflict'> {
  // The provider refunds by paymentId, idempotently: a retry after a failed write below refunds nothing twice.
  await deps.provider.refund(payment);
  const refundedAt = deps.now().toISOString();
  if ((await deps.store.markRefunded(payment.orderId, refundedAt, command.correlationId)) === 'not-captured') {
    return 'conflict';
  }
  await deps.events.publish([
    refundEvent({ ...payment, status: 'REFUNDED', refundedAt, refundCorrelationId: command.correlationId }),
  ]);
  return 'refunded';
}

/** The event a charge produced: PaymentCaptured v1 (also for a payment refunded since) or PaymentFailed v1. */
function chargeEvent(payment: Exclude<Payment, { status: 'CANCELLED' }>): ShopEvent {
  const fields = { orderId: payment.orderId, version: 1, correlationId: payment.correlationId, occurredAt: new Date(payment.chargedAt) };
  if (payment.status === 'DECLINED') {
    return newEvent('PaymentFailed', { ...fields, data: { customerId: payment.customerId, reason: payment.reason } });
  }
  return newEvent('PaymentCaptured', {
    ...fields,
    data: {
      customerId: payment.customerId,
      paymentId: payment.paymentId,
      amountCents: payment.amountCents,
      currency: payment.currency,
    },
  });
}

/** PaymentRefunded v2, from the refunded record (so a replay carries the first publish's occurredAt). */
function refundEvent(payment: RefundedPayment): ShopEvent {
  return newEvent('PaymentRefunded', {
    orderId: payment.orderId,
    version: 2,
    correlationId: payment.refundCorrelationId,
    occurredAt: new Date(payment.refundedAt),
    data: {
      customerId: payment.customerId,
      paymentId: payment.paymentId,
      amountCents: payment.amountCents,
      currency: payment.currency,
    },
  });
}
