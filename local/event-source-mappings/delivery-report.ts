/** One message or record handed to the function. */
export interface DeliveredItem {
  /** The message's body, or the record's data as UTF-8 text. */
  readonly data: string;
  /** Epoch ms: the message's SentTimestamp, or the record's approximate arrival. */
  readonly sentAt: number;
}

/** One delivery of an event source mapping (one invocation, or records given up on), for the runtime's trace line. */
export interface DeliveryReport {
  readonly source: 'sqs' | 'kinesis';
  /** The queue's name, or `${streamName}/${shard}`. */
  readonly sourceName: string;
  /** The function's short name. */
  readonly functionName: string;
  /** Messages or records delivered (or given up on). */
  readonly count: number;
  /** From the oldest message's SentTimestamp (record's approximateArrivalTimestamp) to the handler's start. */
  readonly latencyMs?: number;
  /** How long the handler ran. */
  readonly handlerMs?: number;
  /** Epoch ms when the handler started (deliveries that invoked the function). */
  readonly handlerStartedAt?: number;
  /** `performance.now()` when the handler started (deliveries that invoked the function). */
  readonly handlerStartedMonotonic?: number;
  /** The messages or records the function was invoked with, in order (deliveries that invoked the function). */
  readonly items?: readonly DeliveredItem[];
  /**
   * `ok`: every item succeeded; `partial`: some reported failed; `error`: a function error or an invalid batch
   * response; `throttled`: the function's concurrency stayed exhausted; `discarded`: items given up on.
   */
  readonly outcome: 'ok' | 'partial' | 'error' | 'throttled' | 'discarded';
  /** Items that failed (partial), or the function's error type (error). */
  readonly failed?: number;
  readonly errorType?: string;
  /** What happens next: `redelivered after the visibility timeout`, `retry 2 of 3`, `sent to …`. */
  readonly note?: string;
}

/**
 * The delivery's trace line: `⇢ sqs  orders-lifecycle → OrderLifecycleWorker  3 msgs  12 ms after send, handler 8 ms`,
 * `⇢ kinesis  order-event-log/shard-0 → SalesProjector  5 recs  9 ms after put, 14 ms after PutEvents, handler 4 ms`
 * (`sincePutEventsMs`: from the PutEvents call that published the oldest EventBridge event of the batch to the
 * handler's start), with what went wrong in brackets; `↻` for a throttled delivery, `✗` for items given up on.
 */
export function formatMappingDelivery(report: DeliveryReport, sincePutEventsMs?: number): string {
  const unit = report.source === 'sqs' ? 'msg' : 'rec';
  const route = `${report.source}  ${report.sourceName} → ${report.functionName}  ${report.count} ${unit}${report.count === 1 ? '' : 's'}`;
  const after = report.source === 'sqs' ? 'send' : 'put';
  const timing = [
    report.latencyMs !== undefined ? `${report.latencyMs} ms after ${after}` : '',
    sincePutEventsMs !== undefined ? `${Math.round(sincePutEventsMs)} ms after PutEvents` : '',
    report.handlerMs !== undefined ? `handler ${report.handlerMs} ms` : '',
  ]
    .filter((part) => part !== '')
    .join(', ');
  const note = report.note ? `: ${report.note}` : '';
  const line = (mark: string, ...parts: string[]) => `${mark} ${[route, ...parts].filter((part) => part !== '').join('  ')}`;
  switch (report.outcome) {
    case 'ok':
      return line('⇢', timing, report.note ? `[${report.note}]` : '');
    case 'partial':
      return line('⇢', timing, `[${report.failed ?? 0} failed${note}]`);
    case 'error':
      return line('⇢', timing, `[error ${report.errorType ?? 'Unknown'}${note}]`);
    case 'throttled':
      return line('↻', `THROTTLED${note}`);
    case 'discarded':
      return line('✗', `discarded${note}`);
  }
}
