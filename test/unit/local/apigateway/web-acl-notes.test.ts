import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { readWebAcls, webAclNote } from '../../../../local/apigateway/web-acl-notes';
import { LOCAL_CONTEXT } from '../assembly/local-context';

/** A REST API, its stage, and a web ACL associated with the stage's ARN, as ApiWebAcl synthesizes them. */
const TEMPLATE: CfnTemplate = {
  Resources: {
    PublicApiRestApi1A2B3C4D: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'HybridShop-public' } },
    PublicApiStage5E6F7A8B: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'PublicApiRestApi1A2B3C4D' }, StageName: 'prod' } },
    PublicApiWebAcl9C0D1E2F: { Type: 'AWS::WAFv2::WebACL', Properties: { Name: 'HybridShop-public', Scope: 'REGIONAL', DefaultAction: { Allow: {} } } },
    PublicApiWebAclAssociation3A4B5C6D: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: {
        WebACLArn: { 'Fn::GetAtt': ['PublicApiWebAcl9C0D1E2F', 'Arn'] },
        ResourceArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/restapis/', { Ref: 'PublicApiRestApi1A2B3C4D' }, '/stages/', { Ref: 'PublicApiStage5E6F7A8B' }]],
        },
      },
    },
  },
};

describe('readWebAcls', () => {
  it('names each web ACL and the REST API its association puts it in front of', () => {
    // Act
    const acls = readWebAcls(TEMPLATE);

    // Assess
    expect(acls).toEqual([{ logicalId: 'PublicApiWebAcl9C0D1E2F', restApis: ['PublicApiRestApi1A2B3C4D'] }]);
    expect(acls.map(webAclNote)).toEqual(['web ACL PublicApiWebAcl in front of PublicApiRestApi not enforced locally: WAF is not emulated, so its rules block nothing']);
  });

  it('finds none in a template without WAF', () => {
    expect(readWebAcls({ Resources: { Api: TEMPLATE.Resources.PublicApiRestApi1A2B3C4D } })).toEqual([]);
  });

  it("resolves the web ACL's ARN and the association locally like any resource the runtime does not run", () => {
    // Act
    const physical = assignPhysicalIds(TEMPLATE, LOCAL_CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
    const resolver = new IntrinsicResolver(TEMPLATE, LOCAL_CONTEXT, physical);

    // Assess
    expect(resolver.resolveString({ 'Fn::GetAtt': ['PublicApiWebAcl9C0D1E2F', 'Arn'] })).toMatch(/^arn:aws:wafv2:us-east-1:000000000000:/);
    expect(resolver.resolveString(TEMPLATE.Resources.PublicApiWebAclAssociation3A4B5C6D.Properties?.ResourceArn)).toMatch(
      /^arn:aws:apigateway:us-east-1::\/restapis\/[a-z0-9]+\/stages\/prod$/,
    );
  });
});
