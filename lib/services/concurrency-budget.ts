/**
 * How the shop shares Lambda's concurrency, in one place so the arithmetic can be read, and tested, as a whole.
 *
 * A Lambda account has one pool of concurrent executions per region (1,000 by default). Left alone, whoever is busiest
 * takes it: a backlog on a queue scales its pollers and the functions behind the public API are throttled by work that
 * could have waited. So each SQS event source mapping runs at most `QUEUE_MAX_CONCURRENCY` invocations
 * (ScalingConfig.MaximumConcurrency), and the order-event log at most shards × parallelization factor per consumer
 * (1 × 1 × 2 consumers = 2): the queues and the log take at most 75 + 2 = 77 of the pool. A capped consumer falls behind
 * under a burst (its queue holds the rest, and the backlog alarms say so) but loses nothing.
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

/** The sum of a budget's values. */
export function total(budget: Readonly<Record<string, number>>): number {
  return Object.values(budget).reduce((sum, n) => sum + n, 0);
}
