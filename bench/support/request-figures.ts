/**
 * Turns an open-loop run's records into the figures the report shows for one kind of request: how many were sent,
 * what they were answered, and their response-time distribution (from each request's due time: see
 * `load-generation.ts`), all of them and the successful ones apart.
 */
import type { RequestRecord } from './load-client-protocol';
import { EXPECTED_STATUS } from './order-requests';
import type { RequestFigures } from './results';
import { ecdf, summarize } from './statistics';

export const responseMs = (r: RequestRecord): number => r.doneAt - r.dueAt;

export const isExpected = (r: RequestRecord): boolean => r.status === (EXPECTED_STATUS[r.label] ?? 200);

export function requestFigures(records: readonly RequestRecord[]): RequestFigures {
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  for (const r of records) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    outcomes[outcomeOf(r)] = (outcomes[outcomeOf(r)] ?? 0) + 1;
  }
  const ok = records.filter(isExpected);
  return {
    sent: records.length,
    statuses,
    outcomes,
    ok: ok.length,
    latency: summarize(records.map(responseMs)),
    cdf: ecdf(records.map(responseMs)),
    okLatency: summarize(ok.map(responseMs)),
  };
}

/** `requestFigures` for each label, in first-seen order. */
export function figuresByLabel(records: readonly RequestRecord[]): Record<string, RequestFigures> {
  const byLabel = new Map<string, RequestRecord[]>();
  for (const r of records) {
    const group = byLabel.get(r.label);
    if (group) group.push(r);
    else byLabel.set(r.label, [r]);
  }
  return Object.fromEntries([...byLabel].map(([label, rs]) => [label, requestFigures(rs)]));
}

/** `503 circuit-open` for a problem answer with a type, `201` or `504` otherwise, `no answer` for status 0. */
export function outcomeOf(r: RequestRecord): string {
  if (r.status === 0) return 'no answer';
  // `about:blank` is RFC 9457's "no type beyond the status" (the gateway's own answers).
  const type = r.problemType === 'about:blank' ? undefined : r.problemType?.split('/').pop();
  return type && r.status >= 400 ? `${r.status} ${type}` : String(r.status);
}
