/**
 * What each of the shop's functions does for one request, message or record it handles: the DynamoDB calls, the
 * events it publishes, the messages it sends and the APIs it calls, read from its code (each reaction names where).
 * The template says where those go (which table an environment variable names, which rules an event matches); this
 * file says what the code does with them. Only an order's happy path is here: declines, rejections and cancellations
 * are a few percent of orders and add a handful of events each.
 *
 * Durations are modelled from those calls at typical in-region latencies (`CALL_LATENCY_MS`), not measured: AWS
 * documents none beyond DynamoDB's "single-digit milliseconds". Measure them (CloudWatch's Duration by function) and
 * give them to `npm run capacity -- --durations <file.json>`.
 */
import { CUSTOMER_FACING_EVENTS, type DetailType } from '../../lambdas/shared/events/contracts';
import type { OrderMix } from './order-mix';

/**
 * How long the payment provider takes to answer a charge: the simulated provider's default latency
 * (`DEFAULT_PROVIDER_SETTINGS` in lambdas/payments/domain/payment-provider.ts; a test keeps the two equal). lib/ reads
 * no service's domain, so the figure is stated here; a real provider's latency belongs in `--durations`.
 */
export const PAYMENT_PROVIDER_LATENCY_MS = 50;

/** How many items a call touches: a number, or one per order line. */
export type ItemCount = number | 'lines';

/** How the writes to a hot key are spread over partition keys. */
export type HotKeySpread =
  /** Not at all: one partition key takes them all, and only a change to the code would spread them. */
  | { readonly kind: 'oneKey'; readonly remedy: string }
  /**
   * The code write-shards them: each write goes to one of as many partition keys as the environment variable
   * `variable` of the function writing says (a literal of the template, which `-c ordersPerSecond` sizes).
   */
  | { readonly kind: 'writeSharded'; readonly variable: string };

/** A key that every order (or a share of them) hits: one partition serves it, whatever the table's capacity. */
export interface HotKey {
  /** Which key, as the table line says it. */
  readonly what: string;
  /** Share of the accesses that hit this one key (all of its shards together, for a write-sharded key). */
  readonly share: (mix: OrderMix) => number;
  readonly spread: HotKeySpread;
}

export const HOT_KEYS = {
  bestsellerStock: {
    what: "the bestseller's stock item",
    share: (mix) => mix.hotSkuShare,
    spread: { kind: 'oneKey', remedy: "spread the bestseller's stock over several items, reserving from one at random (lambdas/inventory)" },
  },
  bestsellerProduct: {
    what: "the bestseller's product item",
    share: (mix) => mix.hotSkuShare,
    spread: { kind: 'oneKey', remedy: 'cache product reads in front of the table, e.g. an API Gateway cache on GET /products/{sku}' },
  },
  salesMinute: {
    what: "the current minute's sales bucket, one per shard (pk SALES, SALES#n)",
    share: () => 1,
    // lambdas/analytics/domain/sales-shard.ts: each order's events go to the shard its id hashes to.
    spread: { kind: 'writeSharded', variable: 'SALES_SHARD_COUNT' },
  },
} as const satisfies Record<string, HotKey>;

export type HotKeyName = keyof typeof HOT_KEYS;

/** One DynamoDB call on the table an environment variable names. */
export interface ItemCall {
  readonly table: string;
  /** `read`: eventually consistent (GetItem, BatchGetItem); `consistentRead`; `write`: PutItem or UpdateItem. */
  readonly op: 'read' | 'consistentRead' | 'write';
  /** @default 1 */
  readonly items?: ItemCount;
  readonly hotKey?: HotKeyName;
}

/** One TransactWriteItems: its writes, each on the table an environment variable names. */
export interface TransactionCall {
  readonly writes: readonly { readonly table: string; readonly items?: ItemCount; readonly hotKey?: HotKeyName }[];
}

/** What a function does for one thing it handles. */
export interface Reaction {
  /** Where in lambdas/ this comes from. */
  readonly code: string;
  readonly items?: readonly ItemCall[];
  readonly transactions?: readonly TransactionCall[];
  /** Events published, one PutEvents call each, to the bus EVENT_BUS_NAME names. */
  readonly publishes?: readonly DetailType[];
  /** SendMessage calls to the queue an environment variable names, with what the consumer is handed. */
  readonly sends?: readonly { readonly queue: string; readonly message: string }[];
  /** Calls to a route of the API an environment variable names, waiting for the answer. */
  readonly calls?: readonly { readonly api: string; readonly route: string }[];
  /** Time spent waiting on something outside AWS. */
  readonly waitsMs?: number;
}

/** A function's reactions, by what it handles: an API route, an event's detail-type, a message. */
export interface FunctionBehaviour {
  readonly on: Readonly<Record<string, Reaction>>;
  /** What it does with anything else it is handed. */
  readonly otherwise?: Reaction;
}

/** A request customers make around their orders, and how many of them an order brings. */
export interface ClientRequest {
  /** The API's name (its logical ID without the hash). */
  readonly api: string;
  readonly route: string;
  /** What the function behind the route handles (a route may be taken two ways). */
  readonly handles: string;
  readonly perOrder: (mix: OrderMix) => number;
}

/** What the customers ask of a shop, and what its functions do about it. */
export interface ShopBehaviour {
  readonly requests: readonly ClientRequest[];
  /** Each function's reactions, by its name (logical ID without the hash). */
  readonly functions: Readonly<Record<string, FunctionBehaviour>>;
}

const CLIENT_REQUESTS: readonly ClientRequest[] = [
  { api: 'PublicApiRestApi', route: 'POST /orders', handles: 'POST /orders (sync)', perOrder: (mix) => 1 - mix.asyncShare },
  { api: 'PublicApiRestApi', route: 'POST /orders', handles: 'POST /orders (async)', perOrder: (mix) => mix.asyncShare },
  { api: 'PublicApiRestApi', route: 'GET /products/{sku}', handles: 'GET /products/{sku}', perOrder: (mix) => mix.productViewsPerOrder },
  { api: 'PublicApiRestApi', route: 'GET /orders/{id}', handles: 'GET /orders/{id}', perOrder: (mix) => mix.asyncShare * mix.statusReadsPerAsyncOrder },
];

const STOCK_RESERVATION: TransactionCall = {
  writes: [{ table: 'STOCK_TABLE_NAME', items: 'lines', hotKey: 'bestsellerStock' }, { table: 'RESERVATIONS_TABLE_NAME' }],
};
const ORDER_AND_KEY: TransactionCall = { writes: [{ table: 'ORDERS_TABLE_NAME' }, { table: 'IDEMPOTENCY_TABLE_NAME' }] };
const PRICES: ItemCall = { table: 'PRODUCTS_TABLE_NAME', op: 'read', items: 'lines', hotKey: 'bestsellerProduct' };
const ORDER_UPDATE: readonly ItemCall[] = [
  { table: 'ORDERS_TABLE_NAME', op: 'consistentRead' },
  { table: 'ORDERS_TABLE_NAME', op: 'write' },
];

const FUNCTIONS: Readonly<Record<string, FunctionBehaviour>> = {
  OrdersPlaceOrderFunction: {
    on: {
      'POST /orders (sync)': {
        code: 'orders/domain/place-order.ts: claim the key (PutItem), price (BatchGetItem), reserve (POST /reservations), savePlaced (TransactWriteItems), publish OrderPlaced',
        items: [{ table: 'IDEMPOTENCY_TABLE_NAME', op: 'write' }, PRICES],
        calls: [{ api: 'INVENTORY_API_URL', route: 'POST /reservations' }],
        transactions: [ORDER_AND_KEY],
        publishes: ['OrderPlaced'],
      },
      'POST /orders (async)': {
        code: 'orders/domain/place-order.ts acceptOrder: price (BatchGetItem), saveAccepted (TransactWriteItems), publish OrderRequested',
        items: [PRICES],
        transactions: [ORDER_AND_KEY],
        publishes: ['OrderRequested'],
      },
    },
  },
  InventoryCreateReservationFunction: {
    on: {
      'POST /reservations': {
        code: 'inventory/adapters/dynamodb-reservation-store.ts reserve: one TransactWriteItems (the stock of each line, the reservation)',
        transactions: [STOCK_RESERVATION],
      },
    },
  },
  InventoryReservationWorkerFunction: {
    on: {
      OrderRequested: {
        code: 'inventory/domain/reserve-for-order.ts: reserve (TransactWriteItems), publish StockReserved',
        transactions: [STOCK_RESERVATION],
        publishes: ['StockReserved'],
      },
    },
  },
  OrdersLifecycleWorkerFunction: {
    on: {
      StockReserved: {
        code: 'orders/domain/order-lifecycle.ts: read the order, write it back (conditional PutItem), publish OrderPlaced v2',
        items: ORDER_UPDATE,
        publishes: ['OrderPlaced'],
      },
      PaymentCaptured: { code: 'orders/domain/order-lifecycle.ts: read the order, write it back', items: ORDER_UPDATE },
      ShipmentCreated: { code: 'orders/domain/order-lifecycle.ts: read the order, write it back', items: ORDER_UPDATE },
    },
  },
  PaymentsPaymentIntakeFunction: {
    on: {
      OrderPlaced: {
        code: 'payments/domain/request-payment.ts: one SendMessage (group = orderId), unbatched',
        sends: [{ queue: 'PAYMENTS_QUEUE_URL', message: 'CHARGE' }],
      },
    },
  },
  PaymentsPaymentWorkerFunction: {
    on: {
      CHARGE: {
        code:
          'payments/domain/process-payment.ts charge: find (GetItem), the provider (its default latency; its settings read once a second ' +
          'per environment), create (PutItem), publish PaymentCaptured',
        items: [
          { table: 'PAYMENTS_TABLE_NAME', op: 'consistentRead' },
          { table: 'PAYMENTS_TABLE_NAME', op: 'write' },
        ],
        waitsMs: PAYMENT_PROVIDER_LATENCY_MS,
        publishes: ['PaymentCaptured'],
      },
    },
  },
  ShippingShipmentHandlerFunction: {
    on: {
      PaymentCaptured: {
        code: 'shipping/domain/handle-shipping-event.ts createShipment: find (GetItem), create (PutItem), publish ShipmentCreated',
        items: [
          { table: 'SHIPMENTS_TABLE_NAME', op: 'consistentRead' },
          { table: 'SHIPMENTS_TABLE_NAME', op: 'write' },
        ],
        publishes: ['ShipmentCreated'],
      },
    },
  },
  NotificationsNotificationWorkerFunction: {
    on: Object.fromEntries(
      CUSTOMER_FACING_EVENTS.map((detailType) => [
        detailType,
        { code: 'notifications/adapters/dynamodb-notification-log.ts: one conditional PutItem per e-mail', items: [{ table: 'NOTIFICATIONS_TABLE_NAME', op: 'write' }] },
      ]),
    ),
  },
  OrdersTimelineProjectorFunction: {
    on: {},
    otherwise: { code: 'orders/adapters/dynamodb-timeline-store.ts add: one conditional PutItem per record', items: [{ table: 'TIMELINE_TABLE_NAME', op: 'write' }] },
  },
  AnalyticsSalesProjectorFunction: {
    on: Object.fromEntries(
      (['OrderPlaced', 'OrderCancelled'] as const).map((detailType) => [
        detailType,
        {
          code: "analytics/adapters/dynamodb-sales-table.ts add: one TransactWriteItems (the event's marker, the minute's counts)",
          transactions: [{ writes: [{ table: 'ANALYTICS_TABLE_NAME' }, { table: 'ANALYTICS_TABLE_NAME', hotKey: 'salesMinute' }] }],
        },
      ]),
    ),
    otherwise: { code: 'analytics/domain/project-sale.ts: any other event counts nothing' },
  },
  OrdersGetOrderFunction: {
    on: { 'GET /orders/{id}': { code: 'orders/adapters/dynamodb-order-repository.ts find: one consistent GetItem', items: [{ table: 'ORDERS_TABLE_NAME', op: 'consistentRead' }] } },
  },
  CatalogGetProductFunction: {
    on: {
      'GET /products/{sku}': {
        code: 'catalog/adapters/dynamodb-product-catalog.ts find: one GetItem',
        items: [{ table: 'PRODUCTS_TABLE_NAME', op: 'read', hotKey: 'bestsellerProduct' }],
      },
    },
  },
};

/** The Hybrid Shop's customers and functions. */
export const SHOP_BEHAVIOUR: ShopBehaviour = { requests: CLIENT_REQUESTS, functions: FUNCTIONS };

/**
 * Typical in-region latencies of the calls a handler makes, in milliseconds: the assumptions the modelled durations
 * rest on. `handler` is a function's own work per thing handled (parse, validate, log).
 */
export const CALL_LATENCY_MS = {
  handler: 2,
  /** GetItem, PutItem, UpdateItem, BatchGetItem: DynamoDB's "single-digit milliseconds". */
  item: 5,
  /** TransactWriteItems: two phases. */
  transaction: 10,
  putEvents: 20,
  sendMessage: 10,
  /** SigV4, API Gateway and Lambda's invoke around the called function's own duration. */
  apiHop: 20,
} as const;

/** The modelled duration of `reaction`: its calls one after the other, and `calleeMs` for each API it waits on. */
export function modelledDurationMs(reaction: Reaction, calleeMs: (api: string, route: string) => number): number {
  const calls = (reaction.calls ?? []).reduce((sum, call) => sum + CALL_LATENCY_MS.apiHop + calleeMs(call.api, call.route), 0);
  return (
    CALL_LATENCY_MS.handler +
    (reaction.items ?? []).length * CALL_LATENCY_MS.item +
    (reaction.transactions ?? []).length * CALL_LATENCY_MS.transaction +
    (reaction.publishes ?? []).length * CALL_LATENCY_MS.putEvents +
    (reaction.sends ?? []).length * CALL_LATENCY_MS.sendMessage +
    calls +
    (reaction.waitsMs ?? 0)
  );
}
