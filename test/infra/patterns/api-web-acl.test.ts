import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ApiWebAcl, type ApiWebAclProps } from '../../../lib/patterns/api-web-acl';
import { PropsError } from '../../../lib/patterns/problems-error';
import { nagFindings, propsProblemsThrown } from '../support/checks';
import { getAttArn, logicalId } from '../support/template';

interface WebAclRule {
  readonly Name: string;
  readonly Priority: number;
  readonly Statement: Record<string, Record<string, unknown>>;
  readonly Action: { Block: { CustomResponse: { ResponseCode: number; CustomResponseBodyKey: string } } };
  readonly VisibilityConfig: Record<string, unknown>;
}

/** A stack with a REST API (one MOCK method, so it deploys a stage) and a web ACL in front of its stage. */
function guardedApi(props: Partial<ApiWebAclProps> = {}): { stack: Stack; api: apigateway.RestApi; acl: ApiWebAcl } {
  const stack = new Stack(new App(), 'WebAclTest', { env: { region: 'eu-west-1', account: '111111111111' } });
  const api = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
  api.root.addMethod('GET', new apigateway.MockIntegration());
  const acl = new ApiWebAcl(stack, 'Acl', { stage: api.deploymentStage, webAclName: 'shop-public', ...props });
  return { stack, api, acl };
}

const webAclOf = (stack: Stack): Record<string, unknown> & { readonly Rules: WebAclRule[] } => {
  const [properties] = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')).map((r) => r.Properties as Record<string, unknown>);
  return { ...properties, Rules: properties.Rules as WebAclRule[] };
};
const ruleOf = (stack: Stack, name: string): WebAclRule => {
  const rule = webAclOf(stack).Rules.find((r) => r.Name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
};

describe('ApiWebAcl', () => {
  describe('by default', () => {
    const { stack, api, acl } = guardedApi();

    it('is a regional web ACL named webAclName that allows whatever no rule blocks, with metrics and sampled requests on', () => {
      expect(webAclOf(stack)).toMatchObject({
        Name: 'shop-public',
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'shop-public' },
      });
      for (const rule of webAclOf(stack).Rules) {
        expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: rule.Name });
      }
    });

    it('answers 429 to an IP address past 3,000 requests in 5 minutes, before any other rule counts it out', () => {
      expect(ruleOf(stack, 'RateLimitPerIp')).toMatchObject({
        Priority: 0,
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 3000, EvaluationWindowSec: 300 } },
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' } } },
      });
      expect(acl.rateLimitPerIp).toBe(3000);
    });

    it('answers 413 to a body over 16 KiB, and to one WAF cannot see the end of (oversize MATCH), with no wider inspection window', () => {
      expect(ruleOf(stack, 'BodySizeLimit')).toMatchObject({
        Priority: 1,
        Statement: {
          SizeConstraintStatement: {
            FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
            ComparisonOperator: 'GT',
            Size: 16384,
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        },
        Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'ContentTooLarge' } } },
      });
      expect(webAclOf(stack).AssociationConfig).toBeUndefined();
    });

    it('answers both blocks with a problem document that says what to do, the body limit naming the field', () => {
      const bodies = webAclOf(stack).CustomResponseBodies as Record<string, { ContentType: string; Content: string }>;
      expect(Object.values(bodies).map((body) => body.ContentType)).toEqual(['APPLICATION_JSON', 'APPLICATION_JSON']);
      expect(JSON.parse(bodies.TooManyRequests.Content)).toEqual({
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: 'More than 3000 requests came from your IP address within 5 minutes; slow down and retry later.',
      });
      expect(JSON.parse(bodies.ContentTooLarge.Content)).toEqual({
        type: 'about:blank',
        title: 'Content Too Large',
        status: 413,
        detail: 'The request body is larger than 16384 bytes.',
        errors: [{ field: 'body', message: 'must be at most 16384 bytes' }],
      });
    });

    it("associates the web ACL with the stage's ARN", () => {
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: getAttArn(acl.webAcl),
        ResourceArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:eu-west-1::/restapis/', { Ref: logicalId(api) }, '/stages/', { Ref: logicalId(api.deploymentStage) }]],
        },
      });
    });

    it("measures each rule's blocked requests by the web ACL's name, the rule's name and the region", () => {
      expect(stack.resolve(acl.metricBlockedRequests('BodySizeLimit').toMetricConfig().metricStat)).toMatchObject({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        statistic: 'Sum',
        dimensions: expect.arrayContaining([
          { name: 'WebACL', value: 'shop-public' },
          { name: 'Rule', value: 'BodySizeLimit' },
          { name: 'Region', value: 'eu-west-1' },
        ]),
      });
      expect(acl.dashboardWidgets()).toHaveLength(1);
    });

    it('satisfies cdk-nag: the stage has its web ACL (APIG3), and the web ACL itself raises nothing', () => {
      expect(nagFindings(stack).filter((finding) => finding.includes('APIG3') || finding.includes('/Acl/'))).toEqual([]);
    });
  });

  describe('with every prop set', () => {
    it('applies the rate limit and its window', () => {
      const { stack } = guardedApi({ rateLimitPerIp: 100, rateLimitWindow: Duration.minutes(1) });
      expect(ruleOf(stack, 'RateLimitPerIp').Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 100, EvaluationWindowSec: 60 });
    });

    it('blocks bodies over a smaller limit by their size, within the default 16 KiB window', () => {
      const { stack } = guardedApi({ maxRequestBodySize: Size.kibibytes(1) });
      expect(ruleOf(stack, 'BodySizeLimit').Statement.SizeConstraintStatement).toMatchObject({ Size: 1024 });
      expect(webAclOf(stack).AssociationConfig).toBeUndefined();
    });

    it.each([
      [Size.kibibytes(20), 'KB_32'],
      [Size.kibibytes(48), 'KB_48'],
      [Size.kibibytes(64), 'KB_64'],
    ])('widens the inspection window to the smallest that holds a larger limit (%#)', (maxRequestBodySize, setting) => {
      const { stack } = guardedApi({ maxRequestBodySize });
      expect(webAclOf(stack).AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: setting } } });
      expect(ruleOf(stack, 'BodySizeLimit').Statement.SizeConstraintStatement).toMatchObject({ Size: maxRequestBodySize.toBytes() });
    });
  });

  describe('validation', () => {
    const problemsOf = (props: Partial<ApiWebAclProps>) => propsProblemsThrown('ApiWebAcl')(() => guardedApi(props));

    it.each([9, 2.5, 2_000_000_001])('rejects a rate limit of %p', (rateLimitPerIp) => {
      expect(problemsOf({ rateLimitPerIp })).toEqual([expect.stringMatching(/^rateLimitPerIp is .*: WAF takes a whole number of requests from 10 to 2,000,000,000, e\.g\. 3000\.$/)]);
    });

    it.each([Duration.seconds(30), Duration.minutes(3), Duration.minutes(15)])('rejects a window WAF does not offer (%#)', (rateLimitWindow) => {
      expect(problemsOf({ rateLimitWindow })).toEqual([expect.stringMatching(/^rateLimitWindow is .*: WAF counts over 1, 2, 5 or 10 minutes/)]);
    });

    it('rejects a body limit above the 64 KiB WAF can inspect', () => {
      expect(problemsOf({ maxRequestBodySize: Size.kibibytes(65) })).toEqual([expect.stringMatching(/^maxRequestBodySize is 66560 bytes with a web ACL: WAF inspects at most the first 64 KiB .* lower the limit to 64 KiB or less/)]);
    });

    it('reports every problem in one error naming the construct, the name first', () => {
      const act = () => guardedApi({ webAclName: 'shop public', rateLimitPerIp: 0, rateLimitWindow: Duration.minutes(7) });
      expect(act).toThrow(PropsError);
      expect(act).toThrow(/^Invalid ApiWebAcl props at WebAclTest\/Acl:\n- webAclName is 'shop public'.*\n- rateLimitPerIp is 0.*\n- rateLimitWindow is 7 minutes/);
    });
  });
});
