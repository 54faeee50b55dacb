/**
 * The signed-in customer of every event the API Gateway factories build, unless a test says otherwise. It is the
 * fixtures' customer (`anOrderRecord`), so an order from the factories is this caller's own.
 */
export const TEST_CUSTOMER_ID = 'customer-1';

/** Another signed-in customer: for what one customer must not see or do with another's orders. */
export const OTHER_CUSTOMER_ID = 'customer-2';

/**
 * What API Gateway's Cognito user-pool authorizer passes to a function as `requestContext.authorizer.claims`. A REST
 * API passes every claim as a string, `cognito:groups` comma-separated (`staff,support`); the other forms the
 * functions accept (`[staff support]`, a list) are given as such.
 */
export interface CallerClaims {
  readonly sub: string;
  readonly 'cognito:groups'?: string | readonly string[];
  readonly [claim: string]: unknown;
}

/** The claims of an ID token of customer `sub`, in `groups` (as the REST authorizer passes them: `a,b`) if any. */
export function customerClaims(sub: string = TEST_CUSTOMER_ID, groups?: string | readonly string[]): CallerClaims {
  return {
    sub,
    'cognito:username': sub,
    token_use: 'id',
    ...(groups === undefined ? {} : { 'cognito:groups': groups }),
  };
}

/** The claims of a member of the `staff` group. */
export function staffClaims(sub = 'staff-1'): CallerClaims {
  return customerClaims(sub, 'staff');
}
