import { capacityModel, type CapacityModel, useAt } from '../../../lib/capacity/capacity-model';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../../../lib/capacity/capacity-plan';
import { SIZING_TARGET_USE } from '../../../lib/capacity/plan-for-rate';
import { capacityPlanForStack, shopStackTemplate } from '../../../lib/capacity/shop-stack-template';
import type { CfnTemplate } from '../../../lib/capacity/shop-template';
import { cdkJsonContext } from '../support/cdk-json';

/** What `-c ordersPerSecond=N` does to the stack (bin/hybrid-shop.ts passes capacityPlanForStack's plan as `capacity`). */
describe('sizing the stack for a rate of orders', () => {
  const synth = { stackName: 'HybridShop', context: cdkJsonContext() };
  let today: CfnTemplate;
  let plan: CapacityPlan;
  let sized: CapacityModel;

  beforeAll(() => {
    today = shopStackTemplate(synth);
    plan = capacityPlanForStack(2_000, synth);
    sized = capacityModel(shopStackTemplate({ ...synth, props: { capacity: plan } }));
  }, 180_000);

  it('grows the log, its consumers, the queue caps, the reservations, the FIFO mode, the sales shards and the public stage for 2,000 orders/s', () => {
    expect(plan).toMatchObject({
      ordersPerSecond: 2_000,
      orderEventLogShards: 12,
      orderEventLogParallelization: { timeline: 7, analytics: 5 },
      queueMaxConcurrency: { inventoryReservations: 72, inventoryReleases: 5, ordersLifecycle: 132, paymentCommands: 205, notificationEmails: 53 },
      asyncConsumerReservedConcurrency: { shipmentHandler: 80, paymentIntake: 30 },
      paymentsHighThroughputFifo: true,
      // 2 write units an order: 4,000 a second, at most 80 % of 1,000 on each shard.
      salesBucketShards: 5,
      publicApiThrottle: { rateLimit: 12_500, burstLimit: 25_000 },
      internalApiThrottle: DEFAULT_CAPACITY_PLAN.internalApiThrottle,
    });
    expect(plan.customerFacingReservedConcurrency).toEqual({ ...DEFAULT_CAPACITY_PLAN.customerFacingReservedConcurrency, placeOrder: 102 });
  });

  it('puts the plan in the template: the stack reads every number it sizes from `capacity`', () => {
    const stream = [...sized.shop.streams.values()].find((s) => s.name === 'OrderEventLogStream');
    const payments = [...sized.shop.queues.values()].find((q) => q.name === 'PaymentsCommandsQueue');
    const publicApi = [...sized.shop.apis.values()].find((a) => a.name === 'PublicApiRestApi');

    expect(stream?.shardCount).toBe(12);
    expect(payments?.highThroughput).toBe(true);
    expect(publicApi?.stageThrottle).toEqual({ rateLimit: 12_500, burstLimit: 25_000 });
    expect(sized.lines.find((l) => l.resource === 'Lambda OrdersTimelineProjector')).toMatchObject({ limit: 84, limitNote: '12 shard(s) × parallelization 7' });
    const analytics = [...sized.shop.functions.values()].filter((fn) => fn.name.startsWith('Analytics'));
    expect(analytics.map((fn) => [fn.name, fn.settings.SALES_SHARD_COUNT])).toEqual([
      ['AnalyticsSalesProjectorFunction', '5'],
      ['AnalyticsGetSalesFunction', '5'],
    ]);
    expect(sized.lines.find((l) => l.resource.startsWith("DynamoDB AnalyticsAnalyticsTable: the current minute's sales bucket"))).toMatchObject({
      limit: 5_000,
      limitNote: "5 shard(s) × one partition's writes",
    });
  });

  it('leaves every limit it sized at most 80 % used at 2,000 orders/s', () => {
    const sizedLines = sized.lines.filter((line) => line.remedy.kind === 'sized');

    expect(sizedLines.length).toBeGreaterThan(10);
    for (const line of sizedLines) expect({ resource: line.resource, use: useAt(line, 2_000) <= SIZING_TARGET_USE + 1e-9 }).toEqual({ resource: line.resource, use: true });
  });

  it('leaves over its limit at 2,000 orders/s only account quotas, to request increases of', () => {
    const over = sized.lines.filter((line) => useAt(line, 2_000) > 1);

    expect(over.map((line) => [line.resource, line.remedy.kind])).toEqual([
      ['API Gateway: account throttle', 'quota'],
      ['Lambda: account concurrency', 'quota'],
      ['EventBridge: invocations', 'quota'],
    ]);
  });

  it('leaves every line only a code change could lift at most 80 % used at 2,000 orders/s', () => {
    const design = sized.lines.filter((line) => line.remedy.kind === 'design');

    expect(design.length).toBeGreaterThan(0);
    for (const line of design) expect({ resource: line.resource, use: useAt(line, 2_000) <= SIZING_TARGET_USE }).toEqual({ resource: line.resource, use: true });
  });

  it('changes nothing for a rate today’s sizing carries: the plan for 10 orders/s synthesizes today’s template', () => {
    const small = capacityPlanForStack(10, synth);

    expect(small).toEqual({ ...DEFAULT_CAPACITY_PLAN, ordersPerSecond: 10 });
    expect(shopStackTemplate({ ...synth, props: { capacity: small } })).toEqual(today);
  });
});
