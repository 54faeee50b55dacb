import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

/** The keys of a service table and what happens to its data when the stack goes. */
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
   * Keep the table and its data when the stack is deleted or the table replaced (RemovalPolicy.RETAIN), and turn on
   * DynamoDB deletion protection so no one deletes it by hand either. Off, the table goes with `cdk destroy`.
   *
   * @default false
   */
  readonly retainData?: boolean;
}

/**
 * The settings every service table shares: on-demand capacity (nothing to pay at idle but storage), point-in-time
 * recovery, encryption at rest with the AWS-managed key, and, with `retainData`, RETAIN plus deletion protection
 * (the shop's `prod` stage), else DESTROY so `cdk destroy` leaves nothing behind (any other stage).
 */
export function serviceTableProps(options: ServiceTableOptions): dynamodb.TableProps {
  const retainData = options.retainData ?? false;
  return {
    partitionKey: { name: options.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(options.sortKey === undefined ? {} : { sortKey: { name: options.sortKey, type: dynamodb.AttributeType.STRING } }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    deletionProtection: retainData,
  };
}
