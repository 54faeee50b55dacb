/**
 * Sizing the stack for a rate of orders: every line of the capacity model that a setting of the template bounds is
 * grown until the rate uses at most `SIZING_TARGET_USE` of it; nothing shrinks below today's sizing. Lines bound by
 * an account quota or by the code's design are left as they are: the model names them.
 *
 * The order-event log stays PROVISIONED, with as many shards as the rate needs. ON_DEMAND would scale its writes by
 * itself, but each consumer's concurrency is shards × parallelization factor, and an on-demand stream's shard count
 * is AWS's to choose: a provisioned stream is the one whose consumers can be sized. It also costs less at a steady
 * rate (one shard about $11 a month, an idle ON_DEMAND stream about $29; lib/patterns/event-log.ts).
 */
import { DYNAMODB, LAMBDA } from './aws-quotas';
import { type CapacityLine, type CapacityModel, loadAt } from './capacity-model';
import { type ApiThrottle, type CapacityPlan, DEFAULT_CAPACITY_PLAN } from './capacity-plan';

/** The share of a sized limit the target rate may use: room for bursts and for durations longer than modelled. */
export const SIZING_TARGET_USE = 0.8;

/** Which function each plan entry sizes, by function name (logical ID without the hash). */
const QUEUE_CONSUMERS: { readonly [K in keyof CapacityPlan['queueMaxConcurrency']]: string } = {
  inventoryReservations: 'InventoryReservationWorkerFunction',
  inventoryReleases: 'InventoryReleaseWorkerFunction',
  ordersLifecycle: 'OrdersLifecycleWorkerFunction',
  paymentCommands: 'PaymentsPaymentWorkerFunction',
  notificationEmails: 'NotificationsNotificationWorkerFunction',
};
const CUSTOMER_FACING: { readonly [K in keyof CapacityPlan['customerFacingReservedConcurrency']]: string } = {
  placeOrder: 'OrdersPlaceOrderFunction',
  createReservation: 'InventoryCreateReservationFunction',
  getOrder: 'OrdersGetOrderFunction',
  cancelOrder: 'OrdersCancelOrderFunction',
  getOrderTimeline: 'OrdersGetOrderTimelineFunction',
  listProducts: 'CatalogListProductsFunction',
  getProduct: 'CatalogGetProductFunction',
  getSales: 'AnalyticsGetSalesFunction',
};
const ASYNC_CONSUMERS: { readonly [K in keyof CapacityPlan['asyncConsumerReservedConcurrency']]: string } = {
  shipmentHandler: 'ShippingShipmentHandlerFunction',
  paymentIntake: 'PaymentsPaymentIntakeFunction',
};
const LOG_CONSUMERS: { readonly [K in keyof CapacityPlan['orderEventLogParallelization']]: string } = {
  timeline: 'OrdersTimelineProjectorFunction',
  analytics: 'AnalyticsSalesProjectorFunction',
};
/** Which function's variable each write-sharded key's plan entry sets. */
const KEY_SHARDS: { readonly [K in 'salesBucketShards']: string } = {
  salesBucketShards: 'AnalyticsSalesProjectorFunction SALES_SHARD_COUNT',
};
const ORDER_EVENT_LOG = 'OrderEventLogStream';
const PAYMENTS_QUEUE = 'PaymentsCommandsQueue';
const APIS: { readonly [K in 'publicApiThrottle' | 'internalApiThrottle']: string } = {
  publicApiThrottle: 'PublicApiRestApi',
  internalApiThrottle: 'InternalApiRestApi',
};

/** Thrown when a line's setting is not one the plan knows how to size: the mapping above must follow the stack. */
export class CapacityPlanError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'CapacityPlanError';
  }
}

function keyOf<K extends string>(names: { readonly [key in K]: string }, name: string, what: string): K {
  const key = (Object.keys(names) as K[]).find((k) => names[k] === name);
  if (key === undefined) throw new CapacityPlanError(`${name}'s ${what} is not in the capacity plan: map it in lib/capacity/plan-for-rate.ts`);
  return key;
}

/**
 * The plan that carries `ordersPerSecond` with every template-bound line of `model` at most SIZING_TARGET_USE used.
 * Nothing is planned below DEFAULT_CAPACITY_PLAN.
 */
export function planForRate(model: CapacityModel, ordersPerSecond: number): CapacityPlan {
  if (!(Number.isFinite(ordersPerSecond) && ordersPerSecond > 0)) {
    throw new CapacityPlanError(`ordersPerSecond is ${ordersPerSecond}: give a rate of orders above 0, e.g. -c ordersPerSecond=200.`);
  }
  const base = DEFAULT_CAPACITY_PLAN;
  /** What the line's limit must be for the rate to use SIZING_TARGET_USE of it. */
  const needed = (line: CapacityLine) => loadAt(line, ordersPerSecond) / SIZING_TARGET_USE;
  const sized = model.lines.flatMap((line) => (line.remedy.kind === 'sized' ? [{ line, knob: line.remedy.knob }] : []));

  let shards = base.orderEventLogShards;
  const consumerConcurrency = new Map<keyof CapacityPlan['orderEventLogParallelization'], number>();
  const queueMaxConcurrency = { ...base.queueMaxConcurrency };
  const customerFacing = { ...base.customerFacingReservedConcurrency };
  const asyncConsumers = { ...base.asyncConsumerReservedConcurrency };
  let paymentsHighThroughputFifo = base.paymentsHighThroughputFifo;
  const keyShards = { salesBucketShards: base.salesBucketShards };
  const throttles: { publicApiThrottle: ApiThrottle; internalApiThrottle: ApiThrottle } = {
    publicApiThrottle: base.publicApiThrottle,
    internalApiThrottle: base.internalApiThrottle,
  };

  for (const { line, knob } of sized) {
    const need = needed(line);
    switch (knob.kind) {
      case 'shards': {
        const stream = [...model.shop.streams.values()].find((s) => s.name === knob.stream);
        if (knob.stream !== ORDER_EVENT_LOG || stream === undefined) throw new CapacityPlanError(`${knob.stream}'s shards are not in the capacity plan`);
        const perShard = line.limit / stream.shardCount;
        shards = Math.max(shards, Math.ceil(need / perShard));
        break;
      }
      case 'streamConsumer': {
        const key = keyOf(LOG_CONSUMERS, knob.function, 'parallelization factor');
        consumerConcurrency.set(key, Math.ceil(need));
        shards = Math.max(shards, Math.ceil(need / LAMBDA.maxParallelizationFactor));
        break;
      }
      case 'queueConcurrency': {
        const key = keyOf(QUEUE_CONSUMERS, knob.function, 'MaximumConcurrency');
        queueMaxConcurrency[key] = Math.min(LAMBDA.maxSqsMaximumConcurrency, Math.max(queueMaxConcurrency[key], Math.ceil(need)));
        break;
      }
      case 'reservedConcurrency': {
        if (Object.values(CUSTOMER_FACING).includes(knob.function)) {
          const key = keyOf(CUSTOMER_FACING, knob.function, 'reserved concurrency');
          customerFacing[key] = Math.max(customerFacing[key], Math.ceil(need));
        } else {
          const key = keyOf(ASYNC_CONSUMERS, knob.function, 'reserved concurrency');
          asyncConsumers[key] = Math.max(asyncConsumers[key], Math.ceil(need));
        }
        break;
      }
      case 'highThroughputFifo': {
        if (knob.queue !== PAYMENTS_QUEUE) throw new CapacityPlanError(`${knob.queue}'s FIFO mode is not in the capacity plan`);
        paymentsHighThroughputFifo ||= need > line.limit;
        break;
      }
      case 'keyShards': {
        const key = keyOf(KEY_SHARDS, `${knob.function} ${knob.variable}`, 'shard count');
        // Each shard is a partition key of its own: one partition's writes.
        keyShards[key] = Math.max(keyShards[key], Math.ceil(need / DYNAMODB.partitionWriteUnitsPerSecond));
        break;
      }
      case 'stageThrottle': {
        const key = keyOf(APIS, knob.api, 'stage throttle');
        const rateLimit = Math.max(throttles[key].rateLimit, Math.ceil(need / 100) * 100);
        // The burst keeps today's ratio to the rate: two seconds' worth.
        throttles[key] = rateLimit === throttles[key].rateLimit ? throttles[key] : { rateLimit, burstLimit: 2 * rateLimit };
        break;
      }
    }
  }
  const parallelization = (key: keyof CapacityPlan['orderEventLogParallelization']) =>
    Math.min(LAMBDA.maxParallelizationFactor, Math.max(base.orderEventLogParallelization[key], Math.ceil((consumerConcurrency.get(key) ?? 0) / shards)));
  return {
    ordersPerSecond,
    orderEventLogShards: shards,
    orderEventLogParallelization: { timeline: parallelization('timeline'), analytics: parallelization('analytics') },
    queueMaxConcurrency,
    customerFacingReservedConcurrency: customerFacing,
    asyncConsumerReservedConcurrency: asyncConsumers,
    paymentsHighThroughputFifo,
    ...keyShards,
    ...throttles,
  };
}
