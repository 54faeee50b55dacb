import {
  DEFAULT_PROVIDER_SETTINGS,
  InvalidProviderSettingsError,
  parseProviderSettings,
  paymentIdFor,
  type ProviderSettings,
  ProviderUnavailableError,
  SimulatedPaymentProvider,
} from '../../../../lambdas/payments/domain/payment-provider';
import { thrownBy } from '../../support/thrown-by';

const ORDER_ID = '0e9e1a57-1111-4222-8333-444455556666';
const charge = { orderId: ORDER_ID, amountCents: 5230, currency: 'EUR' };

/** A provider over settings the test changes, a clock it moves, and recorded sleeps. */
function simulatedProvider(initial: Partial<ProviderSettings> = {}, randoms: number[] = [0.5]) {
  const world = {
    settings: { ...DEFAULT_PROVIDER_SETTINGS, latencyMs: 0, ...initial } as ProviderSettings,
    reads: 0,
    nowMs: 1_000_000,
    sleeps: [] as number[],
  };
  const provider = new SimulatedPaymentProvider({
    settings: {
      read: async () => {
        world.reads += 1;
        return world.settings;
      },
    },
    now: () => world.nowMs,
    sleep: async (ms) => {
      world.sleeps.push(ms);
    },
    random: () => randoms.shift() ?? 0.5,
  });
  return { provider, world };
}

describe('SimulatedPaymentProvider', () => {
  it('captures with a paymentId derived from the orderId, the same on every call', async () => {
    // Prepare
    const { provider } = simulatedProvider();

    // Act
    const first = await provider.charge(charge);
    const second = await provider.charge(charge);

    // Assess
    expect(first).toEqual({ outcome: 'CAPTURED', paymentId: paymentIdFor(ORDER_ID) });
    expect(second).toEqual(first);
    expect(paymentIdFor(ORDER_ID)).toMatch(/^pay_[0-9a-f]{24}$/);
    expect(paymentIdFor('another-order')).not.toBe(paymentIdFor(ORDER_ID));
  });

  it('waits latencyMs on every call before answering', async () => {
    const { provider, world } = simulatedProvider({ latencyMs: 200 });

    await provider.charge(charge);
    await provider.refund({ ...charge, paymentId: paymentIdFor(ORDER_ID) });

    expect(world.sleeps).toEqual([200, 200]);
  });

  it('declines when the random draw falls below failureRate, and captures otherwise', async () => {
    const { provider } = simulatedProvider({ failureRate: 0.2 }, [0.19, 0.2, 0.75]);

    const outcomes = [await provider.charge(charge), await provider.charge(charge), await provider.charge(charge)];

    expect(outcomes.map((result) => result.outcome)).toEqual(['DECLINED', 'CAPTURED', 'CAPTURED']);
    expect(outcomes[0]).toEqual({ outcome: 'DECLINED', reason: 'CARD_DECLINED' });
  });

  it('rejects charges and refunds with ProviderUnavailableError while down, after its latency', async () => {
    const { provider, world } = simulatedProvider({ down: true, latencyMs: 30 });

    await expect(provider.charge(charge)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(provider.refund({ ...charge, paymentId: 'pay_1' })).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(world.sleeps).toEqual([30, 30]);
  });

  it('reuses the settings for under a second, then reads the change', async () => {
    // Prepare: up, settings read once
    const { provider, world } = simulatedProvider();
    await provider.charge(charge);

    // Act: the provider goes down; 999 ms later the cached settings still apply, at 1000 ms the change does
    world.settings = { ...world.settings, down: true };
    world.nowMs += 999;
    const cached = await provider.charge(charge);
    world.nowMs += 1;
    const fresh = provider.charge(charge);

    // Assess
    expect(cached.outcome).toBe('CAPTURED');
    await expect(fresh).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(world.reads).toBe(2);
  });
});

describe('parseProviderSettings', () => {
  it('answers the defaults when no settings item exists', () => {
    expect(parseProviderSettings(undefined)).toEqual({ latencyMs: 50, failureRate: 0, down: false });
  });

  it('fills each missing field with its default and ignores other attributes', () => {
    expect(parseProviderSettings({ provider: 'default', down: true })).toEqual({ latencyMs: 50, failureRate: 0, down: true });
  });

  it.each([
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: 1.5 }, 'latencyMs'],
    [{ failureRate: 1.2 }, 'failureRate'],
    [{ down: 'yes' }, 'down'],
  ])('rejects %p naming %s', (item, field) => {
    const error = thrownBy(() => parseProviderSettings(item));

    expect(error).toBeInstanceOf(InvalidProviderSettingsError);
    expect((error as InvalidProviderSettingsError).errors.map((e) => e.field)).toEqual([field]);
  });
});
