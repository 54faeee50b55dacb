#!/usr/bin/env node
/**
 * `npm run contracts`: writes the shop's contracts into docs/contracts/, generated, never written by hand:
 *
 * - `public-api.openapi.json`, `internal-api.openapi.json`: OpenAPI 3.1 of the two REST APIs. Their routes (method,
 *   path, authorizer) are read from the stack, synthesized in-process without bundling; what each route takes and
 *   answers is described below, every schema generated from the zod schemas the handlers validate with (requests)
 *   or that describe what they answer (responses, beside their types in each service's domain).
 * - `events/<DetailType>.schema.json` and `events/index.json`: JSON Schema of every event, from the zod schemas
 *   consumers parse events with (`lambdas/shared/events/contracts.ts`).
 * - `index.html`: all of it rendered readable, self-contained; the local runtime serves the folder at
 *   `http://127.0.0.1:4566/_local/contracts/`.
 *
 * The output is deterministic; `test/infra/contracts/` fails when the committed files differ from what this writes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { salesReportSchema } from '../lambdas/analytics/domain/get-sales';
import { MAX_PAGE_SIZE } from '../lambdas/catalog/domain/list-products';
import { productPageSchema, productSchema } from '../lambdas/catalog/domain/product';
import { createReservationRequest } from '../lambdas/inventory/domain/create-reservation-request';
import { ORDER_ID_FORMAT_MESSAGE, ORDER_ID_PATTERN as RESERVATION_ORDER_ID_PATTERN, reservationSchema } from '../lambdas/inventory/domain/reservation';
import { cancelOrderRequest } from '../lambdas/orders/domain/cancel-order-request';
import { ORDER_ID_PATTERN, orderSchema } from '../lambdas/orders/domain/order';
import { IDEMPOTENCY_KEY_PATTERN, placeOrderRequest } from '../lambdas/orders/domain/place-order-request';
import { orderTimelineSchema } from '../lambdas/orders/domain/timeline-schema';
import { type DataOf, DETAIL_TYPES, type DetailType, newEvent } from '../lambdas/shared/events/contracts';
import { SKU_FORMAT_MESSAGE, SKU_PATTERN } from '../lambdas/shared/sku';
import { shopStackTemplate } from '../lib/capacity/shop-stack-template';
import type { CfnTemplate } from '../lib/capacity/shop-template';
import { contractsHtml } from '../lib/contracts/contracts-html';
import { eventIndex, eventJsonSchema, eventSchemaFile } from '../lib/contracts/event-schemas';
import type { JsonSchema } from '../lib/contracts/json-schema';
import { type ApiContract, openApiDocument, type ParameterContract, type ResponseContract } from '../lib/contracts/openapi-document';
import { functionEnvironmentValue, type RestApiRoutes, restApiRoutes } from '../lib/contracts/rest-api-routes';
import { DEFAULT_STAGE, stackNameFor } from '../lib/hybrid-shop-stack';

/** Where the contracts are written, from the project's root. */
export const CONTRACTS_DIR = path.join('docs', 'contracts');

const VERSION = (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

// ---- examples (each checked against its schema by test/unit/contracts/) ----

const ORDER_ID = '0e9e1a57-1111-4222-8333-444455556666';
const ORDER_EXAMPLE = {
  orderId: ORDER_ID,
  customerId: '7c1d8f2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f',
  lines: [{ sku: 'SKU-0001', quantity: 2, unitPriceCents: 1999 }],
  totalCents: 3998,
  currency: 'EUR',
  status: 'CONFIRMED',
  createdAt: '2024-05-01T12:00:00.000Z',
  version: 1,
};
const PRODUCT_EXAMPLE = {
  sku: 'SKU-0001',
  name: 'Espresso cup',
  description: 'Porcelain, 80 ml',
  category: 'kitchen',
  priceCents: 1999,
  currency: 'EUR',
};
const RESERVATION_EXAMPLE = { orderId: ORDER_ID, lines: [{ sku: 'SKU-0001', quantity: 2 }], status: 'RESERVED', createdAt: '2024-05-01T12:00:00.000Z' };

const CUSTOMER_ID = '7c1d8f2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f';
const PLACED = { customerId: CUSTOMER_ID, lines: [{ sku: 'SKU-0001', quantity: 2, unitPriceCents: 1999 }], totalCents: 3998, currency: 'EUR' } as const;
const OUT_OF_STOCK = { reason: 'OUT_OF_STOCK', errors: [{ field: 'lines[0].quantity', message: 'only 1 left' }] } as const;
const PAYMENT = { customerId: CUSTOMER_ID, paymentId: 'pay-0001', amountCents: 3998, currency: 'EUR' } as const;
const SHIPMENT = { customerId: CUSTOMER_ID, shipmentId: 'ship-0001' } as const;
const EVENT_DATA: { readonly [K in DetailType]: DataOf<K> } = {
  OrderRequested: PLACED,
  OrderPlaced: PLACED,
  OrderRejected: { customerId: CUSTOMER_ID, ...OUT_OF_STOCK },
  OrderCancelled: { customerId: CUSTOMER_ID, reason: 'cancelled by the customer', totalCents: 3998, currency: 'EUR' },
  StockReserved: { lines: [{ sku: 'SKU-0001', quantity: 2 }] },
  StockRejected: OUT_OF_STOCK,
  PaymentCaptured: PAYMENT,
  PaymentFailed: { customerId: CUSTOMER_ID, reason: 'card declined' },
  PaymentRefunded: PAYMENT,
  ShipmentCreated: SHIPMENT,
  ShipmentCancelled: SHIPMENT,
};

/** An example `detailType` event as EventBridge delivers it, built as its producer builds it (`newEvent`). */
function eventExample(detailType: DetailType): unknown {
  const event = newEvent(detailType, { orderId: ORDER_ID, version: 1, correlationId: 'c0ffee00-0000-4000-8000-00000000c0de', data: EVENT_DATA[detailType], occurredAt: new Date('2024-05-01T12:00:00.000Z') });
  return { source: event.source, 'detail-type': event.detailType, detail: event.detail };
}

// ---- what the routes share ----

const problem = (description: string, headers?: ResponseContract['headers']): ResponseContract => ({ description, problem: true, ...(headers ? { headers } : {}) });

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: z.int().check(z.minimum(1)), required: true } };
const LOCATION = { description: 'The order, relative to the request path (`orders/{id}`, `../{id}`): resolve it against the URL you called.', schema: z.string(), required: true };

const TOO_LARGE = problem('The body is larger than the API accepts (16 KiB by default), naming `body`.');
const NOT_JSON = problem('The body is not `application/json`, naming `Content-Type`.');

const orderIdParameter: ParameterContract = {
  name: 'id',
  in: 'path',
  description: 'The order id POST /orders answered (a UUID).',
  schema: z.string().check(z.regex(ORDER_ID_PATTERN, 'must be a UUID')),
  example: ORDER_ID,
};

const ORDER_NOT_FOUND = problem("No such order, naming `id`: also for another customer's order, so an id tells nobody else it exists.");
const BAD_ORDER_ID = problem('The id is not a UUID, naming `id`.');

// ---- the public API ----

function publicApi(maxQuantity: number): ApiContract {
  const order = orderSchema();
  return {
    title: 'Hybrid Shop public API',
    version: VERSION,
    description:
      'The catalog (anonymous), orders (a signed-in customer: a Cognito ID token in `Authorization`) and the staff\'s sales figures. ' +
      'Every error is `application/problem+json` (RFC 9457) naming the offending field in `errors[].field`.',
    operations: {
      'GET /products': {
        operationId: 'listProducts',
        summary: 'One page of the catalog',
        description: 'Products in key order, `limit` at a time; follow `nextCursor` for the next page (absent on the last).',
        tag: 'catalog',
        parameters: [
          { name: 'limit', in: 'query', description: 'Page size (default 20).', schema: z.int().check(z.minimum(1), z.maximum(MAX_PAGE_SIZE)), example: '3' },
          { name: 'cursor', in: 'query', description: 'The `nextCursor` of the previous page; anything else is a 400 naming `cursor`.', schema: z.string() },
        ],
        responses: {
          '200': { description: 'The page.', body: productPageSchema(), example: { items: [PRODUCT_EXAMPLE], nextCursor: 'eyJza3UiOiJTS1UtMDAwMSJ9' } },
          '400': problem('A bad `limit` or `cursor`, naming it.'),
        },
      },
      'GET /products/{sku}': {
        operationId: 'getProduct',
        summary: 'One product',
        description: 'The product with `sku`.',
        tag: 'catalog',
        parameters: [{ name: 'sku', in: 'path', description: `The product's SKU: ${SKU_FORMAT_MESSAGE}.`, schema: z.string().check(z.regex(SKU_PATTERN, SKU_FORMAT_MESSAGE)), example: 'SKU-0001' }],
        responses: {
          '200': { description: 'The product.', body: productSchema(), example: PRODUCT_EXAMPLE },
          '400': problem('A malformed SKU, naming `sku`.'),
          '404': problem('No such product, naming `sku`.'),
        },
      },
      'POST /orders': {
        operationId: 'placeOrder',
        summary: 'Place an order',
        description:
          'For the signed-in customer (the token\'s `sub`; the body names no customer). Synchronously by default: stock is reserved ' +
          'before the answer (201), and OrderPlaced published. With `Prefer: respond-async` the order is accepted at once (202, PENDING), ' +
          'OrderRequested published, and inventory decides behind the answer: follow `Location`. A retry with the same `Idempotency-Key` ' +
          '(keys are per customer) answers the first outcome again with `Idempotent-Replayed: true`.',
        tag: 'orders',
        parameters: [
          { name: 'Idempotency-Key', in: 'header', required: true, description: '1 to 255 visible ASCII characters, new for each order; the same for its retries.', schema: z.string().check(z.regex(IDEMPOTENCY_KEY_PATTERN, 'is required: 1 to 255 visible ASCII characters')), example: '3f2c9a7e-order-1' },
          { name: 'Prefer', in: 'header', description: '`respond-async` (RFC 7240): accept at once, reserve stock behind the answer.', schema: z.string(), example: 'respond-async' },
          { name: 'X-Correlation-Id', in: 'header', description: "1 to 128 visible ASCII characters carried by every event about the order; API Gateway's request id otherwise.", schema: z.string() },
        ],
        requestBody: { description: `The lines: each SKU once, 1 to ${maxQuantity} of it.`, schema: placeOrderRequest(maxQuantity), required: true, example: { lines: [{ sku: 'SKU-0001', quantity: 2 }] } },
        responses: {
          '201': {
            description: 'Placed: stock reserved, OrderPlaced published.',
            body: order,
            example: ORDER_EXAMPLE,
            headers: { Location: LOCATION, 'Idempotent-Replayed': { description: '`true` when this answers a retry.', schema: z.literal('true') } },
          },
          '202': {
            description: 'Accepted (`Prefer: respond-async`): PENDING, OrderRequested published; poll `Location`.',
            body: order,
            example: { ...ORDER_EXAMPLE, status: 'PENDING' },
            headers: {
              Location: LOCATION,
              'Preference-Applied': { description: '`respond-async`.', schema: z.literal('respond-async'), required: true },
              'Idempotent-Replayed': { description: '`true` when this answers a retry.', schema: z.literal('true') },
            },
          },
          '400': problem('A bad body or no valid `Idempotency-Key`, naming each offending field (`lines[0].quantity`, `Idempotency-Key`).'),
          '401': problem('No signed-in customer.', { 'WWW-Authenticate': { description: '`Bearer`.', schema: z.string() } }),
          '409': problem('Out of stock (naming `lines[i].quantity` with `available`), or the `Idempotency-Key` is in use by a request still running.'),
          '413': TOO_LARGE,
          '415': NOT_JSON,
          '422': problem('An unknown SKU (naming `lines[i].sku`), or the `Idempotency-Key` was used with another body.'),
          '503': problem('Inventory is unavailable (synchronous mode) or the event could not be published: retry after `Retry-After`.', RETRY_AFTER),
        },
      },
      'GET /orders/{id}': {
        operationId: 'getOrder',
        summary: 'One of your orders',
        description: "The caller's order with its current status.",
        tag: 'orders',
        parameters: [orderIdParameter],
        responses: { '200': { description: 'The order.', body: order, example: ORDER_EXAMPLE }, '400': BAD_ORDER_ID, '404': ORDER_NOT_FOUND },
      },
      'POST /orders/{id}/cancel': {
        operationId: 'cancelOrder',
        summary: 'Cancel one of your orders',
        description:
          'Marks the order CANCELLED and publishes OrderCancelled; stock, payment and shipment are compensated from that event. ' +
          'Cancelling an order already cancelled answers 202 again and publishes the same event again.',
        tag: 'orders',
        parameters: [orderIdParameter],
        requestBody: {
          description: 'Optional: no body, or `null`, means no reason.',
          // The handler reads no body and a JSON null alike as `{}`.
          schema: z.nullable(cancelOrderRequest),
          required: false,
          example: { reason: 'ordered the wrong size' },
        },
        responses: {
          '202': { description: 'Cancelled (the compensations follow).', body: order, example: { ...ORDER_EXAMPLE, status: 'CANCELLED', version: 2 }, headers: { Location: LOCATION } },
          '400': problem('A malformed id or body, naming the field.'),
          '404': ORDER_NOT_FOUND,
          '409': problem('The order was REJECTED: there is nothing to cancel, naming `id`.'),
          '413': TOO_LARGE,
          '415': NOT_JSON,
          '503': problem('The event could not be published; the cancellation is saved and a retry publishes it.', RETRY_AFTER),
        },
      },
      'GET /orders/{id}/timeline': {
        operationId: 'getOrderTimeline',
        summary: "One of your orders' events",
        description: 'Every event about the order, sorted by occurredAt then version (empty until the first is projected).',
        tag: 'orders',
        parameters: [orderIdParameter],
        responses: {
          '200': {
            description: 'The timeline.',
            body: orderTimelineSchema(),
            example: { orderId: ORDER_ID, entries: [{ detailType: 'OrderPlaced', source: 'shop.orders', version: 1, occurredAt: '2024-05-01T12:00:00.000Z', eventId: 'b3d5a0c4-1f2e-8a3b-9c4d-5e6f7a8b9c0d' }] },
          },
          '400': BAD_ORDER_ID,
          '404': ORDER_NOT_FOUND,
        },
      },
      'GET /analytics/sales': {
        operationId: 'getSales',
        summary: 'Sales per minute (staff only)',
        description: 'Orders, revenue and cancellations per minute over at most 1440 minutes, with totals. Without `to`: up to the current minute; without `from`: the 60 minutes up to `to`.',
        tag: 'analytics',
        parameters: [
          { name: 'from', in: 'query', description: 'The first minute: an ISO-8601 minute or timestamp.', schema: z.string(), example: '2024-05-01T12:00' },
          { name: 'to', in: 'query', description: 'The last minute, included: as `from`.', schema: z.string(), example: '2024-05-01T12:59' },
        ],
        responses: {
          '200': {
            description: 'The report.',
            body: salesReportSchema(),
            example: { from: '2024-05-01T12:00', to: '2024-05-01T12:01', minutes: [{ minute: '2024-05-01T12:00', orders: 2, revenueCents: 3998, cancelled: 0 }], totals: { orders: 2, revenueCents: 3998, cancelled: 0 } },
          },
          '400': problem('`from` or `to` malformed, `from` after `to`, or more than 1440 minutes apart, naming the field.'),
          '403': problem("The signed-in user is not in the `staff` group, naming `Authorization`."),
        },
      },
    },
  };
}

// ---- the internal API ----

function internalApi(): ApiContract {
  return {
    title: 'Hybrid Shop internal API',
    version: VERSION,
    description: "Service-to-service calls: inventory's reservations, called by orders. Every route is IAM-authorized (SigV4). Errors are `application/problem+json`.",
    operations: {
      'POST /reservations': {
        operationId: 'createReservation',
        summary: "Reserve an order's stock",
        description: 'All lines or none, in one transaction. A retry with the same order id and lines answers the stored reservation (200).',
        tag: 'inventory',
        requestBody: { description: 'The order and its lines: each SKU once.', schema: createReservationRequest, required: true, example: { orderId: ORDER_ID, lines: [{ sku: 'SKU-0001', quantity: 2 }] } },
        responses: {
          '200': { description: 'The stored reservation (a retry).', body: reservationSchema(), example: RESERVATION_EXAMPLE },
          '201': { description: 'Reserved.', body: reservationSchema(), example: RESERVATION_EXAMPLE },
          '400': problem('A bad body, naming each offending field.'),
          '409': problem('Out of stock (naming `lines[i].quantity` with `available`), or the order id was reserved with other lines.'),
          '413': TOO_LARGE,
          '415': NOT_JSON,
          '422': problem('An unknown SKU, naming `lines[i].sku`.'),
        },
      },
      'DELETE /reservations/{orderId}': {
        operationId: 'releaseReservation',
        summary: "Release an order's stock",
        description: 'Puts the reserved stock back; releasing again changes nothing.',
        tag: 'inventory',
        parameters: [{ name: 'orderId', in: 'path', description: `The order id: ${ORDER_ID_FORMAT_MESSAGE}.`, schema: z.string().check(z.regex(RESERVATION_ORDER_ID_PATTERN, ORDER_ID_FORMAT_MESSAGE)), example: ORDER_ID }],
        responses: { '204': { description: 'Released (or already released).' }, '400': problem('A malformed order id, naming `orderId`.'), '404': problem('No reservation for the order, naming `orderId`.') },
      },
    },
  };
}

// ---- the files ----

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function apiNamed(apis: readonly RestApiRoutes[], suffix: string): RestApiRoutes {
  const found = apis.find((api) => api.name.endsWith(suffix));
  if (found === undefined) throw new Error(`The template has no REST API named *${suffix} (it has ${apis.map((api) => api.name).join(', ')})`);
  return found;
}

/** The per-line quantity limit the stack gives POST /orders' function, which its schema depends on. */
function maxQuantityOf(template: CfnTemplate, api: RestApiRoutes): number {
  const route = api.routes.find((candidate) => candidate.method === 'POST' && candidate.path === '/orders');
  const value = route?.functionId === undefined ? undefined : functionEnvironmentValue(template, route.functionId, 'ORDER_MAX_QUANTITY');
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`POST /orders' function has no literal ORDER_MAX_QUANTITY (got ${String(value)})`);
  return Number(value);
}

/** The contract documents of the two APIs, by file name, from the routes of `template`. */
export function apiDocuments(template: CfnTemplate): ReadonlyMap<string, JsonSchema> {
  const apis = restApiRoutes(template);
  const documents = new Map<string, JsonSchema>();
  const publicRoutes = apiNamed(apis, '-public');
  const internalRoutes = apiNamed(apis, '-internal');
  const unknown = apis.filter((api) => api !== publicRoutes && api !== internalRoutes);
  if (unknown.length > 0) throw new Error(`No contract describes the REST APIs ${unknown.map((api) => api.name).join(', ')}: add one to bin/contracts.ts`);
  documents.set('public-api.openapi.json', openApiDocument(publicApi(maxQuantityOf(template, publicRoutes)), publicRoutes));
  documents.set('internal-api.openapi.json', openApiDocument(internalApi(), internalRoutes));
  return documents;
}

/** Every file of docs/contracts/ (but its README), by path relative to it, as `npm run contracts` writes it. */
export function contractFiles(template: CfnTemplate): ReadonlyMap<string, string> {
  const documents = apiDocuments(template);
  const files = new Map<string, string>();
  for (const [file, document] of documents) files.set(file, json(document));
  const events = DETAIL_TYPES.map((detailType) => ({ detailType, file: eventSchemaFile(detailType), schema: eventJsonSchema(detailType, eventExample(detailType)) }));
  for (const event of events) files.set(`events/${event.file}`, json(event.schema));
  files.set('events/index.json', json(eventIndex()));
  const apis = [...documents].map(([file, document]) => ({ slug: file.replace(/\.openapi\.json$/, ''), file, document }));
  files.set('index.html', contractsHtml(apis, events));
  return files;
}

/** The shop's template as `cdk synth` makes it at the default stage, without bundling. */
export function shopTemplate(root: string): CfnTemplate {
  const context = (JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context;
  return shopStackTemplate({ stackName: stackNameFor(DEFAULT_STAGE), context, props: { stage: DEFAULT_STAGE } });
}

/** The generated files docs/contracts/ holds now (everything but README.md), by relative path. */
export function committedContractFiles(dir: string): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (file !== 'README.md') files.set(file, readFileSync(path.join(dir, file), 'utf8'));
    }
  };
  walk('');
  return files;
}

function main(): void {
  const root = path.join(__dirname, '..');
  const dir = path.join(root, CONTRACTS_DIR);
  const files = contractFiles(shopTemplate(root));
  mkdirSync(path.join(dir, 'events'), { recursive: true });
  for (const stale of committedContractFiles(dir).keys()) if (!files.has(stale)) rmSync(path.join(dir, stale));
  for (const [file, text] of files) writeFileSync(path.join(dir, file), text);
  console.log(`✓ wrote ${files.size} files to ${CONTRACTS_DIR}/: ${[...files.keys()].join(', ')}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`contracts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
