/** The environment POST /orders runs with in these tests: its tables, the inventory API, the bus and the body limit. */
export const PLACE_ORDER_ENV: Readonly<Record<string, string>> = {
  ORDERS_TABLE_NAME: 'orders-table',
  IDEMPOTENCY_TABLE_NAME: 'idempotency-table',
  PRODUCTS_TABLE_NAME: 'products-table',
  INVENTORY_API_URL: 'https://internal.execute-api.us-east-1.amazonaws.com/prod/',
  HTTP_MAX_BODY_BYTES: '16384',
  EVENT_BUS_NAME: 'shop-bus',
};
