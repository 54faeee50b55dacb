import { evaluatePolicy, parsePolicyDocument, PolicyStatement, readRolePolicies, wildcardMatches } from '../../../../local/iam/iam-policy';
import { resolvedShop } from '../apigateway/shop-template';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/prod';
const allow = (resource: string, action = 'execute-api:Invoke'): PolicyStatement => ({ effect: 'Allow', actions: [action], resources: [resource] });

describe('evaluatePolicy', () => {
  it('allows the exact method ARN a statement grants', () => {
    expect(evaluatePolicy([allow(`${ARN}/POST/reservations`)], 'execute-api:Invoke', `${ARN}/POST/reservations`)).toBe('Allow');
  });

  it('allows through * and ? wildcards in the resource', () => {
    // Prepare
    const statements = [allow(`${ARN}/DELETE/reservations/*`), allow(`${ARN}/GET/orders/ord-?`)];

    // Act / Assess
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/DELETE/reservations/o-1`)).toBe('Allow');
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/GET/orders/ord-7`)).toBe('Allow');
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/GET/orders/ord-77`)).toBe('ImplicitDeny');
  });

  it('matches actions case-insensitively and with wildcards', () => {
    expect(evaluatePolicy([allow('*', 'Execute-API:*')], 'execute-api:Invoke', `${ARN}/GET/x`)).toBe('Allow');
  });

  it('denies implicitly another method, stage or path', () => {
    const statements = [allow(`${ARN}/POST/reservations`)];
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/DELETE/reservations/o-1`)).toBe('ImplicitDeny');
    expect(evaluatePolicy(statements, 'execute-api:Invoke', 'arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/dev/POST/reservations')).toBe('ImplicitDeny');
  });

  it('lets an explicit Deny win over an Allow', () => {
    const statements = [allow(`${ARN}/*`), { effect: 'Deny' as const, actions: ['execute-api:Invoke'], resources: [`${ARN}/DELETE/*`] }];
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/DELETE/reservations/o-1`)).toBe('ExplicitDeny');
  });

  it('honours NotAction and NotResource', () => {
    const statements: PolicyStatement[] = [{ effect: 'Allow', notActions: ['s3:*'], notResources: [`${ARN}/DELETE/*`] }];
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/POST/reservations`)).toBe('Allow');
    expect(evaluatePolicy(statements, 'execute-api:Invoke', `${ARN}/DELETE/reservations/o-1`)).toBe('ImplicitDeny');
  });
});

describe('wildcardMatches', () => {
  it('treats regular-expression characters literally', () => {
    expect(wildcardMatches('arn:aws:x:(a)+.b', 'arn:aws:x:(a)+.b', false)).toBe(true);
    expect(wildcardMatches('arn:aws:x:a.b', 'arn:aws:x:aXb', false)).toBe(false);
  });
});

describe('parsePolicyDocument', () => {
  it('accepts single statements and single strings as well as lists', () => {
    expect(parsePolicyDocument({ Statement: { Effect: 'Allow', Action: 'a:b', Resource: 'r' } })).toEqual([{ effect: 'Allow', actions: ['a:b'], resources: ['r'] }]);
  });
});

describe('readRolePolicies', () => {
  it("collects each role's statements from the policies attached to it, resolved to local ARNs", () => {
    // Prepare
    const { template, resolver, physical } = resolvedShop();

    // Act
    const { policies, warnings } = readRolePolicies(template, resolver);

    // Assess
    const apiId = physical.get('InternalApiRestApi5E6F7A8B')?.ref;
    expect(policies.get('OrdersRoleBBBB2222')).toEqual([
      { effect: 'Allow', actions: ['execute-api:Invoke'], resources: [`arn:aws:execute-api:us-east-1:000000000000:${apiId}/prod/POST/reservations`] },
    ]);
    expect(policies.get('CatalogRoleAAAA1111')).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
