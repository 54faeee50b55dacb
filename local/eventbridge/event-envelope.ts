/**
 * PutEvents entries and the events EventBridge makes of them: validation as AWS does it (at most 10 entries,
 * 256 KB in all — sized as "Calculating PutEvents event entry size" says — and per entry: Source, DetailType and
 * Detail required, Detail a JSON object) and AWS's event envelope
 * (`{ version: '0', id, detail-type, source, account, time, region, resources, detail }`).
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeApiError } from './eventbridge-errors';
import { isRecord } from '../shared/json';

/** An event as rules and targets see it. Replayed events also carry `replay-name`. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO-8601 to the second: `2017-12-22T18:43:48Z`. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
  readonly 'replay-name'?: string;
}

/** One entry of a PutEvents request, as the SDK sends it. */
export interface PutEventsRequestEntry {
  /** Epoch seconds (the JSON 1.1 wire form) or a Date. */
  readonly Time?: number | string | Date;
  readonly Source?: string;
  readonly Resources?: readonly string[];
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

/** A per-entry failure, as PutEvents reports it. */
export interface EntryError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/** PutEvents' limits. */
export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

/** Request-level checks: the whole call fails with a ValidationException. */
export function validatePutEventsRequest(entries: unknown): asserts entries is readonly PutEventsRequestEntry[] {
  if (!Array.isArray(entries)) {
    throw EventBridgeApiError.validation("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
    throw EventBridgeApiError.validation(
      `1 validation error detected: Value '[${entries.length} entries]' at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  const size = entries.reduce((total: number, entry: unknown) => total + (isRecord(entry) ? entrySize(entry) : 0), 0);
  if (size > MAX_REQUEST_BYTES) throw EventBridgeApiError.validation('Total size of the entries in the request is over the limit.');
}

/** An entry's size as AWS counts it: 14 bytes for Time, plus the UTF-8 bytes of Source, DetailType, Detail and each resource. */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (Array.isArray(entry.Resources) ? entry.Resources.reduce((sum: number, r: unknown) => sum + bytes(r), 0) : 0)
  );
}

/** The entry's own problem, as the per-entry ErrorCode / ErrorMessage AWS answers; undefined when it is fine. */
export function entryError(value: unknown): EntryError | undefined {
  if (!isRecord(value)) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Entry is not valid. Reason: an entry is a JSON object.' };
  const entry = value as PutEventsRequestEntry;
  if (entry.EventBusName !== undefined && typeof entry.EventBusName !== 'string') {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter EventBusName is not valid. Reason: EventBusName is not a string.' };
  }
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[field];
    if (typeof value !== 'string' || value.length === 0) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
  }
  if (detailObject(entry.Detail) === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return undefined;
}

/** The event EventBridge makes of a valid entry. */
export function toEvent(entry: PutEventsRequestEntry, context: { region: string; accountId: string; now?: Date; id?: string }): EventBridgeEvent {
  return {
    version: '0',
    id: context.id ?? randomUUID(),
    'detail-type': entry.DetailType ?? '',
    source: entry.Source ?? '',
    account: context.accountId,
    time: eventTime(entry.Time, context.now ?? new Date()),
    region: context.region,
    resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r): r is string => typeof r === 'string') : [],
    detail: detailObject(entry.Detail) ?? {},
  };
}

/** `2017-12-22T18:43:48Z`: the entry's Time (epoch seconds, ISO text or Date), else now. */
export function eventTime(time: PutEventsRequestEntry['Time'], now: Date): string {
  let date = now;
  if (time instanceof Date) date = time;
  else if (typeof time === 'number') date = new Date(time * 1000);
  else if (typeof time === 'string' && !Number.isNaN(Date.parse(time))) date = new Date(time);
  if (Number.isNaN(date.getTime())) date = now;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function detailObject(detail: string | undefined): Record<string, unknown> | undefined {
  if (detail === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
