import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { readUserPools, trustedPool } from '../../../../local/cognito/user-pools-from-template';
import { LOCAL_CONTEXT } from '../assembly/local-context';

const EDGE = 'http://127.0.0.1:4566';

/** A pool with a strict-ish password policy, a web client with short-lived tokens, and a staff group, as CDK writes them. */
function template(): CfnTemplate {
  return {
    Resources: {
      Customers: {
        Type: 'AWS::Cognito::UserPool',
        Properties: { Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: false, RequireNumbers: true, RequireSymbols: false } }, UsernameConfiguration: { CaseSensitive: false } },
      },
      WebClient: {
        Type: 'AWS::Cognito::UserPoolClient',
        Properties: {
          UserPoolId: { Ref: 'Customers' },
          ClientName: 'web',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          IdTokenValidity: 15,
          AccessTokenValidity: 15,
          RefreshTokenValidity: 7,
          TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
        },
      },
      Staff: { Type: 'AWS::Cognito::UserPoolGroup', Properties: { UserPoolId: { Ref: 'Customers' }, GroupName: 'staff' } },
    },
    Outputs: {
      PoolId: { Value: { Ref: 'Customers' } },
      ClientId: { Value: { Ref: 'WebClient' } },
      PoolArn: { Value: { 'Fn::GetAtt': ['Customers', 'Arn'] } },
      Issuer: { Value: { 'Fn::GetAtt': ['Customers', 'ProviderURL'] } },
    },
  };
}

describe('readUserPools', () => {
  it("serves each pool with its clients, groups and policy, issuing tokens as the edge's pool URL", () => {
    // Prepare
    const cfn = template();
    const physical = assignPhysicalIds(cfn, LOCAL_CONTEXT, { edgeUrl: EDGE });
    const resolver = new IntrinsicResolver(cfn, LOCAL_CONTEXT, physical);

    // Act
    const pool = readUserPools(cfn, resolver, physical, EDGE).get('Customers');

    // Assess
    const poolId = resolver.resolveString({ Ref: 'Customers' });
    expect(poolId).toMatch(new RegExp(`^${LOCAL_CONTEXT.region}_[0-9a-z]{9}$`));
    expect(resolver.resolveString({ 'Fn::GetAtt': ['Customers', 'Arn'] })).toBe(`arn:aws:cognito-idp:${LOCAL_CONTEXT.region}:${LOCAL_CONTEXT.accountId}:userpool/${poolId}`);
    expect(resolver.resolveString({ 'Fn::GetAtt': ['Customers', 'ProviderURL'] })).toBe(`${EDGE}/${poolId}`);
    expect(pool?.config).toMatchObject({
      id: poolId,
      issuer: `${EDGE}/${poolId}`,
      groups: ['staff'],
      passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: false, requireNumbers: true, requireSymbols: false },
      caseSensitiveUsernames: false,
      clients: [
        {
          id: resolver.resolveString({ Ref: 'WebClient' }),
          name: 'web',
          explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          idTokenValiditySeconds: 900,
          accessTokenValiditySeconds: 900,
          refreshTokenValiditySeconds: 7 * 86_400,
        },
      ],
    });
  });

  it('trusts what the pool issues: its issuer, its keys and its clients', () => {
    const cfn = template();
    const physical = assignPhysicalIds(cfn, LOCAL_CONTEXT, { edgeUrl: EDGE });
    const pool = readUserPools(cfn, new IntrinsicResolver(cfn, LOCAL_CONTEXT, physical), physical, EDGE).get('Customers');
    if (!pool) throw new Error('no pool');

    expect(trustedPool(pool)).toEqual({ issuer: pool.config.issuer, keys: pool.signer.jwks().keys, clientIds: [pool.config.clients[0].id] });
  });
});
