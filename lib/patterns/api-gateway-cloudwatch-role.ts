import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The construct id of the stack's one instance: its logical IDs start with it. */
const ID = 'ApiGatewayCloudWatchRole';

/** AWS's managed policy for API Gateway's account-level CloudWatch Logs role. */
const PUSH_TO_CLOUDWATCH_LOGS = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * API Gateway's account-level CloudWatch Logs role (`AWS::ApiGateway::Account` and the role it names), which API
 * Gateway needs before any stage of the account and region may write access logs: without it, creating a stage with
 * access logging fails ("CloudWatch Logs role ARN must be set in account settings to enable logging"), so the first
 * deploy into a fresh account or region fails.
 *
 * The setting belongs to the account and region, not to an API, so a stack holds one instance, shared by every API in
 * it (`ApiGatewayCloudWatchRole.of(scope)`): two would overwrite each other. Both resources are retained when the
 * stack is deleted, as CDK's own `cloudWatchRole` does: another stack's APIs (another stage of the shop) may rely on
 * the role the account names, and deleting it would silently stop their logs.
 */
export class ApiGatewayCloudWatchRole extends Construct {
  /** The stack's instance, created on first use at the stack's root. */
  public static of(scope: Construct): ApiGatewayCloudWatchRole {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    if (existing instanceof ApiGatewayCloudWatchRole) return existing;
    if (existing !== undefined) {
      throw new Error(`${stack.node.path}/${ID} is already a ${existing.constructor.name}: keep that id for ApiGatewayCloudWatchRole.`);
    }
    return new ApiGatewayCloudWatchRole(stack, ID);
  }

  /** The role API Gateway assumes to create log groups and write to them. */
  public readonly role: iam.Role;
  /** The account setting that names `role`; stages that log must be created after it. */
  public readonly account: apigateway.CfnAccount;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: "API Gateway's account-level role for CloudWatch Logs (access logs of every API in this account and region)",
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(PUSH_TO_CLOUDWATCH_LOGS)],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);

    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${PUSH_TO_CLOUDWATCH_LOGS}]`,
      reason:
        "AmazonAPIGatewayPushToCloudWatchLogs is the policy API Gateway documents for its account-level logging role, and " +
        'AWS keeps it in step with the log groups and streams API Gateway creates; only apigateway.amazonaws.com may assume the role.',
    });
  }

  /** Makes `api`'s stage wait for the account setting, and the setting for the API (as CDK's RestApi does). */
  public attach(api: apigateway.RestApi): void {
    this.account.node.addDependency(api.node.defaultChild as apigateway.CfnRestApi);
    api.deploymentStage.node.addDependency(this.account);
  }
}
