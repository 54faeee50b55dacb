/**
 * What differs between the template the runtime runs and a new synth's, and which of it a reload cannot apply.
 *
 * A reload (`runtime-reload.ts`) applies what it can read again at any time: the functions' code and configuration,
 * the REST APIs' routes, methods, authorizers and gateway responses, and the IAM policies of the functions' roles.
 * What the runtime provisions or wires only at start — tables, queues, streams, user pools, buses, rules, archives,
 * event source mappings, asynchronous invocation settings, alarms — and functions or REST APIs added or removed take
 * effect after a restart: the reload names them.
 */
import type { CfnResource, CfnTemplate } from '../assembly/cloud-assembly';

export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  readonly change: 'added' | 'removed' | 'changed';
}

/** What the runtime sets up only at start: a change to one needs a restart. */
export const STARTUP_ONLY_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::SQS::Queue',
  'AWS::Kinesis::Stream',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Events::Archive',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
]);

/** What a reload can change in place, but not add or remove. */
const ADDED_OR_REMOVED_NEEDS_RESTART: ReadonlySet<string> = new Set(['AWS::Lambda::Function', 'AWS::ApiGateway::RestApi']);

/** The resources added, removed or changed (type, properties or condition; metadata and DependsOn do not count). */
export function resourceChanges(before: CfnTemplate, after: CfnTemplate): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const [logicalId, resource] of Object.entries(after.Resources)) {
    const earlier = before.Resources[logicalId];
    if (earlier === undefined) changes.push({ logicalId, type: resource.Type, change: 'added' });
    else if (comparable(earlier) !== comparable(resource)) changes.push({ logicalId, type: resource.Type, change: 'changed' });
  }
  for (const [logicalId, resource] of Object.entries(before.Resources)) {
    if (after.Resources[logicalId] === undefined) changes.push({ logicalId, type: resource.Type, change: 'removed' });
  }
  return changes;
}

/** What of the change from `before` to `after` a reload cannot apply, one line each: `AWS::SQS::Queue Queue1 added`. */
export function changesNeedingRestart(before: CfnTemplate, after: CfnTemplate): string[] {
  const lines = resourceChanges(before, after)
    .filter(({ type, change }) => STARTUP_ONLY_TYPES.has(type) || (change !== 'changed' && ADDED_OR_REMOVED_NEEDS_RESTART.has(type)))
    .map(({ logicalId, type, change }) => `${type} ${logicalId} ${change}`);
  if (JSON.stringify(before.Outputs ?? {}) !== JSON.stringify(after.Outputs ?? {})) lines.push("the stack's outputs changed");
  return lines;
}

function comparable(resource: CfnResource): string {
  return JSON.stringify([resource.Type, resource.Properties ?? {}, resource.Condition ?? null]);
}
