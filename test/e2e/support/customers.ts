/**
 * Signed-in users for the e2e suite, made the same way on every target (`bin/pool-users.ts`: the AWS SDK's Cognito
 * client against the target's endpoint, the stack's `UserPoolId` and `UserPoolClientId`). Every user made is deleted
 * again when the shop stops.
 */
import { PoolUsers, type SignedInUser } from '../../../bin/pool-users';
import { requireOutput } from '../../../bin/stack-outputs';
import type { ShopTarget } from './shop-target';

/** A signed-in user of the pool. */
export type Customer = SignedInUser;

export interface NewCustomer {
  /** Part of the username (`e2e-<label>-…`), so a user left behind says which test made it. */
  readonly label: string;
  /** Groups to add the user to, e.g. `['staff']`. @default [] */
  readonly groups?: readonly string[];
}

export class TestCustomers {
  private readonly users: PoolUsers;

  public constructor(target: ShopTarget) {
    this.users = new PoolUsers({
      region: target.region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.credentials ? { credentials: target.credentials } : {}),
      userPoolId: requireOutput(target.stack, 'UserPoolId'),
      clientId: requireOutput(target.stack, 'UserPoolClientId'),
    });
  }

  /** A new user, confirmed, in `groups`, signed in. */
  public create({ label, groups = [] }: NewCustomer): Promise<Customer> {
    return this.users.create(`e2e-${label}`, groups);
  }

  /** A new ID token for `customer` from their refresh token (REFRESH_TOKEN_AUTH). */
  public refresh(customer: Customer): Promise<Customer> {
    return this.users.refresh(customer);
  }

  /** Deletes every user this made. */
  public deleteAll(): Promise<void> {
    return this.users.deleteAll();
  }

  public destroy(): void {
    this.users.destroy();
  }
}
