import { NotFoundError, ValidationError } from '../../shared/errors';
import { ORDER_ID_PATTERN, type Order } from './order';

/** Where orders are read from. */
export interface OrderLookup {
  find(orderId: string): Promise<Order | undefined>;
}

/** The order `id`: 400 naming `id` when it is not a UUID, 404 naming `id` when there is none. */
export async function getOrder(orders: OrderLookup, id: string | undefined): Promise<Order> {
  if (id === undefined || !ORDER_ID_PATTERN.test(id)) {
    throw new ValidationError('The order id is malformed.', { errors: [{ field: 'id', message: 'must be a UUID' }] });
  }
  const order = await orders.find(id);
  if (order === undefined) {
    throw new NotFoundError(`There is no order ${id}.`, { errors: [{ field: 'id', message: 'no such order' }] });
  }
  return order;
}
