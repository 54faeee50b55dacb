/**
 * The numbers the stack is sized with that must grow with the rate of orders: the order-event log's shards and its
 * consumers' parallelization, the queues' consumer caps, the reserved concurrency, the payments queue's FIFO mode, the
 * shards of the analytics sales bucket and the APIs' stage throttles. `DEFAULT_CAPACITY_PLAN` is today's sizing (lib/services/concurrency-budget.ts and the
 * stack's throttles); `planForRate` (plan-for-rate.ts) grows it for a target rate, `-c ordersPerSecond=N`.
 */
import { ASYNC_CONSUMER_RESERVED_CONCURRENCY, CUSTOMER_FACING_RESERVED_CONCURRENCY, QUEUE_MAX_CONCURRENCY } from '../services/concurrency-budget';

export interface ApiThrottle {
  /** Steady-state requests per second the stage accepts. */
  readonly rateLimit: number;
  /** Requests it accepts at once above the steady rate. */
  readonly burstLimit: number;
}

export interface CapacityPlan {
  /** The rate of orders the plan is sized for; undefined for today's sizing, which no rate chose. */
  readonly ordersPerSecond?: number;
  /** Shards of the PROVISIONED order-event log. */
  readonly orderEventLogShards: number;
  /** Batches of a shard each log consumer processes at once (ParallelizationFactor, 1 to 10). */
  readonly orderEventLogParallelization: { readonly timeline: number; readonly analytics: number };
  /** ScalingConfig.MaximumConcurrency of each queue's consumer. */
  readonly queueMaxConcurrency: { readonly [K in keyof typeof QUEUE_MAX_CONCURRENCY]: number };
  /** Reserved concurrency of the customer-facing functions (with the stack's `reservedConcurrency` on). */
  readonly customerFacingReservedConcurrency: { readonly [K in keyof typeof CUSTOMER_FACING_RESERVED_CONCURRENCY]: number };
  /** Reserved concurrency capping the EventBridge → Lambda targets (with the stack's `reservedConcurrency` on). */
  readonly asyncConsumerReservedConcurrency: { readonly [K in keyof typeof ASYNC_CONSUMER_RESERVED_CONCURRENCY]: number };
  /** The payments FIFO queue in high-throughput mode (throughput per message group, deduplication per group). */
  readonly paymentsHighThroughputFifo: boolean;
  /**
   * Partition keys each minute's sales bucket of the analytics table is spread over (SALES_SHARD_COUNT): the projector
   * counts an order in one of them, GET /analytics/sales sums them all. One key takes 1,000 write units a second.
   */
  readonly salesBucketShards: number;
  readonly publicApiThrottle: ApiThrottle;
  readonly internalApiThrottle: ApiThrottle;
}

/** Today's sizing: what the stack deploys without `-c ordersPerSecond`. */
export const DEFAULT_CAPACITY_PLAN: CapacityPlan = {
  orderEventLogShards: 1,
  orderEventLogParallelization: { timeline: 1, analytics: 1 },
  queueMaxConcurrency: QUEUE_MAX_CONCURRENCY,
  customerFacingReservedConcurrency: CUSTOMER_FACING_RESERVED_CONCURRENCY,
  asyncConsumerReservedConcurrency: ASYNC_CONSUMER_RESERVED_CONCURRENCY,
  paymentsHighThroughputFifo: false,
  // One key, `SALES`, as before the buckets were sharded: 500 orders/s at two write units an order.
  salesBucketShards: 1,
  // The public stage: 200 orders/s with the catalog reads around them; the pattern's default (100/s) would answer 429
  // to half of that. The internal stage: every synchronous order makes one reservation call, and a retry at most.
  publicApiThrottle: { rateLimit: 2_000, burstLimit: 4_000 },
  internalApiThrottle: { rateLimit: 1_000, burstLimit: 2_000 },
};
