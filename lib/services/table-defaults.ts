import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

/**
 * The settings every service table shares: on-demand capacity (nothing to pay at idle but storage),
 * point-in-time recovery, encryption at rest with the AWS-owned key, and DESTROY on stack deletion so
 * `cdk destroy` leaves nothing behind. A production fork should switch the removal policy to RETAIN.
 */
export function serviceTableProps(partitionKey: string, sortKey?: string): dynamodb.TableProps {
  return {
    partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
    ...(sortKey === undefined ? {} : { sortKey: { name: sortKey, type: dynamodb.AttributeType.STRING } }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
  };
}
