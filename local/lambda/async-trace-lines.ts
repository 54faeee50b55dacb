/** The trace lines of Lambda's asynchronous invocation: retries, throttles, destinations and drops. */
import type { AsyncReport } from './async-invoker';

/**
 * `⇢ lambda  async → ShipmentHandler  1 event  1 ms after invoke, 6 ms after PutEvents, handler 44 ms` (an invocation
 * ran: `sincePutEventsMs` counts from the PutEvents call that published the event it carries),
 * `↻ lambda  ShipmentHandler  async attempt 1 failed (Error); retry 1 of 2 in 100 ms` and the like.
 */
export function formatAsyncReport(report: AsyncReport, sincePutEventsMs?: number): string {
  const who = `lambda  ${report.shortName}  async`;
  const attempts = `${report.attempts} attempt${report.attempts === 1 ? '' : 's'}`;
  switch (report.kind) {
    case 'invoked': {
      const timing = [
        `${Math.round(report.latencyMs)} ms after invoke`,
        ...(sincePutEventsMs !== undefined ? [`${Math.round(sincePutEventsMs)} ms after PutEvents`] : []),
        `handler ${report.handlerMs} ms`,
      ].join(', ');
      const attempt = report.attempts > 1 ? `  (attempt ${report.attempts})` : '';
      const error = report.errorType !== undefined ? `  [error ${report.errorType}]` : '';
      return `⇢ lambda  async → ${report.shortName}  1 event  ${timing}${attempt}${error}`;
    }
    case 'retry':
      return `↻ ${who} attempt ${report.attempts} failed (${report.errorType}); retry ${report.attempts} of ${report.maxRetries} in ${report.delayMs} ms`;
    case 'throttled':
      return `↻ ${who} throttled (TooManyRequestsException); back in the queue for ${report.delayMs} ms`;
    case 'destination':
      return `⇢ ${who} → ${report.which} ${nameOf(report.destinationArn)} (${serviceOf(report.destinationArn)})  ${report.condition} after ${attempts}`;
    case 'destination-failed':
      return `✗ ${who} → ${nameOf(report.destinationArn)} failed: ${report.error}; the record is lost`;
    case 'dropped':
      return `✗ ${who} event dropped: ${report.condition} after ${attempts} (no on-failure destination or dead-letter queue)`;
  }
}

function serviceOf(arn: string): string {
  const service = arn.split(':')[2] ?? 'unknown';
  return service === 'events' ? 'bus' : service;
}

function nameOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const fn = /^function:([^:]+)/.exec(resource);
  if (fn) return fn[1];
  return resource.slice(Math.max(resource.lastIndexOf('/'), resource.lastIndexOf(':')) + 1) || arn;
}
