import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** What a last-stop queue keeps: the SQS maximum, two weeks to look and redrive. */
const LAST_STOP_RETENTION = Duration.days(14);

/**
 * An encrypted, TLS-only queue that keeps what could not be delivered or processed for 14 days: a dead-letter queue or
 * an on-failure destination. It is the last stop, so it has no dead-letter queue of its own; `role` says whose queue
 * it is (e.g. `the dead-letter queue of an EventBridge target`) in the acknowledgement of cdk-nag's AwsSolutions-SQS3.
 */
export function createLastStopQueue(scope: Construct, id: string, role: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: LAST_STOP_RETENTION,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is ${role}, itself the last stop; it needs no dead-letter queue.`,
  });
  return queue;
}
