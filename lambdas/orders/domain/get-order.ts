import { NotFoundError, ValidationError } from '../../shared/errors';
import { ORDER_ID_PATTERN, type Order, type OrderRecord, publicOrder } from './order';

/** Where orders are read from. */
export interface OrderLookup {
  find(orderId: string): Promise<OrderRecord | undefined>;
}

/** `id` as an order id, or a 400 naming `id` when it is not a UUID. */
export function validOrderId(id: string | undefined): string {
  if (id === undefined || !ORDER_ID_PATTERN.test(id)) {
    throw new ValidationError('The order id is malformed.', { errors: [{ field: 'id', message: 'must be a UUID' }] });
  }
  return id;
}

/**
 * The stored order `id` of `customerId`: 400 naming `id` when it is not a UUID, 404 naming `id` when there is none —
 * and the same 404 when the order is another customer's, so an order id tells nobody else even that it exists.
 */
export async function findOrder(orders: OrderLookup, id: string | undefined, customerId: string): Promise<OrderRecord> {
  const order = await orders.find(validOrderId(id));
  if (order === undefined || order.customerId !== customerId) {
    throw new NotFoundError(`There is no order ${id}.`, { errors: [{ field: 'id', message: 'no such order' }] });
  }
  return order;
}

/** The order `id` of `customerId` as clients see it; errors as `findOrder`. */
export async function getOrder(orders: OrderLookup, id: string | undefined, customerId: string): Promise<Order> {
  return publicOrder(await findOrder(orders, id, customerId));
}
