/**
 * The buses, rules, targets and archives of a template (AWS::Events::EventBus / Rule / Archive), resolved to local
 * names and ARNs with the intrinsic resolver. The default bus always exists. Target ARNs stay ARNs: the local queue,
 * stream or function behind one is found by its physical id when an event is delivered.
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { PhysicalIds, ValueResolver } from '../assembly/template-refs';
import { resourcesOfType } from '../assembly/template-refs';
import { EventPattern, InvalidEventPatternError } from './event-pattern';
import type { TargetInputSettings } from './input-transformer';
import { InvalidJsonPathError, parseJsonPath } from './json-path';

/** EventBridge's retry policy when a target sets none: 185 retries within 24 hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };

export interface RetryPolicy {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

export interface EventBusModel {
  readonly name: string;
  readonly arn: string;
  /** The template resource, absent for the default bus. */
  readonly logicalId?: string;
  readonly description?: string;
}

export interface RuleTargetModel extends TargetInputSettings {
  readonly id: string;
  readonly arn: string;
  readonly retryPolicy: RetryPolicy;
  /** DeadLetterConfig.Arn: the SQS queue that receives what could not be delivered. */
  readonly deadLetterArn?: string;
  /** KinesisParameters.PartitionKeyPath. */
  readonly partitionKeyPath?: string;
  /** SqsParameters.MessageGroupId (a FIFO queue target). */
  readonly messageGroupId?: string;
  readonly roleArn?: string;
}

export interface RuleModel {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly logicalId?: string;
  readonly pattern?: EventPattern;
  readonly state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  readonly description?: string;
  /** Scheduled rules are listed but never fire locally. */
  readonly scheduleExpression?: string;
  readonly targets: readonly RuleTargetModel[];
}

export interface ArchiveModel {
  readonly name: string;
  readonly arn: string;
  /** The archived bus's ARN (EventSourceArn). */
  readonly sourceArn: string;
  readonly busName: string;
  readonly logicalId?: string;
  readonly pattern?: EventPattern;
  /** 0 or absent: kept forever. */
  readonly retentionDays?: number;
  readonly description?: string;
}

export interface EventBridgeModel {
  readonly buses: readonly EventBusModel[];
  readonly rules: readonly RuleModel[];
  readonly archives: readonly ArchiveModel[];
  /** Resources left out or partly read, with the reason (printed by the runtime). */
  readonly warnings: readonly string[];
}

export interface EventBridgeModelSource {
  readonly template: CfnTemplate;
  readonly resolver: ValueResolver;
  readonly physical: PhysicalIds;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

/** Reads the template's EventBridge resources; a resource that cannot be read is left out with a warning. */
export function readEventBridgeModel(source: EventBridgeModelSource): EventBridgeModel {
  const warnings: string[] = [];
  const arn = (resource: string) => `arn:${source.partition}:events:${source.region}:${source.accountId}:${resource}`;
  const buses: EventBusModel[] = [{ name: 'default', arn: arn('event-bus/default') }];

  for (const [logicalId, props] of resourcesOfType(source.template, 'AWS::Events::EventBus')) {
    const physical = source.physical.get(logicalId);
    const name = physical?.attributes.Name ?? physical?.ref ?? logicalId;
    const description = optionalString(source.resolver, props.Description);
    buses.push({ name, arn: physical?.attributes.Arn ?? arn(`event-bus/${name}`), logicalId, ...(description ? { description } : {}) });
  }

  const rules: RuleModel[] = [];
  for (const [logicalId, props] of resourcesOfType(source.template, 'AWS::Events::Rule')) {
    try {
      rules.push(readRule(logicalId, props, source, arn));
    } catch (error) {
      warnings.push(`rule ${logicalId} left out: ${(error as Error).message}`);
    }
  }

  const archives: ArchiveModel[] = [];
  for (const [logicalId, props] of resourcesOfType(source.template, 'AWS::Events::Archive')) {
    try {
      const physical = source.physical.get(logicalId);
      const name = physical?.attributes.ArchiveName ?? physical?.ref ?? logicalId;
      const sourceArn = source.resolver.resolveString(props.SourceArn);
      const pattern = props.EventPattern === undefined ? undefined : EventPattern.compile(source.resolver.resolve(props.EventPattern));
      const retentionDays = optionalNumber(source.resolver, props.RetentionDays);
      const description = optionalString(source.resolver, props.Description);
      archives.push({
        name,
        arn: physical?.attributes.Arn ?? arn(`archive/${name}`),
        sourceArn,
        busName: busNameOf(sourceArn),
        logicalId,
        ...(pattern ? { pattern } : {}),
        ...(retentionDays !== undefined ? { retentionDays } : {}),
        ...(description ? { description } : {}),
      });
    } catch (error) {
      warnings.push(`archive ${logicalId} left out: ${(error as Error).message}`);
    }
  }

  for (const rule of rules) {
    if (!buses.some((bus) => bus.name === rule.busName)) warnings.push(`rule ${rule.name} is on bus ${rule.busName}, which is not in the template`);
    if (rule.scheduleExpression) warnings.push(`rule ${rule.name} is scheduled (${rule.scheduleExpression}): scheduled rules do not fire locally`);
  }
  return { buses, rules, archives, warnings };
}

function readRule(
  logicalId: string,
  props: Record<string, unknown>,
  source: EventBridgeModelSource,
  arn: (resource: string) => string,
): RuleModel {
  const { resolver } = source;
  const physical = source.physical.get(logicalId);
  const ref = physical?.ref ?? logicalId;
  const name = ref.includes('|') ? ref.slice(ref.indexOf('|') + 1) : ref;
  const busName = props.EventBusName === undefined ? 'default' : busNameOf(resolver.resolveString(props.EventBusName));
  let pattern: EventPattern | undefined;
  if (props.EventPattern !== undefined) {
    try {
      pattern = EventPattern.compile(resolver.resolve(props.EventPattern));
    } catch (error) {
      if (error instanceof InvalidEventPatternError) throw new Error(`its EventPattern is invalid: ${error.message}`);
      throw error;
    }
  }
  const state = optionalString(resolver, props.State) ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED' && state !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') {
    throw new Error(`State ${state} is not ENABLED or DISABLED`);
  }
  const targets = (Array.isArray(props.Targets) ? props.Targets : []).map((target: unknown, index) => readTarget(resolver, target, index));
  const description = optionalString(resolver, props.Description);
  const scheduleExpression = optionalString(resolver, props.ScheduleExpression);
  return {
    name,
    arn: physical?.attributes.Arn ?? arn(`rule/${busName === 'default' ? '' : `${busName}/`}${name}`),
    busName,
    logicalId,
    ...(pattern ? { pattern } : {}),
    state,
    ...(description ? { description } : {}),
    ...(scheduleExpression ? { scheduleExpression } : {}),
    targets,
  };
}

function readTarget(resolver: ValueResolver, value: unknown, index: number): RuleTargetModel {
  const target = (resolver.resolve(value) ?? {}) as Record<string, unknown>;
  const where = `target ${typeof target.Id === 'string' ? target.Id : `#${index}`}`;
  const text = (field: unknown, label: string): string | undefined => {
    if (field === undefined) return undefined;
    if (typeof field === 'string') return field;
    if (typeof field === 'number' || typeof field === 'boolean') return String(field);
    throw new Error(`${where}: ${label} is not a string`);
  };
  const record = (field: unknown): Record<string, unknown> => (typeof field === 'object' && field !== null ? (field as Record<string, unknown>) : {});
  const targetArn = text(target.Arn, 'Arn');
  if (!targetArn) throw new Error(`${where} has no Arn`);
  const checkPath = (path: string | undefined, label: string) => {
    if (path === undefined) return;
    try {
      parseJsonPath(path);
    } catch (error) {
      if (error instanceof InvalidJsonPathError) throw new Error(`${where}: ${label} ${error.message}`);
      throw error;
    }
  };
  const inputPath = text(target.InputPath, 'InputPath');
  checkPath(inputPath, 'InputPath');
  let inputTransformer: RuleTargetModel['inputTransformer'];
  if (target.InputTransformer !== undefined) {
    const transformer = record(target.InputTransformer);
    const pathsMap: Record<string, string> = {};
    for (const [key, path] of Object.entries(record(transformer.InputPathsMap))) {
      const resolved = text(path, `InputPathsMap.${key}`) ?? '';
      checkPath(resolved, `InputPathsMap.${key}`);
      pathsMap[key] = resolved;
    }
    inputTransformer = { inputPathsMap: pathsMap, inputTemplate: text(transformer.InputTemplate, 'InputTemplate') ?? '' };
  }
  const retry = record(target.RetryPolicy);
  const partitionKeyPath = text(record(target.KinesisParameters).PartitionKeyPath, 'PartitionKeyPath');
  checkPath(partitionKeyPath, 'PartitionKeyPath');
  const input = text(target.Input, 'Input');
  const deadLetterArn = text(record(target.DeadLetterConfig).Arn, 'DeadLetterConfig.Arn');
  const messageGroupId = text(record(target.SqsParameters).MessageGroupId, 'MessageGroupId');
  const roleArn = text(target.RoleArn, 'RoleArn');
  return {
    id: text(target.Id, 'Id') ?? `Target${index}`,
    arn: targetArn,
    ...(input !== undefined ? { input } : {}),
    ...(inputPath !== undefined ? { inputPath } : {}),
    ...(inputTransformer ? { inputTransformer } : {}),
    retryPolicy: {
      maximumRetryAttempts: numberOr(retry.MaximumRetryAttempts, DEFAULT_RETRY_POLICY.maximumRetryAttempts),
      maximumEventAgeSeconds: numberOr(retry.MaximumEventAgeInSeconds, DEFAULT_RETRY_POLICY.maximumEventAgeSeconds),
    },
    ...(deadLetterArn ? { deadLetterArn } : {}),
    ...(partitionKeyPath ? { partitionKeyPath } : {}),
    ...(messageGroupId ? { messageGroupId } : {}),
    ...(roleArn ? { roleArn } : {}),
  };
}

/** A bus name from a name or an ARN (`arn:aws:events:…:event-bus/HybridShop-bus`). */
export function busNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

function optionalString(resolver: ValueResolver, value: unknown): string | undefined {
  return value === undefined ? undefined : resolver.resolveString(value);
}

function optionalNumber(resolver: ValueResolver, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(resolver.resolve(value));
  return Number.isFinite(n) ? n : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}
