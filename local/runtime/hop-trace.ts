/**
 * The hops of the running runtime, for listeners (`LocalRuntime.onHop`): the facts the trace lines print about
 * something moving from one place to another, as objects a benchmark or a test can aggregate.
 *
 * - `sync`: an API request (`⇄ HybridShop-public  POST /prod/orders → 201  42 ms  OrdersPlaceOrderFunction`), from
 *   the API to its function; latency: the request's duration.
 * - `publish`: an event a PutEvents call (or a replay) put on a bus (`⇄ events  PutEvents …`: one hop per event of
 *   the line), from its source to the bus; latency: the call's duration.
 * - `delivery`: an event EventBridge delivered to a target (`⇢ events  OrderPlaced → … (sqs)  4 ms after put`), from
 *   the bus to the target; latency: since the event was put on the bus.
 * - `consume`: a handler started on a message or record of an event source mapping (`⇢ sqs …` / `⇢ kinesis …`: one
 *   hop per message or record of the line), from the queue or `stream/shard` to the function; or on an event of its
 *   asynchronous invocation queue (`⇢ lambda  async → …`), from `async` to the function; latency: since the message
 *   was sent, the record put, or the asynchronous Invoke accepted.
 *
 * Retries, dead letters, destinations and drops (`↻`, `✗`, `⇢ lambda  X  async → on-failure …`) are not hops, nor are
 * invocation lines (`λ`) and the functions' own output.
 *
 * `sincePutEventsMs` (consume hops, and the "… ms after PutEvents" of their trace lines): from the PutEvents call (or
 * replay) that published the EventBridge event the message body, record data or invocation payload is — found by the
 * event's `id` — to the handler's start. The ids of the last `maxTrackedEvents` events published are remembered.
 */
import type { ApiRequestReport } from '../apigateway/rest-api-gateway';
import type { DeliveryReport as MappingDeliveryReport } from '../event-source-mappings/delivery-report';
import { formatMappingDelivery } from '../event-source-mappings/delivery-report';
import type { PublishedEvent } from '../eventbridge/local-event-bridge';
import type { DeliveryReport as EventDeliveryReport } from '../eventbridge/target-delivery';
import { targetKind } from '../eventbridge/trace-lines';
import type { AsyncReport } from '../lambda/async-invoker';
import { formatAsyncReport } from '../lambda/async-trace-lines';
import { formatApiRequest } from './log-format';

/** One hop: see the module's documentation for what each kind is. */
export interface Hop {
  readonly kind: 'sync' | 'publish' | 'delivery' | 'consume';
  /** The API, the event's source, the bus, the queue, `stream/shard`, or `async`. */
  readonly from: string;
  /** The function, the bus, or the target. */
  readonly to: string;
  readonly via: 'api' | 'lambda' | 'sqs' | 'kinesis' | 'events';
  /** The EventBridge event's id, when the hop carries one. */
  readonly eventId?: string;
  /** The EventBridge event's detail-type, when the hop carries one. */
  readonly detailType?: string;
  /** Publish hops: the event's detail as put on the bus (the same object, not a copy), e.g. to follow an order. */
  readonly detail?: unknown;
  /** The hop's own latency, as its trace line prints it (unrounded). */
  readonly latencyMs: number;
  /** Consume hops of an EventBridge event published here: from its PutEvents call to the handler's start. */
  readonly sincePutEventsMs?: number;
  /** Epoch ms when the hop completed: the call answered, the event delivered, the handler started. */
  readonly at: number;
}

export type HopListener = (hop: Hop) => void;

export interface HopTraceOptions {
  /** Where trace lines go. */
  readonly log: (line: string) => void;
  /**
   * How many published events are remembered for `sincePutEventsMs`.
   *
   * @default 100000
   */
  readonly maxTrackedEvents?: number;
}

/** The EventBridge event a payload is: its `id` and `detail-type`; undefined for anything else. */
export function eventBridgeEventOf(payload: unknown): { readonly id: string; readonly detailType: string } | undefined {
  let value = payload;
  if (typeof payload === 'string') {
    if (!payload.startsWith('{') || !payload.includes('"detail-type"')) return undefined;
    try {
      value = JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, 'detail-type': detailType } = value as { id?: unknown; 'detail-type'?: unknown };
  return typeof id === 'string' && typeof detailType === 'string' ? { id, detailType } : undefined;
}

/** Prints the consume trace lines and hands every hop to the listeners. */
export class HopTrace {
  private readonly listeners = new Set<HopListener>();
  /** Event id → `performance.now()` of the PutEvents call that published it, oldest first. */
  private readonly published = new Map<string, number>();
  private readonly maxTrackedEvents: number;

  constructor(private readonly options: HopTraceOptions) {
    this.maxTrackedEvents = options.maxTrackedEvents ?? 100_000;
  }

  /** Calls `listener` with every hop from now on; the returned function stops it. */
  onHop(listener: HopListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** An API request: prints its line, emits a sync hop. */
  apiRequest(report: ApiRequestReport, functionLabel: (ref: string) => string): void {
    this.options.log(formatApiRequest(report, functionLabel));
    this.emit(() => ({
      kind: 'sync',
      from: report.apiName,
      to: report.functionRef !== undefined ? functionLabel(report.functionRef) : report.apiName,
      via: 'api',
      latencyMs: report.durationMs,
      at: epochNow(),
    }));
  }

  /** An event put on a bus (its line is EventBridge's): remembers when, emits a publish hop. */
  eventPublished(event: PublishedEvent): void {
    this.published.delete(event.eventId);
    this.published.set(event.eventId, event.putAt);
    if (this.published.size > this.maxTrackedEvents) this.published.delete(this.published.keys().next().value as string);
    this.emit(() => ({
      kind: 'publish',
      from: event.source,
      to: event.busName,
      via: 'events',
      eventId: event.eventId,
      detailType: event.detailType,
      ...(event.detail !== undefined ? { detail: event.detail } : {}),
      latencyMs: event.durationMs,
      at: epochNow(),
    }));
  }

  /** An EventBridge delivery outcome (its line is EventBridge's): a delivered event is a delivery hop. */
  eventDelivery(report: EventDeliveryReport, targetLabel: string): void {
    if (report.kind !== 'delivered') return;
    const { job } = report;
    const kind = targetKind(job.target.arn);
    this.emit(() => ({
      kind: 'delivery',
      from: job.rule.busName,
      to: targetLabel,
      via: kind === 'sqs' || kind === 'kinesis' || kind === 'lambda' ? kind : 'events',
      eventId: job.event.id,
      detailType: job.event['detail-type'],
      latencyMs: performance.now() - job.putAt,
      at: epochNow(),
    }));
  }

  /** An event source mapping's delivery: prints its line (with the time since PutEvents), emits a consume hop per item. */
  mappingDelivery(report: MappingDeliveryReport): void {
    const { items, handlerStartedAt, handlerStartedMonotonic } = report;
    const consumed =
      items !== undefined && handlerStartedAt !== undefined && handlerStartedMonotonic !== undefined
        ? items.map((item) => {
            const event = eventBridgeEventOf(item.data);
            return { item, event, sincePutEventsMs: this.sincePutEvents(event?.id, handlerStartedMonotonic) };
          })
        : [];
    const tracked = consumed.map((c) => c.sincePutEventsMs).filter((ms): ms is number => ms !== undefined);
    this.options.log(formatMappingDelivery(report, tracked.length > 0 ? Math.max(...tracked) : undefined));
    if (handlerStartedAt === undefined || handlerStartedMonotonic === undefined) return;
    for (const { item, event, sincePutEventsMs } of consumed) {
      this.emit(() => ({
        kind: 'consume',
        from: report.sourceName,
        to: report.functionName,
        via: report.source,
        ...(event ? { eventId: event.id, detailType: event.detailType } : {}),
        latencyMs: Math.max(0, handlerStartedAt - item.sentAt),
        ...(sincePutEventsMs !== undefined ? { sincePutEventsMs } : {}),
        at: performance.timeOrigin + handlerStartedMonotonic,
      }));
    }
  }

  /** A report of Lambda's asynchronous invoker: prints its line; an invocation that ran is a consume hop. */
  asyncReport(report: AsyncReport): void {
    if (report.kind !== 'invoked') {
      this.options.log(formatAsyncReport(report));
      return;
    }
    const event = eventBridgeEventOf(report.payload);
    const sincePutEventsMs = this.sincePutEvents(event?.id, report.handlerStartedMonotonic);
    this.options.log(formatAsyncReport(report, sincePutEventsMs));
    this.emit(() => ({
      kind: 'consume',
      from: 'async',
      to: report.shortName,
      via: 'lambda',
      ...(event ? { eventId: event.id, detailType: event.detailType } : {}),
      latencyMs: report.latencyMs,
      ...(sincePutEventsMs !== undefined ? { sincePutEventsMs } : {}),
      at: performance.timeOrigin + report.handlerStartedMonotonic,
    }));
  }

  /** Milliseconds from the PutEvents call that published `eventId` to `monotonicMs`; undefined for an event not seen. */
  sincePutEvents(eventId: string | undefined, monotonicMs: number): number | undefined {
    const putAt = eventId === undefined ? undefined : this.published.get(eventId);
    return putAt === undefined ? undefined : Math.max(0, monotonicMs - putAt);
  }

  /** Builds the hop only when someone listens; a listener that throws is reported and keeps its place. */
  private emit(hop: () => Hop): void {
    if (this.listeners.size === 0) return;
    const built = hop();
    for (const listener of this.listeners) {
      try {
        listener(built);
      } catch (error) {
        this.options.log(`  ! a hop listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
