import { randomUUID } from 'node:crypto';
import { useShop } from './support/local-shop';

const localShop = useShop();

describe('the internal inventory API', () => {
  it('refuses an unsigned call', async () => {
    const res = await localShop().callInternal('POST', 'reservations', { signed: false, body: { orderId: randomUUID(), lines: [{ sku: 'SKU-0010', quantity: 1 }] } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('never oversells when many reservations race for the last units', async () => {
    // Prepare
    await localShop().setStock('SKU-0011', 3);

    // Act: ten orders of one unit each, all at once (the local runtime's per-function concurrency cap)
    const results = await Promise.all(
      Array.from({ length: 10 }, () => localShop().callInternal('POST', 'reservations', { body: { orderId: randomUUID(), lines: [{ sku: 'SKU-0011', quantity: 1 }] } })),
    );

    // Assess
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(await localShop().stockOf('SKU-0011')).toBe(0);
  });

  it('releases a reservation once, however often it is released', async () => {
    // Prepare
    const orderId = randomUUID();
    const before = await localShop().stockOf('SKU-0012');
    const reserved = await localShop().callInternal('POST', 'reservations', { body: { orderId, lines: [{ sku: 'SKU-0012', quantity: 4 }] } });
    expect(reserved.status).toBe(201);
    expect(await localShop().stockOf('SKU-0012')).toBe(before - 4);

    // Act
    const first = await localShop().callInternal('DELETE', `reservations/${orderId}`);
    const second = await localShop().callInternal('DELETE', `reservations/${orderId}`);

    // Assess
    expect(first.status).toBe(204);
    expect(second.status).toBe(204);
    expect(await localShop().stockOf('SKU-0012')).toBe(before);
  });

  it('answers a replayed reservation with the stored one and reserves once', async () => {
    const orderId = randomUUID();
    const before = await localShop().stockOf('SKU-0013');
    const body = { orderId, lines: [{ sku: 'SKU-0013', quantity: 2 }] };
    const first = await localShop().callInternal('POST', 'reservations', { body });
    const replay = await localShop().callInternal('POST', 'reservations', { body });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(200);
    expect(await localShop().stockOf('SKU-0013')).toBe(before - 2);
  });

  it('answers 404 naming orderId when releasing a reservation that never existed', async () => {
    const res = await localShop().callInternal('DELETE', `reservations/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.json.errors?.[0].field).toBe('orderId');
  });
});
