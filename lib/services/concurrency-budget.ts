/**
 * How the shop shares Lambda's concurrency, in one place so the arithmetic can be read, and tested, as a whole.
 *
 * A Lambda account has one pool of concurrent executions per region (1,000 by default). Left alone, whoever is busiest
 * takes it: a backlog on a queue scales its pollers, a replay of the event archive fans out to every target, and the
 * functions behind the public API are throttled by work that could have waited. Two mechanisms keep the sides apart:
 *
 * - **Caps on the consumers.** Each SQS event source mapping runs at most `QUEUE_MAX_CONCURRENCY` invocations
 *   (ScalingConfig.MaximumConcurrency); the order-event log runs at most shards × parallelization factor per consumer
 *   (1 × 1 × 2 consumers = 2); the two EventBridge → Lambda targets, whose asynchronous invocations have no cap of their
 *   own, are capped by `ASYNC_CONSUMER_RESERVED_CONCURRENCY`. A capped consumer falls behind under a burst (its queue
 *   or Lambda's async queue holds the rest, and the backlog alarms say so) but loses nothing.
 * - **Reservations for the customer-facing functions.** `CUSTOMER_FACING_RESERVED_CONCURRENCY` is capacity no other
 *   function can take, whatever the consumers do; it is also each function's ceiling, so it is sized above what the
 *   API's stage throttle and the shop's design load (200 orders a second) ask of it.
 *
 * At the default quota of 1,000: reserved 425 (customer-facing) + 40 (asynchronous consumers) = 465, leaving 535
 * unreserved, at least the 100 Lambda insists on. The consumers take at most 75 (queues) + 2 (log) + 40 = 117, and the
 * customer-facing functions keep their 425 however busy the consumers are. Without reservations (the stack's
 * `reservedConcurrency` off) the caps alone still bound the queues and the log at 77, but the asynchronous consumers
 * are uncapped and the customer-facing functions get whatever the pool has left.
 *
 * Lambda refuses a reservation that leaves an account fewer than 100 unreserved executions: reserving needs an account
 * concurrency of at least `requiredAccountConcurrency()` = 565. New accounts may start with a quota of 10, where no
 * reservation is possible at all.
 */

/** ScalingConfig.MaximumConcurrency of each queue's consumer: what one queue can take of the unreserved pool. */
export const QUEUE_MAX_CONCURRENCY = {
  /**
   * OrderRequested → reserve stock: the async checkout path, built for bursts (90 % of the 200 orders/s design load).
   * One TransactWriteItems and one PutEvents per order, ~50 ms: 180 orders/s need ~9 at once; 20 drains a backlog too.
   */
  inventoryReservations: 20,
  /** PaymentFailed / OrderCancelled → release stock: compensations, a small share of orders and never urgent. */
  inventoryReleases: 5,
  /**
   * Every outcome of every order (stock, payment, shipment: ~4 events an order, 800/s at the design load) moved into the
   * order's status, one conditional write each: as wide as the reservations, since a customer polls that status.
   */
  ordersLifecycle: 20,
  /**
   * Charges and refunds, FIFO by orderId: at most this many calls to the payment provider at once, whatever the
   * backlog; providers rate-limit their callers, and a FIFO queue scales only with its active groups anyway. 200
   * charges/s at the simulated provider's 50 ms need 10 at once.
   */
  paymentCommands: 20,
  /**
   * One e-mail per customer-facing event: the least urgent work in the shop, and an e-mail provider's send rate (SES
   * starts accounts at 14 a second) is the real limit; more invocations would only be throttled there.
   */
  notificationEmails: 10,
} as const;

/**
 * Reserved concurrency of the functions that answer customers (behind the public API), and of the inventory
 * reservation they call synchronously. Each is sized by Little's law: requests per second × seconds per request, with
 * room; the public stage's throttle (2,000 requests/s across all routes) bounds the sum of what they can be asked.
 */
export const CUSTOMER_FACING_RESERVED_CONCURRENCY = {
  /** POST /orders: 200 orders/s × up to 0.5 s (price read, reservation call, transaction, PutEvents). */
  placeOrder: 100,
  /**
   * POST /reservations (internal): as many as place-order, since each order in flight holds at most one reservation
   * call (its one retry comes after the first attempt ends); fewer, and a healthy inventory would throttle checkout.
   */
  createReservation: 100,
  /** GET /orders/{id}: async clients follow `Location` until the order is decided; a GetItem, ~20 ms. */
  getOrder: 50,
  /** POST /orders/{id}/cancel: a small share of orders. */
  cancelOrder: 10,
  /** GET /orders/{id}/timeline: read now and then by a customer, one Query. */
  getOrderTimeline: 10,
  /** GET /products: a page of the catalog, one Scan of ~50 ms; 1,000 pages/s fit. */
  listProducts: 50,
  /** GET /products/{sku}: the hottest route (the bench's 1,000 requests/s target); 2,000/s at 50 ms fit. */
  getProduct: 100,
  /** GET /analytics/sales: staff, read-only. */
  getSales: 5,
} as const;

/**
 * Reserved concurrency of the EventBridge → Lambda targets, as a cap: an asynchronous invocation past it is throttled
 * and kept in Lambda's own queue, retried up to the function's maximum event age, so the cap delays work, never loses
 * it. Each handles one event in ~20–30 ms; at 200 orders/s that is ~6 at once.
 */
export const ASYNC_CONSUMER_RESERVED_CONCURRENCY = {
  /** PaymentCaptured / OrderCancelled → create or cancel a shipment. */
  shipmentHandler: 20,
  /** OrderPlaced / OrderCancelled → a charge or refund command on the payments FIFO queue. */
  paymentIntake: 20,
} as const;

/** Lambda keeps at least this many of an account's executions unreserved, and refuses a reservation below it. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

/** The sum of a budget's values. */
export function total(budget: Readonly<Record<string, number>>): number {
  return Object.values(budget).reduce((sum, n) => sum + n, 0);
}

/** The account concurrency quota the stack needs with reservations on: every reservation, plus Lambda's 100. */
export function requiredAccountConcurrency(): number {
  return total(CUSTOMER_FACING_RESERVED_CONCURRENCY) + total(ASYNC_CONSUMER_RESERVED_CONCURRENCY) + MIN_UNRESERVED_CONCURRENCY;
}
