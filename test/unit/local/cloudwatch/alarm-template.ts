import type { CfnResource, CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { readAlarms, type AlarmModel } from '../../../../local/cloudwatch/alarm-model';
import { LOCAL_CONTEXT } from '../assembly/local-context';

/** The pseudo parameters the local runtime uses. */
export const CONTEXT = LOCAL_CONTEXT;

export const ALARM_ARN_PREFIX = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';

/** Resources alarms can point at: a function, a queue, a REST API stage, an SNS topic. */
const TARGETS: Record<string, CfnResource> = {
  Topic: { Type: 'AWS::SNS::Topic' },
  Queue: { Type: 'AWS::SQS::Queue' },
  Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'shop-place-order' } },
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'HybridShop-public' } },
  Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
};

/** An AWS::CloudWatch::Alarm like CDK synthesizes: on the function's Errors, Sum ≥ 1 over 5 minutes, notBreaching. */
export function metricAlarm(properties: Record<string, unknown> = {}): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmActions: [{ Ref: 'Topic' }],
      AlarmDescription: 'errors',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      DatapointsToAlarm: 1,
      EvaluationPeriods: 1,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'Fn' } }],
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Period: 300,
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      ...properties,
    },
  };
}

/** The 5XX-rate metric-math alarm CDK synthesizes for an API. */
export function errorRateAlarm(properties: Record<string, unknown> = {}): CfnResource {
  const metric = (name: string) => ({
    Metric: {
      Dimensions: [
        { Name: 'ApiName', Value: 'HybridShop-public' },
        { Name: 'Stage', Value: { Ref: 'Stage' } },
      ],
      MetricName: name,
      Namespace: 'AWS/ApiGateway',
    },
    Period: 300,
    Stat: 'Sum',
  });
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmActions: [{ Ref: 'Topic' }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      DatapointsToAlarm: 1,
      EvaluationPeriods: 1,
      Metrics: [
        { Expression: '100 * errors / requests', Id: 'expr_1', Label: '5XX responses (% of requests)', ReturnData: true },
        { Id: 'errors', MetricStat: metric('5XXError'), ReturnData: false },
        { Id: 'requests', MetricStat: metric('Count'), ReturnData: false },
      ],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      ...properties,
    },
  };
}

/** A composite alarm whose rule is `(ALARM("<arn>") OR …)` over the given alarms, built as CDK builds it. */
export function compositeAlarm(name: string, children: readonly string[], properties: Record<string, unknown> = {}): CfnResource {
  const parts: unknown[] = ['(ALARM("'];
  children.forEach((child, i) => {
    parts.push({ 'Fn::GetAtt': [child, 'Arn'] });
    parts.push(i === children.length - 1 ? '"))' : '") OR ALARM("');
  });
  return { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmName: name, AlarmDescription: `${name} health`, AlarmRule: { 'Fn::Join': ['', parts] }, ...properties } };
}

/** A template with the target resources and `alarms`, read as the runtime reads it. */
export function alarmModelOf(alarms: Record<string, CfnResource>, extra: Partial<CfnTemplate> = {}): AlarmModel {
  const template: CfnTemplate = { ...extra, Resources: { ...TARGETS, ...alarms } };
  const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  return readAlarms({ template, resolver: new IntrinsicResolver(template, CONTEXT, physical), physical });
}
