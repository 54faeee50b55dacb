import { evaluatePolicy, parsePolicyDocument, PolicyStatement, readRolePolicies, wildcardMatches } from '../../../../local/iam/iam-policy';
import { wildcardPattern } from '../../../../local/iam/wildcard';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { CONTEXT, resolvedShop } from '../apigateway/shop-template';

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

  it('compares actions without case and resources with it', () => {
    expect(wildcardMatches('DynamoDB:Get*', 'dynamodb:GetItem', true)).toBe(true);
    expect(wildcardMatches('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/key', false)).toBe(false);
  });

  it('compiles each pattern once, apart for each kind of comparison', () => {
    // Act
    const first = wildcardPattern('events:Put?vents*', true);

    // Assess: the same expression again; the case-sensitive one is another
    expect(wildcardPattern('events:Put?vents*', true)).toBe(first);
    expect(wildcardPattern('events:Put?vents*', false)).not.toBe(first);
    expect(wildcardPattern('events:Put?vents*', false).test('events:PutEvents')).toBe(true);
    expect(wildcardPattern('events:Put?vents*', false).test('EVENTS:PutEvents')).toBe(false);
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

describe('readRolePolicies with Condition blocks', () => {
  it('keeps conditions resolved to local values, and warns once for one it cannot evaluate', () => {
    // Prepare
    const { template } = resolvedShop();
    const busArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/shop']] };
    template.Resources.CatalogRoleDefaultPolicyDDDD4444 = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'CatalogRoleDefaultPolicy',
        Roles: [{ Ref: 'CatalogRoleAAAA1111' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn, Condition: { StringEquals: { 'events:source': { 'Fn::Join': ['.', ['shop', 'catalog']] } } } },
            { Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn, Condition: { NumericLessThan: { 'events:detail.size': 10 } } },
          ],
        },
      },
    };
    const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });

    // Act
    const { policies, warnings } = readRolePolicies(template, new IntrinsicResolver(template, CONTEXT, physical));

    // Assess
    expect(policies.get('CatalogRoleAAAA1111')?.[0]).toEqual({
      effect: 'Allow',
      actions: ['events:PutEvents'],
      resources: ['arn:aws:events:us-east-1:000000000000:event-bus/shop'],
      conditions: [{ operator: 'StringEquals', key: 'events:source', values: ['shop.catalog'] }],
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^CatalogRoleDefaultPolicyDDDD4444 statement 1: condition NumericLessThan on events:detail\.size cannot be evaluated \(the NumericLessThan operator is not evaluated locally .*\): this Allow never applies$/),
    ]);
  });
});
