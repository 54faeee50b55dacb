/**
 * The start-up's Cognito: the stack's user pools signing in on the edge (`cognito-idp`, and each pool's JWKS), and
 * the pools whose tokens the REST APIs' COGNITO_USER_POOLS methods trust.
 */
import type { TrustedPool } from '../cognito/token-verifier';
import { cognitoEdgeService } from '../cognito/cognito-edge-service';
import type { LocalUserPool } from '../cognito/user-pool';
import { trustedPool } from '../cognito/user-pools-from-template';
import type { EdgeServer } from '../edge/edge-server';

export interface RunningCognito {
  /** The pool an authorizer names by logical id (`Fn::GetAtt [Pool, Arn]`) or, from outside the stack, by ARN. */
  trustedPool(ref: string): TrustedPool | undefined;
}

export function startCognito(options: { readonly userPools: ReadonlyMap<string, LocalUserPool>; readonly edge: EdgeServer }): RunningCognito {
  const { userPools } = options;
  options.edge.register(cognitoEdgeService(new Map([...userPools.values()].map((pool) => [pool.id, pool]))));
  return {
    trustedPool: (ref) => {
      const pool = userPools.get(ref) ?? [...userPools.values()].find((p) => ref.endsWith(`userpool/${p.id}`));
      return pool ? trustedPool(pool) : undefined;
    },
  };
}
