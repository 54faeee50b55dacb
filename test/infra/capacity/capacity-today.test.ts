import { bindsAt, type CapacityLine, capacityModel, type CapacityModel, firstBottleneck } from '../../../lib/capacity/capacity-model';
import { shopStackTemplate } from '../../../lib/capacity/shop-stack-template';
import { ASYNC_CONSUMER_RESERVED_CONCURRENCY, CUSTOMER_FACING_RESERVED_CONCURRENCY, requiredAccountConcurrency, total } from '../../../lib/services/concurrency-budget';
import { cdkJsonContext } from '../support/cdk-json';

/**
 * The capacity model's figures for today's stack (prod, as `cdk deploy` deploys it without -c ordersPerSecond), at the
 * model's default order mix and modelled durations: docs/performance.md, "Capacity on AWS", quotes them.
 */
const SALES_BUCKET = "DynamoDB AnalyticsAnalyticsTable: the current minute's sales bucket, one per shard (pk SALES, SALES#n)";

describe('capacity of today’s stack', () => {
  let model: CapacityModel;
  const line = (resource: string): CapacityLine => {
    const found = model.lines.find((l) => l.resource === resource);
    if (found === undefined) throw new Error(`no line ${resource}: ${model.lines.map((l) => l.resource).join(', ')}`);
    return found;
  };

  beforeAll(() => {
    model = capacityModel(shopStackTemplate({ stackName: 'HybridShop', context: cdkJsonContext() }));
  }, 120_000);

  it('names the timeline projector, reading one shard one batch at a time, as the first bottleneck, near 30 orders/s', () => {
    const first = firstBottleneck(model.lines);

    expect(first?.line).toMatchObject({ resource: 'Lambda OrdersTimelineProjector', limit: 1, limitNote: '1 shard(s) × parallelization 1' });
    // 4.8 records an order (every event), 7 ms each: one execution carries 1000 / 33.6 orders a second.
    expect(first?.line.perOrder).toBeCloseTo(0.0336, 6);
    expect(first?.ordersPerSecond).toBeCloseTo(29.76, 2);
  });

  it("puts 4.8 records an order on the log's one shard: its writes bind near 208 orders/s, its bytes later", () => {
    const writes = line('Kinesis OrderEventLogStream: writes');
    const bytes = line('Kinesis OrderEventLogStream: write bytes');

    expect(writes).toMatchObject({ perOrder: 4.8, limit: 1_000, remedy: { kind: 'sized', knob: { kind: 'shards', stream: 'OrderEventLogStream' } } });
    expect(bindsAt(writes)).toBeCloseTo(208.33, 2);
    expect(bytes.perOrder).toBeCloseTo(2_900, -2);
    expect(bindsAt(bytes)).toBeGreaterThan(300);
    expect(line('Kinesis OrderEventLogStream: GetRecords per shard')).toMatchObject({ fixed: 2, limit: 5 });
  });

  it('binds the payments FIFO queue at 300, the public stage (5 product reads an order) at 400 and the sales bucket at 500 orders/s', () => {
    expect(bindsAt(line('SQS PaymentsCommandsQueue (FIFO): calls per action'))).toBeCloseTo(300, 6);
    expect(bindsAt(line('API PublicApi: GET /products/{sku}'))).toBeCloseTo(400, 6);
    expect(bindsAt(line(SALES_BUCKET))).toBeCloseTo(500, 6);
  });

  it("spreads the sales bucket over one shard today, two write units an order, a setting -c ordersPerSecond grows", () => {
    expect(line(SALES_BUCKET)).toMatchObject({
      perOrder: 2,
      limit: 1_000,
      limitNote: "1 shard(s) × one partition's writes",
      remedy: { kind: 'sized', knob: { kind: 'keyShards', function: 'AnalyticsSalesProjectorFunction', variable: 'SALES_SHARD_COUNT' } },
    });
  });

  it("counts the concurrency budget's reservations against the account, whatever the rate", () => {
    expect(line('Lambda: account concurrency').fixed).toBe(total(CUSTOMER_FACING_RESERVED_CONCURRENCY) + total(ASYNC_CONSUMER_RESERVED_CONCURRENCY));
    expect(line('Lambda: reservations').fixed).toBe(requiredAccountConcurrency());
  });
});
