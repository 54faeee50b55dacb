import { salesShardOf } from '../../../../lambdas/analytics/domain/sales-shard';

/** `count` order ids shaped like the shop's (UUIDs), the same every run. */
const orderIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `0e9e1a57-${String(i % 10_000).padStart(4, '0')}-4222-8333-${String(i).padStart(12, '0')}`);

describe('salesShardOf', () => {
  it('puts every order in shard 0 when there is one shard', () => {
    expect(new Set(orderIds(200).map((id) => salesShardOf(id, 1)))).toEqual(new Set([0]));
  });

  it('names a shard from 0 to the count − 1, the same one every time for one order', () => {
    for (const id of orderIds(500)) {
      const shard = salesShardOf(id, 7);

      expect(Number.isInteger(shard) && shard >= 0 && shard < 7).toBe(true);
      expect(salesShardOf(id, 7)).toBe(shard);
    }
  });

  it('spreads orders evenly: over 5 shards, 20,000 orders put 4,000 ± 5 % in each', () => {
    // Prepare
    const perShard = [0, 0, 0, 0, 0];

    // Act
    for (const id of orderIds(20_000)) perShard[salesShardOf(id, 5)] += 1;

    // Assess: a binomial's standard deviation here is 57, so ± 200 is 3.5 of them
    for (const count of perShard) expect(Math.abs(count - 4_000)).toBeLessThanOrEqual(200);
  });

  it('sends orders whose ids differ in one character to different shards', () => {
    const shards = new Set(['order-a', 'order-b', 'order-c', 'order-d', 'order-e', 'order-f', 'order-g', 'order-h'].map((id) => salesShardOf(id, 4)));

    expect(shards.size).toBeGreaterThan(1);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a shard count of %p', (count) => {
    expect(() => salesShardOf('order-a', count)).toThrow(RangeError);
  });
});
