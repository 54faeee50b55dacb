import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import {
  IntrinsicResolver,
  MissingPhysicalIdError,
  UnresolvableError,
  type PhysicalResource,
  type ResolverContext,
} from '../../../../local/assembly/intrinsics';

const CONTEXT: ResolverContext = {
  region: 'eu-west-1',
  accountId: '000000000000',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  stackName: 'HybridShop',
  stackId: 'arn:aws:cloudformation:eu-west-1:000000000000:stack/HybridShop/local',
};

/** A template with the given sections; every resource is a queue unless the test says otherwise. */
function templateWith(sections: Partial<CfnTemplate> = {}): CfnTemplate {
  return {
    Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Queue: { Type: 'AWS::SQS::Queue' } },
    ...sections,
  };
}

function physicalIds(): Map<string, PhysicalResource> {
  return new Map<string, PhysicalResource>([
    ['Table', { ref: 'HybridShop-Table', attributes: { Arn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/HybridShop-Table' } }],
    ['Queue', { ref: 'http://edge/000000000000/q', attributes: { Arn: 'arn:aws:sqs:eu-west-1:000000000000:q', QueueName: 'q' } }],
  ]);
}

function resolverFor(template: CfnTemplate = templateWith(), context: ResolverContext = CONTEXT): IntrinsicResolver {
  return new IntrinsicResolver(template, context, physicalIds());
}

describe('IntrinsicResolver', () => {
  describe('Ref', () => {
    it('resolves a resource to its physical ref', () => {
      expect(resolverFor().resolve({ Ref: 'Table' })).toBe('HybridShop-Table');
    });

    it.each([
      ['AWS::Region', 'eu-west-1'],
      ['AWS::AccountId', '000000000000'],
      ['AWS::Partition', 'aws'],
      ['AWS::URLSuffix', 'amazonaws.com'],
      ['AWS::StackName', 'HybridShop'],
      ['AWS::StackId', CONTEXT.stackId],
    ])('resolves the pseudo parameter %s', (name, expected) => {
      expect(resolverFor().resolve({ Ref: name })).toBe(expected);
    });

    it('resolves a parameter to the given value, else to its Default', () => {
      // Prepare
      const template = templateWith({
        Parameters: { Stage: { Type: 'String', Default: 'dev' }, Size: { Type: 'Number', Default: 3 } },
      });
      const resolver = new IntrinsicResolver(template, { ...CONTEXT, parameters: { Stage: 'prod' } }, physicalIds());

      // Act & Assess
      expect(resolver.resolve({ Ref: 'Stage' })).toBe('prod');
      expect(resolver.resolve({ Ref: 'Size' })).toBe('3');
    });

    it('resolves a list parameter to a list', () => {
      // Prepare
      const template = templateWith({ Parameters: { Zones: { Type: 'CommaDelimitedList', Default: 'a, b,c' } } });

      // Act & Assess
      expect(resolverFor(template).resolve({ Ref: 'Zones' })).toEqual(['a', 'b', 'c']);
    });

    it('drops properties and list elements that are AWS::NoValue', () => {
      // Act
      const resolved = resolverFor().resolve({ Keep: 'yes', Drop: { Ref: 'AWS::NoValue' }, List: ['a', { Ref: 'AWS::NoValue' }, 'b'] });

      // Assess
      expect(resolved).toEqual({ Keep: 'yes', List: ['a', 'b'] });
    });

    it('rejects a name that is neither resource, parameter nor pseudo parameter', () => {
      expect(() => resolverFor().resolve({ Ref: 'Nope' })).toThrow(UnresolvableError);
    });

    it('rejects a resource of the template that has no physical id, naming it', () => {
      // Prepare
      const template = templateWith({ Resources: { ...templateWith().Resources, Topic: { Type: 'AWS::SNS::Topic' } } });

      // Act & Assess
      expect(() => resolverFor(template).resolve({ Ref: 'Topic' })).toThrow(MissingPhysicalIdError);
    });

    it('rejects a parameter without a value nor a Default', () => {
      const template = templateWith({ Parameters: { Secret: { Type: 'String' } } });
      expect(() => resolverFor(template).resolve({ Ref: 'Secret' })).toThrow(/Secret has no value/);
    });
  });

  describe('Fn::GetAtt', () => {
    it('resolves the array form', () => {
      expect(resolverFor().resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws:sqs:eu-west-1:000000000000:q');
    });

    it('resolves the dotted string form', () => {
      expect(resolverFor().resolve({ 'Fn::GetAtt': 'Queue.QueueName' })).toBe('q');
    });

    it('resolves an attribute name given by an intrinsic', () => {
      // Prepare
      const template = templateWith({ Parameters: { Attribute: { Type: 'String', Default: 'Arn' } } });

      // Act & Assess
      expect(resolverFor(template).resolve({ 'Fn::GetAtt': ['Table', { Ref: 'Attribute' }] })).toMatch(/:table\/HybridShop-Table$/);
    });

    it('rejects an attribute the resource does not have, listing those it has', () => {
      expect(() => resolverFor().resolve({ 'Fn::GetAtt': ['Queue', 'Nope'] })).toThrow(/no Nope for AWS::SQS::Queue \(it has: Arn, QueueName\)/);
    });

    it('rejects a malformed argument', () => {
      expect(() => resolverFor().resolve({ 'Fn::GetAtt': 'QueueArn' })).toThrow(UnresolvableError);
      expect(() => resolverFor().resolve({ 'Fn::GetAtt': ['Queue'] })).toThrow(UnresolvableError);
    });
  });

  describe('Fn::Sub', () => {
    it('substitutes pseudo parameters, resources and resource attributes', () => {
      // Act
      const resolved = resolverFor().resolve({ 'Fn::Sub': '${AWS::Region}/${Table}/${Queue.Arn}' });

      // Assess
      expect(resolved).toBe('eu-west-1/HybridShop-Table/arn:aws:sqs:eu-west-1:000000000000:q');
    });

    it('substitutes variables of the map, which win over resources, and resolves their intrinsics', () => {
      // Act
      const resolved = resolverFor().resolve({
        'Fn::Sub': ['${Table}-${Name}', { Table: 'mine', Name: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }],
      });

      // Assess
      expect(resolved).toBe('mine-q');
    });

    it('writes ${!Literal} as a literal ${Literal}', () => {
      expect(resolverFor().resolve({ 'Fn::Sub': 'echo ${!HOME} in ${AWS::Region}' })).toBe('echo ${HOME} in eu-west-1');
    });

    it('substitutes a parameter', () => {
      const template = templateWith({ Parameters: { Stage: { Type: 'String', Default: 'dev' } } });
      expect(resolverFor(template).resolve({ 'Fn::Sub': 'shop-${Stage}' })).toBe('shop-dev');
    });

    it('rejects a variable that is nothing known', () => {
      expect(() => resolverFor().resolve({ 'Fn::Sub': 'x-${Unknown}' })).toThrow(UnresolvableError);
    });
  });

  describe('Fn::Join, Fn::Select and Fn::Split', () => {
    it('joins resolved elements with the delimiter', () => {
      // Act
      const resolved = resolverFor().resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::bucket/*']] });

      // Assess
      expect(resolved).toBe('arn:aws:s3:::bucket/*');
    });

    it('selects an element by index, a string index included', () => {
      expect(resolverFor().resolve({ 'Fn::Select': [1, ['a', { Ref: 'Table' }]] })).toBe('HybridShop-Table');
      expect(resolverFor().resolve({ 'Fn::Select': ['0', ['a', 'b']] })).toBe('a');
    });

    it('splits a resolved string', () => {
      expect(resolverFor().resolve({ 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] })).toEqual([
        'arn',
        'aws',
        'sqs',
        'eu-west-1',
        '000000000000',
        'q',
      ]);
    });

    it('resolves them nested: the queue name out of its ARN', () => {
      // Act
      const resolved = resolverFor().resolve({
        'Fn::Join': ['-', [{ 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] }, 'dlq']],
      });

      // Assess
      expect(resolved).toBe('q-dlq');
    });

    it('rejects an index out of range', () => {
      expect(() => resolverFor().resolve({ 'Fn::Select': [2, ['a', 'b']] })).toThrow(/out of range/);
    });

    it('rejects a join over something that is not a list', () => {
      expect(() => resolverFor().resolve({ 'Fn::Join': [',', { Ref: 'Table' }] })).toThrow(/Expected a list/);
    });
  });

  describe('Fn::If and Conditions', () => {
    const conditioned = templateWith({
      Parameters: { Stage: { Type: 'String', Default: 'prod' } },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
        IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        ProdInEurope: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] },
        DevOrEurope: { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['eu-west-1', { Ref: 'AWS::Region' }] }] },
      },
    });

    it('evaluates Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition references', () => {
      // Prepare
      const resolver = resolverFor(conditioned);

      // Act & Assess
      expect(resolver.conditionHolds('IsProd')).toBe(true);
      expect(resolver.conditionHolds('IsDev')).toBe(false);
      expect(resolver.conditionHolds('ProdInEurope')).toBe(true);
      expect(resolver.conditionHolds('DevOrEurope')).toBe(true);
    });

    it('picks the branch of the condition, and AWS::NoValue removes the property', () => {
      // Act
      const resolved = resolverFor(conditioned).resolve({
        Size: { 'Fn::If': ['IsProd', 'large', 'small'] },
        Debug: { 'Fn::If': ['IsDev', 'on', { Ref: 'AWS::NoValue' }] },
      });

      // Assess
      expect(resolved).toEqual({ Size: 'large' });
    });

    it('follows parameter values given in the context', () => {
      // Prepare
      const resolver = new IntrinsicResolver(conditioned, { ...CONTEXT, parameters: { Stage: 'dev' } }, physicalIds());

      // Act & Assess
      expect(resolver.resolve({ 'Fn::If': ['IsProd', 'large', 'small'] })).toBe('small');
    });

    it('rejects an undefined condition', () => {
      expect(() => resolverFor(conditioned).resolve({ 'Fn::If': ['Nope', 'a', 'b'] })).toThrow(/Condition Nope is not defined/);
    });

    it('rejects a condition that refers to itself', () => {
      // Prepare
      const template = templateWith({ Conditions: { Loop: { 'Fn::Not': [{ Condition: 'Loop' }] } } });

      // Act & Assess
      expect(() => resolverFor(template).conditionHolds('Loop')).toThrow(/refers to itself/);
    });
  });

  describe('other functions', () => {
    it('rejects Fn::ImportValue, naming the cross-stack export', () => {
      expect(() => resolverFor().resolve({ 'Fn::ImportValue': 'SharedVpcId' })).toThrow(/another stack's export/);
    });

    it('rejects a function the local runtime does not know', () => {
      expect(() => resolverFor().resolve({ 'Fn::Cidr': ['10.0.0.0/16', 6, 5] })).toThrow(/Fn::Cidr is not supported/);
    });

    it('resolves Fn::FindInMap, Fn::GetAZs, Fn::Base64 and Fn::ToJsonString', () => {
      // Prepare
      const resolver = resolverFor(templateWith({ Mappings: { Sizes: { prod: { Memory: 1024 } } } }));

      // Act & Assess
      expect(resolver.resolve({ 'Fn::FindInMap': ['Sizes', 'prod', 'Memory'] })).toBe(1024);
      expect(resolver.resolve({ 'Fn::GetAZs': '' })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
      expect(resolver.resolve({ 'Fn::Base64': { Ref: 'Table' } })).toBe(Buffer.from('HybridShop-Table').toString('base64'));
      expect(resolver.resolve({ 'Fn::ToJsonString': { table: { Ref: 'Table' } } })).toBe('{"table":"HybridShop-Table"}');
    });

    it('leaves objects that merely look like intrinsics, with more than one key, as objects', () => {
      expect(resolverFor().resolve({ Ref: 'Table', Other: 1 })).toEqual({ Ref: 'Table', Other: 1 });
    });
  });

  describe('resolveString', () => {
    it('renders numbers and booleans as strings', () => {
      expect(resolverFor().resolveString(30)).toBe('30');
      expect(resolverFor().resolveString(true)).toBe('true');
    });

    it('rejects a value that resolves to a list', () => {
      expect(() => resolverFor().resolveString({ 'Fn::Split': [',', 'a,b'] })).toThrow(/Expected a string/);
    });
  });
});
