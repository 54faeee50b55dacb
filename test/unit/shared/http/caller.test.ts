import { ForbiddenError, UnauthorizedError } from '../../../../lambdas/shared/errors';
import { customerIdOf, groupsOf, requireGroup, STAFF_GROUP } from '../../../../lambdas/shared/http/caller';
import { PROBLEM_TYPE_BASE, problemResponse } from '../../../../lambdas/shared/http/problem-response';
import { apiGatewayEvent, problemOf, withClaims } from '../../factories/api-gateway-event';
import { customerClaims, OTHER_CUSTOMER_ID, staffClaims, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { thrownBy } from '../../support/thrown-by';

const withAuthorizer = (authorizer: Record<string, unknown> | null) => {
  const event = apiGatewayEvent();
  return { ...event, requestContext: { ...event.requestContext, authorizer } };
};

describe('customerIdOf', () => {
  it("is the token's sub", () => {
    expect(customerIdOf(withClaims(apiGatewayEvent(), customerClaims(OTHER_CUSTOMER_ID)))).toBe(OTHER_CUSTOMER_ID);
  });

  it('is the test customer for an event of the factories', () => {
    expect(customerIdOf(apiGatewayEvent())).toBe(TEST_CUSTOMER_ID);
  });

  it('reads the sub of the claims only, not a customerId elsewhere in the request', () => {
    // Prepare: a customer id in a header, the body and the authorizer context beside the claims
    const event = {
      ...withAuthorizer({ customerId: 'mallory', claims: customerClaims(TEST_CUSTOMER_ID) }),
      headers: { 'x-customer-id': 'mallory' },
      body: JSON.stringify({ customerId: 'mallory' }),
    };

    // Act
    const customerId = customerIdOf(event);

    // Assess
    expect(customerId).toBe(TEST_CUSTOMER_ID);
  });

  it.each([
    ['no authorizer', withAuthorizer(null)],
    ['an authorizer without claims', withAuthorizer({ principalId: 'someone' })],
    ['claims that are not an object', withAuthorizer({ claims: 'sub=customer-1' })],
    ['claims without a sub', withAuthorizer({ claims: { 'cognito:username': 'customer-1' } })],
    ['an empty sub', withAuthorizer({ claims: { sub: '' } })],
    ['a sub that is not a string', withAuthorizer({ claims: { sub: 42 } })],
  ])('rejects a request with %s as unauthorized, answered 401 application/problem+json', (_case, event) => {
    // Act
    const error = thrownBy(() => customerIdOf(event));

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    const response = problemResponse(error as UnauthorizedError);
    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({ type: `${PROBLEM_TYPE_BASE}unauthorized`, title: 'Unauthorized', status: 401 });
  });
});

describe('groupsOf', () => {
  it.each([
    ['comma-separated, as a REST API passes them', 'staff,support'],
    ['bracketed and space-separated, as an HTTP API passes them', '[staff support]'],
    ['as a list, as a direct invocation may pass them', ['staff', 'support']],
  ])('reads the groups %s', (_case, groups) => {
    expect(groupsOf(withClaims(apiGatewayEvent(), customerClaims(TEST_CUSTOMER_ID, groups)))).toEqual(['staff', 'support']);
  });

  it('reads a single group', () => {
    expect(groupsOf(withClaims(apiGatewayEvent(), customerClaims(TEST_CUSTOMER_ID, 'staff')))).toEqual(['staff']);
  });

  it.each([
    ['a customer in no group', customerClaims()],
    ['an empty claim', customerClaims(TEST_CUSTOMER_ID, '')],
    ['an empty bracketed claim', customerClaims(TEST_CUSTOMER_ID, '[]')],
  ])('is empty for %s', (_case, claims) => {
    expect(groupsOf(withClaims(apiGatewayEvent(), claims))).toEqual([]);
  });

  it('is empty without claims', () => {
    expect(groupsOf(withClaims(apiGatewayEvent(), null))).toEqual([]);
  });
});

describe('requireGroup', () => {
  it.each([
    ['comma-separated', 'support,staff'],
    ['bracketed', '[support staff]'],
    ['as a list', ['support', 'staff']],
  ])('lets a member of the group through, its groups given %s', (_case, groups) => {
    const event = withClaims(apiGatewayEvent(), customerClaims('staff-1', groups));

    expect(() => requireGroup(event, STAFF_GROUP)).not.toThrow();
  });

  it("lets the staff through: STAFF_GROUP is the pool's 'staff' group", () => {
    expect(STAFF_GROUP).toBe('staff');
    expect(() => requireGroup(withClaims(apiGatewayEvent(), staffClaims()), STAFF_GROUP)).not.toThrow();
  });

  it.each([
    ['in no group', customerClaims()],
    ['in other groups only', customerClaims(TEST_CUSTOMER_ID, 'support,marketing')],
    ['in a group whose name only contains it', customerClaims(TEST_CUSTOMER_ID, 'staffers,ex-staff')],
  ])('refuses a signed-in customer %s with 403 naming Authorization', (_case, claims) => {
    // Act
    const error = thrownBy(() => requireGroup(withClaims(apiGatewayEvent(), claims), STAFF_GROUP));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    const response = problemResponse(error as ForbiddenError);
    expect(response.statusCode).toBe(403);
    expect(problemOf(response)).toMatchObject({
      type: `${PROBLEM_TYPE_BASE}forbidden`,
      title: 'Forbidden',
      status: 403,
      errors: [{ field: 'Authorization', message: expect.stringContaining("'staff'") }],
    });
  });

  it('answers 401, not 403, without a signed-in user, whatever groups the claims name', () => {
    // Prepare: groups, but no sub
    const event = withAuthorizer({ claims: { 'cognito:groups': 'staff' } });

    // Act
    const error = thrownBy(() => requireGroup(event, STAFF_GROUP));

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(problemResponse(error as UnauthorizedError).statusCode).toBe(401);
  });
});
