/**
 * Cognito user pools on the edge: the JSON 1.1 API (`X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`)
 * that `aws cognito-idp --endpoint-url …` and the AWS SDKs speak, for the operations a client and a test need, and
 * each pool's public keys at `/{userPoolId}/.well-known/jwks.json` (with its OpenID configuration beside them), the
 * issuer of its tokens being `{edgeUrl}/{userPoolId}`.
 *
 * Operations: SignUp, AdminConfirmSignUp, AdminCreateUser, AdminSetUserPassword, AdminAddUserToGroup, AdminGetUser,
 * AdminDeleteUser,
 * InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and RespondToAuthChallenge (NEW_PASSWORD_REQUIRED). Any
 * other answers `InvalidAction`-style 400, naming what is served. Like the rest of the edge, it does not verify
 * SigV4 on the Admin operations.
 */
import { randomUUID } from 'node:crypto';
import { type EdgeRequest, type EdgeResponse, type EdgeService, targetOf } from '../edge/edge-server';
import { CognitoError } from './cognito-error';
import type { LocalUserPool } from './user-pool';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const WELL_KNOWN = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

type Body = Record<string, unknown>;
type Operation = (pools: ReadonlyMap<string, LocalUserPool>, body: Body) => unknown;

/** The pool that has the app client `ClientId`. */
function poolOfClient(pools: ReadonlyMap<string, LocalUserPool>, body: Body): { pool: LocalUserPool; clientId: string } {
  const clientId = text(body, 'ClientId');
  const pool = [...pools.values()].find((p) => p.hasClient(clientId));
  if (!pool) throw CognitoError.resourceNotFound(`User pool client ${clientId} does not exist.`);
  return { pool, clientId };
}

function poolOf(pools: ReadonlyMap<string, LocalUserPool>, body: Body): LocalUserPool {
  const id = text(body, 'UserPoolId');
  const pool = pools.get(id);
  if (!pool) throw CognitoError.resourceNotFound(`User pool ${id} does not exist.`);
  return pool;
}

function text(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw CognitoError.invalidParameter(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** `[{ Name, Value }]` → `{ Name: Value }`. */
function attributes(body: Body, name: string): Record<string, string> {
  const list = body[name];
  if (list === undefined) return {};
  if (!Array.isArray(list)) throw CognitoError.invalidParameter(`${name} must be a list of { Name, Value }`);
  return Object.fromEntries(
    list.map((entry: unknown) => {
      const { Name, Value } = (entry ?? {}) as { Name?: unknown; Value?: unknown };
      if (typeof Name !== 'string' || typeof Value !== 'string') throw CognitoError.invalidParameter(`${name} must be a list of { Name, Value }`);
      return [Name, Value];
    }),
  );
}

function parameters(body: Body, name: string): Record<string, string> {
  const value = body[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const OPERATIONS: Readonly<Record<string, Operation>> = {
  SignUp: (pools, body) => {
    const { pool, clientId } = poolOfClient(pools, body);
    return pool.signUp(clientId, text(body, 'Username'), text(body, 'Password'), attributes(body, 'UserAttributes'));
  },
  AdminConfirmSignUp: (pools, body) => {
    poolOf(pools, body).adminConfirmSignUp(text(body, 'Username'));
    return {};
  },
  AdminCreateUser: (pools, body) => {
    const pool = poolOf(pools, body);
    const temporary = typeof body.TemporaryPassword === 'string' ? body.TemporaryPassword : undefined;
    const created = pool.adminCreateUser(text(body, 'Username'), attributes(body, 'UserAttributes'), temporary);
    const user = pool.adminGetUser(created.username);
    return { User: { Username: user.Username, UserStatus: user.UserStatus, Enabled: true, Attributes: user.UserAttributes } };
  },
  AdminSetUserPassword: (pools, body) => {
    poolOf(pools, body).adminSetUserPassword(text(body, 'Username'), text(body, 'Password'), body.Permanent === true);
    return {};
  },
  AdminAddUserToGroup: (pools, body) => {
    poolOf(pools, body).adminAddUserToGroup(text(body, 'Username'), text(body, 'GroupName'));
    return {};
  },
  AdminDeleteUser: (pools, body) => {
    poolOf(pools, body).adminDeleteUser(text(body, 'Username'));
    return {};
  },
  AdminGetUser: (pools, body) => ({ ...poolOf(pools, body).adminGetUser(text(body, 'Username')), Enabled: true }),
  InitiateAuth: (pools, body) => {
    const { pool, clientId } = poolOfClient(pools, body);
    return pool.initiateAuth(clientId, text(body, 'AuthFlow'), parameters(body, 'AuthParameters'));
  },
  RespondToAuthChallenge: (pools, body) => {
    const { pool, clientId } = poolOfClient(pools, body);
    const challenge = text(body, 'ChallengeName');
    if (challenge !== 'NEW_PASSWORD_REQUIRED') throw CognitoError.invalidParameter(`Unsupported challenge ${challenge}: the local runtime answers NEW_PASSWORD_REQUIRED`);
    const responses = parameters(body, 'ChallengeResponses');
    return pool.respondToNewPasswordChallenge(clientId, text(body, 'Session'), responses.USERNAME ?? '', responses.NEW_PASSWORD ?? '');
  },
};

function json(status: number, body: unknown): EdgeResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

/** Serves `pools`, by user pool id. */
export function cognitoEdgeService(pools: ReadonlyMap<string, LocalUserPool>): EdgeService {
  return {
    name: 'cognito-idp',
    matches: (req) => {
      if (targetOf(req).startsWith(TARGET_PREFIX)) return true;
      const known = WELL_KNOWN.exec(req.url.pathname);
      return known !== null && pools.has(decodeURIComponent(known[1]));
    },
    handle: async (req: EdgeRequest): Promise<EdgeResponse> => {
      const known = WELL_KNOWN.exec(req.url.pathname);
      if (known) {
        const pool = pools.get(decodeURIComponent(known[1]));
        if (!pool) return json(404, { message: 'no such user pool' });
        if (known[2] === 'jwks.json') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(pool.signer.jwks()) };
        const issuer = pool.config.issuer;
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'], response_types_supported: ['code', 'token'] }),
        };
      }
      const operation = targetOf(req).slice(TARGET_PREFIX.length);
      const run = OPERATIONS[operation];
      if (!run) {
        return json(400, new CognitoError('InvalidAction', `The local runtime does not serve cognito-idp ${operation}; it serves ${Object.keys(OPERATIONS).join(', ')}`).toJSON());
      }
      let body: Body;
      try {
        const parsed: unknown = JSON.parse(req.body.toString('utf8') || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Body;
      } catch {
        return json(400, new CognitoError('SerializationException', 'The request body is not a JSON object').toJSON());
      }
      try {
        return json(200, run(pools, body));
      } catch (error) {
        if (error instanceof CognitoError) return json(error.status, error.toJSON());
        throw error;
      }
    },
  };
}
