import { CognitoError } from '../../../../local/cognito/cognito-error';
import { decodeJwt } from '../../../../local/cognito/token-signer';
import { verifyCognitoToken } from '../../../../local/cognito/token-verifier';
import { LocalUserPool, type InitiateAuthResult } from '../../../../local/cognito/user-pool';

const ISSUER = 'http://127.0.0.1:4566/us-east-1_Local';
const PASSWORD = 'Correct-horse-1';

/** A pool with one app client that allows password and refresh sign-in, a staff group, and a clock the test moves. */
function aPool(clock = { now: Date.parse('2026-12-07T10:00:00Z') }) {
  const pool = new LocalUserPool({
    id: 'us-east-1_Local',
    issuer: ISSUER,
    clients: [{ id: 'client-1', name: 'web', explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }, { id: 'client-srp', name: 'srp', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }],
    groups: ['staff'],
    now: () => clock.now,
  });
  return { pool, clock };
}

function tokensOf(result: InitiateAuthResult) {
  if (!('AuthenticationResult' in result)) throw new Error(`expected tokens, got challenge ${result.ChallengeName}`);
  return result.AuthenticationResult;
}

const claimsOf = (token: string) => decodeJwt(token)?.claims ?? {};

describe('LocalUserPool', () => {
  it('signs up, confirms and signs in a customer, with the claims Cognito puts in ID and access tokens', () => {
    // Prepare
    const { pool } = aPool();
    const { UserSub } = pool.signUp('client-1', 'ada@example.com', PASSWORD, { email: 'ada@example.com' });
    pool.adminConfirmSignUp('ada@example.com');

    // Act
    const tokens = tokensOf(pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'ada@example.com', PASSWORD }));

    // Assess
    expect(tokens).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600, RefreshToken: expect.any(String) });
    expect(decodeJwt(tokens.IdToken)?.header).toEqual({ kid: pool.signer.kid, alg: 'RS256' });
    expect(claimsOf(tokens.IdToken)).toMatchObject({
      sub: UserSub,
      iss: ISSUER,
      aud: 'client-1',
      token_use: 'id',
      'cognito:username': 'ada@example.com',
      email: 'ada@example.com',
      auth_time: Date.parse('2026-12-07T10:00:00Z') / 1000,
      exp: Date.parse('2026-12-07T11:00:00Z') / 1000,
    });
    expect(claimsOf(tokens.AccessToken)).toMatchObject({ sub: UserSub, client_id: 'client-1', token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: 'ada@example.com' });
    expect(claimsOf(tokens.AccessToken).aud).toBeUndefined();
  });

  it('refuses an unconfirmed user, a wrong password and an unknown user, the last two alike', () => {
    const { pool } = aPool();
    pool.signUp('client-1', 'bob', PASSWORD);

    expect(() => pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'bob', PASSWORD })).toThrow(expect.objectContaining({ type: 'UserNotConfirmedException' }));
    pool.adminConfirmSignUp('bob');
    expect(() => pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'bob', PASSWORD: 'Wrong-password-1' })).toThrow(new CognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    expect(() => pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'nobody', PASSWORD })).toThrow(new CognitoError('NotAuthorizedException', 'Incorrect username or password.'));
  });

  it('enforces the password policy and unique usernames, case-insensitively', () => {
    const { pool } = aPool();

    expect(() => pool.signUp('client-1', 'carol', 'short')).toThrow(expect.objectContaining({ type: 'InvalidPasswordException' }));
    pool.signUp('client-1', 'carol', PASSWORD);
    expect(() => pool.signUp('client-1', 'CAROL', PASSWORD)).toThrow(expect.objectContaining({ type: 'UsernameExistsException' }));
  });

  it('creates a user as an admin, sets a permanent password, adds a group that shows in both tokens', () => {
    const { pool } = aPool();
    pool.adminCreateUser('staff-1', { email: 'staff@example.com', email_verified: 'true' });
    pool.adminSetUserPassword('staff-1', PASSWORD, true);
    pool.adminAddUserToGroup('staff-1', 'staff');

    const tokens = tokensOf(pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'staff-1', PASSWORD }));

    expect(claimsOf(tokens.IdToken)).toMatchObject({ 'cognito:groups': ['staff'], email_verified: true });
    expect(claimsOf(tokens.AccessToken)).toMatchObject({ 'cognito:groups': ['staff'] });
    expect(() => pool.adminAddUserToGroup('staff-1', 'admins')).toThrow(expect.objectContaining({ type: 'ResourceNotFoundException' }));
  });

  it('asks a user created with a temporary password for a new one, then signs them in', () => {
    const { pool } = aPool();
    pool.adminCreateUser('dan', {}, 'Temporary-pass-1');

    const challenge = pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'dan', PASSWORD: 'Temporary-pass-1' });
    if (!('ChallengeName' in challenge)) throw new Error('expected a challenge');
    const tokens = tokensOf(pool.respondToNewPasswordChallenge('client-1', challenge.Session, 'dan', PASSWORD));

    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(claimsOf(tokens.IdToken)['cognito:username']).toBe('dan');
    expect(pool.adminGetUser('dan').UserStatus).toBe('CONFIRMED');
    expect(() => pool.respondToNewPasswordChallenge('client-1', challenge.Session, 'dan', PASSWORD)).toThrow(expect.objectContaining({ type: 'NotAuthorizedException' }));
  });

  it('refreshes ID and access tokens with the refresh token, keeping auth_time, and refuses an unknown or expired one', () => {
    const { pool, clock } = aPool();
    pool.adminCreateUser('erin');
    pool.adminSetUserPassword('erin', PASSWORD, true);
    const first = tokensOf(pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'erin', PASSWORD }));
    clock.now += 2 * 3600_000;

    const refreshed = tokensOf(pool.initiateAuth('client-1', 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: String(first.RefreshToken) }));

    expect(refreshed.RefreshToken).toBeUndefined();
    expect(claimsOf(refreshed.IdToken)).toMatchObject({ auth_time: claimsOf(first.IdToken).auth_time, exp: (clock.now / 1000) + 3600 });
    expect(() => pool.initiateAuth('client-1', 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: 'forged' })).toThrow(expect.objectContaining({ type: 'NotAuthorizedException' }));
    clock.now += 31 * 24 * 3600_000;
    expect(() => pool.initiateAuth('client-1', 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: String(first.RefreshToken) })).toThrow(new CognitoError('NotAuthorizedException', 'Invalid Refresh Token'));
  });

  it('refuses a flow the app client does not allow, an unknown client and an unknown flow', () => {
    const { pool } = aPool();

    expect(() => pool.initiateAuth('client-srp', 'USER_PASSWORD_AUTH', { USERNAME: 'x', PASSWORD })).toThrow(/USER_PASSWORD_AUTH flow not enabled for this client/);
    expect(() => pool.initiateAuth('nope', 'USER_PASSWORD_AUTH', {})).toThrow(expect.objectContaining({ type: 'ResourceNotFoundException' }));
    expect(() => pool.initiateAuth('client-1', 'USER_SRP_AUTH', {})).toThrow(/Unsupported or unknown AuthFlow 'USER_SRP_AUTH'/);
  });

  it('issues tokens that the authorizer check accepts', () => {
    const { pool, clock } = aPool();
    pool.adminCreateUser('fay');
    pool.adminSetUserPassword('fay', PASSWORD, true);
    const tokens = tokensOf(pool.initiateAuth('client-1', 'USER_PASSWORD_AUTH', { USERNAME: 'fay', PASSWORD }));

    const verdict = verifyCognitoToken(tokens.IdToken, [{ issuer: ISSUER, keys: pool.signer.jwks().keys, clientIds: ['client-1'] }], { now: () => clock.now });

    expect(verdict).toMatchObject({ ok: true, claims: { 'cognito:username': 'fay' } });
  });
});
