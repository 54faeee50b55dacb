/**
 * The AWS quotas and limits the capacity model weighs the shop's load against, each with the documentation page it
 * comes from. Where a quota differs by region, the value is US East (N. Virginia)'s: `QUOTA_REGION`. An account's
 * own quotas may differ (new accounts start lower; increases raise them): check the Service Quotas console.
 */

/** The region whose default quotas these are. */
export const QUOTA_REGION = 'us-east-1';

/** Bytes in the "MB" of the Kinesis limits (1 MiB). */
const MIB = 1024 * 1024;

export const KINESIS = {
  /**
   * A shard takes 1 MB/s or 1,000 records/s of writes, and serves 2 MB/s of reads, in both capacity modes.
   * https://docs.aws.amazon.com/streams/latest/dev/working-with-streams.html
   */
  shardWriteRecordsPerSecond: 1_000,
  shardWriteBytesPerSecond: 1 * MIB,
  shardReadBytesPerSecond: 2 * MIB,
  /**
   * Each shard supports up to 5 read transactions (GetRecords) per second, shared by every standard consumer.
   * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
   */
  shardGetRecordsPerSecond: 5,
  /**
   * A new ON_DEMAND stream starts with 4 MB/s of write throughput (and scales in us-east-1 up to 10 GB/s): the model
   * names it when it refuses an ON_DEMAND stream. https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
   */
  onDemandInitialWriteBytesPerSecond: 4 * MIB,
} as const;

export const LAMBDA = {
  /**
   * Concurrent executions per account and region by default (new accounts may start lower); can be raised to tens of
   * thousands. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
   */
  accountConcurrency: 1_000,
  /**
   * Lambda refuses a reservation that leaves fewer than 100 executions unreserved.
   * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
   */
  minUnreservedConcurrency: 100,
  /**
   * Each function scales by at most 1,000 execution environments every 10 seconds: a burst ramps up, a steady rate is
   * not limited by it. https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
   */
  scalingEnvironmentsPer10Seconds: 1_000,
  /**
   * A Kinesis event source processes at most 10 batches of a shard at once (ParallelizationFactor), one by default;
   * Lambda polls each shard about once a second per consumer.
   * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
   */
  maxParallelizationFactor: 10,
  kinesisPollsPerShardPerSecond: 1,
  /** ScalingConfig.MaximumConcurrency of an SQS event source: 2 to 1,000. https://docs.aws.amazon.com/lambda/latest/dg/API_ScalingConfig.html */
  maxSqsMaximumConcurrency: 1_000,
} as const;

export const SQS = {
  /**
   * A FIFO queue takes 300 transactions per second per API action (SendMessage, ReceiveMessage, DeleteMessage); with
   * batches of 10, 3,000 messages. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
   */
  fifoCallsPerSecondPerAction: 300,
  /**
   * In high-throughput mode (FifoThroughputLimit perMessageGroupId, DeduplicationScope messageGroup), up to 70,000
   * non-batched transactions per second per API action in us-east-1, us-west-2 and eu-west-1; each message group
   * (here: each order) still takes at most 300.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
   */
  highThroughputFifoCallsPerSecondPerAction: 70_000,
  /** Standard queues: a nearly unlimited number of API calls per second per action. Same page. */
} as const;

export const EVENTBRIDGE = {
  /**
   * PutEvents requests per second per account and region, in us-east-1 (adjustable; an account-wide quota, for all
   * buses together). https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
   */
  putEventsPerSecond: 10_000,
  /**
   * Invocations per second in us-east-1: an invocation is an event matching a rule and being sent on to one of its
   * targets; past the quota they are delayed, not lost. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
   */
  invocationsPerSecond: 18_750,
} as const;

export const DYNAMODB = {
  /**
   * Each partition serves at most 3,000 read units and 1,000 write units a second: one key, and every item under one
   * partition key, is bound by one partition whatever the table's capacity.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html
   */
  partitionReadUnitsPerSecond: 3_000,
  partitionWriteUnitsPerSecond: 1_000,
  /**
   * An on-demand table's default maximum: 40,000 read and 40,000 write request units a second (an adjustable account
   * quota per table). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottlingOnDemand.html
   */
  onDemandTableReadUnitsPerSecond: 40_000,
  onDemandTableWriteUnitsPerSecond: 40_000,
  /**
   * Units per request for items up to 1 KB written or 4 KB read: a write 1, a transactional write 2, a strongly
   * consistent read 1, an eventually consistent read ½, a transactional read 2.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
   */
  writeUnits: 1,
  transactionalWriteUnits: 2,
  consistentReadUnits: 1,
  eventuallyConsistentReadUnits: 0.5,
} as const;

export const API_GATEWAY = {
  /**
   * Requests per second per account and region across every API, by default in us-east-1 (adjustable), with a
   * 5,000-request burst. https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
   */
  accountRequestsPerSecond: 10_000,
  accountBurst: 5_000,
} as const;
