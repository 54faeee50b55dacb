/**
 * Users of the stack's Cognito user pool, made and signed in with the AWS SDK the same way on every target (the local
 * runtime's edge, an emulator, AWS): an admin creates the user (no invitation mailed), sets a permanent password, adds
 * them to groups, and the user signs in with the app client (USER_PASSWORD_AUTH). The ID token is what the public
 * API's user-pool authorizer takes. The seed (demo users), the e2e suite and the bench all make their users here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** A signed-in user of the pool. */
export interface SignedInUser {
  readonly username: string;
  /** The pool's id for them: the `sub` of their tokens, the `customerId` of their orders. */
  readonly sub: string;
  /** What the public API's authorizer takes, in the `Authorization` header. */
  readonly idToken: string;
  readonly refreshToken: string;
}

export interface PoolUsersOptions {
  readonly region: string;
  /** The endpoint (an emulator, the local runtime's edge); absent: AWS, or AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The stack's `UserPoolId` output. */
  readonly userPoolId: string;
  /** The stack's `UserPoolClientId` output. */
  readonly clientId: string;
}

/** A password the pool's policy takes (12+ characters with a lower- and an upper-case letter, a digit and a symbol), new each time. */
export function newPassword(prefix = 'Pw'): string {
  return `${prefix}-${randomBytes(9).toString('base64url')}-7x`;
}

/** The claims of a JWT, unverified: what a client reads of a token it was just given (its `sub`). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JSON Web Token');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export class PoolUsers {
  public readonly cognito: CognitoIdentityProviderClient;
  private readonly made = new Set<string>();

  public constructor(private readonly options: PoolUsersOptions) {
    this.cognito = new CognitoIdentityProviderClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  public get userPoolId(): string {
    return this.options.userPoolId;
  }

  public get clientId(): string {
    return this.options.clientId;
  }

  /**
   * Makes `username` a confirmed user with `password` (permanent) in `groups`: created when the pool does not have
   * them, their password set again when it does. `deleteAll` deletes only the users this call created.
   */
  public async upsert(username: string, password: string, groups: readonly string[] = []): Promise<void> {
    const UserPoolId = this.options.userPoolId;
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username: username,
          // No invitation: the password is set at once, so there is no temporary one to send.
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: `${username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      this.made.add(username);
    } catch (error) {
      if ((error as { name?: string }).name !== 'UsernameExistsException') throw error;
    }
    await this.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: username, Password: password, Permanent: true }));
    for (const group of groups) await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: group }));
  }

  /** A new user named after `label` (so one left behind says who made it), in `groups`, signed in. */
  public async create(label: string, groups: readonly string[] = []): Promise<SignedInUser> {
    const username = `${label}-${randomUUID().slice(0, 8)}`;
    const password = newPassword();
    await this.upsert(username, password, groups);
    return this.signIn(username, password);
  }

  /** Signs `username` in with the app client (USER_PASSWORD_AUTH), as `aws cognito-idp initiate-auth` does. */
  public async signIn(username: string, password: string): Promise<SignedInUser> {
    const answer = await this.cognito.send(
      new InitiateAuthCommand({ ClientId: this.options.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
    const result = answer.AuthenticationResult;
    if (!result?.IdToken || !result.RefreshToken) {
      throw new Error(`signing in ${username} answered ${answer.ChallengeName ? `the challenge ${answer.ChallengeName}` : 'no tokens'}`);
    }
    const sub = jwtClaims(result.IdToken).sub;
    if (typeof sub !== 'string') throw new Error(`the ID token of ${username} has no sub`);
    return { username, sub, idToken: result.IdToken, refreshToken: result.RefreshToken };
  }

  /** A new ID token for `user` from their refresh token (REFRESH_TOKEN_AUTH). */
  public async refresh(user: SignedInUser): Promise<SignedInUser> {
    const answer = await this.cognito.send(
      new InitiateAuthCommand({ ClientId: this.options.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: user.refreshToken } }),
    );
    const idToken = answer.AuthenticationResult?.IdToken;
    if (!idToken) throw new Error(`refreshing ${user.username}'s tokens answered none`);
    return { ...user, idToken };
  }

  /** Deletes every user this created; the first failure is thrown after trying them all. */
  public async deleteAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const username of this.made) {
      try {
        await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.options.userPoolId, Username: username }));
        this.made.delete(username);
      } catch (error) {
        if ((error as { name?: string }).name === 'UserNotFoundException') this.made.delete(username);
        else failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  public destroy(): void {
    this.cognito.destroy();
  }
}
