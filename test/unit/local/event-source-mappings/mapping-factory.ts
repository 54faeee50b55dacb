/** Test support: event source mapping configs as `readEventSourceMappings` makes them; override what a test is about. */
import type { KinesisMappingConfig, SqsMappingConfig } from '../../../../local/event-source-mappings/mapping-config';

export function sqsMapping(queueName: string, overrides: Partial<SqsMappingConfig> = {}): SqsMappingConfig {
  return {
    kind: 'sqs',
    logicalId: 'WorkerSqsEventSource1A2B3C4D',
    uuid: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff',
    functionRef: 'Worker',
    queueArn: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
    queueName,
    region: 'us-east-1',
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures: false,
    enabled: true,
    ...overrides,
  };
}

export function kinesisMapping(streamName: string, overrides: Partial<KinesisMappingConfig> = {}): KinesisMappingConfig {
  return {
    kind: 'kinesis',
    logicalId: 'ProjectorKinesisEventSource5E6F7A8B',
    uuid: '7f9619ff-8b86-4d01-b42d-00cf4fc964ff',
    functionRef: 'Projector',
    streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}`,
    streamName,
    region: 'us-east-1',
    batchSize: 100,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures: false,
    enabled: true,
    startingPosition: 'TRIM_HORIZON',
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeSeconds: -1,
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/ProjectorRole',
    ...overrides,
  };
}
