import { evaluatePolicy, parsePolicyDocument, PolicyStatement, RequestContext } from '../../../../local/iam/iam-policy';
import { conditionProblem, evaluateConditions, parseConditionBlock } from '../../../../local/iam/policy-conditions';

const BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/HybridShop-bus';
const ACTION = 'events:PutEvents';

/** A statement as a template holds it: `events:PutEvents` on the bus, with `condition` (if any) as its Condition block. */
function statement(condition?: unknown, effect: 'Allow' | 'Deny' = 'Allow'): PolicyStatement {
  return parsePolicyDocument({ Statement: { Effect: effect, Action: ACTION, Resource: BUS, Condition: condition } })[0];
}

/** What IAM answers for a PutEvents with `context`, given one Allow statement with `condition`. */
function allowedWith(condition: unknown, context: RequestContext): boolean {
  return evaluatePolicy([statement(condition)], ACTION, BUS, context) === 'Allow';
}

/** Whether a Deny statement with `condition` (next to an unconditional Allow) denies a PutEvents with `context`. */
function deniedWith(condition: unknown, context: RequestContext): boolean {
  return evaluatePolicy([statement(), statement(condition, 'Deny')], ACTION, BUS, context) === 'ExplicitDeny';
}

const sources = (...values: string[]): RequestContext => ({ 'events:source': values });

describe('parseConditionBlock', () => {
  it('gives one condition per operator and key, with values as text', () => {
    // Act
    const conditions = parseConditionBlock({ StringEquals: { 'events:source': 'shop.orders', 'events:detail-type': ['A', 'B'] }, Bool: { 'aws:SecureTransport': false } });

    // Assess
    expect(conditions).toEqual([
      { operator: 'StringEquals', key: 'events:source', values: ['shop.orders'] },
      { operator: 'StringEquals', key: 'events:detail-type', values: ['A', 'B'] },
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
    ]);
  });

  it('marks a block it cannot read instead of dropping it', () => {
    expect(parseConditionBlock('StringEquals')[0].malformed).toBe('the Condition element is not an object');
    expect(parseConditionBlock({ StringEquals: 'shop.orders' })[0].malformed).toBe('StringEquals does not map context keys to values');
    expect(parseConditionBlock({ StringEquals: { 'events:source': { nested: true } } })[0].malformed).toBe('a value of events:source is not a string, number or boolean');
  });
});

describe('string conditions', () => {
  it('StringEquals holds when the value is one of the policy values, case-sensitively', () => {
    const condition = { StringEquals: { 'events:source': ['shop.orders', 'shop.payments'] } };
    expect(allowedWith(condition, sources('shop.payments'))).toBe(true);
    expect(allowedWith(condition, sources('shop.inventory'))).toBe(false);
    expect(allowedWith(condition, sources('Shop.Orders'))).toBe(false);
  });

  it('StringNotEquals holds when the value is none of the policy values', () => {
    const condition = { StringNotEquals: { 'events:source': ['shop.orders', 'shop.payments'] } };
    expect(allowedWith(condition, sources('shop.inventory'))).toBe(true);
    expect(allowedWith(condition, sources('shop.orders'))).toBe(false);
  });

  it('StringEqualsIgnoreCase and StringNotEqualsIgnoreCase ignore case', () => {
    expect(allowedWith({ StringEqualsIgnoreCase: { 'events:source': 'SHOP.orders' } }, sources('shop.ORDERS'))).toBe(true);
    expect(allowedWith({ StringNotEqualsIgnoreCase: { 'events:source': 'SHOP.orders' } }, sources('shop.ORDERS'))).toBe(false);
  });

  it('StringLike and StringNotLike take * and ? wildcards', () => {
    expect(allowedWith({ StringLike: { 'events:source': 'shop.*' } }, sources('shop.orders'))).toBe(true);
    expect(allowedWith({ StringLike: { 'events:source': 'shop.order?' } }, sources('shop.orders'))).toBe(true);
    expect(allowedWith({ StringLike: { 'events:source': 'shop.*' } }, sources('partner.orders'))).toBe(false);
    expect(allowedWith({ StringNotLike: { 'events:source': 'aws.*' } }, sources('shop.orders'))).toBe(true);
    expect(allowedWith({ StringNotLike: { 'events:source': 'aws.*' } }, sources('aws.ec2'))).toBe(false);
  });

  it('compares context keys case-insensitively', () => {
    expect(allowedWith({ StringEquals: { 'Events:Source': 'shop.orders' } }, sources('shop.orders'))).toBe(true);
  });
});

describe('several conditions', () => {
  it('holds only when every key of every operator holds', () => {
    // Prepare
    const condition = {
      StringEquals: { 'events:source': 'shop.orders', 'events:detail-type': ['OrderPlaced', 'OrderCancelled'] },
      StringNotLike: { 'events:detail-type': 'Internal*' },
    };

    // Act / Assess
    expect(allowedWith(condition, { 'events:source': ['shop.orders'], 'events:detail-type': ['OrderPlaced'] })).toBe(true);
    expect(allowedWith(condition, { 'events:source': ['shop.orders'], 'events:detail-type': ['PaymentCaptured'] })).toBe(false);
    expect(allowedWith(condition, { 'events:source': ['shop.payments'], 'events:detail-type': ['OrderPlaced'] })).toBe(false);
  });
});

describe('a key absent from the request', () => {
  it('fails a positive operator, so an Allow with it does not apply and a Deny with it does not either', () => {
    expect(allowedWith({ StringEquals: { 'events:source': 'shop.orders' } }, {})).toBe(false);
    expect(deniedWith({ StringEquals: { 'events:source': 'shop.orders' } }, {})).toBe(false);
  });

  it('passes a negated operator', () => {
    expect(allowedWith({ StringNotEquals: { 'events:source': 'shop.orders' } }, {})).toBe(true);
    expect(allowedWith({ StringNotLike: { 'events:source': 'shop.*' } }, {})).toBe(true);
  });

  it('passes an …IfExists operator, which still tests a key that is present', () => {
    const condition = { StringEqualsIfExists: { 'events:source': 'shop.orders' } };
    expect(allowedWith(condition, {})).toBe(true);
    expect(allowedWith(condition, sources('shop.orders'))).toBe(true);
    expect(allowedWith(condition, sources('shop.payments'))).toBe(false);
  });

  it('counts as absent when its list of values is empty', () => {
    expect(allowedWith({ StringEquals: { 'events:source': 'shop.orders' } }, sources())).toBe(false);
    expect(allowedWith({ Null: { 'events:source': 'true' } }, sources())).toBe(true);
  });
});

describe('Null and Bool', () => {
  it('Null "true" holds when the key is absent, "false" when it is present', () => {
    expect(allowedWith({ Null: { 'events:source': 'true' } }, {})).toBe(true);
    expect(allowedWith({ Null: { 'events:source': 'true' } }, sources('shop.orders'))).toBe(false);
    expect(allowedWith({ Null: { 'events:source': false } }, sources('shop.orders'))).toBe(true);
    expect(allowedWith({ Null: { 'events:source': false } }, {})).toBe(false);
  });

  it('Bool compares true and false, a JSON boolean as well as text', () => {
    expect(allowedWith({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': ['true'] })).toBe(true);
    expect(allowedWith({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': ['true'] })).toBe(false);
    expect(allowedWith({ BoolIfExists: { 'aws:SecureTransport': 'true' } }, {})).toBe(true);
    expect(allowedWith({ Bool: { 'aws:SecureTransport': 'true' } }, {})).toBe(false);
  });
});

describe('ARN conditions', () => {
  it('ArnLike compares the six parts of an ARN, each with wildcards', () => {
    const condition = { ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:000000000000:rule/HybridShop-bus/*' } };
    expect(allowedWith(condition, { 'aws:SourceArn': ['arn:aws:events:us-east-1:000000000000:rule/HybridShop-bus/Payments'] })).toBe(true);
    expect(allowedWith(condition, { 'aws:SourceArn': ['arn:aws:events:us-east-1:111111111111:rule/HybridShop-bus/Payments'] })).toBe(false);
    expect(allowedWith(condition, { 'aws:SourceArn': ['not-an-arn'] })).toBe(false);
  });

  it('ArnNotEquals holds for another ARN', () => {
    expect(allowedWith({ ArnNotEquals: { 'aws:SourceArn': BUS } }, { 'aws:SourceArn': [`${BUS}-other`] })).toBe(true);
  });
});

describe('set operators on a multivalued key', () => {
  it('ForAllValues holds when every request value matches a policy value', () => {
    const condition = { 'ForAllValues:StringEquals': { 'events:source': ['shop.orders', 'shop.payments'] } };
    expect(allowedWith(condition, sources('shop.orders', 'shop.payments'))).toBe(true);
    expect(allowedWith(condition, sources('shop.orders', 'shop.inventory'))).toBe(false);
  });

  it('ForAllValues holds when the key is absent or empty, unless a Null check requires it', () => {
    const condition = { 'ForAllValues:StringEquals': { 'events:source': 'shop.orders' } };
    expect(allowedWith(condition, {})).toBe(true);
    expect(allowedWith(condition, sources())).toBe(true);
    expect(allowedWith({ ...condition, Null: { 'events:source': 'false' } }, {})).toBe(false);
  });

  it('ForAnyValue holds when at least one request value matches, and never when the key is absent', () => {
    const condition = { 'ForAnyValue:StringLike': { 'events:source': 'shop.pay*' } };
    expect(allowedWith(condition, sources('shop.orders', 'shop.payments'))).toBe(true);
    expect(allowedWith(condition, sources('shop.orders'))).toBe(false);
    expect(allowedWith(condition, {})).toBe(false);
  });

  it('combines with negated operators value by value', () => {
    expect(allowedWith({ 'ForAllValues:StringNotEquals': { 'events:source': 'shop.orders' } }, sources('shop.payments', 'shop.orders'))).toBe(false);
    expect(allowedWith({ 'ForAnyValue:StringNotEquals': { 'events:source': 'shop.orders' } }, sources('shop.payments', 'shop.orders'))).toBe(true);
  });

  it('treats a single-valued key as a set of one', () => {
    expect(allowedWith({ 'ForAllValues:StringEquals': { 'events:source': 'shop.orders' } }, sources('shop.orders'))).toBe(true);
  });
});

describe('an operator without a set qualifier on a key with several values', () => {
  it('needs every value to match in an Allow statement', () => {
    const condition = { StringEquals: { 'events:source': 'shop.orders' } };
    expect(allowedWith(condition, sources('shop.orders'))).toBe(true);
    expect(allowedWith(condition, sources('shop.orders', 'shop.payments'))).toBe(false);
  });

  it('needs one value to match in a Deny statement', () => {
    const condition = { StringEquals: { 'events:source': 'shop.payments' } };
    expect(deniedWith(condition, sources('shop.orders', 'shop.payments'))).toBe(true);
    expect(deniedWith(condition, sources('shop.orders'))).toBe(false);
  });
});

describe('a condition that cannot be evaluated locally', () => {
  it('keeps an Allow statement from applying', () => {
    expect(allowedWith({ NumericLessThan: { 'events:detail.size': '10' } }, { 'events:detail.size': ['1'] })).toBe(false);
  });

  it('makes a Deny statement apply', () => {
    expect(deniedWith({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, {})).toBe(true);
  });

  it('does not save a statement whose other conditions fail, nor sink one whose Deny fails elsewhere', () => {
    // Prepare
    const condition = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 'events:source': 'shop.orders' } };

    // Act / Assess
    expect(deniedWith(condition, sources('shop.payments'))).toBe(false);
    expect(evaluateConditions(statement(condition).conditions ?? [], sources('shop.orders'), 'Allow')).toBe('unknown');
  });

  it('names the problem: an unknown operator, a bad qualifier, a policy variable, a malformed block', () => {
    const problem = (block: unknown) => conditionProblem(parseConditionBlock(block)[0]);
    expect(problem({ NumericLessThan: { k: '1' } })).toMatch(/^the NumericLessThan operator is not evaluated locally \(supported: StringEquals, /);
    expect(problem({ 'ForSomeValues:StringEquals': { k: 'v' } })).toBe('ForSomeValues is not a condition set operator (ForAllValues, ForAnyValue)');
    expect(problem({ NullIfExists: { k: 'true' } })).toBe('NullIfExists is not a valid form of Null');
    expect(problem({ StringLike: { 'events:source': '${aws:username}.*' } })).toBe('policy variables (${…}) are not substituted locally');
    expect(problem({ StringEquals: 'x' })).toBe('StringEquals does not map context keys to values');
    expect(problem({ 'ForAllValues:StringLikeIfExists': { k: 'v' } })).toBeUndefined();
  });
});

describe('evaluatePolicy without a request context', () => {
  it('sees every key as absent, as the execute-api callers rely on', () => {
    expect(evaluatePolicy([statement({ StringEquals: { 'events:source': 'shop.orders' } })], ACTION, BUS)).toBe('ImplicitDeny');
    expect(evaluatePolicy([statement({ StringNotEquals: { 'events:source': 'shop.orders' } })], ACTION, BUS)).toBe('Allow');
    expect(evaluatePolicy([statement()], ACTION, BUS)).toBe('Allow');
  });
});
