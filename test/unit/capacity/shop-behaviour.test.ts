import { DEFAULT_PROVIDER_SETTINGS } from '../../../lambdas/payments/domain/payment-provider';
import { PAYMENT_PROVIDER_LATENCY_MS } from '../../../lib/capacity/shop-behaviour';

describe("the capacity model's statement of the shop's behaviour", () => {
  it("waits on the payment provider as long as the simulated provider's default latency", () => {
    expect(PAYMENT_PROVIDER_LATENCY_MS).toBe(DEFAULT_PROVIDER_SETTINGS.latencyMs);
  });
});
