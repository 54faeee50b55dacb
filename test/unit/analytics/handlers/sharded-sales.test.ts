import '../../support/quiet-env';
import type { handler as getSalesHandler } from '../../../../lambdas/analytics/handlers/get-sales';
import { salesShardOf } from '../../../../lambdas/analytics/domain/sales-shard';
import { apiGatewayEvent, bodyOf, lambdaContext, withClaims } from '../../factories/api-gateway-event';
import { staffClaims } from '../../factories/caller-claims';
import { anEvent } from '../../factories/events';
import { InMemoryTables } from '../../factories/fulfilment-tables';
import { kinesisEvent, kinesisRecordOf } from '../../factories/kinesis-event';
import { handlerUnderTest } from '../../support/handler-under-test';

/** The projector and GET /analytics/sales of a stack that spreads each minute over 4 shards. */
const SHARDS = 4;
const { handler: project, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/analytics/handlers/sales-projector'),
  { ANALYTICS_TABLE_NAME: 'analytics-table', SALES_SHARD_COUNT: String(SHARDS) },
);
let getSales: typeof getSalesHandler;
beforeAll(async () => {
  // handlerUnderTest's beforeAll, registered first, has set the environment.
  ({ handler: getSales } = await import('../../../../lambdas/analytics/handlers/get-sales'));
});

let tables: InMemoryTables;
beforeEach(() => {
  tables = new InMemoryTables(dynamo, { 'analytics-table': ['pk', 'sk'] });
});

/** 24 orders: order i placed at 12:34 (even i) or 12:35 (odd i), totalling 100 + i cents; every fifth cancelled at 12:36. */
const orderIds = Array.from({ length: 24 }, (_, i) => `0e9e1a57-1111-4222-8333-${String(i).padStart(12, '0')}`);
const events = orderIds.flatMap((orderId, i) => [
  anEvent('OrderPlaced', { orderId, occurredAt: new Date(`2024-05-01T12:3${4 + (i % 2)}:10.000Z`), data: { totalCents: 100 + i } }),
  ...(i % 5 === 0 ? [anEvent('OrderCancelled', { orderId, occurredAt: new Date('2024-05-01T12:36:00.000Z') })] : []),
]);
const salesQuery = withClaims(
  apiGatewayEvent({ resource: '/analytics/sales', path: '/analytics/sales', queryStringParameters: { from: '2024-05-01T12:00', to: '2024-05-01T12:59' } }),
  staffClaims(),
);
const readSales = () => getSales(salesQuery, lambdaContext());

describe('sales spread over 4 shards', () => {
  it("counts each order in its shard's bucket: SALES for shard 0, SALES#n for the others", async () => {
    // Act
    const response = await project(kinesisEvent(...events.map((event) => kinesisRecordOf(event))), lambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const buckets = tables.all('analytics-table').filter((item) => !String(item.pk).startsWith('EVENT#'));
    const keys = new Set(buckets.map((item) => item.pk));
    expect(keys.size).toBeGreaterThan(1);
    expect([...keys].every((pk) => ['SALES', 'SALES#1', 'SALES#2', 'SALES#3'].includes(String(pk)))).toBe(true);
    const shard = (orderId: string) => salesShardOf(orderId, SHARDS);
    const inShard = (n: number, minute: string) => orderIds.filter((id, i) => shard(id) === n && minute === `2024-05-01T12:3${4 + (i % 2)}`);
    for (const item of buckets.filter((b) => b.sk !== '2024-05-01T12:36')) {
      const n = item.pk === 'SALES' ? 0 : Number(String(item.pk).slice('SALES#'.length));
      expect(item.orders).toBe(inShard(n, String(item.sk)).length);
    }
  });

  it('answers GET /analytics/sales with the sums of every shard, as one bucket per minute would, reading each shard once', async () => {
    await project(kinesisEvent(...events.map((event) => kinesisRecordOf(event))), lambdaContext());

    const response = await readSales();

    const revenue = (parity: number) => orderIds.reduce((sum, _id, i) => sum + (i % 2 === parity ? 100 + i : 0), 0);
    expect(bodyOf(response)).toEqual({
      from: '2024-05-01T12:00',
      to: '2024-05-01T12:59',
      minutes: [
        { minute: '2024-05-01T12:34', orders: 12, revenueCents: revenue(0), cancelled: 0 },
        { minute: '2024-05-01T12:35', orders: 12, revenueCents: revenue(1), cancelled: 0 },
        { minute: '2024-05-01T12:36', orders: 0, revenueCents: 0, cancelled: 5 },
      ],
      totals: { orders: 24, revenueCents: revenue(0) + revenue(1), cancelled: 5 },
    });
    expect(dynamo.inputsOf('QueryCommand').map((input) => (input.ExpressionAttributeValues as Record<string, unknown>)[':pk'])).toEqual([
      'SALES',
      'SALES#1',
      'SALES#2',
      'SALES#3',
    ]);
  });

  it('counts nothing twice when the whole log is read again (a replay)', async () => {
    const records = events.map((event) => kinesisRecordOf(event));
    await project(kinesisEvent(...records), lambdaContext());
    const first = bodyOf(await readSales());

    const again = await project(kinesisEvent(...records), lambdaContext());

    expect(again.batchItemFailures).toEqual([]);
    expect(bodyOf(await readSales())).toEqual(first);
  });
});
