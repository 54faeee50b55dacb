/**
 * The template's AWS::Lambda::EventSourceMapping resources, resolved to local values and with Lambda's defaults
 * filled in (CreateEventSourceMapping: SQS BatchSize 10; Kinesis BatchSize 100, MaximumRetryAttempts and
 * MaximumRecordAgeInSeconds -1 meaning infinite, BisectBatchOnFunctionError false, ParallelizationFactor 1).
 *
 * Mappings of SQS queues and Kinesis streams run locally; any other source (DynamoDB streams, Kafka, MQ…) is listed
 * as skipped. Accepted but not applied, each reported as a warning: FilterCriteria (every record is delivered),
 * ParallelizationFactor above 1 (one batch per shard at a time), TumblingWindowInSeconds, and a Kinesis stream
 * consumer ARN (enhanced fan-out: the stream is polled instead).
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { IntrinsicResolver } from '../assembly/intrinsics';
import { isRecord } from '../shared/json';

interface MappingBase {
  readonly logicalId: string;
  /** The mapping's UUID (its Ref). */
  readonly uuid: string;
  /** The function as FunctionName resolves: a name or an (alias / version) ARN. */
  readonly functionRef: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
  /** The source's region (from its ARN): each record's awsRegion. */
  readonly region: string;
}

export interface SqsMappingConfig extends MappingBase {
  readonly kind: 'sqs';
  readonly queueArn: string;
  readonly queueName: string;
  /** ScalingConfig.MaximumConcurrency. */
  readonly maximumConcurrency?: number;
}

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface KinesisMappingConfig extends MappingBase {
  readonly kind: 'kinesis';
  readonly streamArn: string;
  readonly streamName: string;
  readonly startingPosition: StartingPosition;
  /** StartingPositionTimestamp (AT_TIMESTAMP), in seconds since the epoch. */
  readonly startingPositionTimestamp?: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1: retried until the record expires. */
  readonly maximumRetryAttempts: number;
  /** -1: no age limit. */
  readonly maximumRecordAgeSeconds: number;
  /** DestinationConfig.OnFailure.Destination. */
  readonly onFailureDestination?: string;
  /** The execution role of the function: each record's invokeIdentityArn. */
  readonly invokeIdentityArn: string;
}

export type EventSourceMappingConfig = SqsMappingConfig | KinesisMappingConfig;

export interface MappingNote {
  readonly logicalId: string;
  readonly message: string;
}

const MAPPING_TYPE = 'AWS::Lambda::EventSourceMapping';

function numberOr(value: unknown, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === null || !Number.isFinite(n) ? fallback : n;
}

/** Reads every AWS::Lambda::EventSourceMapping of the template (whose condition holds). */
export function readEventSourceMappings(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
): { mappings: EventSourceMappingConfig[]; skipped: MappingNote[]; warnings: MappingNote[] } {
  const mappings: EventSourceMappingConfig[] = [];
  const skipped: MappingNote[] = [];
  const warnings: MappingNote[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== MAPPING_TYPE) continue;
    if (resource.Condition !== undefined && !resolver.conditionHolds(resource.Condition)) continue;
    let properties: unknown;
    try {
      properties = resolver.resolve(resource.Properties ?? {});
    } catch (error) {
      skipped.push({ logicalId, message: `its properties do not resolve locally: ${(error as Error).message}` });
      continue;
    }
    if (!isRecord(properties)) {
      skipped.push({ logicalId, message: 'Properties is not an object' });
      continue;
    }
    const warn = (message: string) => warnings.push({ logicalId, message });
    const sourceArn = typeof properties.EventSourceArn === 'string' ? properties.EventSourceArn : '';
    const [, , service = '', region = ''] = sourceArn.split(':');
    if (service !== 'sqs' && service !== 'kinesis') {
      skipped.push({ logicalId, message: `its source ${sourceArn || '(none)'} is not an SQS queue or a Kinesis stream` });
      continue;
    }
    if (typeof properties.FunctionName !== 'string') {
      skipped.push({ logicalId, message: 'FunctionName does not resolve to a name' });
      continue;
    }
    if (properties.FilterCriteria !== undefined) warn('FilterCriteria is not applied locally: every record is delivered');
    const responseTypes = Array.isArray(properties.FunctionResponseTypes) ? properties.FunctionResponseTypes : [];
    const base = {
      logicalId,
      uuid: resolver.resolveString({ Ref: logicalId }),
      functionRef: properties.FunctionName,
      maximumBatchingWindowSeconds: numberOr(properties.MaximumBatchingWindowInSeconds, 0),
      reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      enabled: properties.Enabled !== false && properties.Enabled !== 'false',
      region,
    };
    if (service === 'sqs') {
      const scaling = isRecord(properties.ScalingConfig) ? properties.ScalingConfig : {};
      const maximumConcurrency = scaling.MaximumConcurrency === undefined ? undefined : numberOr(scaling.MaximumConcurrency, 1000);
      mappings.push({
        ...base,
        kind: 'sqs',
        batchSize: numberOr(properties.BatchSize, 10),
        queueArn: sourceArn,
        queueName: sourceArn.slice(sourceArn.lastIndexOf(':') + 1),
        ...(maximumConcurrency !== undefined ? { maximumConcurrency } : {}),
      });
      continue;
    }
    const stream = /:stream\/([^/]+)(\/consumer\/.*)?$/.exec(sourceArn);
    if (stream === null) {
      skipped.push({ logicalId, message: `${sourceArn} is not a Kinesis stream ARN` });
      continue;
    }
    if (stream[2] !== undefined) warn('a stream consumer (enhanced fan-out) is polled as the stream itself');
    if (numberOr(properties.ParallelizationFactor, 1) > 1) warn('ParallelizationFactor above 1 is not applied: one batch per shard at a time');
    if (properties.TumblingWindowInSeconds !== undefined) warn('TumblingWindowInSeconds is not applied locally');
    const position = String(properties.StartingPosition ?? 'LATEST');
    const startingPosition: StartingPosition = position === 'TRIM_HORIZON' || position === 'AT_TIMESTAMP' ? position : 'LATEST';
    const destination = isRecord(properties.DestinationConfig) && isRecord(properties.DestinationConfig.OnFailure) ? properties.DestinationConfig.OnFailure.Destination : undefined;
    mappings.push({
      ...base,
      kind: 'kinesis',
      batchSize: numberOr(properties.BatchSize, 100),
      streamArn: sourceArn.replace(/\/consumer\/.*$/, ''),
      streamName: stream[1],
      startingPosition,
      ...(properties.StartingPositionTimestamp !== undefined ? { startingPositionTimestamp: numberOr(properties.StartingPositionTimestamp, 0) } : {}),
      bisectBatchOnFunctionError: properties.BisectBatchOnFunctionError === true || properties.BisectBatchOnFunctionError === 'true',
      maximumRetryAttempts: numberOr(properties.MaximumRetryAttempts, -1),
      maximumRecordAgeSeconds: numberOr(properties.MaximumRecordAgeInSeconds, -1),
      ...(typeof destination === 'string' ? { onFailureDestination: destination } : {}),
      invokeIdentityArn: roleArnOf(template, resolver, properties.FunctionName),
    });
  }
  return { mappings, skipped, warnings };
}

/** The execution role ARN of the template's function named `functionRef`; a placeholder when it is not found. */
function roleArnOf(template: CfnTemplate, resolver: IntrinsicResolver, functionRef: string): string {
  const name = functionRef.startsWith('arn:') ? functionRef.split(':')[6] ?? functionRef : functionRef;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    try {
      if (resolver.resolveString({ Ref: logicalId }) !== name) continue;
      return resolver.resolveString(resource.Properties?.Role ?? '');
    } catch {
      continue;
    }
  }
  return resolver.resolveString({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}-role` });
}
