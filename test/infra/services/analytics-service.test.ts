import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../../../lib/capacity/capacity-plan';
import { EventLog } from '../../../lib/patterns/event-log';
import { SyncApi } from '../../../lib/patterns/sync-api';
import { AnalyticsService } from '../../../lib/services/analytics-service';
import { cdkJsonContext } from '../support/cdk-json';
import { logicalId, resourcesOf } from '../support/template';

/** An AnalyticsService alone in a stack that is not bundled, with the API and the log it needs, sized by `capacity`. */
function analytics(capacity?: CapacityPlan) {
  const stack = new Stack(new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } }), 'AnalyticsTest');
  const userPool = new cognito.UserPool(stack, 'Customers');
  const api = new SyncApi(stack, 'PublicApi', { apiName: 'analytics-test', userPools: [userPool] });
  const log = new EventLog(stack, 'OrderEventLog', {});
  const service = new AnalyticsService(stack, 'Analytics', { api, log, ...(capacity === undefined ? {} : { capacity }) });
  const resources = resourcesOf(Template.fromStack(stack));
  /** The environment the function `fn` of the service runs with. */
  const environmentOf = (fn: typeof service.projector) =>
    (resources[logicalId(fn)].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  return { service, environmentOf };
}

describe('AnalyticsService', () => {
  it("gives the projector and GET /analytics/sales today's one sales shard by default", () => {
    const { service, environmentOf } = analytics();

    expect(DEFAULT_CAPACITY_PLAN.salesBucketShards).toBe(1);
    expect(environmentOf(service.projector).SALES_SHARD_COUNT).toBe('1');
    expect(environmentOf(service.getSales).SALES_SHARD_COUNT).toBe('1');
  });

  it("gives both the capacity plan's shard count, so the reader sums every shard the projector writes", () => {
    const { service, environmentOf } = analytics({ ...DEFAULT_CAPACITY_PLAN, salesBucketShards: 5 });

    expect(environmentOf(service.projector).SALES_SHARD_COUNT).toBe('5');
    expect(environmentOf(service.getSales).SALES_SHARD_COUNT).toBe('5');
    expect(environmentOf(service.getSales).ANALYTICS_TABLE_NAME).toEqual(environmentOf(service.projector).ANALYTICS_TABLE_NAME);
  });
});
