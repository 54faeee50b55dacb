import { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { ServiceFunction } from '../../../lib/patterns/service-function';

/** A template's resources, by logical ID. */
export type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

export const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;

/** The logical ID of a construct's CloudFormation resource: its default child's (a ServiceFunction's: its function's). */
export function logicalId(construct: IConstruct): string {
  if (CfnElement.isCfnElement(construct)) return Stack.of(construct).getLogicalId(construct);
  const element = construct instanceof ServiceFunction ? construct.function : construct;
  return Stack.of(element).getLogicalId(element.node.defaultChild as CfnElement);
}

/** The template's resource of a construct (see `logicalId`). */
export const resourceOf = (template: Template, construct: IConstruct) => template.toJSON().Resources[logicalId(construct)];

/** The properties of a construct's resource, an alarm's say. */
export const propertiesOf = (template: Template, construct: IConstruct) => resourceOf(template, construct).Properties;

/** `{ 'Fn::GetAtt': [<logical ID>, 'Arn'] }`: how the template refers to a construct's ARN. */
export const getAttArn = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

/** The properties of the event source mapping of a QueueWorker, or of an EventLog consumer. */
export function eventSourceMappingOf(template: Template, stack: Stack, consumer: { readonly eventSource: { readonly eventSourceMappingId: string } }) {
  const { Ref } = stack.resolve(consumer.eventSource.eventSourceMappingId) as { Ref: string };
  return template.toJSON().Resources[Ref].Properties;
}

/** Each dashboard widget as the JSON CloudWatch receives, its references resolved in `stack`. */
export const renderedWidgets = (stack: Stack, widgets: readonly cloudwatch.IWidget[]): string[] =>
  widgets.map((widget) => JSON.stringify(stack.resolve(widget.toJson())));

/**
 * The two graphs of a pattern's dashboard row, rendered (see `renderedWidgets`), after asserting that they are side by
 * side: two graphs, each half the dashboard's width.
 */
export function renderedSideBySide(stack: Stack, widgets: readonly cloudwatch.IWidget[]): [string, string] {
  expect(widgets.map((widget) => [widget instanceof cloudwatch.GraphWidget, widget.width])).toEqual([
    [true, 12],
    [true, 12],
  ]);
  const [left, right] = renderedWidgets(stack, widgets);
  return [left, right];
}

/** What every alarm of the patterns has: it fires at the threshold, and missing data does not breach. */
export const ALARM_DEFAULTS = { ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' } as const;
/** An alarm over periods of 5 minutes. */
export const FIVE_MINUTE_PERIODS = { Period: 300 } as const;
export const ONE_OF_ONE = { DatapointsToAlarm: 1, EvaluationPeriods: 1 } as const;
export const TWO_OF_THREE = { DatapointsToAlarm: 2, EvaluationPeriods: 3 } as const;
export const THREE_OF_FIVE = { DatapointsToAlarm: 3, EvaluationPeriods: 5 } as const;

/**
 * Asserts the template has an AWS::IAM::Policy attached to `role` (the role, or its logical ID) whose Statement matches
 * `statement` as `hasResourceProperties` matches: a plain array lists exactly the statements, each matched as an
 * object-like; a Match (`Match.arrayWith([…])`) may ask for less.
 */
export function expectRolePolicy(template: Template, role: IConstruct | string, statement: unknown): void {
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: typeof role === 'string' ? role : logicalId(role) }],
    PolicyDocument: { Statement: statement },
  });
}

/** Asserts every one of `alarms` (at least one) notifies `topic`, and only it. */
export function expectAlarmsNotify(template: Template, alarms: readonly IConstruct[], topic: IConstruct): void {
  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) expect(propertiesOf(template, alarm).AlarmActions).toEqual([{ Ref: logicalId(topic) }]);
}

/** Asserts none of `alarms` (at least one) has an action. */
export function expectNoAlarmActions(template: Template, alarms: readonly IConstruct[]): void {
  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) expect(propertiesOf(template, alarm).AlarmActions).toBeUndefined();
}

/** The QueueName dimension of a queue's metrics. */
export const queueDimensions = (queue: IConstruct) => [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }];

/**
 * What an alarm on a dead-letter or failure queue is in every pattern: the queue's visible messages (Maximum) ≥ 1, in
 * 1 of 1 period of 5 minutes.
 */
export const queueNotEmptyAlarm = (queue: IConstruct) => ({
  ...ALARM_DEFAULTS,
  ...FIVE_MINUTE_PERIODS,
  ...ONE_OF_ONE,
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: queueDimensions(queue),
  Statistic: 'Maximum',
  Threshold: 1,
});
