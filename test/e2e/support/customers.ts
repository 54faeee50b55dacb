/**
 * Signed-in users for the e2e suite, made the same way on every target (the local runtime, an emulator, AWS): the
 * AWS SDK's Cognito client against the target's endpoint creates a user in the stack's pool (`UserPoolId`), sets a
 * permanent password, adds them to a group if asked, and signs in with the stack's app client (`UserPoolClientId`,
 * USER_PASSWORD_AUTH). The ID token is what the public API's authorizer takes. Every user made is deleted again on
 * `deleteAll()`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { requireOutput } from '../../../bin/stack-outputs';
import type { ShopTarget } from './shop-target';

/** A signed-in user of the pool. */
export interface Customer {
  readonly username: string;
  /** The pool's id for them: the `sub` of their tokens, the `customerId` of their orders. */
  readonly sub: string;
  /** What the public API's authorizer takes, in the `Authorization` header. */
  readonly idToken: string;
  readonly refreshToken: string;
}

export interface NewCustomer {
  /** Part of the username, so a user left behind says which test made it. */
  readonly label: string;
  /** Groups to add the user to, e.g. `['staff']`. @default [] */
  readonly groups?: readonly string[];
}

/** A password the pool's policy takes (12+ characters, lower, upper, digit, symbol), new for every user. */
export function newPassword(): string {
  return `Pw-${randomBytes(12).toString('base64url')}-9a`;
}

/** The claims of a JWT, unverified: what the suite reads of a token it was just given (its `sub`). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JSON Web Token');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export class TestCustomers {
  public readonly userPoolId: string;
  public readonly clientId: string;
  public readonly cognito: CognitoIdentityProviderClient;
  private readonly made = new Set<string>();

  public constructor(target: ShopTarget) {
    this.userPoolId = requireOutput(target.stack, 'UserPoolId');
    this.clientId = requireOutput(target.stack, 'UserPoolClientId');
    this.cognito = new CognitoIdentityProviderClient({
      region: target.region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.credentials ? { credentials: target.credentials } : {}),
    });
  }

  /** A new user, confirmed, in `groups`, signed in. */
  public async create({ label, groups = [] }: NewCustomer): Promise<Customer> {
    const username = `e2e-${label}-${randomUUID().slice(0, 8)}`;
    const password = newPassword();
    const attributes: AttributeType[] = [
      { Name: 'email', Value: `${username}@example.com` },
      { Name: 'email_verified', Value: 'true' },
    ];
    // SUPPRESS: no invitation mail for a test user; the password is set at once, so there is no temporary one to send.
    await this.cognito.send(new AdminCreateUserCommand({ UserPoolId: this.userPoolId, Username: username, UserAttributes: attributes, MessageAction: 'SUPPRESS' }));
    this.made.add(username);
    await this.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: username, Password: password, Permanent: true }));
    for (const group of groups) {
      await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group }));
    }
    return this.signIn(username, password);
  }

  /** Signs `username` in with the app client (USER_PASSWORD_AUTH), as `aws cognito-idp initiate-auth` does. */
  public async signIn(username: string, password: string): Promise<Customer> {
    const answer = await this.cognito.send(
      new InitiateAuthCommand({ ClientId: this.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
    const result = answer.AuthenticationResult;
    if (!result?.IdToken || !result.RefreshToken) {
      throw new Error(`signing in ${username} answered ${answer.ChallengeName ? `the challenge ${answer.ChallengeName}` : 'no tokens'}`);
    }
    const sub = jwtClaims(result.IdToken).sub;
    if (typeof sub !== 'string') throw new Error(`the ID token of ${username} has no sub`);
    return { username, sub, idToken: result.IdToken, refreshToken: result.RefreshToken };
  }

  /** A new ID token for `customer` from their refresh token (REFRESH_TOKEN_AUTH). */
  public async refresh(customer: Customer): Promise<Customer> {
    const answer = await this.cognito.send(
      new InitiateAuthCommand({ ClientId: this.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: customer.refreshToken } }),
    );
    const idToken = answer.AuthenticationResult?.IdToken;
    if (!idToken) throw new Error(`refreshing ${customer.username}'s tokens answered none`);
    return { ...customer, idToken };
  }

  /** Deletes every user this made; the first failure is thrown after trying them all. */
  public async deleteAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const username of this.made) {
      try {
        await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }));
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
