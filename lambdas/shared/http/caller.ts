/**
 * Who is calling: the identity API Gateway's Cognito user-pool authorizer verified and passed to the function as
 * `requestContext.authorizer.claims` (every value a string). The functions trust those claims and nothing else in the
 * request: a customer id in a body or a header names no one.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../errors';

/** The user pool's group whose members may read the shop's figures (`GET /analytics/sales`). */
export const STAFF_GROUP = 'staff';

type ClaimsSource = Pick<APIGatewayProxyEvent, 'requestContext'>;

/** The verified claims, or undefined when no authorizer passed any. */
function claimsOf(event: ClaimsSource): Readonly<Record<string, unknown>> | undefined {
  const claims: unknown = event.requestContext?.authorizer?.claims;
  return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
}

/**
 * The signed-in customer: the token's `sub`, the user's id in the pool, which never changes (an e-mail address or a
 * username can). 401 when the request reached the function with no verified `sub`: behind the authorizer that cannot
 * happen, so it means the route was deployed (or emulated) without one, and the function refuses rather than guess.
 */
export function customerIdOf(event: ClaimsSource): string {
  const sub = claimsOf(event)?.sub;
  if (typeof sub !== 'string' || sub === '') {
    throw new UnauthorizedError('This route needs a signed-in customer: send a Cognito ID token in the Authorization header.');
  }
  return sub;
}

/**
 * The groups in the token's `cognito:groups` claim. A REST API's authorizer passes them as one string, comma-separated
 * (`staff,support`); an HTTP API's JWT authorizer as `[staff support]`; a direct invocation may pass a list.
 */
export function groupsOf(event: ClaimsSource): readonly string[] {
  const value = claimsOf(event)?.['cognito:groups'];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[(.*)\]$/s, '$1')
    .split(/[,\s]+/)
    .filter((group) => group !== '');
}

/**
 * Requires a member of `group`: 401 without a verified identity (as `customerIdOf`), 403 naming the group when the
 * caller is not in it.
 */
export function requireGroup(event: ClaimsSource, group: string): void {
  customerIdOf(event);
  if (!groupsOf(event).includes(group)) {
    throw new ForbiddenError(`Only members of the '${group}' group may call this route.`, {
      errors: [{ field: 'Authorization', message: `the token's user is not in the '${group}' group` }],
    });
  }
}
