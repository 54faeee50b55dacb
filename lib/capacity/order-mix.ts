/**
 * What an order is, for the capacity model: how it is placed, how big it is, how often it hits the bestseller, and the
 * requests customers make around it. Each default says where it comes from.
 */
export interface OrderMix {
  /**
   * Share of orders placed asynchronously (`Prefer: respond-async`), the rest synchronously.
   *
   * @default 0.9: the design load's split (QUEUE_MAX_CONCURRENCY.inventoryReservations, and `npm run bench:load`'s syncShare of 0.1)
   */
  readonly asyncShare: number;
  /**
   * Lines per order: stock items reserved, product prices read.
   *
   * @default 1: the bench's orders (bench/support/order-requests.ts)
   */
  readonly linesPerOrder: number;
  /**
   * Share of orders with a line of the bestseller, whose stock item takes every one of its reservations (and whose
   * product item takes that share of the product reads). Its item is the hottest key of the stock table.
   *
   * @default 0.1: one order in ten
   */
  readonly hotSkuShare: number;
  /**
   * `GET /products/{sku}` requests per order.
   *
   * @default 5: the design load's 1,000 product reads a second beside 200 orders a second (CUSTOMER_FACING_RESERVED_CONCURRENCY.getProduct)
   */
  readonly productViewsPerOrder: number;
  /**
   * `GET /orders/{id}` requests per asynchronous order: its client following `Location` until the order is decided.
   *
   * @default 1
   */
  readonly statusReadsPerAsyncOrder: number;
}

export const DEFAULT_ORDER_MIX: OrderMix = {
  asyncShare: 0.9,
  linesPerOrder: 1,
  hotSkuShare: 0.1,
  productViewsPerOrder: 5,
  statusReadsPerAsyncOrder: 1,
};

/** What is wrong with `mix`, one sentence a field; empty when it is valid. */
export function orderMixProblems(mix: OrderMix): string[] {
  const problems: string[] = [];
  const share = (field: 'asyncShare' | 'hotSkuShare') => {
    const value = mix[field];
    if (!(Number.isFinite(value) && value >= 0 && value <= 1)) problems.push(`${field} is ${value}: give a share from 0 to 1, e.g. ${DEFAULT_ORDER_MIX[field]}.`);
  };
  share('asyncShare');
  share('hotSkuShare');
  if (!(Number.isInteger(mix.linesPerOrder) && mix.linesPerOrder >= 1 && mix.linesPerOrder <= 20)) {
    problems.push(`linesPerOrder is ${mix.linesPerOrder}: an order has 1 to 20 lines.`);
  }
  for (const field of ['productViewsPerOrder', 'statusReadsPerAsyncOrder'] as const) {
    const value = mix[field];
    if (!(Number.isFinite(value) && value >= 0)) problems.push(`${field} is ${value}: give a number of requests ≥ 0, e.g. ${DEFAULT_ORDER_MIX[field]}.`);
  }
  return problems;
}
