import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_SOURCES } from '../../lambdas/shared/events/contracts';
import type { EventFanout } from '../patterns/event-fanout';
import type { EventLog, EventLogConsumer } from '../patterns/event-log';
import { QueueWorker } from '../patterns/queue-worker';
import type { ServiceFunction } from '../patterns/service-function';
import { ALARM_EVALUATION, ALARM_PERIOD, createPatternAlarm } from '../patterns/alarm-defaults';
import type { SyncApi } from '../patterns/sync-api';
import type { CatalogService } from './catalog-service';
import type { InventoryService } from './inventory-service';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

/**
 * The EMF metric the order function publishes on each state change of its breaker in front of inventory
 * (`lambdas/orders/adapters/circuit-breaker-telemetry.ts`), dimensions `service` and `State` (the new state). Not imported from
 * there: that module builds the function's logger and metrics at load, which need the function's environment.
 * test/infra drives the real telemetry and checks the alarm against the line it writes.
 */
export const INVENTORY_BREAKER_STATE_CHANGE_METRIC = 'InventoryCircuitBreakerStateChange';

/** How orders calls inventory: the knobs of its timeout, retry and circuit breaker. */
export interface InventoryCallOptions {
  /**
   * Per-attempt timeout of the HTTPS call to inventory. Kept well below the function's own timeout so a
   * slow inventory turns into a fast 503, never a Lambda timeout.
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Failures within `breakerWindow` that open the circuit breaker.
   * @default 5
   */
  readonly breakerFailureThreshold?: number;
  /**
   * The window in which failures are counted.
   * @default Duration.seconds(10)
   */
  readonly breakerWindow?: Duration;
  /**
   * How long the breaker stays open before it lets one probe through.
   * @default Duration.seconds(5)
   */
  readonly breakerOpenDuration?: Duration;
}

export interface OrdersServiceProps extends ServiceProps {
  /** The public API that serves `POST /orders` and `GET /orders/{id}`. */
  readonly api: SyncApi;
  /** The catalog, read for prices. */
  readonly catalog: CatalogService;
  /** Inventory, called over its internal API to reserve stock. */
  readonly inventory: InventoryService;
  /** The event bus orders publishes its facts to, and hears the other services' outcomes from. */
  readonly events: EventFanout;
  /** The order-event log, read in order to project each order's timeline. */
  readonly log: EventLog;
  /**
   * Timeout, retry and breaker settings for the call to inventory.
   * @default - the defaults of each `InventoryCallOptions` field
   */
  readonly inventoryCall?: InventoryCallOptions;
  /**
   * The largest quantity of one SKU in one order.
   * @default 10
   */
  readonly maxQuantityPerLine?: number;
  /**
   * Reserve each of the service's customer-facing functions its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * Orders: owns orders, idempotency records and order timelines. Places orders synchronously (reserving stock
 * over HTTPS) or asynchronously (`Prefer: respond-async`), publishes every order fact, follows the other
 * services' outcomes into the order's status, and projects the timeline from the order-event log.
 */
export class OrdersService extends Construct {
  public readonly ordersTable: dynamodb.Table;
  public readonly idempotencyTable: dynamodb.Table;
  public readonly placeOrder: ServiceFunction;
  public readonly getOrder: ServiceFunction;
  public readonly cancelOrder: ServiceFunction;
  public readonly timelineTable: dynamodb.Table;
  public readonly lifecycleWorker: QueueWorker;
  public readonly timelineConsumer: EventLogConsumer;
  /**
   * InventoryCircuitBreakerStateChange with State=OPEN (Sum) ≥ 1 in 5 minutes: an order function's breaker opened on
   * inventory, so synchronous checkout answers 503 until a probe succeeds.
   */
  public readonly breakerOpenAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OrdersServiceProps) {
    super(scope, id);
    const call = props.inventoryCall ?? {};
    const timeout = call.timeout ?? Duration.seconds(1);
    const threshold = call.breakerFailureThreshold ?? 5;
    const maxQuantity = props.maxQuantityPerLine ?? 10;
    const problems: string[] = [];
    if (timeout.toMilliseconds() < 50 || timeout.toMilliseconds() > 2000) {
      problems.push(`inventoryCall.timeout is ${timeout.toMilliseconds()} ms: give 50..2000 ms so two attempts fit the 5 s function timeout`);
    }
    if (!Number.isInteger(threshold) || threshold < 1) {
      problems.push(`inventoryCall.breakerFailureThreshold is ${threshold}: give a whole number ≥ 1`);
    }
    if (!Number.isInteger(maxQuantity) || maxQuantity < 1) {
      problems.push(`maxQuantityPerLine is ${maxQuantity}: give a whole number ≥ 1`);
    }
    if (problems.length > 0) {
      throw new Error(`OrdersService ${id}: ${problems.join('; ')}`);
    }

    this.ordersTable = createServiceTable(this, 'OrdersTable', { partitionKey: 'orderId' }, props);
    this.idempotencyTable = createServiceTable(this, 'IdempotencyTable', { partitionKey: 'idempotencyKey', timeToLiveAttribute: 'expiresAt' }, props);
    const functions = new ServiceFunctions(this, 'orders', props);
    const reserved = props.reserveConcurrency ? capacityOf(props).customerFacingReservedConcurrency : undefined;

    this.placeOrder = functions.create('PlaceOrder', 'place-order', {
      description: 'POST /orders: validate, reserve stock, write the order',
      // Two inventory attempts (2 × timeout) plus backoff and the table writes fit well inside.
      timeout: Duration.seconds(5),
      reservedConcurrentExecutions: reserved?.placeOrder,
      environment: {
        ORDERS_TABLE_NAME: this.ordersTable.tableName,
        IDEMPOTENCY_TABLE_NAME: this.idempotencyTable.tableName,
        PRODUCTS_TABLE_NAME: props.catalog.productsTable.tableName,
        INVENTORY_API_URL: props.inventory.api.url,
        INVENTORY_TIMEOUT_MS: String(timeout.toMilliseconds()),
        INVENTORY_BREAKER_FAILURE_THRESHOLD: String(threshold),
        INVENTORY_BREAKER_WINDOW_MS: String((call.breakerWindow ?? Duration.seconds(10)).toMilliseconds()),
        INVENTORY_BREAKER_OPEN_MS: String((call.breakerOpenDuration ?? Duration.seconds(5)).toMilliseconds()),
        ORDER_MAX_QUANTITY: String(maxQuantity),
        EVENT_BUS_NAME: props.events.bus.eventBusName,
      },
    });
    this.getOrder = functions.create('GetOrder', 'get-order', {
      description: 'GET /orders/{id}: one order',
      environment: { ORDERS_TABLE_NAME: this.ordersTable.tableName },
      reservedConcurrentExecutions: reserved?.getOrder,
    });

    // The order is only ever written, by a TransactWriteItems Put (DynamoDbOrderStore); the idempotency record is read
    // (GetItem), claimed (PutItem), reclaimed and failed (UpdateItem), and completed by the same transaction (an Update,
    // or a Put for an order accepted asynchronously).
    grantTableActions(this.ordersTable, this.placeOrder.function, ['PutItem']);
    grantTableActions(this.idempotencyTable, this.placeOrder.function, ['GetItem', 'PutItem', 'UpdateItem']);
    grantTableActions(this.ordersTable, this.getOrder.function, ['GetItem']);
    props.catalog.grantReadProducts(this.placeOrder.function);
    props.inventory.api.grantInvoke(this.placeOrder.function, 'POST', '/reservations');

    // OrderRequested (respond-async) or OrderPlaced.
    props.events.grantPutEvents(this.placeOrder.function, [EVENT_SOURCES.orders]);
    props.api.addRoute('POST', '/orders', this.placeOrder, { authorization: 'USER_POOL' });
    this.breakerOpenAlarm = createPatternAlarm(new Construct(this, 'Alarms'), 'InventoryBreakerOpen', {
      metric: this.breakerStateChanges('OPEN'),
      threshold: 1,
      evaluation: ALARM_EVALUATION.breakerOpen,
      description:
        `${this.placeOrder.node.path}: the circuit breaker in front of inventory opened in 5 minutes (${threshold} failed ` +
        'reservation calls within its window); synchronous orders answer 503 until inventory recovers.',
      alarmAction: props.alarmAction,
    });
    props.api.addRoute('GET', '/orders/{id}', this.getOrder, { authorization: 'USER_POOL' });

    this.cancelOrder = functions.create('CancelOrder', 'cancel-order', {
      description: 'POST /orders/{id}/cancel: cancel, and let the compensations follow from OrderCancelled',
      environment: { ORDERS_TABLE_NAME: this.ordersTable.tableName, EVENT_BUS_NAME: props.events.bus.eventBusName },
      reservedConcurrentExecutions: reserved?.cancelOrder,
    });
    // DynamoDbOrderRepository: find (GetItem), then replace the whole order under a condition (PutItem).
    grantTableActions(this.ordersTable, this.cancelOrder.function, ['GetItem', 'PutItem']);
    // OrderCancelled.
    props.events.grantPutEvents(this.cancelOrder.function, [EVENT_SOURCES.orders]);
    props.api.addRoute('POST', '/orders/{id}/cancel', this.cancelOrder, { authorization: 'USER_POOL' });

    const lifecycleFn = functions.create('LifecycleWorker', 'order-lifecycle-worker', {
      description: "Follows inventory, payment and shipping outcomes into the order's status",
      environment: { ORDERS_TABLE_NAME: this.ordersTable.tableName, EVENT_BUS_NAME: props.events.bus.eventBusName },
    });
    grantTableActions(this.ordersTable, lifecycleFn.function, ['GetItem', 'PutItem']);
    // OrderPlaced, OrderRejected and OrderCancelled, as the outcomes it follows decide.
    props.events.grantPutEvents(lifecycleFn.function, [EVENT_SOURCES.orders]);
    this.lifecycleWorker = new QueueWorker(this, 'Lifecycle', {
      handler: lifecycleFn,
      maxConcurrency: capacityOf(props).queueMaxConcurrency.ordersLifecycle,
      alarmAction: props.alarmAction,
    });
    props.events.route('OrdersOnOutcomes', {
      description: "Other services' outcomes → the order's status",
      eventPattern: {
        source: ['shop.inventory', 'shop.payments', 'shop.shipping'],
        detailType: ['StockReserved', 'StockRejected', 'PaymentCaptured', 'PaymentFailed', 'PaymentRefunded', 'ShipmentCreated', 'ShipmentCancelled'],
      },
      target: { queue: this.lifecycleWorker },
    });

    this.timelineTable = createServiceTable(this, 'TimelineTable', { partitionKey: 'orderId', sortKey: 'entryKey' }, props);
    const projector = functions.create('TimelineProjector', 'timeline-projector', {
      description: "Projects each order's timeline from the order-event log",
      environment: { TIMELINE_TABLE_NAME: this.timelineTable.tableName },
    });
    // One conditional PutItem per event (DynamoDbTimelineStore.add).
    grantTableActions(this.timelineTable, projector.function, ['PutItem']);
    this.timelineConsumer = props.log.addConsumer('Timeline', projector, { parallelizationFactor: capacityOf(props).orderEventLogParallelization.timeline });

    const getTimeline = functions.create('GetOrderTimeline', 'get-order-timeline', {
      description: "GET /orders/{id}/timeline: every event of one order, in order",
      environment: { TIMELINE_TABLE_NAME: this.timelineTable.tableName, ORDERS_TABLE_NAME: this.ordersTable.tableName },
      reservedConcurrentExecutions: reserved?.getOrderTimeline,
    });
    // Query the order's entries, and GetItem the order beside them: it says whose order it is (and tells "no events
    // yet" from "no such order").
    grantTableActions(this.timelineTable, getTimeline.function, ['Query']);
    grantTableActions(this.ordersTable, getTimeline.function, ['GetItem']);
    props.api.addRoute('GET', '/orders/{id}/timeline', getTimeline, { authorization: 'USER_POOL' });
  }

  /** The breaker's state changes (opened, half-opened, closed) against its alarm: how often checkout failed fast. */
  public breakerDashboardWidget(): cloudwatch.IWidget {
    return new cloudwatch.GraphWidget({
      title: 'Inventory circuit breaker: state changes',
      left: (['OPEN', 'HALF_OPEN', 'CLOSED'] as const).map((state) => this.breakerStateChanges(state).with({ label: state })),
      leftAnnotations: [this.breakerOpenAlarm.toAnnotation()],
      width: 12,
    });
  }

  /** How many times the order functions' breakers changed to `state` (Sum per 5 minutes). */
  private breakerStateChanges(state: 'OPEN' | 'HALF_OPEN' | 'CLOSED'): cloudwatch.Metric {
    return this.placeOrder.customMetric(INVENTORY_BREAKER_STATE_CHANGE_METRIC, { State: state }, { statistic: 'Sum', period: ALARM_PERIOD });
  }
}
