import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver, type ResolverContext } from '../../../../local/assembly/intrinsics';
import { readEventSourceMappings } from '../../../../local/event-source-mappings/mapping-config';

const CONTEXT: ResolverContext = {
  region: 'eu-west-1',
  accountId: '123456789012',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  stackName: 'HybridShop',
  stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/HybridShop/local',
};

/** What `SqsEventSource` and `KinesisEventSource` synthesize (aws-cdk-lib 2.276), trimmed to what mappings read. */
const TEMPLATE: CfnTemplate = {
  Resources: {
    FnServiceRole: { Type: 'AWS::IAM::Role', Properties: {} },
    Fn9270CBC0: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['FnServiceRole', 'Arn'] } } },
    Payments130453D3: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
    Notifications87298708: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'notif' } },
    Log95422804: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } },
    OnFailure48FF2A5A: { Type: 'AWS::SQS::Queue' },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    FnSqsEventSourceEsmTestPaymentsBBB0993D8330AA75: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        BatchSize: 10,
        EventSourceArn: { 'Fn::GetAtt': ['Payments130453D3', 'Arn'] },
        FunctionName: { Ref: 'Fn9270CBC0' },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      },
    },
    FnSqsEventSourceEsmTestNotifications54609C0ADBC2C750: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { BatchSize: 50, EventSourceArn: { 'Fn::GetAtt': ['Notifications87298708', 'Arn'] }, FunctionName: { Ref: 'Fn9270CBC0' }, MaximumBatchingWindowInSeconds: 1 },
    },
    FnKinesisEventSourceEsmTestLog53D2934E6D57FDA2: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['OnFailure48FF2A5A', 'Arn'] } } },
        EventSourceArn: { 'Fn::GetAtt': ['Log95422804', 'Arn'] },
        FunctionName: { Ref: 'Fn9270CBC0' },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumBatchingWindowInSeconds: 0,
        MaximumRecordAgeInSeconds: 3600,
        MaximumRetryAttempts: 3,
        ParallelizationFactor: 1,
        StartingPosition: 'TRIM_HORIZON',
      },
    },
  },
};

function read(template: CfnTemplate) {
  const resolver = new IntrinsicResolver(template, CONTEXT, assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' }));
  return readEventSourceMappings(template, resolver);
}

describe('readEventSourceMappings', () => {
  it('reads an SQS mapping with its batch, response types and scaling', () => {
    // Act
    const { mappings } = read(TEMPLATE);

    // Assess
    expect(mappings[0]).toEqual({
      kind: 'sqs',
      logicalId: 'FnSqsEventSourceEsmTestPaymentsBBB0993D8330AA75',
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      functionRef: 'HybridShop-Fn9270CBC0',
      queueArn: 'arn:aws:sqs:eu-west-1:123456789012:HybridShop-Payments130453D3.fifo',
      queueName: 'HybridShop-Payments130453D3.fifo',
      region: 'eu-west-1',
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      enabled: true,
      maximumConcurrency: 5,
    });
    expect(mappings[1]).toMatchObject({ queueName: 'notif', batchSize: 50, maximumBatchingWindowSeconds: 1, reportBatchItemFailures: false });
  });

  it('reads a Kinesis mapping with its error handling, on-failure destination and the function role', () => {
    // Act
    const { mappings } = read(TEMPLATE);

    // Assess
    expect(mappings[2]).toEqual({
      kind: 'kinesis',
      logicalId: 'FnKinesisEventSourceEsmTestLog53D2934E6D57FDA2',
      uuid: expect.any(String),
      functionRef: 'HybridShop-Fn9270CBC0',
      streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/HybridShop-Log95422804',
      streamName: 'HybridShop-Log95422804',
      region: 'eu-west-1',
      batchSize: 100,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      enabled: true,
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeSeconds: 3600,
      onFailureDestination: 'arn:aws:sqs:eu-west-1:123456789012:HybridShop-OnFailure48FF2A5A',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/HybridShop-FnServiceRole',
    });
  });

  it("fills in Lambda's defaults for what the template leaves out", () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        ...TEMPLATE.Resources,
        Minimal: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: { 'Fn::GetAtt': ['Log95422804', 'Arn'] }, FunctionName: { Ref: 'Fn9270CBC0' } } },
      },
    };

    // Act
    const minimal = read(template).mappings.find((mapping) => mapping.logicalId === 'Minimal');

    // Assess
    expect(minimal).toMatchObject({
      batchSize: 100,
      startingPosition: 'LATEST',
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      reportBatchItemFailures: false,
    });
  });

  it('skips a mapping of a source the runtime does not poll, and warns about settings it does not apply', () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        ...TEMPLATE.Resources,
        StreamMapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] }, FunctionName: { Ref: 'Fn9270CBC0' }, StartingPosition: 'LATEST' },
        },
        Filtered: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['Log95422804', 'Arn'] },
            FunctionName: { Ref: 'Fn9270CBC0' },
            FilterCriteria: { Filters: [{ Pattern: '{"data":{"kind":["a"]}}' }] },
            ParallelizationFactor: 4,
          },
        },
      },
    };

    // Act
    const { skipped, warnings } = read(template);

    // Assess
    expect(skipped).toEqual([{ logicalId: 'StreamMapping', message: expect.stringMatching(/is not an SQS queue or a Kinesis stream/) }]);
    expect(warnings).toEqual([
      { logicalId: 'Filtered', message: 'FilterCriteria is not applied locally: every record is delivered' },
      { logicalId: 'Filtered', message: 'ParallelizationFactor above 1 is not applied: one batch per shard at a time' },
    ]);
  });
});
