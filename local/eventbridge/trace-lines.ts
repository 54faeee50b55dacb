/**
 * The trace lines EventBridge prints through the runtime's log: one per PutEvents call, one per delivery outcome,
 * one per replay step.
 */
import type { DeliveryReport } from './target-delivery';
import { parseArn } from './target-delivery';

/** What one PutEvents call did, for its trace line. */
export interface PublishReport {
  readonly busName: string;
  /** `source detail-type` of each accepted entry, in order. */
  readonly accepted: readonly { readonly source: string; readonly detailType: string }[];
  readonly failed: readonly { readonly errorCode: string }[];
  /** Rule matches over all accepted entries. */
  readonly matchedRules: number;
  readonly durationMs: number;
  /** Set when the events are replayed from an archive. */
  readonly replayName?: string;
}

/** `⇄ events  PutEvents shop.orders OrderPlaced ×1 → 4 rules  2 ms` */
export function formatPublish(report: PublishReport): string {
  const groups = new Map<string, number>();
  for (const { source, detailType } of report.accepted) {
    const key = `${source} ${detailType}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const what = [...groups].map(([key, count]) => `${key} ×${count}`).join(', ') || 'nothing';
  const bus = report.busName === 'default' ? '' : ` on ${report.busName}`;
  const failed =
    report.failed.length > 0
      ? `  [${report.failed.length} of ${report.failed.length + report.accepted.length} entries failed: ${[...new Set(report.failed.map((f) => f.errorCode))].join(', ')}]`
      : '';
  const verb = report.replayName ? `Replay ${report.replayName}` : 'PutEvents';
  const rules = `${report.matchedRules} rule${report.matchedRules === 1 ? '' : 's'}`;
  return `⇄ events  ${verb} ${what}${bus} → ${rules}  ${report.durationMs} ms${failed}`;
}

/** `⇢ events  OrderPlaced → PaymentsIntake (lambda)  3 ms after put`, and the retry / give-up lines. */
export function formatDelivery(report: DeliveryReport, label: (arn: string) => string = defaultTargetLabel): string {
  const { job } = report;
  const target = `${job.event['detail-type']} → ${label(job.target.arn)} (${targetKind(job.target.arn)})`;
  const attempts = `${report.attempt} attempt${report.attempt === 1 ? '' : 's'}`;
  switch (report.kind) {
    case 'delivered':
      return `⇢ events  ${target}  ${report.sincePutMs} ms after put${report.attempt > 1 ? ` (attempt ${report.attempt})` : ''}`;
    case 'retrying':
      return `↻ events  ${target}  attempt ${report.attempt} failed: ${report.error.code} ${report.error.message}; retry in ${report.delayMs} ms`;
    case 'dead-lettered':
      return `✗ events  ${target}  failed after ${attempts}${report.condition ? ` (${report.condition})` : ''}: ${report.error.code} ${report.error.message}; sent to DLQ ${nameOf(job.target.deadLetterArn ?? '')}`;
    case 'dropped':
      return `✗ events  ${target}  failed after ${attempts}${report.condition ? ` (${report.condition})` : ''}: ${report.error.code} ${report.error.message}; dropped (no dead-letter queue)`;
    case 'dead-letter-failed':
      return `✗ events  ${target}  failed after ${attempts}: ${report.error.code} ${report.error.message}; the DLQ ${nameOf(job.target.deadLetterArn ?? '')} refused it too (${report.dlqError}): dropped`;
  }
}

/** `lambda`, `sqs`, `kinesis`, `bus`… from a target ARN. */
export function targetKind(arn: string): string {
  const service = parseArn(arn)?.service ?? 'unknown';
  return service === 'events' ? 'bus' : service;
}

/** The resource name of an ARN: `…:function:Name` → `Name`, `…:stream/Name` → `Name`. */
export function defaultTargetLabel(arn: string): string {
  return nameOf(arn);
}

function nameOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? arn;
  const functionMatch = /^function:([^:]+)/.exec(resource);
  if (functionMatch) return functionMatch[1];
  return resource.slice(Math.max(resource.lastIndexOf('/'), resource.lastIndexOf(':')) + 1) || resource;
}
