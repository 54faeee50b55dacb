/**
 * The hops of the orders placed from the console, told apart from everything else the runtime moves:
 *
 * - an event belongs to an order when its publish hop's detail names the order (`detail.orderId`); every delivery and
 *   consume of that event (by its id) then belongs to the order too, so the follow-up events (StockReserved,
 *   PaymentCaptured…) that name the order are followed as well;
 * - an API request (a sync hop carries no id) belongs to the console's order whose own request was in flight when it
 *   completed, when exactly one was: the order's function and the inventory call it makes. Requests that complete
 *   while two console orders are in flight are left out rather than guessed.
 *
 * The order's id is known only once its request is answered, after its first event was published: the last
 * `recentHops` hops are kept, and looked through when an order is tracked. Only the last `maxOrders` orders are
 * followed, each with at most `maxHopsPerOrder` hops: memory stays bounded whatever the load.
 */
import type { Hop } from '../runtime/hop-trace';

/** A hop as the page draws it: where it went, how long it took, when it completed. */
export interface HopView {
  readonly kind: Hop['kind'] | 'client';
  readonly from: string;
  readonly to: string;
  readonly via: Hop['via'] | 'http';
  readonly detailType?: string;
  readonly latencyMs: number;
  readonly sincePutEventsMs?: number;
  /** Epoch ms when it completed. */
  readonly at: number;
}

/** A hop given to an order. */
export interface OrderHop {
  readonly orderId: string;
  readonly hop: HopView;
}

export interface OrderHopsOptions {
  /** @default 20 */
  readonly maxOrders?: number;
  /** @default 200 */
  readonly maxHopsPerOrder?: number;
  /** @default 2000 */
  readonly recentHops?: number;
}

/** The order an event's detail names; undefined for anything else. */
export function orderIdOf(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const { orderId } = detail as { orderId?: unknown };
  return typeof orderId === 'string' ? orderId : undefined;
}

export function viewOf(hop: Hop): HopView {
  return {
    kind: hop.kind,
    from: hop.from,
    to: hop.to,
    via: hop.via,
    ...(hop.detailType !== undefined ? { detailType: hop.detailType } : {}),
    latencyMs: Math.round(hop.latencyMs * 10) / 10,
    ...(hop.sincePutEventsMs !== undefined ? { sincePutEventsMs: Math.round(hop.sincePutEventsMs * 10) / 10 } : {}),
    at: Math.round(hop.at),
  };
}

interface Window {
  readonly id: number;
  readonly hops: Hop[];
}

export class OrderHops {
  private readonly maxOrders: number;
  private readonly maxHopsPerOrder: number;
  private readonly recentLimit: number;
  /** Order id → its hops so far, oldest order first. */
  private readonly orders = new Map<string, HopView[]>();
  /** Event id → the tracked order it belongs to. */
  private readonly eventOrders = new Map<string, string>();
  private readonly recent: Hop[] = [];
  private readonly windows = new Map<number, Window>();
  private nextWindow = 1;

  constructor(options: OrderHopsOptions = {}) {
    this.maxOrders = options.maxOrders ?? 20;
    this.maxHopsPerOrder = options.maxHopsPerOrder ?? 200;
    this.recentLimit = options.recentHops ?? 2000;
  }

  /** A hop of the runtime: returns the order hop it is, if it belongs to a tracked order. */
  observe(hop: Hop): OrderHop | undefined {
    if (hop.kind === 'sync') {
      if (this.windows.size === 1) for (const window of this.windows.values()) window.hops.push(hop);
      return undefined;
    }
    if (hop.kind === 'publish' && hop.eventId !== undefined) {
      const orderId = orderIdOf(hop.detail);
      if (orderId !== undefined && this.orders.has(orderId)) this.eventOrders.set(hop.eventId, orderId);
    }
    const orderId = hop.eventId === undefined ? undefined : this.eventOrders.get(hop.eventId);
    if (orderId === undefined) {
      this.remember(hop);
      return undefined;
    }
    return this.add(orderId, viewOf(hop));
  }

  /** The console is about to send an order's request: its API hops are collected until `track` or `abandon`. */
  open(): number {
    const id = this.nextWindow++;
    this.windows.set(id, { id, hops: [] });
    return id;
  }

  /** The request of `window` was answered without an order to follow. */
  abandon(window: number): void {
    this.windows.delete(window);
  }

  /**
   * Follows `orderId` from now on, and gives it what already happened: the hops of its request's window, the
   * client's own hop, and the recent hops of its events. Returns the hops it was given, oldest first.
   */
  track(orderId: string, window: number, client: HopView): OrderHop[] {
    const windowHops = this.windows.get(window)?.hops ?? [];
    this.windows.delete(window);
    if (!this.orders.has(orderId)) {
      this.orders.set(orderId, []);
      while (this.orders.size > this.maxOrders) this.forget(this.orders.keys().next().value as string);
    }
    const found: Hop[] = [...windowHops];
    for (const hop of this.recent) {
      if (hop.kind === 'publish' && hop.eventId !== undefined && orderIdOf(hop.detail) === orderId) this.eventOrders.set(hop.eventId, orderId);
    }
    for (const hop of this.recent) if (hop.eventId !== undefined && this.eventOrders.get(hop.eventId) === orderId) found.push(hop);
    const given: OrderHop[] = [];
    for (const hop of found.sort((a, b) => a.at - b.at)) {
      const added = this.add(orderId, viewOf(hop));
      if (added) given.push(added);
    }
    const own = this.add(orderId, client);
    if (own) given.push(own);
    return given;
  }

  /** The hops of every tracked order, oldest order first. */
  all(): { readonly orderId: string; readonly hops: readonly HopView[] }[] {
    return [...this.orders].map(([orderId, hops]) => ({ orderId, hops: [...hops] }));
  }

  private add(orderId: string, hop: HopView): OrderHop | undefined {
    const hops = this.orders.get(orderId);
    if (hops === undefined || hops.length >= this.maxHopsPerOrder) return undefined;
    hops.push(hop);
    return { orderId, hop };
  }

  private remember(hop: Hop): void {
    this.recent.push(hop);
    if (this.recent.length > this.recentLimit) this.recent.splice(0, this.recent.length - this.recentLimit);
  }

  private forget(orderId: string): void {
    this.orders.delete(orderId);
    for (const [eventId, owner] of this.eventOrders) if (owner === orderId) this.eventOrders.delete(eventId);
  }
}
