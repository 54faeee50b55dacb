/**
 * How the local runtime prints what happens: one line per invocation, one per API request, and each line a
 * function prints, prefixed with the function's short name. Powertools' JSON log lines and embedded-metric-format
 * lines are compacted so a terminal stays readable; anything else is printed as it is.
 */
import type { ApiRequestReport } from '../apigateway/rest-api-gateway';
import type { InvocationReport } from '../lambda/function-pool';

/** `λ OrdersPlaceOrderFunction  ok  42 ms  (cold start, init 180 ms)`, and how long it waited for an environment. */
export function formatInvocation(report: InvocationReport): string {
  const outcome = {
    success: 'ok',
    error: `error ${report.errorType ?? ''}`.trim(),
    timeout: 'TIMED OUT',
    crash: `crashed ${report.errorType ?? ''}`.trim(),
    throttled: 'THROTTLED (TooManyRequestsException)',
  }[report.outcome];
  const cold = report.initDurationMs !== undefined ? `  (cold start, init ${report.initDurationMs} ms)` : '';
  const duration = report.outcome === 'throttled' ? '' : `  ${report.durationMs} ms`;
  const queued = report.queuedMs > 0 ? `  (waited ${report.queuedMs} ms for a free environment)` : '';
  return `λ ${report.shortName}  ${outcome}${duration}${cold}${queued}`;
}

/** `⇄ PublicApi  POST /prod/orders → 201  150 ms  OrdersPlaceOrderFunction` */
export function formatApiRequest(report: ApiRequestReport, functionName: (ref: string) => string = (ref) => ref): string {
  const target = report.functionRef ? `  ${functionName(report.functionRef)}` : '';
  const detail = report.functionError ?? report.authorizerError;
  const why = report.errorType ? `  [${report.errorType}${detail ? `: ${detail}` : ''}]` : '';
  return `⇄ ${report.apiName}  ${report.method} ${report.path} → ${report.status}  ${report.durationMs} ms${target}${why}`;
}

/** Keys of a Powertools log line that repeat on every line and say nothing new locally. */
const NOISE = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

/** `  │ OrdersPlaceOrderFunction  INFO order placed {"orderId":"…"}` */
export function formatFunctionOutput(shortName: string, stream: 'stdout' | 'stderr', line: string): string {
  return `  │ ${shortName}${stream === 'stderr' ? ' (stderr)' : ''}  ${compact(line)}`;
}

function compact(line: string): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return line;
  }
  const aws = entry._aws as { CloudWatchMetrics?: { Metrics?: { Name: string; Unit?: string }[] }[] } | undefined;
  if (aws?.CloudWatchMetrics) {
    const metrics = aws.CloudWatchMetrics.flatMap((m) => m.Metrics ?? []).map((m) => `${m.Name}=${JSON.stringify(entry[m.Name])}${m.Unit ? ` ${m.Unit}` : ''}`);
    return `metrics ${metrics.join(', ')}`;
  }
  if (typeof entry.level !== 'string' || entry.message === undefined) return line;
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !NOISE.has(key)));
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${entry.level} ${String(entry.message)}${extra}`;
}
