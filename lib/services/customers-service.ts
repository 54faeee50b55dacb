import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { STAFF_GROUP } from '../../lambdas/shared/http/caller';

export interface CustomersServiceProps {
  /** A prefix for the pool's name, e.g. the stack name, so two stages' pools are told apart in the console. */
  readonly namePrefix: string;
  /**
   * Keep the user pool (and every customer's account) when the stack is deleted, with Cognito's deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
}

/**
 * Customers: who may call the shop's customer routes. A Cognito user pool customers sign up to and sign in to, one
 * app client (a public client: no secret, as a browser or mobile app is), and the `staff` group whose members may read
 * the shop's figures. The public API's user-pool authorizer verifies the ID tokens this pool issues; the functions
 * take the customer from the token's `sub` (`lambdas/shared/http/caller.ts`).
 */
export class CustomersService extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly client: cognito.UserPoolClient;
  public readonly staffGroup: cognito.UserPoolGroup;

  constructor(scope: Construct, id: string, props: CustomersServiceProps) {
    super(scope, id);
    const retain = props.retainData ?? false;
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${props.namePrefix}-customers`,
      // Customers create their own accounts; Cognito mails them a code to confirm their address first.
      selfSignUpEnabled: true,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Customers may add an authenticator app; SMS would cost per message and is open to SIM swapping.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'A shop cannot require MFA of every customer at checkout; MFA is OPTIONAL (authenticator apps), and staff accounts should turn it on.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection (the Plus feature plan) is billed per monthly active user; it is an account owner\'s choice, turned on by changing the pool\'s feature plan.',
      },
    );

    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'web',
      generateSecret: false,
      // USER_PASSWORD_AUTH lets a test, the seed and `aws cognito-idp initiate-auth` sign in with the standard tools;
      // SRP is there for browser SDKs (Amplify), which never send the password itself.
      authFlows: { userPassword: true, userSrp: true },
      // No OAuth flows: the pool has no hosted domain, and CDK's default (implicit and code grants to
      // https://example.com) would send tokens there the day one is added.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });

    this.staffGroup = new cognito.UserPoolGroup(this, 'StaffGroup', {
      userPool: this.userPool,
      groupName: STAFF_GROUP,
      description: 'Shop staff: may read the sales figures (GET /analytics/sales)',
    });
  }
}
