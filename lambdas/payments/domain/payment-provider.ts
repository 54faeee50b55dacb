import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { FieldError } from '../../shared/errors';
import { fieldErrors } from '../../shared/validation';

/** The simulated provider's behaviour, changed at run time by `npm run payments:provider`. */
export interface ProviderSettings {
  /** How long every provider call takes, in milliseconds. */
  readonly latencyMs: number;
  /** The share of charges declined, 0..1. */
  readonly failureRate: number;
  /** True: every call fails as unavailable (the command waits in its queue until the provider is back). */
  readonly down: boolean;
}

/** What the provider does when no settings were written: 50 ms per call, no declines, up. */
export const DEFAULT_PROVIDER_SETTINGS: ProviderSettings = { latencyMs: 50, failureRate: 0, down: false };

/** The longest latency the settings may ask for: one minute, longer than any payment worker's timeout. */
export const MAX_PROVIDER_LATENCY_MS = 60_000;

/** The settings item's fields; each may be absent (then its default applies). Other attributes are ignored. */
export const providerSettingsSchema = z.object({
  latencyMs: z.optional(z.int().check(z.minimum(0), z.maximum(MAX_PROVIDER_LATENCY_MS))),
  failureRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  down: z.optional(z.boolean()),
});

/** The stored settings cannot be used: a field has the wrong type or is out of range. */
export class InvalidProviderSettingsError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(`invalid payment provider settings: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'InvalidProviderSettingsError';
  }
}

/** The settings a stored item (or undefined: none stored) describes, each missing field at its default. */
export function parseProviderSettings(item: unknown): ProviderSettings {
  if (item === undefined) return DEFAULT_PROVIDER_SETTINGS;
  const result = providerSettingsSchema.safeParse(item, { reportInput: true });
  if (!result.success) throw new InvalidProviderSettingsError(fieldErrors(result.error.issues, 'settings'));
  return {
    latencyMs: result.data.latencyMs ?? DEFAULT_PROVIDER_SETTINGS.latencyMs,
    failureRate: result.data.failureRate ?? DEFAULT_PROVIDER_SETTINGS.failureRate,
    down: result.data.down ?? DEFAULT_PROVIDER_SETTINGS.down,
  };
}

/** Where the current settings are read from (the provider settings table). */
export interface ProviderSettingsSource {
  read(): Promise<ProviderSettings>;
}

/** The provider cannot be reached. Transient: the command is retried later and nothing is lost. */
export class ProviderUnavailableError extends Error {
  constructor(message = 'the payment provider is unavailable') {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

export interface ChargeRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
}

export type ChargeResult =
  | { readonly outcome: 'CAPTURED'; readonly paymentId: string }
  | { readonly outcome: 'DECLINED'; readonly reason: string };

export interface RefundRequest {
  readonly orderId: string;
  readonly paymentId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/** A card payment provider. Both calls are idempotent by order: the same order always gets the same paymentId. */
export interface PaymentProvider {
  /** Capture `amountCents`, or decline. Throws `ProviderUnavailableError` when the provider cannot be reached. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Give a captured payment back; refunds are never declined. Throws `ProviderUnavailableError` like `charge`. */
  refund(request: RefundRequest): Promise<void>;
}

/** The reason a declined charge gives, carried by PaymentFailed. */
export const DECLINE_REASON = 'CARD_DECLINED';

/** The paymentId the provider assigns an order's charge: `pay_` + 24 hex digits of a SHA-256 of the orderId. */
export function paymentIdFor(orderId: string): string {
  return `pay_${createHash('sha256').update(`payment|${orderId}`).digest('hex').slice(0, 24)}`;
}

export interface SimulatedPaymentProviderOptions {
  readonly settings: ProviderSettingsSource;
  /** How long settings read from the source are reused, in milliseconds. @default 1000 */
  readonly cacheMs?: number;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1): a charge is declined when it falls below `failureRate`. */
  readonly random: () => number;
}

/**
 * A payment provider simulated from run-time settings: each call reads the settings (reused for at most `cacheMs`,
 * so a change takes effect within a second), waits `latencyMs`, then fails as unavailable when `down`, declines a
 * charge with probability `failureRate`, and otherwise captures with a paymentId derived from the orderId.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  private readonly cacheMs: number;
  private cached: { readonly settings: ProviderSettings; readonly readAt: number } | undefined;

  constructor(private readonly options: SimulatedPaymentProviderOptions) {
    this.cacheMs = options.cacheMs ?? 1_000;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const settings = await this.call();
    if (this.options.random() < settings.failureRate) return { outcome: 'DECLINED', reason: DECLINE_REASON };
    return { outcome: 'CAPTURED', paymentId: paymentIdFor(request.orderId) };
  }

  async refund(_request: RefundRequest): Promise<void> {
    await this.call();
  }

  /** One call's latency and availability; answers the settings in force for it. */
  private async call(): Promise<ProviderSettings> {
    const settings = await this.currentSettings();
    if (settings.latencyMs > 0) await this.options.sleep(settings.latencyMs);
    if (settings.down) throw new ProviderUnavailableError();
    return settings;
  }

  private async currentSettings(): Promise<ProviderSettings> {
    const now = this.options.now();
    if (this.cached !== undefined && now - this.cached.readAt < this.cacheMs) return this.cached.settings;
    const settings = await this.options.settings.read();
    this.cached = { settings, readAt: now };
    return settings;
  }
}
