import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { STAFF_GROUP } from '../../../lambdas/shared/http/caller';
import { CustomersService, type CustomersServiceProps } from '../../../lib/services/customers-service';
import { cdkJsonContext } from '../support/cdk-json';
import { nagFindings } from '../support/checks';

/** A CustomersService alone in a stack, with cdk.json's feature flags: the pool as the shop's stack renders it. */
function customers(props: Partial<CustomersServiceProps> = {}) {
  const stack = new Stack(new App({ context: cdkJsonContext() }), 'CustomersTest');
  const service = new CustomersService(stack, 'Customers', { namePrefix: 'Shop', ...props });
  const template = Template.fromStack(stack);
  const logicalIdOf = (type: string): string => {
    const ids = Object.keys(template.findResources(type));
    expect(ids).toHaveLength(1);
    return ids[0];
  };
  return { stack, service, template, logicalIdOf };
}

describe('CustomersService', () => {
  describe('the user pool', () => {
    it("is named after namePrefix, so two stages' pools are told apart", () => {
      customers({ namePrefix: 'HybridShop-dev' }).template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: 'HybridShop-dev-customers' });
    });

    it('lets customers sign themselves up, confirming their e-mail address by a code', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', Required: true, Mutable: true }],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      });
    });

    it('requires passwords of 12 characters or more, with a lower- and an upper-case letter, a digit and a symbol', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          },
        },
      });
    });

    it('offers MFA by an authenticator app, optional, and never by SMS', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    });

    it('takes user names whatever their case', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPool', { UsernameConfiguration: { CaseSensitive: false } });
    });

    it('is deleted with the stack, without deletion protection, by default', () => {
      customers().template.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
      });
    });

    it("keeps every customer's account when retainData is set, with Cognito's deletion protection on", () => {
      customers({ retainData: true }).template.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
      });
    });
  });

  describe('the app client', () => {
    it("is the pool's one client, 'web'", () => {
      const { template, logicalIdOf } = customers();

      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: 'web', UserPoolId: { Ref: logicalIdOf('AWS::Cognito::UserPool') } });
    });

    it('is a public client: no secret, as a browser or a mobile app has none to keep', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
    });

    it('signs in by password (USER_PASSWORD_AUTH) and SRP, and refreshes tokens, and nothing else', () => {
      const { template } = customers();

      const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));

      expect([...(client.Properties.ExplicitAuthFlows as string[])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']);
    });

    it('allows no OAuth flow: no grant can send tokens to a callback URL', () => {
      const [client] = Object.values(customers().template.findResources('AWS::Cognito::UserPoolClient'));
      expect(client?.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
      expect(client?.Properties).not.toHaveProperty('AllowedOAuthFlows');
      expect(client?.Properties).not.toHaveProperty('CallbackURLs');
    });

    it('does not tell a wrong user name from a wrong password', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPoolClient', { PreventUserExistenceErrors: 'ENABLED' });
    });

    it('issues ID and access tokens for 1 hour and refresh tokens for 30 days, which it can revoke', () => {
      customers().template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        IdTokenValidity: 60,
        AccessTokenValidity: 60,
        RefreshTokenValidity: 30 * 24 * 60,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
        EnableTokenRevocation: true,
      });
    });
  });

  describe('the staff group', () => {
    it("is the pool's group STAFF_GROUP ('staff'), the group the sales figures require", () => {
      const { template, logicalIdOf } = customers();

      expect(STAFF_GROUP).toBe('staff');
      template.resourceCountIs('AWS::Cognito::UserPoolGroup', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'staff', UserPoolId: { Ref: logicalIdOf('AWS::Cognito::UserPool') } });
    });
  });

  it('exposes the pool and its client, for the API to authorize with and the stack to output', () => {
    const { stack, service, logicalIdOf } = customers();

    expect(stack.resolve(service.userPool.userPoolId)).toEqual({ Ref: logicalIdOf('AWS::Cognito::UserPool') });
    expect(stack.resolve(service.client.userPoolClientId)).toEqual({ Ref: logicalIdOf('AWS::Cognito::UserPoolClient') });
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(nagFindings(customers().stack)).toEqual([]);
  });
});
