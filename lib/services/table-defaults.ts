import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TableAlarms } from '../patterns/table-alarms';
import type { ServiceProps } from './service-props';

/** The keys of a service table. */
export interface ServiceTableOptions {
  /** The partition key attribute (a string). */
  readonly partitionKey: string;
  /**
   * The sort key attribute (a string).
   *
   * @default - the table has a partition key only
   */
  readonly sortKey?: string;
  /**
   * The attribute holding each item's expiry time (epoch seconds), after which DynamoDB deletes it (Time to Live).
   *
   * @default - items never expire
   */
  readonly timeToLiveAttribute?: string;
}

/**
 * A service table `id` with the settings every service table shares, and its TableAlarms (`<id>/Alarms`, notifying the
 * service's `alarmAction`): on-demand capacity (nothing to pay at idle but storage), point-in-time recovery, encryption
 * at rest with the AWS-managed key, and, with the service's `retainData`, RETAIN plus deletion protection (the shop's
 * `prod` stage), else DESTROY so `cdk destroy` leaves nothing behind (any other stage).
 */
export function createServiceTable(scope: Construct, id: string, options: ServiceTableOptions, service: ServiceProps): dynamodb.Table {
  const retainData = service.retainData ?? false;
  const table = new dynamodb.Table(scope, id, {
    partitionKey: { name: options.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(options.sortKey === undefined ? {} : { sortKey: { name: options.sortKey, type: dynamodb.AttributeType.STRING } }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    deletionProtection: retainData,
    ...(options.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: options.timeToLiveAttribute }),
  });
  new TableAlarms(table, 'Alarms', { table, alarmAction: service.alarmAction });
  return table;
}
