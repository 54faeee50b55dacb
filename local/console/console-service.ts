/**
 * The runtime's console on the edge: a page that shows the running stack live, loopback only (as the whole edge).
 *
 * - `GET /_local/console`: the page (`console.html`, `console.js`, `console.css` beside this file: no build step)
 * - `GET /_local/console/events`: server-sent events: `hello` (the runtime's facts), `snapshot` once a second (see
 *   `console-snapshot.ts`), `orders` on connect and `order` + `hop` as the console's orders move (`order-hops.ts`)
 * - `POST /_local/console/orders` `{"mode": "sync" | "async"}`: places an order as the console's customer
 *   (`order-placer.ts`); the answer is the API's status, the order's id and the client's latency
 * - `POST /_local/console/redrive` `{"queue": "<DLQ name>"}`: StartMessageMoveTask on the edge, back to the queues
 *   that dead-letter into it (what `npm run redrive` does)
 *
 * It samples, never follows every event: with no page open it costs nothing (no timer, no hop listener); with pages
 * open, one snapshot a second serialized once for all of them, and each hop looked up in two maps. A page that reads
 * slower than that loses events, not the runtime's memory (`sse-stream.ts`). Errors are `application/problem+json`.
 * Faults and consumers are paused with the control API the page calls itself (`/_local/faults`,
 * `/_local/event-source-mappings`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type EdgeRequest, type EdgeResponse, type EdgeService, jsonResponse } from '../edge/edge-server';
import type { HopListener } from '../runtime/hop-trace';
import { CONSOLE_PATH } from './console-path';
import type { ConsoleSnapshots } from './console-snapshot';
import { OrderHops, type HopView } from './order-hops';
import type { OrderPlacer, OrderPlacerUnavailableError } from './order-placer';
import { SseStream } from './sse-stream';

export { CONSOLE_PATH };

/** What the page is told on connecting. */
export interface ConsoleFacts {
  readonly stackName: string;
  readonly edgeUrl: string;
  readonly timeScale: number;
  readonly apis: readonly { readonly name: string; readonly url: string }[];
  /** The page links here for the APIs' and events' contracts. */
  readonly contractsPath: string;
}

/** One order placed from the console. */
export interface ConsoleOrder {
  /** The order's id; `failed-N` for a request that got no order. */
  readonly orderId: string;
  readonly mode: 'sync' | 'async';
  readonly status: number;
  readonly latencyMs: number;
  readonly startedAt: number;
  /** The API's problem title, for an order that was not accepted. */
  readonly problem?: string;
}

export interface ConsoleServiceOptions {
  readonly facts: ConsoleFacts;
  readonly snapshots: ConsoleSnapshots;
  readonly onHop: (listener: HopListener) => () => void;
  /** The order placer, or why there is none; asked on the first order. */
  readonly placer: () => OrderPlacer | OrderPlacerUnavailableError;
  /** Starts moving a DLQ's messages back to their source queues; resolves to the task's handle. */
  readonly redrive: (queueName: string) => Promise<string>;
  /** @default 1000 */
  readonly snapshotIntervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  [CONSOLE_PATH]: { file: 'console.html', type: 'text/html; charset=utf-8' },
  [`${CONSOLE_PATH}/`]: { file: 'console.html', type: 'text/html; charset=utf-8' },
  [`${CONSOLE_PATH}/console.js`]: { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  [`${CONSOLE_PATH}/console.css`]: { file: 'console.css', type: 'text/css; charset=utf-8' },
};

/** An `application/problem+json` answer (RFC 9457). */
export function problemResponse(status: number, title: string, detail: string): EdgeResponse {
  return { status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ type: 'about:blank', title, status, detail }) };
}

/** The console's clients, its timer and its hop listener: running only while a page is open. */
export class ConsoleHub {
  readonly hops = new OrderHops();
  private readonly clients = new Set<SseStream>();
  private readonly orders: ConsoleOrder[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopHops: (() => void) | undefined;
  private failed = 0;
  private readonly now: () => number;

  constructor(private readonly options: ConsoleServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** A new page: told the facts, the orders so far and a snapshot at once, then everything as it happens. */
  connect(stream: SseStream): void {
    this.clients.add(stream);
    stream.once('close', () => this.disconnect(stream));
    stream.send('hello', this.options.facts);
    stream.send('orders', { orders: this.orders, hops: this.hops.all() });
    stream.send('snapshot', this.options.snapshots.take(this.now()));
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.options.snapshotIntervalMs ?? 1000);
      this.timer.unref();
      this.stopHops = this.options.onHop((hop) => {
        const owned = this.hops.observe(hop);
        if (owned) this.broadcast('hop', owned);
      });
    }
  }

  /** Places an order as the console's customer, and follows it. */
  async placeOrder(mode: 'sync' | 'async'): Promise<EdgeResponse> {
    const placer = this.options.placer();
    if (placer instanceof Error) return problemResponse(501, 'The console cannot place orders', placer.message);
    let window: number | undefined;
    let placed;
    try {
      placed = await placer.place(mode, () => {
        window = this.hops.open();
      });
    } catch (error) {
      if (window !== undefined) this.hops.abandon(window);
      return problemResponse(502, 'The order could not be placed', error instanceof Error ? error.message : String(error));
    }
    const orderId = placed.orderId ?? `failed-${++this.failed}`;
    const problem = placed.orderId === undefined ? problemTitle(placed.body) : undefined;
    const order: ConsoleOrder = { orderId, mode, status: placed.status, latencyMs: placed.latencyMs, startedAt: placed.startedAt, ...(problem !== undefined ? { problem } : {}) };
    const client: HopView = { kind: 'client', from: 'console', to: `POST /orders${mode === 'async' ? ' (respond-async)' : ''} → ${placed.status}`, via: 'http', latencyMs: placed.latencyMs, at: placed.at };
    const given = window === undefined ? [] : this.hops.track(orderId, window, client);
    this.orders.push(order);
    if (this.orders.length > 20) this.orders.shift();
    this.broadcast('order', order);
    for (const hop of given) this.broadcast('hop', hop);
    return jsonResponse(200, { ...order, body: placed.body });
  }

  /** Sends a snapshot to every page. */
  tick(): void {
    this.broadcast('snapshot', this.options.snapshots.take(this.now()));
    for (const client of this.clients) client.ping();
  }

  /** Ends every page's stream (the edge is closing). */
  close(): void {
    for (const client of [...this.clients]) client.destroy();
    this.stopAll();
  }

  private broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const json = JSON.stringify(data);
    for (const client of this.clients) client.sendJson(event, json);
  }

  private disconnect(stream: SseStream): void {
    this.clients.delete(stream);
    if (this.clients.size === 0) this.stopAll();
  }

  private stopAll(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopHops?.();
    this.stopHops = undefined;
  }
}

function problemTitle(body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const { title, detail, message } = body as { title?: unknown; detail?: unknown; message?: unknown };
    const parts = [title, detail ?? message].filter((part): part is string => typeof part === 'string');
    if (parts.length > 0) return parts.join(': ');
  }
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body).slice(0, 200);
}

function parseBody(req: EdgeRequest): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function consoleService(options: ConsoleServiceOptions): EdgeService & { readonly hub: ConsoleHub } {
  const hub = new ConsoleHub(options);
  const assets = new Map(Object.entries(ASSETS).map(([route, asset]) => [route, { type: asset.type, body: readFileSync(path.join(__dirname, asset.file)) }]));
  return {
    name: 'console',
    hub,
    matches: (req) => req.url.pathname === CONSOLE_PATH || req.url.pathname.startsWith(`${CONSOLE_PATH}/`),
    handle: async (req) => {
      const { pathname } = req.url;
      const asset = assets.get(pathname);
      if (asset !== undefined && req.method === 'GET') return { status: 200, headers: { 'content-type': asset.type, 'cache-control': 'no-cache' }, body: asset.body };
      if (pathname === `${CONSOLE_PATH}/events` && req.method === 'GET') {
        const stream = new SseStream();
        hub.connect(stream);
        return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }, body: stream };
      }
      if (pathname === `${CONSOLE_PATH}/orders` && req.method === 'POST') {
        const mode = parseBody(req)?.mode;
        if (mode !== 'sync' && mode !== 'async') return problemResponse(400, 'Invalid order request', 'Send {"mode": "sync"} or {"mode": "async"}');
        return hub.placeOrder(mode);
      }
      if (pathname === `${CONSOLE_PATH}/redrive` && req.method === 'POST') {
        const queue = parseBody(req)?.queue;
        if (typeof queue !== 'string' || queue === '') return problemResponse(400, 'Invalid redrive request', 'Send {"queue": "<the DLQ\'s name>"}');
        try {
          return jsonResponse(200, { queue, taskHandle: await options.redrive(queue) });
        } catch (error) {
          return problemResponse(409, `${queue} cannot be redriven`, error instanceof Error ? error.message : String(error));
        }
      }
      return problemResponse(404, 'No such console route', `No route ${req.method} ${pathname}. Open GET ${CONSOLE_PATH} in a browser.`);
    },
    close: async () => hub.close(),
  };
}
