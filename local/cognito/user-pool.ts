/**
 * A Cognito user pool in memory, for the local runtime: its users (passwords kept as scrypt hashes), its app clients
 * and groups, and the sign-in flows a client and a test need — sign up and confirm, or create and set a password as
 * an admin; then USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, with the NEW_PASSWORD_REQUIRED challenge for a user an
 * admin created with a temporary password. Tokens carry the claims Cognito puts in them, signed RS256.
 *
 * Not emulated: SRP, MFA, hosted UI and OAuth flows, triggers, e-mail and SMS delivery (codes are never sent; confirm
 * with AdminConfirmSignUp), account recovery.
 */
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { CognitoError } from './cognito-error';
import { TokenSigner, type JwtClaims } from './token-signer';

export interface AppClientConfig {
  readonly id: string;
  readonly name: string;
  /** `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`… (the template's ExplicitAuthFlows). */
  readonly explicitAuthFlows: readonly string[];
  /** @default 3600 (Cognito's one hour) */
  readonly idTokenValiditySeconds?: number;
  /** @default 3600 */
  readonly accessTokenValiditySeconds?: number;
  /** @default 2592000 (30 days) */
  readonly refreshTokenValiditySeconds?: number;
}

export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** Cognito's default policy: 8 characters with a lowercase and an uppercase letter, a number and a symbol. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };

export interface UserPoolConfig {
  /** `{region}_{id}`, e.g. `us-east-1_LocalPool1`. */
  readonly id: string;
  /** The `iss` of its tokens; its JWKS is served at `{issuer}/.well-known/jwks.json`. */
  readonly issuer: string;
  readonly clients: readonly AppClientConfig[];
  readonly groups?: readonly string[];
  /** @default DEFAULT_PASSWORD_POLICY */
  readonly passwordPolicy?: PasswordPolicy;
  /** Sign-in is case-insensitive unless the pool says otherwise (Cognito's default for new pools). @default false */
  readonly caseSensitiveUsernames?: boolean;
  /** @default Date.now */
  readonly now?: () => number;
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';

interface StoredUser {
  readonly username: string;
  readonly sub: string;
  status: UserStatus;
  salt: Buffer;
  hash: Buffer;
  readonly attributes: Map<string, string>;
  readonly groups: Set<string>;
}

export interface AuthenticationResult {
  readonly IdToken: string;
  readonly AccessToken: string;
  readonly RefreshToken?: string;
  readonly ExpiresIn: number;
  readonly TokenType: 'Bearer';
}

export type InitiateAuthResult =
  | { readonly AuthenticationResult: AuthenticationResult; readonly ChallengeParameters: Record<string, never> }
  | { readonly ChallengeName: 'NEW_PASSWORD_REQUIRED'; readonly Session: string; readonly ChallengeParameters: Record<string, string> };

const HOUR = 3600;

export class LocalUserPool {
  public readonly signer = new TokenSigner();
  private readonly users = new Map<string, StoredUser>();
  private readonly refreshTokens = new Map<string, { username: string; clientId: string; expiresAt: number; originJti: string; authTime: number }>();
  private readonly sessions = new Map<string, { username: string; clientId: string; expiresAt: number }>();
  private readonly now: () => number;
  private readonly policy: PasswordPolicy;

  public constructor(public readonly config: UserPoolConfig) {
    this.now = config.now ?? Date.now;
    this.policy = config.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;
  }

  public get id(): string {
    return this.config.id;
  }

  public hasClient(clientId: string): boolean {
    return this.config.clients.some((client) => client.id === clientId);
  }

  /** SignUp: a new UNCONFIRMED user, or UsernameExistsException / InvalidPasswordException. */
  public signUp(clientId: string, username: string, password: string, attributes: Readonly<Record<string, string>> = {}): { UserSub: string; UserConfirmed: false } {
    this.client(clientId);
    const user = this.create(username, password, attributes, 'UNCONFIRMED');
    return { UserSub: user.sub, UserConfirmed: false };
  }

  /** AdminConfirmSignUp. */
  public adminConfirmSignUp(username: string): void {
    const user = this.user(username);
    if (user.status === 'UNCONFIRMED') user.status = 'CONFIRMED';
    else throw CognitoError.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }

  /** AdminCreateUser: FORCE_CHANGE_PASSWORD with the temporary password (a random one when none is given). */
  public adminCreateUser(username: string, attributes: Readonly<Record<string, string>> = {}, temporaryPassword?: string): { username: string; sub: string; status: UserStatus } {
    const user = this.create(username, temporaryPassword ?? `Tmp-${randomBytes(12).toString('base64url')}1!a`, attributes, 'FORCE_CHANGE_PASSWORD');
    return { username: user.username, sub: user.sub, status: user.status };
  }

  /** AdminSetUserPassword: permanent makes the user CONFIRMED; otherwise FORCE_CHANGE_PASSWORD. */
  public adminSetUserPassword(username: string, password: string, permanent: boolean): void {
    const user = this.user(username);
    this.checkPassword(password);
    this.setPassword(user, password);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  }

  /** AdminAddUserToGroup: the group must be one of the pool's. */
  public adminAddUserToGroup(username: string, group: string): void {
    const user = this.user(username);
    if (!(this.config.groups ?? []).includes(group)) throw CognitoError.resourceNotFound('Group not found.');
    user.groups.add(group);
  }

  /**
   * AdminDeleteUser: the user goes, and their refresh tokens with them, so a user created again under the same name is
   * not signed in by the old one's tokens.
   */
  public adminDeleteUser(username: string): void {
    const user = this.user(username);
    this.users.delete(this.key(user.username));
    for (const [token, grant] of this.refreshTokens) if (this.key(grant.username) === this.key(user.username)) this.refreshTokens.delete(token);
  }

  /** AdminGetUser, the parts a test reads. */
  public adminGetUser(username: string): { Username: string; UserStatus: UserStatus; UserAttributes: { Name: string; Value: string }[] } {
    const user = this.user(username);
    return { Username: user.username, UserStatus: user.status, UserAttributes: [...user.attributes].map(([Name, Value]) => ({ Name, Value })) };
  }

  /** InitiateAuth with USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH (REFRESH_TOKEN too). */
  public initiateAuth(clientId: string, flow: string, parameters: Readonly<Record<string, string>>): InitiateAuthResult {
    const client = this.client(clientId);
    if (flow === 'USER_PASSWORD_AUTH') {
      this.allow(client, 'ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client');
      const user = this.signIn(parameters.USERNAME, parameters.PASSWORD);
      if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
      if (user.status === 'FORCE_CHANGE_PASSWORD') {
        const session = randomBytes(32).toString('base64url');
        this.sessions.set(session, { username: user.username, clientId, expiresAt: this.now() + 3 * 60_000 });
        return {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: JSON.stringify(Object.fromEntries(user.attributes)) },
        };
      }
      return { AuthenticationResult: this.tokens(user, client, undefined), ChallengeParameters: {} };
    }
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      this.allow(client, 'ALLOW_REFRESH_TOKEN_AUTH', 'Refresh Token has been revoked');
      const grant = this.refreshTokens.get(parameters.REFRESH_TOKEN ?? '');
      if (!grant || grant.clientId !== clientId || grant.expiresAt <= this.now()) throw CognitoError.notAuthorized('Invalid Refresh Token');
      const user = this.users.get(this.key(grant.username));
      if (!user) throw CognitoError.notAuthorized('Invalid Refresh Token');
      return { AuthenticationResult: this.tokens(user, client, grant), ChallengeParameters: {} };
    }
    throw CognitoError.invalidParameter(`Unsupported or unknown AuthFlow '${flow}': the local runtime signs in with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH`);
  }

  /** RespondToAuthChallenge for NEW_PASSWORD_REQUIRED: sets the new password, confirms, and signs in. */
  public respondToNewPasswordChallenge(clientId: string, session: string, username: string, newPassword: string): InitiateAuthResult {
    const client = this.client(clientId);
    const pending = this.sessions.get(session);
    if (!pending || pending.clientId !== clientId || pending.expiresAt <= this.now() || this.key(pending.username) !== this.key(username ?? '')) {
      throw CognitoError.notAuthorized('Invalid session for the user, session is expired.');
    }
    this.sessions.delete(session);
    this.adminSetUserPassword(pending.username, newPassword, true);
    return { AuthenticationResult: this.tokens(this.user(pending.username), client, undefined), ChallengeParameters: {} };
  }

  private create(username: string, password: string, attributes: Readonly<Record<string, string>>, status: UserStatus): StoredUser {
    if (typeof username !== 'string' || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(username)) {
      throw CognitoError.invalidParameter("1 validation error detected: Value at 'username' failed to satisfy constraint");
    }
    if (this.users.has(this.key(username))) throw new CognitoError('UsernameExistsException', 'User already exists');
    this.checkPassword(password);
    const user: StoredUser = {
      username,
      sub: randomUUID(),
      status,
      salt: Buffer.alloc(0),
      hash: Buffer.alloc(0),
      attributes: new Map(Object.entries(attributes)),
      groups: new Set(),
    };
    user.attributes.set('sub', user.sub);
    this.setPassword(user, password);
    this.users.set(this.key(username), user);
    return user;
  }

  private checkPassword(password: unknown): void {
    const p = this.policy;
    const text = typeof password === 'string' ? password : '';
    const problems = [
      text.length < p.minimumLength ? `Password not long enough (at least ${p.minimumLength} characters)` : undefined,
      p.requireLowercase && !/[a-z]/.test(text) ? 'Password must have lowercase characters' : undefined,
      p.requireUppercase && !/[A-Z]/.test(text) ? 'Password must have uppercase characters' : undefined,
      p.requireNumbers && !/[0-9]/.test(text) ? 'Password must have numeric characters' : undefined,
      p.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(text) ? 'Password must have symbol characters' : undefined,
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${problems[0]}`);
  }

  private setPassword(user: StoredUser, password: string): void {
    user.salt = randomBytes(16);
    user.hash = scryptSync(password, user.salt, 32);
  }

  private signIn(username: string | undefined, password: string | undefined): StoredUser {
    if (!username || !password) throw CognitoError.invalidParameter('Missing required parameter USERNAME or PASSWORD');
    const user = this.users.get(this.key(username));
    // The same answer for an unknown user and a wrong password (Cognito's PreventUserExistenceErrors).
    if (!user || !timingSafeEqual(scryptSync(password, user.salt, 32), user.hash)) throw CognitoError.notAuthorized();
    return user;
  }

  private tokens(user: StoredUser, client: AppClientConfig, refreshed: { originJti: string; authTime: number } | undefined): AuthenticationResult {
    const now = Math.floor(this.now() / 1000);
    const authTime = refreshed?.authTime ?? now;
    const originJti = refreshed?.originJti ?? randomUUID();
    const eventId = randomUUID();
    const idSeconds = client.idTokenValiditySeconds ?? HOUR;
    const accessSeconds = client.accessTokenValiditySeconds ?? HOUR;
    const groups = user.groups.size > 0 ? { 'cognito:groups': [...user.groups] } : {};
    const attributes = Object.fromEntries([...user.attributes].filter(([name]) => name !== 'sub').map(([name, value]) => [name, name === 'email_verified' ? value === 'true' : value]));
    const idClaims: JwtClaims = {
      sub: user.sub,
      ...groups,
      ...attributes,
      iss: this.config.issuer,
      'cognito:username': user.username,
      origin_jti: originJti,
      aud: client.id,
      event_id: eventId,
      token_use: 'id',
      auth_time: authTime,
      exp: now + idSeconds,
      iat: now,
      jti: randomUUID(),
    };
    const accessClaims: JwtClaims = {
      sub: user.sub,
      ...groups,
      iss: this.config.issuer,
      client_id: client.id,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: authTime,
      exp: now + accessSeconds,
      iat: now,
      jti: randomUUID(),
      username: user.username,
    };
    let refreshToken: string | undefined;
    if (!refreshed) {
      refreshToken = randomBytes(48).toString('base64url');
      this.refreshTokens.set(refreshToken, {
        username: user.username,
        clientId: client.id,
        expiresAt: this.now() + (client.refreshTokenValiditySeconds ?? 30 * 24 * HOUR) * 1000,
        originJti,
        authTime,
      });
    }
    return {
      IdToken: this.signer.sign(idClaims),
      AccessToken: this.signer.sign(accessClaims),
      ...(refreshToken ? { RefreshToken: refreshToken } : {}),
      ExpiresIn: accessSeconds,
      TokenType: 'Bearer',
    };
  }

  private client(clientId: string): AppClientConfig {
    const client = this.config.clients.find((c) => c.id === clientId);
    if (!client) throw CognitoError.resourceNotFound(`User pool client ${clientId} does not exist.`);
    return client;
  }

  private allow(client: AppClientConfig, flow: string, message: string): void {
    if (!client.explicitAuthFlows.includes(flow)) throw CognitoError.invalidParameter(message);
  }

  private user(username: string): StoredUser {
    const user = typeof username === 'string' ? this.users.get(this.key(username)) : undefined;
    if (!user) throw CognitoError.userNotFound();
    return user;
  }

  private key(username: string): string {
    return this.config.caseSensitiveUsernames ? username : username.toLowerCase();
  }
}
