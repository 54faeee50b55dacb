import { ArnFormat, CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EventFanout } from './patterns/event-fanout';
import { EventLog } from './patterns/event-log';
import { apiWebAclProblems, DEFAULT_RATE_LIMIT_PER_IP } from './patterns/api-web-acl';
import { HealthDashboard } from './patterns/health-dashboard';
import { ProblemsError } from './patterns/problems-error';
import { SyncApi } from './patterns/sync-api';
import { TableAlarms } from './patterns/table-alarms';
import { AnalyticsService } from './services/analytics-service';
import { CatalogService } from './services/catalog-service';
import { CustomersService } from './services/customers-service';
import { InventoryService } from './services/inventory-service';
import { NotificationsService } from './services/notifications-service';
import { OrdersService } from './services/orders-service';
import { PaymentsService } from './services/payments-service';
import { ShippingService } from './services/shipping-service';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from './capacity/capacity-plan';

/** The stage a deploy gets when none is named: the one that keeps its data, and the stack named plain `HybridShop`. */
export const DEFAULT_STAGE = 'prod';

/**
 * A stage: lower-case letters, digits and single hyphens, starting with a letter and ending with a letter or digit,
 * 1 to 16 characters. Lower-case, so `Prod` cannot pass for `prod` (and destroy its data); short, so every name
 * derived from it stays well inside AWS's limits (Lambda's 64 characters for generated function names).
 */
const STAGE = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,15}$/;

/** What is wrong with `stage`, naming the value and the fix; undefined when it is valid. */
function stageProblem(stage: string): string | undefined {
  if (STAGE.test(stage)) return undefined;
  return (
    `stage is '${stage}': use 1 to 16 lower-case letters, digits or single hyphens, starting with a letter and not ` +
    `ending with a hyphen, e.g. \`-c stage=dev\` (or no stage, for '${DEFAULT_STAGE}').`
  );
}

/**
 * The stack of `stage`: `HybridShop` for the default stage, `HybridShop-<stage>` for any other, so two stages live
 * side by side in one account and every name derived from the stack name differs.
 *
 * @throws HybridShopStackPropsError when `stage` is not a valid stage
 */
export function stackNameFor(stage: string = DEFAULT_STAGE): string {
  const problem = stageProblem(stage);
  if (problem !== undefined) throw new HybridShopStackPropsError(`the stack of stage '${stage}'`, [problem]);
  return stage === DEFAULT_STAGE ? 'HybridShop' : `HybridShop-${stage}`;
}

export interface HybridShopStackProps extends StackProps {
  /**
   * The stage this stack is: the API Gateway stage name of both APIs, and what decides `retainData`. Give the stack
   * the name `stackNameFor(stage)`: every physical name in it derives from the stack name.
   *
   * @default 'prod'
   */
  readonly stage?: string;
  /**
   * Keep the 11 DynamoDB tables and their data on `cdk destroy` (RemovalPolicy.RETAIN) and turn on their deletion
   * protection. Off, the tables go with the stack, as everything else does.
   *
   * @default - true for the `prod` stage, false for any other
   */
  readonly retainData?: boolean;
  /**
   * What grows with the rate of orders the stack is sized for: the order-event log's shards and consumers, the queues'
   * consumer caps, the reserved concurrency, the payments queue's FIFO mode, the sales bucket's write shards and the
   * stage throttles
   * (`cdk deploy -c ordersPerSecond=N` sizes them with `planForRate`, lib/capacity/plan-for-rate.ts).
   *
   * @default DEFAULT_CAPACITY_PLAN: today's sizing
   */
  readonly capacity?: CapacityPlan;
  /**
   * Reserve concurrency (`cdk deploy -c reservedConcurrency=true|false`): the functions that answer customers (behind
   * the public API, and the inventory reservation checkout calls) get capacity no consumer can take, and the two
   * EventBridge → Lambda targets get a cap; the queues' consumers are capped either way (lib/services/
   * concurrency-budget.ts has the numbers). Lambda refuses a reservation that leaves fewer than 100 unreserved
   * executions: the account's concurrency quota must be at least 565, and a new account's may be 10. Turn it off to
   * deploy prod into such an account; the customer-facing functions then share the pool with the consumers.
   *
   * @default - true for the `prod` stage, false for any other
   */
  readonly reservedConcurrency?: boolean;
  /**
   * Put a WAF web ACL in front of the public API's stage (`cdk deploy -c waf=true|false`): a per-IP rate limit
   * (`publicApiRateLimitPerIp`) and the 16 KiB body limit enforced before any function runs. About $7 a month plus
   * $0.60 per million requests. Neither the local runtime nor MiniStack emulates it. The internal API never has one:
   * every route is IAM-authorized and called by the shop's own functions.
   *
   * @default - true for the `prod` stage, false for any other
   */
  readonly waf?: boolean;
  /**
   * Requests one IP address may send the public API in any 5 minutes before the web ACL answers 429 (with `waf` only):
   * 10 a second sustained, 0.5 % of the stage's 2,000, far above any shopper (ApiWebAcl's `rateLimitPerIp`).
   *
   * @default 3000
   */
  readonly publicApiRateLimitPerIp?: number;
  /**
   * Steady-state requests per second the public API's stage accepts, before answering 429.
   *
   * @default - the capacity plan's: 2000 today
   */
  readonly publicApiThrottlingRateLimit?: number;
  /**
   * Requests the public API's stage accepts at once above the steady rate.
   *
   * @default - the capacity plan's: 4000 today
   */
  readonly publicApiThrottlingBurstLimit?: number;
  /**
   * Steady-state requests per second the internal API's stage accepts, before answering 429.
   *
   * @default - the capacity plan's: 1000 today
   */
  readonly internalApiThrottlingRateLimit?: number;
  /**
   * Requests the internal API's stage accepts at once above the steady rate.
   *
   * @default - the capacity plan's: 2000 today
   */
  readonly internalApiThrottlingBurstLimit?: number;
  /**
   * An e-mail address subscribed to the alarm topic (`cdk deploy -c alarmEmail=ops@example.com`); AWS mails it a
   * confirmation link first.
   *
   * @default - no subscription: subscribe a pager, a chat channel or an address to the AlarmTopicArn output yourself
   */
  readonly alarmEmail?: string;
  /**
   * Set API Gateway's account-level CloudWatch Logs role, which the APIs' access logs need (one per stack, shared by
   * both APIs, retained on deletion). Turn it off when the account's role is managed elsewhere, e.g. by an account
   * baseline; the deploy then fails in a region where no role is set.
   *
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
}

/** Thrown by the HybridShopStack constructor with every invalid prop at once. */
export class HybridShopStackPropsError extends ProblemsError {
  public constructor(
    public readonly stackName: string,
    problems: readonly string[],
  ) {
    super(`Invalid HybridShopStack props for ${stackName}`, problems);
  }
}

/** One address: something, an @, a domain with a dot; no spaces, no list. SNS checks the rest by mailing it. */
const EMAIL_ADDRESS = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/**
 * Hybrid Shop: synchronous where the caller needs the answer now (catalog, inventory and order placement
 * behind API Gateway), asynchronous everywhere else (EventBridge fan-out, SQS work queues, the Kinesis
 * order-event log).
 */
export class HybridShopStack extends Stack {
  /** The stage this stack is, e.g. `prod` or `dev`. */
  public readonly stage: string;
  /** Whether the tables survive `cdk destroy` and have deletion protection. */
  public readonly retainData: boolean;
  /** Whether the customer-facing functions have reserved concurrency, and the EventBridge → Lambda targets a cap. */
  public readonly reservedConcurrency: boolean;
  /** Whether a WAF web ACL guards the public API (`publicApi.webAcl`). */
  public readonly waf: boolean;
  /** What the stack is sized with. */
  public readonly capacity: CapacityPlan;
  public readonly alarmTopic: sns.Topic;
  public readonly customers: CustomersService;
  public readonly publicApi: SyncApi;
  public readonly internalApi: SyncApi;
  public readonly events: EventFanout;
  public readonly orderEventLog: EventLog;
  public readonly catalog: CatalogService;
  public readonly inventory: InventoryService;
  public readonly orders: OrdersService;
  public readonly payments: PaymentsService;
  public readonly shipping: ShippingService;
  public readonly notifications: NotificationsService;
  public readonly analytics: AnalyticsService;
  public readonly health: HealthDashboard;

  constructor(scope: Construct, id: string, props: HybridShopStackProps = {}) {
    super(scope, id, props);
    validate(this.stackName, props);
    this.stage = props.stage ?? DEFAULT_STAGE;
    this.retainData = props.retainData ?? this.stage === DEFAULT_STAGE;
    const retainData = this.retainData;
    this.reservedConcurrency = props.reservedConcurrency ?? this.stage === DEFAULT_STAGE;
    const reserveConcurrency = this.reservedConcurrency;
    this.waf = props.waf ?? this.stage === DEFAULT_STAGE;
    this.capacity = props.capacity ?? DEFAULT_CAPACITY_PLAN;
    const capacity = this.capacity;

    // Every alarm of every pattern notifies this one topic; subscribe an e-mail or a pager to it.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Hybrid Shop alarms', enforceSSL: true });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no customer data, and CloudWatch cannot publish to a topic under the AWS-managed SNS key; a customer key would cost $1/month at idle.',
    });
    // A topic policy replaces SNS's default one, which let the account's principals publish: without this statement
    // CloudWatch is refused and no alarm ever notifies. Only this account's alarms named `<stack name>/…` may publish:
    // every pattern alarm is named `<stack name>/<construct path>`, and the composite alarms after the stack below.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisStacksCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.alarmArnPattern() },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    const alarmAction = new cloudwatchActions.SnsAction(this.alarmTopic);

    // Customers sign in to this pool; the public API's order and analytics routes take its ID tokens.
    this.customers = new CustomersService(this, 'Customers', { namePrefix: this.stackName, retainData });
    // What both APIs share: the stage's name, the account's logging role, where the alarms go.
    const api = { stageName: this.stage, cloudWatchRole: props.apiGatewayCloudWatchRole, alarmAction };
    this.publicApi = new SyncApi(this, 'PublicApi', {
      ...api,
      apiName: `${this.stackName}-public`,
      description: 'Hybrid Shop public API: catalog, orders and analytics',
      // Sized by the capacity plan (docs/performance.md, "Capacity on AWS"); the pattern's default (100/s) would answer
      // 429 to most of the design load's requests.
      throttlingRateLimit: props.publicApiThrottlingRateLimit ?? capacity.publicApiThrottle.rateLimit,
      throttlingBurstLimit: props.publicApiThrottlingBurstLimit ?? capacity.publicApiThrottle.burstLimit,
      webAcl: this.waf ? { rateLimitPerIp: props.publicApiRateLimitPerIp ?? DEFAULT_RATE_LIMIT_PER_IP } : undefined,
      userPools: [this.customers.userPool],
    });
    if (!this.waf) {
      Validations.of(this.publicApi.stage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          `The web ACL is off for stage ${this.stage} (the waf prop; \`-c waf=true\` turns it on): stage throttling bounds all ` +
          'clients together, the handlers refuse bodies over 16 KiB, and reserved concurrency or the consumer caps keep the rest of the shop running.',
      });
    }
    this.internalApi = new SyncApi(this, 'InternalApi', {
      ...api,
      apiName: `${this.stackName}-internal`,
      description: 'Hybrid Shop internal API: service-to-service calls, IAM auth on every route',
      // Every synchronous order makes one reservation call (and a retry at most): twice the order rate, with room.
      throttlingRateLimit: props.internalApiThrottlingRateLimit ?? capacity.internalApiThrottle.rateLimit,
      throttlingBurstLimit: props.internalApiThrottlingBurstLimit ?? capacity.internalApiThrottle.burstLimit,
    });
    Validations.of(this.internalApi.stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No web ACL on the internal API: every route is IAM-authorized (SigV4), so only principals this account grants ' +
        'execute-api:Invoke can call it, and those are the shop\'s own functions; its stage throttling bounds them.',
    });
    this.events = new EventFanout(this, 'Events', { alarmAction });
    this.orderEventLog = new EventLog(this, 'OrderEventLog', { shardCount: capacity.orderEventLogShards, alarmAction });
    // Every fact of every service lands in the log, partitioned by order so each order's history stays in order.
    this.events.route('OrderEventLogOnAll', {
      description: 'Every shop event → the order-event log',
      eventPattern: { source: events.Match.prefix('shop.') },
      target: { log: this.orderEventLog, partitionKeyPath: '$.detail.orderId' },
    });

    // What every service takes from the stage. Notifications reserves no concurrency: its one function is a queue
    // consumer, capped by its queue.
    const service = { retainData, alarmAction, capacity };
    const reserving = { ...service, reserveConcurrency };
    this.catalog = new CatalogService(this, 'Catalog', { api: this.publicApi, ...reserving });
    this.inventory = new InventoryService(this, 'Inventory', { api: this.internalApi, events: this.events, ...reserving });
    this.orders = new OrdersService(this, 'Orders', {
      api: this.publicApi,
      catalog: this.catalog,
      inventory: this.inventory,
      events: this.events,
      log: this.orderEventLog,
      ...reserving,
    });
    this.payments = new PaymentsService(this, 'Payments', { events: this.events, ...reserving });
    this.shipping = new ShippingService(this, 'Shipping', { events: this.events, ...reserving });
    this.notifications = new NotificationsService(this, 'Notifications', { events: this.events, ...service });
    this.analytics = new AnalyticsService(this, 'Analytics', { api: this.publicApi, log: this.orderEventLog, ...reserving });

    // Shop health: one composite alarm over every alarm above, and one dashboard row per pattern instance. The
    // composite notifies nobody itself: each alarm already tells the topic what broke; the composite is the one
    // state a pager, a deploy gate or a status page watches.
    const alarms = this.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    const tables = this.node
      .findAll()
      .filter((c): c is TableAlarms => c instanceof TableAlarms)
      .map((tableAlarms) => ({ title: tableAlarms.node.scope?.node.path.replace(`${this.node.path}/`, '') ?? tableAlarms.node.path, alarms: tableAlarms }));
    this.health = new HealthDashboard(this, 'Health', {
      alarms,
      compositeAlarmName: `${this.stackName}/shop-health`,
      dashboardName: `${this.stackName}-health`,
      rows: [
        { title: 'Public API', widgets: this.publicApi.dashboardWidgets() },
        ...(this.publicApi.webAcl ? [{ title: 'Public API web ACL', widgets: this.publicApi.webAcl.dashboardWidgets() }] : []),
        { title: 'Internal API', widgets: this.internalApi.dashboardWidgets() },
        { title: 'Order placement', widgets: [...this.orders.placeOrder.dashboardWidgets(), this.orders.breakerDashboardWidget()] },
        { title: 'Inventory reservations queue', widgets: this.inventory.reservationWorker.dashboardWidgets() },
        { title: 'Inventory releases queue', widgets: this.inventory.releaseWorker.dashboardWidgets() },
        { title: 'Order lifecycle queue', widgets: this.orders.lifecycleWorker.dashboardWidgets() },
        { title: 'Payments FIFO queue', widgets: this.payments.worker.dashboardWidgets() },
        { title: 'Notifications queue', widgets: this.notifications.worker.dashboardWidgets() },
        { title: 'Shipping (EventBridge → Lambda)', widgets: this.shipping.handler.dashboardWidgets() },
        { title: 'Order-event log', widgets: this.orderEventLog.dashboardWidgets() },
        { title: 'DynamoDB tables', widgets: TableAlarms.dashboardWidgets(tables) },
      ],
    });

    new CfnOutput(this, 'PublicApiUrl', { value: this.publicApi.url, description: 'Base URL of the public API' });
    new CfnOutput(this, 'InternalApiUrl', {
      value: this.internalApi.url,
      description: 'Base URL of the internal API (SigV4-signed calls only)',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.customers.userPool.userPoolId, description: 'The customers\' Cognito user pool' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.customers.client.userPoolClientId,
      description: 'The app client customers sign in with (no secret; USER_PASSWORD_AUTH and SRP)',
    });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'ProductsTableName', { value: this.catalog.productsTable.tableName });
    new CfnOutput(this, 'StockTableName', { value: this.inventory.stockTable.tableName });
    new CfnOutput(this, 'OrdersTableName', { value: this.orders.ordersTable.tableName });
    new CfnOutput(this, 'PaymentsTableName', { value: this.payments.paymentsTable.tableName });
    new CfnOutput(this, 'PaymentProviderTableName', { value: this.payments.providerSettingsTable.tableName });
    new CfnOutput(this, 'ShipmentsTableName', { value: this.shipping.shipmentsTable.tableName });
    new CfnOutput(this, 'SentNotificationsTableName', { value: this.notifications.sentTable.tableName });
    new CfnOutput(this, 'NotificationsQueueUrl', { value: this.notifications.worker.queue.queueUrl });
    new CfnOutput(this, 'PaymentsQueueUrl', { value: this.payments.worker.queue.queueUrl });
    new CfnOutput(this, 'AnalyticsTableName', { value: this.analytics.table.tableName });
    new CfnOutput(this, 'OrderEventLogStreamName', { value: this.orderEventLog.stream.streamName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'ShopHealthAlarmName', { value: this.health.compositeAlarm.alarmName });
  }

  /**
   * `arn:<partition>:cloudwatch:<region>:<account>:alarm:<stack name>/*`: every alarm of this stack, and no other stack's
   * (another stage's are `HybridShop-dev/…`). The metric alarms are named `<stack name>/<construct path>`
   * (patternAlarmName), the composite alarms `<stack name>/shop-health…` (HealthDashboard's compositeAlarmName).
   */
  public alarmArnPattern(): string {
    return this.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${this.stackName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}

function validate(stackName: string, props: HybridShopStackProps): void {
  const problems: string[] = [];
  const stage = props.stage === undefined ? undefined : stageProblem(props.stage);
  if (stage !== undefined) problems.push(stage);
  const email = props.alarmEmail;
  if (email !== undefined && !EMAIL_ADDRESS.test(email)) {
    problems.push(`alarmEmail is '${email}': give one e-mail address, e.g. \`cdk deploy -c alarmEmail=ops@example.com\`, or leave it unset.`);
  }
  const waf = props.waf ?? (props.stage ?? DEFAULT_STAGE) === DEFAULT_STAGE;
  const rateLimit = props.publicApiRateLimitPerIp;
  if (rateLimit !== undefined) {
    // The web ACL's own check, named as this stack's prop.
    problems.push(...apiWebAclProblems({ rateLimitPerIp: rateLimit }).map((problem) => problem.replace(/^rateLimitPerIp /, 'publicApiRateLimitPerIp ')));
  }
  if (rateLimit !== undefined && !waf) {
    problems.push(
      `publicApiRateLimitPerIp is ${rateLimit} but the web ACL that enforces it is off (waf is false${props.waf === undefined ? ` by default for stage '${props.stage}'` : ''}): ` +
        'turn the web ACL on (waf: true, `-c waf=true`) or leave the limit unset.',
    );
  }
  if (problems.length > 0) throw new HybridShopStackPropsError(stackName, problems);
}
