/**
 * The template's Cognito user pools as the local runtime serves them: each AWS::Cognito::UserPool with its
 * password policy and username case sensitivity, the AWS::Cognito::UserPoolClient resources that name it (their
 * ExplicitAuthFlows and token validities), and its AWS::Cognito::UserPoolGroup names. The issuer of a pool's tokens
 * is its local ProviderURL, `{edgeUrl}/{userPoolId}`, where the edge serves its JWKS.
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { PhysicalResource } from '../assembly/intrinsic-resolver';
import { referencedLogicalId, resourcesOfType, type ValueResolver } from '../assembly/template-refs';
import type { TrustedPool } from './token-verifier';
import { DEFAULT_PASSWORD_POLICY, LocalUserPool, type AppClientConfig, type PasswordPolicy } from './user-pool';

/** Seconds in each of TokenValidityUnits' units. */
const UNIT_SECONDS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** The user pools of `template`, keyed by logical id. */
export function readUserPools(template: CfnTemplate, resolver: ValueResolver, physical: ReadonlyMap<string, PhysicalResource>, edgeUrl: string): Map<string, LocalUserPool> {
  const pools = new Map<string, LocalUserPool>();
  const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
  const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup');
  for (const [logicalId, props] of resourcesOfType(template, 'AWS::Cognito::UserPool')) {
    const id = physical.get(logicalId)?.ref;
    if (id === undefined) continue;
    const belongs = (value: unknown) => referencedLogicalId(value)?.logicalId === logicalId;
    const usernames = (resolver.resolve(props.UsernameConfiguration) ?? {}) as Record<string, unknown>;
    pools.set(
      logicalId,
      new LocalUserPool({
        id,
        issuer: `${edgeUrl.replace(/\/+$/, '')}/${id}`,
        clients: clients.filter(([, p]) => belongs(p.UserPoolId)).map(([clientId, p]) => appClient(physical.get(clientId)?.ref ?? clientId, p, resolver)),
        groups: groups.filter(([, p]) => belongs(p.UserPoolId)).map(([groupId, p]) => (p.GroupName === undefined ? (physical.get(groupId)?.ref ?? groupId) : resolver.resolveString(p.GroupName))),
        passwordPolicy: passwordPolicy(resolver.resolve(props.Policies)),
        caseSensitiveUsernames: usernames.CaseSensitive === true || usernames.CaseSensitive === 'true',
      }),
    );
  }
  return pools;
}

/** What a COGNITO_USER_POOLS authorizer trusts of a pool: its issuer, its current keys, its app clients. */
export function trustedPool(pool: LocalUserPool): TrustedPool {
  return { issuer: pool.config.issuer, keys: pool.signer.jwks().keys, clientIds: pool.config.clients.map((client) => client.id) };
}

function appClient(id: string, props: Record<string, unknown>, resolver: ValueResolver): AppClientConfig {
  const units = (resolver.resolve(props.TokenValidityUnits) ?? {}) as Record<string, unknown>;
  // Without units, IdTokenValidity and AccessTokenValidity are hours, RefreshTokenValidity days (Cognito's defaults).
  const seconds = (property: string, unitKey: string, defaultUnit: string): number | undefined => {
    const value = props[property];
    if (value === undefined) return undefined;
    const unit = typeof units[unitKey] === 'string' ? String(units[unitKey]) : defaultUnit;
    return Number(resolver.resolve(value)) * (UNIT_SECONDS[unit] ?? UNIT_SECONDS[defaultUnit]);
  };
  const flows = resolver.resolve(props.ExplicitAuthFlows);
  const idToken = seconds('IdTokenValidity', 'IdToken', 'hours');
  const access = seconds('AccessTokenValidity', 'AccessToken', 'hours');
  const refresh = seconds('RefreshTokenValidity', 'RefreshToken', 'days');
  return {
    id,
    name: props.ClientName === undefined ? id : resolver.resolveString(props.ClientName),
    // No ExplicitAuthFlows: Cognito allows SRP and refresh only.
    explicitAuthFlows: Array.isArray(flows) ? flows.map(String) : ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...(idToken === undefined ? {} : { idTokenValiditySeconds: idToken }),
    ...(access === undefined ? {} : { accessTokenValiditySeconds: access }),
    ...(refresh === undefined ? {} : { refreshTokenValiditySeconds: refresh }),
  };
}

function passwordPolicy(policies: unknown): PasswordPolicy {
  const policy = ((policies ?? {}) as { PasswordPolicy?: Record<string, unknown> }).PasswordPolicy;
  if (!policy) return DEFAULT_PASSWORD_POLICY;
  const flag = (name: string) => policy[name] === true || policy[name] === 'true';
  return {
    minimumLength: Number(policy.MinimumLength ?? DEFAULT_PASSWORD_POLICY.minimumLength),
    requireLowercase: flag('RequireLowercase'),
    requireUppercase: flag('RequireUppercase'),
    requireNumbers: flag('RequireNumbers'),
    requireSymbols: flag('RequireSymbols'),
  };
}
